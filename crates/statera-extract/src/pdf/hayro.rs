//! [`TextSource`] on hayro (`hayro-syntax` + `hayro-interpret`, pinned exactly).
//!
//! hayro interprets each page into a [`Device`]; ours keeps glyphs (with Unicode, position,
//! size and font), opaque filled rectangles and image counts, and drops everything else.

use std::collections::HashMap;
use std::sync::Mutex;

use hayro_interpret::font::{Glyph as HayroGlyph, GlyphRun};
use hayro_interpret::hayro_syntax::object::DateTime;
use hayro_interpret::hayro_syntax::{DecryptionError, LoadPdfError, Pdf};
use hayro_interpret::kurbo::{Affine, BezPath, Rect, Shape};
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, Paint, SoftMask, TransformExt, interpret_page,
};
use statera_model::PdfInfo;

use super::{FilledRect, Glyph, Limits, PageText, PdfText, TextSource, scan_structure};
use crate::ExtractError;
use crate::text::build_lines;

/// The hayro-backed text source.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hayro;

impl TextSource for Hayro {
    fn read(
        &self,
        bytes: &[u8],
        password: Option<&str>,
        limits: &Limits,
    ) -> Result<PdfText, ExtractError> {
        if !super::looks_like_pdf(bytes) {
            return Err(ExtractError::NotPdf);
        }
        let structure = scan_structure(bytes);
        let encrypted = structure.encryption.algorithm != "none";
        let (pdf, empty_user_password) = open(bytes, password, encrypted)?;
        let page_count = pdf.pages().len();
        if page_count == 0 {
            return Err(ExtractError::CorruptPdf("the document has no pages".into()));
        }
        if page_count > limits.max_pages {
            return Err(ExtractError::ResourceLimit(format!(
                "{page_count} pages, more than the limit of {}",
                limits.max_pages
            )));
        }

        let fonts = FontTable::default();
        let threads = limits.threads.clamp(1, 16).min(page_count);
        let mut pages: Vec<Result<PageText, ExtractError>> = Vec::with_capacity(page_count);
        if threads == 1 {
            let cache = InterpreterCache::new();
            let mut glyphs = GlyphCache::default();
            for index in 0..page_count {
                pages.push(read_page(&pdf, &cache, index, &fonts, limits, &mut glyphs));
            }
        } else {
            // Pages are independent: interleave them over the threads, each with its own cache.
            let mut slots: Vec<Option<Result<PageText, ExtractError>>> =
                (0..page_count).map(|_| None).collect();
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let pdf = &pdf;
                        let fonts = &fonts;
                        scope.spawn(move || {
                            let cache = InterpreterCache::new();
                            let mut glyphs = GlyphCache::default();
                            (t..page_count)
                                .step_by(threads)
                                .map(|i| (i, read_page(pdf, &cache, i, fonts, limits, &mut glyphs)))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                for handle in handles {
                    match handle.join() {
                        Ok(results) => {
                            for (i, page) in results {
                                slots[i] = Some(page);
                            }
                        }
                        Err(_) => {
                            // A panic inside the PDF library: report, never crash the caller.
                        }
                    }
                }
            });
            for (i, slot) in slots.into_iter().enumerate() {
                pages.push(slot.unwrap_or_else(|| {
                    Err(ExtractError::CorruptPdf(format!(
                        "page {} could not be interpreted",
                        i + 1
                    )))
                }));
            }
        }
        let pages = pages.into_iter().collect::<Result<Vec<_>, _>>()?;

        let mut encryption = structure.encryption.clone();
        encryption.empty_user_password = empty_user_password && encryption.algorithm != "none";
        let metadata = pdf.metadata();
        let (creation_date, creation_offset) = date(metadata.creation_date.as_ref());
        let (modification_date, modification_offset) = date(metadata.modification_date.as_ref());
        let info = PdfInfo {
            version: structure.version.clone(),
            producer: text(metadata.producer.as_deref()),
            creator: text(metadata.creator.as_deref()),
            title: text(metadata.title.as_deref()),
            author: text(metadata.author.as_deref()),
            subject: text(metadata.subject.as_deref()),
            keywords: text(metadata.keywords.as_deref()),
            creation_date,
            creation_date_utc_offset_minutes: creation_offset,
            modification_date,
            modification_date_utc_offset_minutes: modification_offset,
            encryption,
            revisions: structure.revisions(),
        };
        Ok(PdfText {
            pages,
            fonts: fonts.into_names(),
            info,
            structure,
        })
    }
}

