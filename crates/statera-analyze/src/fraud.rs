//! The fraud report: every signal with its severity, explanation, page and evidence, and
//! a 0–100 score (0 = nothing found). It reads only the Statement (its `forensics` and
//! `pdf` sections included), so it runs on a Statement given as JSON too.
//!
//! Signals come in two families. *Fingerprint* signals say the file does not look like the
//! issuer's own (producer, fonts, encryption, page size): expected for re-generated files,
//! weak alone. *Content* signals say the statement was changed or does not add up
//! (arithmetic, overlays, overprints, revisions, receipt numbers, duplicates): a genuine
//! statement should raise none.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use statera_model::Statement;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    fn weight(self) -> u32 {
        match self {
            Self::Low => 5,
            Self::Medium => 15,
            Self::High => 35,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Fingerprint,
    Content,
}

#[derive(Clone, Debug, Serialize)]
pub struct Signal {
    pub code: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub explanation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub evidence: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FraudReport {
    /// 0–100 over every signal (0 = nothing found).
    pub score: u32,
    /// 0–100 over content signals only: what says the statement itself was altered.
    pub content_score: u32,
    /// 0–100 over fingerprint signals only.
    pub fingerprint_score: u32,
    pub signals: Vec<Signal>,
}

#[derive(Debug, Deserialize)]
struct Rules {
    editors: Vec<String>,
    issuers: std::collections::HashMap<String, Issuer>,
}

#[derive(Debug, Default, Deserialize)]
struct Issuer {
    #[serde(default)]
    encryption: Vec<String>,
    #[serde(default)]
    page_sizes: Vec<[f32; 2]>,
    #[serde(default)]
    fonts: Vec<String>,
    #[serde(default)]
    creators: Vec<String>,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    toml::from_str(include_str!("../rules/fraud.toml")).expect("rules/fraud.toml is valid (tested)")
});

/// Examines one statement. `as_of` bounds future-dated rows.
pub fn examine(statement: &Statement, as_of: NaiveDate) -> FraudReport {
    let mut signals = Vec::new();
    fingerprint(statement, &mut signals);
    content(statement, as_of, &mut signals);
    let score_of = |family: Option<Family>| {
        signals
            .iter()
            .filter(|s| family.is_none_or(|f| s.family == f))
            .map(|s| s.severity.weight())
            .sum::<u32>()
            .min(100)
    };
    FraudReport {
        score: score_of(None),
        content_score: score_of(Some(Family::Content)),
        fingerprint_score: score_of(Some(Family::Fingerprint)),
        signals,
    }
}

fn push(
    signals: &mut Vec<Signal>,
    code: &'static str,
    family: Family,
    severity: Severity,
    explanation: String,
    page: Option<u32>,
    evidence: String,
) {
    signals.push(Signal {
        code,
        family,
        severity,
        explanation,
        page,
        evidence,
    });
}

