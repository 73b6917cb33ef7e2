//! What the raw bytes say about how the file was written: header version, revisions
//! (incremental saves), the kind of cross-reference, and the `/Encrypt` dictionary.
//!
//! The encryption dictionary may never live in an object stream and its entries are never
//! encrypted (ISO 32000-1 §7.5.7, §7.6.1), so a byte scan reads it reliably.

use std::sync::LazyLock;

use regex::bytes::Regex;
use statera_model::Encryption;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileStructure {
    pub version: String,
    pub eof_markers: u32,
    pub startxref_count: u32,
    /// Trailer `/Prev <offset>` links (outline `/Prev n 0 R` references are not counted).
    pub prev_links: u32,
    pub xref_kind: &'static str,
    pub encryption: Encryption,
    /// No `%%EOF` near the end: the file was cut short (download or upload interrupted).
    pub truncated: bool,
}

impl FileStructure {
    /// Saved revisions: one per `startxref` (a file written once has exactly one).
    pub fn revisions(&self) -> u32 {
        self.startxref_count.max(self.eof_markers).max(1)
    }
}

static VERSION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"%PDF-(\d\.\d)").unwrap());
static PREV: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/Prev\s+(\d+)(\s+\d+\s+R)?").unwrap());
static XREF_TABLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^xref\s").unwrap());
static XREF_STREAM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/Type\s*/XRef\b").unwrap());
static ENCRYPT_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/Encrypt\s*(?:(\d+)\s+(\d+)\s+R|<<)").unwrap());

pub fn scan_structure(bytes: &[u8]) -> FileStructure {
    let count = |needle: &[u8]| bytes.windows(needle.len()).filter(|w| *w == needle).count() as u32;
    let version = VERSION
        .captures(&bytes[..bytes.len().min(1024)])
        .map(|c| String::from_utf8_lossy(&c[1]).into_owned())
        .unwrap_or_default();
    let prev_links = PREV
        .captures_iter(bytes)
        .filter(|c| c.get(2).is_none())
        .count() as u32;
    let xref_kind = match (XREF_TABLE.is_match(bytes), XREF_STREAM.is_match(bytes)) {
        (true, true) => "mixed",
        (true, false) => "table",
        (false, true) => "stream",
        (false, false) => "none",
    };
    FileStructure {
        version,
        eof_markers: count(b"%%EOF"),
        startxref_count: count(b"startxref"),
        prev_links,
        xref_kind,
        encryption: scan_encryption(bytes),
        truncated: !bytes[bytes.len().saturating_sub(1024)..]
            .windows(5)
            .any(|w| w == b"%%EOF"),
    }
}

fn scan_encryption(bytes: &[u8]) -> Encryption {
    let none = Encryption {
        algorithm: "none".into(),
        ..Encryption::default()
    };
    // The last /Encrypt belongs to the newest trailer.
    let Some(found) = ENCRYPT_REF.captures_iter(bytes).last() else {
        return none;
    };
    let Some(start) = encrypt_dict_start(bytes, &found) else {
        return unknown();
    };
    let dict = top_level_dict(&bytes[start..]);
    let int = |key: &str| -> Option<i64> {
        let re = Regex::new(&format!(r"/{key}\s+(-?\d+)")).ok()?;
        let caps = re.captures(&dict)?;
        std::str::from_utf8(&caps[1]).ok()?.parse().ok()
    };
    let version = int("V");
    let revision = int("R");
    let length = int("Length");
    let aes = dict_text(&bytes[start..]).contains("/AESV2");
    let (algorithm, key_bits) = match revision {
        Some(2) => ("RC4-40", Some(40)),
        Some(3) => {
            let bits = length.unwrap_or(40);
            (if bits > 40 { "RC4-128" } else { "RC4-40" }, Some(bits))
        }
        Some(4) if aes => ("AES-128", Some(128)),
        Some(4) => ("RC4-128", Some(128)),
        Some(5 | 6) => ("AES-256", Some(256)),
        _ => ("unknown", length),
    };
    Encryption {
        algorithm: algorithm.into(),
        version,
        revision,
        key_bits,
        permissions: int("P"),
        empty_user_password: false,
    }
}

fn unknown() -> Encryption {
    Encryption {
        algorithm: "unknown".into(),
        ..Encryption::default()
    }
}