/// Opens the document. hayro rejects a wrong non-empty password even when the real user
/// password is empty, so the empty password is always tried; when the caller gave a
/// password for an encrypted file it is tried first, because each attempt on AES-256
/// (R6) costs a deliberately slow key derivation. Returns whether the empty password
/// opened it.
fn open(
    bytes: &[u8],
    password: Option<&str>,
    encrypted: bool,
) -> Result<(Pdf, bool), ExtractError> {
    let attempt = |pw: &str| match Pdf::new_with_password(bytes.to_vec(), pw) {
        Ok(pdf) => Ok(Some(pdf)),
        Err(LoadPdfError::Decryption(DecryptionError::PasswordProtected)) => Ok(None),
        Err(other) => Err(load_error(other)),
    };
    let given = password.filter(|p| !p.is_empty());
    if let (true, Some(pw)) = (encrypted, given)
        && let Some(pdf) = attempt(pw)?
    {
        return Ok((pdf, false));
    }
    match attempt("")? {
        Some(pdf) => Ok((pdf, true)),
        None if encrypted && given.is_some() => Err(ExtractError::WrongPassword),
        None => match given {
            // The scan found no /Encrypt, yet hayro wants a password: try the given one.
            Some(pw) => attempt(pw)?
                .map(|pdf| (pdf, false))
                .ok_or(ExtractError::WrongPassword),
            None => Err(ExtractError::PasswordRequired),
        },
    }
}

fn load_error(error: LoadPdfError) -> ExtractError {
    match error {
        LoadPdfError::Decryption(DecryptionError::PasswordProtected) => {
            ExtractError::PasswordRequired
        }
        LoadPdfError::Decryption(DecryptionError::UnsupportedAlgorithm) => {
            ExtractError::UnsupportedEncryption("non-standard security handler".into())
        }
        LoadPdfError::Decryption(DecryptionError::InvalidEncryption) => {
            ExtractError::CorruptPdf("invalid encryption dictionary".into())
        }
        LoadPdfError::Decryption(DecryptionError::MissingIDEntry) => {
            ExtractError::CorruptPdf("encrypted file without a trailer /ID".into())
        }
        LoadPdfError::Invalid => {
            ExtractError::CorruptPdf("no readable cross-reference or page tree".into())
        }
    }
}

fn read_page<'a>(
    pdf: &'a Pdf,
    cache: &InterpreterCache<'a>,
    index: usize,
    fonts: &FontTable,
    limits: &Limits,
    glyph_cache: &mut GlyphCache,
) -> Result<PageText, ExtractError> {
    let page = &pdf.pages()[index];
    let (width, height) = page.render_dimensions();
    let mut context = Context::new(
        page.initial_transform(true).to_kurbo(),
        Rect::new(0.0, 0.0, f64::from(width), f64::from(height)),
        cache,
        pdf.xref(),
        InterpreterSettings::default(),
    );
    let mut device = TextDevice {
        fonts,
        glyphs: Vec::new(),
        rects: Vec::new(),
        images: 0,
        unmapped: 0,
        seq: 0,
        limit: limits.max_glyphs_per_page,
        over_limit: false,
        glyph_cache,
    };
    interpret_page(page, &mut context, &mut device);
    if device.over_limit {
        return Err(ExtractError::ResourceLimit(format!(
            "page {} draws more than {} glyphs",
            index + 1,
            limits.max_glyphs_per_page
        )));
    }
    Ok(device.finish(index as u32 + 1, width, height))
}

/// Font names by the identity of their program, shared by the page threads.
#[derive(Default)]
struct FontTable {
    inner: Mutex<(HashMap<u128, u16>, Vec<String>)>,
}

impl FontTable {
    fn index(&self, key: u128, name: impl FnOnce() -> String) -> u16 {
        let mut guard = self
            .inner
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let (by_key, names) = &mut *guard;
        if let Some(index) = by_key.get(&key) {
            return *index;
        }
        let index = u16::try_from(names.len()).unwrap_or(u16::MAX);
        names.push(name());
        by_key.insert(key, index);
        index
    }

    fn into_names(self) -> Vec<String> {
        self.inner
            .into_inner()
            .unwrap_or_else(|poison| poison.into_inner())
            .1
    }
}

struct TextDevice<'f> {
    fonts: &'f FontTable,
    glyphs: Vec<Glyph>,
    rects: Vec<FilledRect>,
    images: u32,
    unmapped: u32,
    seq: u32,
    limit: usize,
    over_limit: bool,
    glyph_cache: &'f mut GlyphCache,
}

/// Per-thread cache of glyph lookups, shared by the pages a thread reads.
type GlyphCache = HashMap<u128, (Mapped, f32)>;

/// A glyph's Unicode text, as hayro maps it.
#[derive(Clone)]
enum Mapped {
    Char(char),
    Text(String),
    None,
}

