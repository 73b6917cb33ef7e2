//! A layout is data: how to recognise a statement, where its header fields and columns are,
//! what starts a row, how dates and signs are written, and which page furniture to drop.
//! Layouts live in `layouts/*.toml`; one engine ([`super::engine`]) runs them all.

use regex::Regex;
use serde::Deserialize;

/// A layout as written in TOML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutSpec {
    pub id: String,
    pub provider: String,
    pub institution: Option<String>,
    /// ISO 4217 code, or `detect` to read it from the first page (a code or symbol).
    pub currency: String,
    /// `newest_first` or `oldest_first`: the order rows are printed in.
    pub order: RowOrder,
    pub detect: Detect,
    #[serde(default)]
    pub header: Vec<HeaderField>,
    pub summary: Option<Summary>,
    pub table: Table,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOrder {
    NewestFirst,
    OldestFirst,
}

/// Phrases that identify the statement (case-insensitive, in the first page's text).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detect {
    /// Every one of these must appear.
    #[serde(default)]
    pub all: Vec<String>,
    /// At least one of these must appear (when any are given).
    #[serde(default)]
    pub any: Vec<String>,
}

/// A labelled value in the header block (`Customer Name: JANE DOE`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderField {
    /// `account_holder`, `account_number`, `email`, `period`, `request_date`,
    /// `opening_balance`, `closing_balance`, `total_debits` or `total_credits`.
    pub field: String,
    pub labels: Vec<String>,
    /// chrono format of a date; a period is two dates joined by `period_separator`.
    pub date_format: Option<String>,
    /// Several formats, tried in order (for layouts that cover many issuers).
    #[serde(default)]
    pub date_formats: Vec<String>,
    pub period_separator: Option<String>,
}

/// The document's own totals table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Words that announce the summary table's header row.
    pub header: Vec<String>,
    /// The label of the totals row (`TOTAL:`).
    pub total_label: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub columns: Vec<Column>,
    /// The column whose first word starts a row, and the pattern that word must match.
    pub row_start_column: ColumnRole,
    pub row_start_pattern: String,
    /// chrono formats tried in order for the `datetime` or `date` column.
    pub datetime_formats: Vec<String>,
    /// Lines starting with one of these patterns end the table on their page.
    #[serde(default)]
    pub stop: Vec<String>,
    /// Lines matching these patterns are dropped wherever they are.
    #[serde(default)]
    pub furniture: Vec<String>,
    /// `Page N of M`: two captures, the page number and the page count.
    pub page_numbers: Option<String>,
    /// Banks that print the date once per day: a line with an amount and no date starts
    /// a new row on the last date.
    #[serde(default)]
    pub carry_date: bool,
    /// Rows (matched on their text) that carry the opening balance, not a transaction
    /// (`Balance B/F`, `Beginning Balance`).
    #[serde(default)]
    pub opening_rows: Vec<String>,
    /// Rows that carry the closing balance (`Ending Balance`, `Closing Balance`).
    #[serde(default)]
    pub closing_rows: Vec<String>,
    /// A continuation line further below the previous line than this many font sizes
    /// does not belong to the row (it is footer or stray text).
    #[serde(default = "default_max_line_gap")]
    pub max_line_gap: f32,
}

fn default_max_line_gap() -> f32 {
    2.5
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub role: ColumnRole,
    /// Header labels, any of which names this column (matched word by word, ignoring
    /// case and trailing `.`/`:`).
    pub labels: Vec<String>,
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnRole {
    Reference,
    Datetime,
    Date,
    Description,
    Status,
    Credit,
    Debit,
    Amount,
    Balance,
    /// A column the statement has and Statera does not use (value date, branch): named
    /// so its words do not spill into a neighbour.
    Other,
}

impl ColumnRole {
    pub const COUNT: usize = 10;
    pub const ALL: [ColumnRole; Self::COUNT] = [
        Self::Reference,
        Self::Datetime,
        Self::Date,
        Self::Description,
        Self::Status,
        Self::Credit,
        Self::Debit,
        Self::Amount,
        Self::Balance,
        Self::Other,
    ];

    /// Position in [`Self::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Columns that hold money (right-aligned in every statement seen).
    pub fn is_amount(self) -> bool {
        matches!(
            self,
            Self::Credit | Self::Debit | Self::Amount | Self::Balance
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Reference => "reference",
            Self::Datetime => "datetime",
            Self::Date => "date",
            Self::Description => "description",
            Self::Status => "status",
            Self::Credit => "credit",
            Self::Debit => "debit",
            Self::Amount => "amount",
            Self::Balance => "balance",
            Self::Other => "other",
        }
    }
}

/// A layout ready to run: patterns compiled once.
#[derive(Debug, Clone)]
pub struct Layout {
    pub spec: LayoutSpec,
    pub row_start: Regex,
    pub stop: Vec<Regex>,
    pub furniture: Vec<Regex>,
    pub page_numbers: Option<Regex>,
    pub opening_rows: Vec<Regex>,
    pub closing_rows: Vec<Regex>,
    /// Every word of every column label, without trailing `.`/`:`.
    pub label_words: Vec<String>,
}

/// A layout file that does not parse or compile.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    #[error("layout {name}: {source}")]
    Toml {
        name: String,
        source: Box<toml::de::Error>,
    },
    #[error("layout {name}: bad pattern {pattern:?}: {source}")]
    Pattern {
        name: String,
        pattern: String,
        source: Box<regex::Error>,
    },
    #[error("layout {name}: {problem}")]
    Invalid { name: String, problem: String },
}