fn fingerprint(statement: &Statement, signals: &mut Vec<Signal>) {
    let Some(pdf) = &statement.pdf else { return };
    let tools = [pdf.producer.as_deref(), pdf.creator.as_deref()];
    for tool in tools.into_iter().flatten() {
        let lower = tool.to_lowercase();
        if let Some(editor) = RULES.editors.iter().find(|e| lower.contains(e.as_str())) {
            push(
                signals,
                "editing_software",
                Family::Fingerprint,
                Severity::Medium,
                format!(
                    "The PDF was written by {tool}, a tool for creating or editing PDFs ({editor}), not by the issuer's statement system."
                ),
                None,
                tool.to_owned(),
            );
            break;
        }
    }
    let Some(issuer) = RULES.issuers.get(&statement.provider) else {
        return;
    };
    if !issuer.encryption.is_empty() && !issuer.encryption.contains(&pdf.encryption.algorithm) {
        push(
            signals,
            "encryption_unlike_issuer",
            Family::Fingerprint,
            Severity::Low,
            format!(
                "Genuine {} statements are encrypted with {}; this one uses {}.",
                statement.provider,
                issuer.encryption.join(" or "),
                pdf.encryption.algorithm
            ),
            None,
            pdf.encryption.algorithm.clone(),
        );
    }
    if !issuer.page_sizes.is_empty()
        && let Some(page) = statement.forensics.pages.iter().find(|p| {
            !issuer
                .page_sizes
                .iter()
                .any(|[w, h]| (p.width - w).abs() < 2.0 && (p.height - h).abs() < 2.0)
        })
    {
        push(
            signals,
            "page_size_unlike_issuer",
            Family::Fingerprint,
            Severity::Low,
            format!(
                "Page {} measures {:.0}×{:.0} pt, unlike the issuer's pages.",
                page.page, page.width, page.height
            ),
            Some(page.page),
            format!("{:.1}x{:.1}", page.width, page.height),
        );
    }
    if !issuer.fonts.is_empty() {
        let fonts: Vec<&str> = statement
            .forensics
            .pages
            .iter()
            .flat_map(|p| p.fonts.iter().map(|f| f.name.as_str()))
            .collect();
        if !fonts.is_empty()
            && !fonts
                .iter()
                .any(|f| issuer.fonts.iter().any(|g| f.contains(g.as_str())))
        {
            let mut names: Vec<&str> = fonts.clone();
            names.sort();
            names.dedup();
            push(
                signals,
                "fonts_unlike_issuer",
                Family::Fingerprint,
                Severity::Low,
                format!(
                    "None of the issuer's fonts ({}) is used.",
                    issuer.fonts.join(", ")
                ),
                None,
                names.join(", "),
            );
        }
    }
    if !issuer.creators.is_empty() {
        let creator = pdf.creator.as_deref().unwrap_or("");
        if !issuer
            .creators
            .iter()
            .any(|c| creator.to_lowercase().contains(&c.to_lowercase()))
        {
            push(
                signals,
                "creator_unlike_issuer",
                Family::Fingerprint,
                Severity::Low,
                format!(
                    "The Creator is not the issuer's ({}).",
                    issuer.creators.join(", ")
                ),
                None,
                creator.to_owned(),
            );
        }
    }
}

fn content(statement: &Statement, as_of: NaiveDate, signals: &mut Vec<Signal>) {
    let f = &statement.forensics;
    if let Some(pdf) = &statement.pdf {
        if pdf.revisions > 1 || f.prev_links > 0 {
            push(
                signals,
                "incremental_update",
                Family::Content,
                Severity::High,
                format!(
                    "The file was saved {} times: something was changed after it was first written.",
                    pdf.revisions
                ),
                None,
                format!("{} revisions, {} /Prev links", pdf.revisions, f.prev_links),
            );
        }
        if let (Some(created), Some(modified)) = (pdf.creation_date, pdf.modification_date)
            && (modified - created).num_seconds() > 60
        {
            push(
                signals,
                "modified_after_creation",
                Family::Content,
                Severity::Medium,
                format!("The file was modified on {modified}, after it was created on {created}."),
                None,
                format!("CreationDate {created}, ModDate {modified}"),
            );
        }
    }
    for overlay in &f.overlays {
        push(
            signals,
            "text_hidden_under_box",
            Family::Content,
            Severity::High,
            format!(
                "A {} box is drawn over printed text on page {}.",
                overlay.color, overlay.page
            ),
            Some(overlay.page),
            format!("hidden text {:?}", overlay.covered_text),
        );
    }
    for over in &f.overprints {
        push(
            signals,
            "text_drawn_over_text",
            Family::Content,
            Severity::High,
            format!("Text is printed over other text on page {}.", over.page),
            Some(over.page),
            format!("{:?} over {:?}", over.over, over.under),
        );
    }
    for outlier in &f.font_outliers {
        let amount_column = matches!(
            outlier.column.as_str(),
            "credit" | "debit" | "amount" | "balance"
        );
        push(
            signals,
            "font_change_in_column",
            Family::Content,
            if amount_column {
                Severity::High
            } else {
                Severity::Medium
            },
            format!(
                "On page {} line {}, the {} column's {:?} is set in another font or size than the rest of the column.",
                outlier.page, outlier.line, outlier.column, outlier.text
            ),
            Some(outlier.page),
            format!(
                "{} ({}) vs {} ({})",
                outlier.font, outlier.size, outlier.column_font, outlier.column_size
            ),
        );
    }
    let r = &statement.reconciliation;
    // M-Pesa leaves about 1 % of consecutive rows unexplained even on genuine statements
    // (research/formats.md §1.4), so there a few breaks are a soft signal.
    let soft = statement.provider == "mpesa"
        && (r.chain_breaks.len() as f64) <= 0.02 * f64::from(r.chain_checked.max(1));
    for b in r.chain_breaks.iter().take(10) {
        push(
            signals,
            "balance_chain_break",
            Family::Content,
            if soft { Severity::Low } else { Severity::High },
            format!(
                "On page {} line {} the printed balance is {} but the previous balance and the amount give {}.",
                b.page, b.line, b.printed_balance, b.expected_balance
            ),
            Some(b.page),
            format!("difference {}", b.difference),
        );
    }
    if r.declared_totals_match == Some(false)
        && let Some(d) = &statement.declared_totals
    {
        push(
            signals,
            "declared_totals_mismatch",
            Family::Content,
            Severity::High,
            "The statement's own totals do not equal the sum of its rows.".into(),
            None,
            format!(
                "declared in {} out {}; rows in {} out {}",
                d.credits, d.debits, r.credits_total, r.debits_total
            ),
        );
    }
    if statement.pages.present < statement.pages.expected {
        push(
            signals,
            "pages_missing",
            Family::Content,
            Severity::High,
            format!(
                "{} of {} pages are present.",
                statement.pages.present, statement.pages.expected
            ),
            None,
            format!("{}/{}", statement.pages.present, statement.pages.expected),
        );
    }
    if statement.provider == "mpesa" {
        for t in &statement.transactions {
            let Some(reference) = &t.reference else {
                continue;
            };
            if t.description.to_lowercase().contains("reversal") {
                continue;
            }
            if let Some(encoded) = receipt_date(reference)
                && encoded != t.date
            {
                push(
                    signals,
                    "receipt_date_mismatch",
                    Family::Content,
                    Severity::High,
                    format!(
                        "Receipt {reference} encodes {encoded}, but the row says {}.",
                        t.date
                    ),
                    Some(t.page),
                    format!("line {}", t.line),
                );
            }
        }
    }
    let mut seen = std::collections::HashMap::new();
    for t in &statement.transactions {
        // Identical rows, reference and second included: copied, not transacted.
        if t.reference.is_none() || t.time.is_none() {
            continue;
        }
        let key = (
            t.reference.clone(),
            t.date,
            t.time,
            t.amount,
            t.direction,
            t.description.clone(),
        );
        if let Some((page, line)) = seen.insert(key, (t.page, t.line)) {
            push(
                signals,
                "duplicate_row",
                Family::Content,
                Severity::Medium,
                format!(
                    "The row on page {} line {} repeats page {page} line {line} exactly.",
                    t.page, t.line
                ),
                Some(t.page),
                t.reference.clone().unwrap_or_default(),
            );
        }
    }
    let limit = statement.request_date.unwrap_or(as_of).max(as_of);
    if let Some(t) = statement.transactions.iter().find(|t| t.date > limit) {
        push(
            signals,
            "future_dated",
            Family::Content,
            Severity::Medium,
            format!("A transaction is dated {}, after {limit}.", t.date),
            Some(t.page),
            t.description.clone(),
        );
    }
}