impl TextDevice<'_> {
    /// Character code, Unicode and advance of a glyph. hayro resolves both through glyph
    /// names for the standard fonts (perfect-hash lookups per glyph), so outline glyphs
    /// are cached per page by their identity and code.
    fn lookup(&mut self, glyph: &hayro_interpret::font::PositionedGlyph<'_>) -> (u32, Mapped, f32) {
        let resolve = |glyph: &HayroGlyph<'_>| {
            let mapped = match glyph.as_unicode() {
                Some(hayro_interpret::hayro_cmap::BfString::Char(ch)) => Mapped::Char(ch),
                Some(hayro_interpret::hayro_cmap::BfString::String(s)) => Mapped::Text(s),
                None => Mapped::None,
            };
            let advance = match glyph {
                HayroGlyph::Outline(o) => o.advance_width(),
                HayroGlyph::Type3(t) => t.advance_width(),
            };
            (mapped, advance.unwrap_or(500.0))
        };
        match &**glyph {
            HayroGlyph::Outline(o) => {
                let code = o.char_code();
                let key = o.identifier().cache_key() ^ (u128::from(code) << 96);
                let (mapped, advance) = self
                    .glyph_cache
                    .entry(key)
                    .or_insert_with(|| resolve(glyph))
                    .clone();
                (code, mapped, advance)
            }
            HayroGlyph::Type3(t) => {
                let (mapped, advance) = resolve(glyph);
                (t.char_code(), mapped, advance)
            }
        }
    }

    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.saturating_add(1);
        self.seq
    }

    fn finish(self, number: u32, width: f32, height: f32) -> PageText {
        let glyph_count = self.glyphs.len() as u32;
        let invisible_glyphs = self.glyphs.iter().filter(|g| g.invisible).count() as u32;
        let mut per_font: HashMap<u16, u32> = HashMap::new();
        for g in &self.glyphs {
            *per_font.entry(g.font).or_default() += 1;
        }
        let mut font_glyphs: Vec<(u16, u32)> = per_font.into_iter().collect();
        font_glyphs.sort_unstable();
        let (overlays, hidden) = find_overlays(&self.glyphs, &self.rects);
        // Text under a whiteout is invisible to a reader: it goes to the forensics, and the
        // lines keep what is printed on top.
        let visible: Vec<Glyph> = self
            .glyphs
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !hidden.contains(i))
            .map(|(_, g)| g)
            .collect();
        let (lines, overprints) = build_lines(visible);
        PageText {
            number,
            width,
            height,
            lines,
            glyph_count,
            unmapped_glyphs: self.unmapped,
            invisible_glyphs,
            images: self.images,
            font_glyphs,
            overlays,
            overprints,
        }
    }
}

impl<'a> Device<'a> for TextDevice<'_> {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, draw_mode: &DrawMode) {
        if !matches!(draw_mode, DrawMode::Fill(_) | DrawMode::FillAndStroke(..)) {
            return;
        }
        let Paint::Color(color) = &props.paint else {
            return;
        };
        let [r, g, b, a] = color.to_rgba().to_rgba8();
        if a < 250 {
            return;
        }
        let bounds = (props.transform * path.clone()).bounding_box();
        let seq = self.next_seq();
        self.rects.push(FilledRect {
            x0: bounds.x0 as f32,
            y0: bounds.y0 as f32,
            x1: bounds.x1 as f32,
            y1: bounds.y1 as f32,
            rgb: [r, g, b],
            seq,
        });
    }

    fn push_clip_path(&mut self, _: &ClipPath) {}

    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, mode: &DrawMode) {
        let invisible = matches!(mode, DrawMode::Invisible);
        let mut font: Option<u16> = None;
        for positioned in run.glyphs() {
            if self.glyphs.len() >= self.limit {
                self.over_limit = true;
                return;
            }
            let font = *font.get_or_insert_with(|| font_index(self.fonts, positioned));
            let t: Affine = props.transform * positioned.transform();
            let [a, b, c, d, e, f] = t.as_coeffs();
            let size = (c * c + d * d).sqrt() * 1000.0;
            let x_scale = (a * a + b * b).sqrt();
            // Rotated or skewed text (diagonal watermarks, vertical labels) is not table text.
            if size <= 0.0 || b.abs() > 0.05 * x_scale || c.abs() > 0.05 * d.abs().max(1e-9) {
                continue;
            }
            let (code, mapped, advance) = self.lookup(positioned);
            let width = (f64::from(advance) * x_scale) as f32;
            let seq = self.next_seq();
            // Shape identity: font, character code and advance. A digit typed in Courier
            // over Helvetica has another font or advance, even when neither font is named.
            let shape = (u64::from(font) << 48)
                ^ (u64::from(code) << 24)
                ^ u64::from(advance.to_bits()).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let mut push = |ch: char, x: f64, w: f32| {
                self.glyphs.push(Glyph {
                    ch,
                    x: x as f32,
                    y: f as f32,
                    width: w,
                    size: size as f32,
                    font,
                    shape,
                    invisible,
                    seq,
                });
            };
            match mapped {
                Mapped::Char(ch) => push(ch, e, width),
                Mapped::Text(text) => {
                    // Ligatures (fi, ffl): share the advance between the characters.
                    let chars: Vec<char> = text.chars().collect();
                    let share = width / chars.len().max(1) as f32;
                    for (i, ch) in chars.into_iter().enumerate() {
                        push(ch, e + f64::from(share) * i as f64, share);
                    }
                }
                Mapped::None => {
                    self.unmapped += 1;
                    push('\u{FFFD}', e, width);
                }
            }
        }
    }

    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {
        self.images += 1;
    }

    fn pop_clip(&mut self) {}

    fn pop_transparency_group(&mut self) {}
}