impl Layout {
    /// Whether the layout has a column of this role.
    pub fn has_role(&self, role: ColumnRole) -> bool {
        self.spec.table.columns.iter().any(|c| c.role == role)
    }

    pub fn from_toml(name: &str, text: &str) -> Result<Self, LayoutError> {
        let spec: LayoutSpec = toml::from_str(text).map_err(|source| LayoutError::Toml {
            name: name.to_owned(),
            source: Box::new(source),
        })?;
        let compile = |pattern: &str| {
            Regex::new(pattern).map_err(|source| LayoutError::Pattern {
                name: name.to_owned(),
                pattern: pattern.to_owned(),
                source: Box::new(source),
            })
        };
        let invalid = |problem: &str| LayoutError::Invalid {
            name: name.to_owned(),
            problem: problem.to_owned(),
        };
        if spec.currency != "detect" {
            statera_model::Currency::parse(&spec.currency)
                .map_err(|_| invalid("currency is not an ISO 4217 code or `detect`"))?;
        }
        let roles: Vec<ColumnRole> = spec.table.columns.iter().map(|c| c.role).collect();
        if !roles.contains(&spec.table.row_start_column) {
            return Err(invalid("row_start_column is not one of the columns"));
        }
        let has_amount = roles.contains(&ColumnRole::Amount)
            || (roles.contains(&ColumnRole::Credit) && roles.contains(&ColumnRole::Debit));
        if !has_amount {
            return Err(invalid(
                "needs an amount column or credit and debit columns",
            ));
        }
        if !roles.contains(&ColumnRole::Date) && !roles.contains(&ColumnRole::Datetime) {
            return Err(invalid("needs a date or datetime column"));
        }
        let mut label_words: Vec<String> = spec
            .table
            .columns
            .iter()
            .flat_map(|c| c.labels.iter())
            .flat_map(|l| l.split_whitespace())
            .map(|w| w.trim_end_matches(['.', ':']).to_lowercase())
            .collect();
        label_words.sort();
        label_words.dedup();
        let compile_all = |patterns: &[String]| -> Result<Vec<Regex>, LayoutError> {
            patterns.iter().map(|p| compile(p)).collect()
        };
        Ok(Self {
            label_words,
            row_start: compile(&spec.table.row_start_pattern)?,
            stop: compile_all(&spec.table.stop)?,
            furniture: compile_all(&spec.table.furniture)?,
            opening_rows: compile_all(&spec.table.opening_rows)?,
            closing_rows: compile_all(&spec.table.closing_rows)?,
            page_numbers: spec
                .table
                .page_numbers
                .as_deref()
                .map(compile)
                .transpose()?,
            spec,
        })
    }
}

/// The layouts shipped inside the binary.
/// Bank layouts: hints tried before the layout-free reader (`reader/`).
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "mpesa_full_statement",
        include_str!("../../layouts/mpesa_full_statement.toml"),
    ),
    (
        "equity_bank_ke",
        include_str!("../../layouts/equity_bank_ke.toml"),
    ),
    ("gtbank_ng", include_str!("../../layouts/gtbank_ng.toml")),
    (
        "access_bank_ng",
        include_str!("../../layouts/access_bank_ng.toml"),
    ),
    (
        "chase_us_checking",
        include_str!("../../layouts/chase_us_checking.toml"),
    ),
    (
        "barclays_uk",
        include_str!("../../layouts/barclays_uk.toml"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_layout_loads() {
        for (name, text) in BUILT_IN {
            let layout = Layout::from_toml(name, text).unwrap();
            assert_eq!(&layout.spec.id, name);
        }
    }

    #[test]
    fn a_layout_without_amounts_is_refused() {
        let text = r#"
            id = "x"
            provider = "x"
            currency = "KES"
            order = "oldest_first"
            detect = { all = ["x"] }
            [table]
            columns = [{ role = "date", labels = ["Date"] }]
            row_start_column = "date"
            row_start_pattern = "."
            datetime_formats = ["%d/%m/%Y"]
        "#;
        let error = Layout::from_toml("x", text).unwrap_err().to_string();
        assert!(error.contains("amount"), "{error}");
    }
}
