//! A statement: who, which account, which period, every transaction, and what extraction
//! learned about the file itself (checks, confidence, forensics).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::{Amount, Currency, Transaction};

/// Everything extracted from one statement document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// The input format: `pdf`, `csv`, `json`, …
    pub format: String,
    /// Id of the layout (a data file) that read the document.
    pub layout: String,
    /// Short provider code (`mpesa`, …), as `--provider` takes it.
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_holder: Option<String>,
    /// The account number or MSISDN exactly as printed (often masked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `checking`, `savings`, `credit_card`, `loan`, `investment` or `other`, where the
    /// source says (open-banking JSON); a statement document is one account of its kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    pub currency: Currency,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The date the statement was requested or issued, when printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_date: Option<NaiveDate>,
    /// Balance before the first transaction: printed, or derived from the first row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_balance: Option<Amount>,
    /// Balance after the last transaction: printed, or the last row's balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_balance: Option<Amount>,
    /// Totals the document itself declares (M-Pesa `TOTAL:`), used as a check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_totals: Option<DeclaredTotals>,
    /// The document's own summary table, row by row, when it has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub summary: Vec<SummaryRow>,
    pub pages: Pages,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf: Option<PdfInfo>,
    /// In chronological order, whatever order the document printed them in.
    pub transactions: Vec<Transaction>,
    pub reconciliation: Reconciliation,
    pub confidence: Confidence,
    pub forensics: Forensics,
    /// How the layout-free reader read the document: what made it a statement, which
    /// evidence decided each column's role, the date order and number style chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<Reading>,
}

/// What the layout-free reader decided, and why.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// Why the document was judged a statement.
    pub statement_evidence: String,
    /// Each table's money columns: role and what decided it.
    pub columns: Vec<ColumnReading>,
    /// `day_first` or `month_first`.
    pub date_order: String,
    pub number_style: String,
    /// Where the currency came from: `document`, `issuer_list`, `caller` or `unknown`.
    pub currency_source: String,
    /// Header fields found, each with how it was found and a confidence 0–1.
    pub fields: Vec<FieldReading>,
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnReading {
    pub table: usize,
    pub role: String,
    /// `header`, `balance chain`, `header and balance chain` or `values`.
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldReading {
    pub field: String,
    /// `beside_label`, `below_label`, `issuer_list`, `metadata` or `text`.
    pub found: String,
    pub confidence: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclaredTotals {
    pub credits: Amount,
    pub debits: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRow {
    pub label: String,
    pub credits: Amount,
    pub debits: Amount,
}

/// Pages read, and pages the document says it has ("Page N of M"; else the page count).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pages {
    pub present: u32,
    pub expected: u32,
}

/// The PDF's own description of itself. Strings are as stored (decoded as UTF-8/Latin-1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfInfo {
    /// Header version, e.g. `1.4`.
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub producer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<String>,
    /// Local date-time as written, with the offset kept apart (minutes east of UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<NaiveDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date_utc_offset_minutes: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modification_date: Option<NaiveDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modification_date_utc_offset_minutes: Option<i32>,
    pub encryption: Encryption,
    /// Number of saved revisions: 1 for a file written once, more after incremental saves.
    pub revisions: u32,
}

/// The standard security handler's parameters, read from the `/Encrypt` dictionary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encryption {
    /// `none`, `RC4-40`, `RC4-128`, `AES-128`, `AES-256`, or `unknown`.
    pub algorithm: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_bits: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<i64>,
    /// True when the file opened with the empty user password (a given password that
    /// opens it is tried first, so this is false then even if the empty one would too).
    #[serde(default)]
    pub empty_user_password: bool,
}

/// Arithmetic checks over the extracted rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub credits_total: Amount,
    pub debits_total: Amount,
    /// opening + credits − debits = closing (None when a balance is unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_equation_holds: Option<bool>,
    /// The document's declared totals equal the rows' sums (None when none are declared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_totals_match: Option<bool>,
    /// Consecutive row pairs whose running balance was checked.
    pub chain_checked: u32,
    /// Rows whose printed balance is not the previous balance ± their amount.
    pub chain_breaks: Vec<ChainBreak>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainBreak {
    /// Index into `transactions` of the row whose balance breaks the chain.
    pub index: usize,
    pub page: u32,
    pub line: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub expected_balance: Amount,
    pub printed_balance: Amount,
    /// printed − expected.
    pub difference: Amount,
}

/// How far to trust the extraction, 0–1, with every reason that lowered it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Confidence {
    pub score: f64,
    pub reasons: Vec<ConfidenceReason>,
}

impl Default for Confidence {
    fn default() -> Self {
        Self {
            score: 1.0,
            reasons: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfidenceReason {
    /// Stable snake_case code.
    pub code: String,
    pub message: String,
    /// How much this reason took off the score.
    pub penalty: f64,
}

/// What the file itself reveals, for tamper checks that must also run on a Statement read
/// back from JSON (the analysis crate sees only this model).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Forensics {
    /// `%%EOF` markers in the file.
    pub eof_markers: u32,
    /// `startxref` keywords in the file.
    pub startxref_count: u32,
    /// Trailers that point at an earlier cross-reference section (`/Prev`).
    pub prev_links: u32,
    /// `table` (classic xref), `stream` (xref stream), `mixed` or `none`.
    pub xref_kind: String,
    /// Per page: size, glyph counts, fonts, images.
    pub pages: Vec<PageForensics>,
    /// The dominant font of each table column (column → font name).
    pub column_fonts: Vec<FontUse>,
    /// Cells whose font or size differs from their column's dominant one.
    pub font_outliers: Vec<FontOutlier>,
    /// Filled rectangles drawn on top of text that was already drawn (whiteouts).
    pub overlays: Vec<Overlay>,
    /// Text drawn over other text at the same place.
    pub overprints: Vec<Overprint>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageForensics {
    pub page: u32,
    pub width: f32,
    pub height: f32,
    pub glyphs: u32,
    /// Glyphs with no Unicode mapping (printed as U+FFFD).
    pub unmapped_glyphs: u32,
    /// Glyphs drawn in invisible render mode (OCR layers, hidden text).
    pub invisible_glyphs: u32,
    pub images: u32,
    pub fonts: Vec<FontUse>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FontUse {
    /// Font name (PostScript name of the embedded program; `standard:<name>` or
    /// `unknown` when the file does not name it), or a column name in `column_fonts`.
    pub name: String,
    /// For `column_fonts`, the dominant font; empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub font: String,
    pub glyphs: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FontOutlier {
    pub page: u32,
    pub line: u32,
    pub column: String,
    /// `font` (another font program), `size`, or `glyph_shape` (a character drawn with a
    /// different outline than everywhere else in the column; catches unnamed fonts).
    pub reason: String,
    pub text: String,
    pub font: String,
    pub size: f32,
    pub column_font: String,
    pub column_size: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overlay {
    pub page: u32,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    /// Fill colour as `#rrggbb`.
    pub color: String,
    /// The text underneath, in drawing order.
    pub covered_text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overprint {
    pub page: u32,
    pub x: f32,
    pub y: f32,
    /// Text drawn first.
    pub under: String,
    /// Text drawn later at the same place.
    pub over: String,
}