fn font_index(fonts: &FontTable, glyph: &hayro_interpret::font::PositionedGlyph<'_>) -> u16 {
    match &**glyph {
        HayroGlyph::Outline(outline) => match outline.font_data() {
            Some(data) => fonts.index(data.cache_key, || {
                data.postscript_name.unwrap_or_else(|| "unnamed".into())
            }),
            // Type1 programs carry no OpenType data to name them.
            None => fonts.index(1, || "type1".into()),
        },
        HayroGlyph::Type3(_) => fonts.index(3, || "type3".into()),
    }
}

/// Opaque rectangles drawn after glyphs they cover: a whiteout hides printed text, and
/// whatever is drawn on top of it afterwards is what the reader sees. Returns each such
/// rectangle with the text it hides, and the indices of the hidden glyphs.
fn find_overlays(
    glyphs: &[Glyph],
    rects: &[FilledRect],
) -> (Vec<(FilledRect, String)>, std::collections::HashSet<usize>) {
    // Glyphs bucketed by 16 pt bands of y, so each rectangle only looks at its own bands.
    const BAND: f32 = 16.0;
    let band = |y: f32| (y / BAND).floor() as i64;
    let mut bands: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, g) in glyphs.iter().enumerate() {
        bands.entry(band(g.y - g.size * 0.3)).or_default().push(i);
    }
    let mut found = Vec::new();
    let mut hidden = std::collections::HashSet::new();
    // A page of thousands of fills (a chart) is not a whiteout; cap the work.
    for rect in rects.iter().take(20_000) {
        if (rect.x1 - rect.x0) * (rect.y1 - rect.y0) <= 1.0 || !rect.y0.is_finite() {
            continue;
        }
        let (first, last) = (band(rect.y0), band(rect.y1).min(band(rect.y0) + 200));
        let covered: Vec<usize> = (first..=last)
            .filter_map(|b| bands.get(&b))
            .flatten()
            .copied()
            .map(|i| (i, &glyphs[i]))
            .filter(|(_, g)| g.seq < rect.seq && !g.invisible)
            .filter(|(_, g)| {
                let cx = g.x + g.width / 2.0;
                let cy = g.y - g.size * 0.3;
                cx > rect.x0 && cx < rect.x1 && cy > rect.y0 && cy < rect.y1
            })
            .map(|(i, _)| i)
            .collect();
        let mut covered = covered;
        covered.sort_unstable();
        let text: String = covered.iter().map(|&i| glyphs[i].ch).collect();
        if !text.trim().is_empty() {
            hidden.extend(covered);
            found.push((rect.clone(), text));
        }
    }
    (found, hidden)
}

fn text(bytes: Option<&[u8]>) -> Option<String> {
    let bytes = bytes?;
    let decoded = if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Ok(utf8) = std::str::from_utf8(bytes) {
        utf8.to_owned()
    } else {
        // PDFDocEncoding agrees with Latin-1 for every printable character that matters here.
        bytes.iter().map(|&b| char::from(b)).collect()
    };
    let trimmed = decoded.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

fn date(value: Option<&DateTime>) -> (Option<chrono::NaiveDateTime>, Option<i32>) {
    let Some(d) = value else {
        return (None, None);
    };
    let naive = chrono::NaiveDate::from_ymd_opt(i32::from(d.year), d.month.into(), d.day.into())
        .and_then(|day| day.and_hms_opt(d.hour.into(), d.minute.into(), d.second.into()));
    let sign = if d.utc_offset_hour < 0 { -1 } else { 1 };
    let offset = i32::from(d.utc_offset_hour) * 60 + sign * i32::from(d.utc_offset_minute);
    (naive, naive.map(|_| offset))
}