/// The date an M-Pesa receipt number encodes: year (O = 2020, P = 2021, …), month (A–L),
/// day (1–9, then A = 10 … V = 31). `None` when the receipt is not of that form.
pub fn receipt_date(receipt: &str) -> Option<NaiveDate> {
    let bytes = receipt.as_bytes();
    if bytes.len() != 10
        || !bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return None;
    }
    let year = match bytes[0] {
        b @ b'O'..=b'Z' => 2020 + i32::from(b - b'O'),
        _ => return None,
    };
    let month = match bytes[1] {
        b @ b'A'..=b'L' => u32::from(b - b'A') + 1,
        _ => return None,
    };
    let day = match bytes[2] {
        b @ b'1'..=b'9' => u32::from(b - b'0'),
        b @ b'A'..=b'V' => u32::from(b - b'A') + 10,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day).filter(|d| d.year() >= 2020)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_numbers_decode_to_their_day() {
        assert_eq!(
            receipt_date("OEB44R5U3U"),
            NaiveDate::from_ymd_opt(2020, 5, 11)
        );
        assert_eq!(
            receipt_date("UAUGS12345"),
            NaiveDate::from_ymd_opt(2026, 1, 30)
        );
        assert_eq!(
            receipt_date("SA11AB3CDE"),
            NaiveDate::from_ymd_opt(2024, 1, 1)
        );
        assert_eq!(
            receipt_date("SAV7O1DBTX"),
            NaiveDate::from_ymd_opt(2024, 1, 31)
        );
        assert_eq!(receipt_date("short"), None);
        assert_eq!(receipt_date("SM11AB3CDE"), None);
    }

    #[test]
    fn the_rules_file_loads() {
        assert!(!RULES.editors.is_empty());
        assert!(RULES.issuers.contains_key("mpesa"));
    }
}