/// Where the encryption dictionary (`<<`) begins: after `n g obj` for a reference, or at
/// the inline `<<`.
fn encrypt_dict_start(bytes: &[u8], found: &regex::bytes::Captures<'_>) -> Option<usize> {
    match (found.get(1), found.get(2)) {
        (Some(num), Some(gen_)) => {
            let pattern = format!(
                r"(?:^|[^0-9]){}\s+{}\s+obj",
                String::from_utf8_lossy(num.as_bytes()),
                String::from_utf8_lossy(gen_.as_bytes())
            );
            Regex::new(&pattern).ok()?.find(bytes).map(|m| m.end())
        }
        _ => found.get(0).map(|m| m.end() - 2),
    }
}

/// The text of the whole encryption dictionary, nested dictionaries included (to find the
/// crypt filter's `/CFM`).
fn dict_text(rest: &[u8]) -> String {
    let rest = &rest[..rest.len().min(4096)];
    let end = rest
        .windows(6)
        .position(|w| w == b"endobj")
        .unwrap_or(rest.len());
    String::from_utf8_lossy(&rest[..end]).into_owned()
}

/// The first dictionary in `bytes` with nested dictionaries and strings removed, so keys
/// of the crypt filters (`/Length 16`) are not mistaken for the top level's.
fn top_level_dict(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut in_string = 0usize;
    let mut i = 0;
    let limit = bytes.len().min(8192);
    while i < limit {
        let b = bytes[i];
        if in_string > 0 {
            match b {
                b'\\' => i += 1,
                b'(' => in_string += 1,
                b')' => in_string -= 1,
                _ => {}
            }
            i += 1;
            continue;
        }
        if bytes[i..].starts_with(b"<<") {
            depth += 1;
            i += 2;
            continue;
        }
        if bytes[i..].starts_with(b">>") {
            if depth <= 1 {
                break;
            }
            depth -= 1;
            i += 2;
            continue;
        }
        match b {
            b'(' => in_string = 1,
            b'<' if depth == 1 => {
                // Hex string: skip to '>'.
                while i < limit && bytes[i] != b'>' {
                    i += 1;
                }
            }
            _ if depth == 1 => out.push(b),
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_qpdf_style_aes_dictionary() {
        let file = b"%PDF-1.6\n1 0 obj <<>> endobj\n9 0 obj\n<< /CF << /StdCF << /AuthEvent /DocOpen /CFM /AESV2 /Length 16 >> >> /Filter /Standard /Length 128 /O <00> /P -4 /R 4 /StmF /StdCF /StrF /StdCF /U <00> /V 4 >>\nendobj\nxref\n0 1\ntrailer << /Encrypt 9 0 R /ID [<00><00>] >>\nstartxref\n10\n%%EOF\n";
        let s = scan_structure(file);
        assert_eq!(s.version, "1.6");
        assert_eq!(s.encryption.algorithm, "AES-128");
        assert_eq!(s.encryption.key_bits, Some(128));
        assert_eq!(s.encryption.permissions, Some(-4));
        assert_eq!(s.xref_kind, "table");
        assert_eq!(s.revisions(), 1);
    }

    #[test]
    fn tells_rc4_strengths_apart_and_counts_revisions() {
        let rc4 = b"%PDF-1.5\n5 0 obj << /Filter /Standard /V 2 /R 3 /Length 128 /P -4 >> endobj\ntrailer << /Encrypt 5 0 R >>\nstartxref\n1\n%%EOF\ntrailer << /Prev 1 /Encrypt 5 0 R >>\nstartxref\n2\n%%EOF\n";
        let s = scan_structure(rc4);
        assert_eq!(s.encryption.algorithm, "RC4-128");
        assert_eq!(s.revisions(), 2);
        assert_eq!(s.prev_links, 1);
        let rc4_40 = b"%PDF-1.3\n5 0 obj << /Filter /Standard /V 1 /R 2 /P -4 >> endobj\ntrailer << /Encrypt 5 0 R >>\n";
        assert_eq!(scan_structure(rc4_40).encryption.algorithm, "RC4-40");
        let plain = b"%PDF-1.4\n1 0 obj << /Outlines << /Prev 4 0 R >> >> endobj\n";
        let s = scan_structure(plain);
        assert_eq!(s.encryption.algorithm, "none");
        assert_eq!(s.prev_links, 0);
    }
}
