//! The one engine that runs every layout over a document's lines: header fields, the
//! summary table, and the transaction table (columns anchored on the header row, rows
//! started by the layout's row-start pattern, wrapped text joined).

use rustc_hash::FxHashMap as HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use statera_model::{
    Amount, Currency, DeclaredTotals, Direction, FontOutlier, FontUse, Period, SummaryRow,
    Transaction,
};

use super::spec::{ColumnRole, HeaderField, Layout, RowOrder};
use crate::ExtractError;
use crate::amount::{Marker, parse_printed};
use crate::pdf::{PageText, PdfText};
use crate::text::{Line, Word, join_words};

/// What a layout read from a document, before the checks.
#[derive(Debug, Default)]
pub struct LayoutOutput {
    pub currency: Option<Currency>,
    /// The issuer as the document names it (the layout-free reader; layouts know theirs).
    pub institution: Option<String>,
    pub account_holder: Option<String>,
    pub account_number: Option<String>,
    pub email: Option<String>,
    pub period: Option<Period>,
    pub request_date: Option<NaiveDate>,
    pub printed_opening: Option<Amount>,
    pub printed_closing: Option<Amount>,
    pub summary: Vec<SummaryRow>,
    pub declared_totals: Option<DeclaredTotals>,
    pub transactions: Vec<Transaction>,
    pub pages_expected: u32,
    /// Rows that started but could not be read: (page, line, text, why).
    pub unreadable_rows: Vec<(u32, u32, String, String)>,
    /// Lines inside a table that belong to no row: (page, line, text).
    pub stray_lines: Vec<(u32, u32, String)>,
    pub column_fonts: Vec<FontUse>,
    pub font_outliers: Vec<FontOutlier>,
}

/// True when the layout's detection phrases are on the first page with text.
pub fn detects(layout: &Layout, pdf: &PdfText) -> bool {
    detects_spec(&layout.spec, pdf)
}

/// [`detects`] on a layout's spec, before its patterns are compiled.
pub fn detects_spec(spec: &super::spec::LayoutSpec, pdf: &PdfText) -> bool {
    let Some(first) = pdf.pages.iter().find(|p| !p.lines.is_empty()) else {
        return false;
    };
    let text = first
        .lines
        .iter()
        .map(Line::text)
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    let detect = &spec.detect;
    detect.all.iter().all(|p| text.contains(&p.to_lowercase()))
        && (detect.any.is_empty() || detect.any.iter().any(|p| text.contains(&p.to_lowercase())))
}

/// Runs `layout` over the document. `fallback_currency` is used when the layout detects
/// the currency and the document names none.
pub fn run(
    layout: &Layout,
    pdf: &PdfText,
    fallback_currency: Option<Currency>,
) -> Result<LayoutOutput, ExtractError> {
    let currency = match layout.spec.currency.as_str() {
        "detect" => detect_currency(pdf).or(fallback_currency).ok_or_else(|| {
            ExtractError::UnsupportedLayout(
                "the statement names no currency Statera recognises; give one (--currency)".into(),
            )
        })?,
        code => {
            Currency::parse(code).map_err(|e| ExtractError::UnsupportedLayout(e.to_string()))?
        }
    };
    let scale = currency.minor_units();
    let mut out = LayoutOutput {
        currency: Some(currency),
        pages_expected: check_page_numbers(layout, &pdf.pages)?,
        ..LayoutOutput::default()
    };

    // The header block and summary sit above the first table header.
    let mut header_lines: Vec<&Line> = Vec::new();
    let mut table: Option<TableHeader> = None;
    let mut rows: Vec<RawRow> = Vec::new();
    let mut seen_header = false;
    for page in &pdf.pages {
        let found = page
            .lines
            .iter()
            .enumerate()
            .filter(|(_, line)| label_word_count(layout, line) > 0)
            .find_map(|(i, _)| match_header(layout, &page.lines, i).map(|h| (i, h)));
        let start = match found {
            Some((index, header)) => {
                if !seen_header {
                    header_lines.extend(page.lines[..index].iter());
                    seen_header = true;
                }
                let skip_to = header.last_line + 1;
                table = Some(header);
                skip_to
            }
            None if !seen_header => {
                header_lines.extend(page.lines.iter());
                continue;
            }
            None => 0,
        };
        let Some(header) = table.as_ref() else {
            continue;
        };
        read_rows(
            layout,
            scale,
            page,
            start,
            header,
            &mut rows,
            &mut out.stray_lines,
        );
    }
    if !seen_header {
        return Err(ExtractError::UnsupportedLayout(format!(
            "the {} layout's table header was not found",
            layout.spec.id
        )));
    }

    read_header_fields(layout, &header_lines, scale, &mut out);
    if let Some(summary) = &layout.spec.summary {
        read_summary(summary, &header_lines, scale, &mut out);
    }
    fonts_by_column(&rows, &pdf.fonts, &mut out);

    let formats = date_formats_for(layout, &rows, out.period);
    let mut last_date: Option<NaiveDate> = None;
    let mut any_sign = false;
    for row in rows {
        match to_outcome(layout, &row, scale, out.period, last_date, &formats) {
            Ok(RowOutcome::Transaction(t, signed)) => {
                any_sign |= signed;
                last_date = Some(t.date);
                out.transactions.push(t);
            }
            Ok(RowOutcome::Opening(balance)) => {
                out.printed_opening.get_or_insert(balance);
                // "1 Mar  Start balance": later rows of that day print no date.
                let text = row.cell(ColumnRole::Date);
                if let Some(date) = formats
                    .iter()
                    .find_map(|f| parse_date(&text, f, out.period))
                {
                    last_date = Some(date);
                }
            }
            Ok(RowOutcome::Closing(balance)) => out.printed_closing = Some(balance),
            Err(why) => out
                .unreadable_rows
                .push((row.page, row.line, row.text(), why)),
        }
    }
    if layout.spec.order == RowOrder::NewestFirst {
        out.transactions.reverse();
    }
    if !any_sign && layout.has_role(ColumnRole::Amount) {
        directions_from_balances(&mut out.transactions, out.printed_opening);
    }
    Ok(out)
}

/// The date format of this document: of the layout's formats, the first that reads every
/// row's date (so `03/04` is day-first or month-first by the whole document, not by
/// itself). Falls back to trying each format per row.
fn date_formats_for(layout: &Layout, rows: &[RawRow], period: Option<Period>) -> Vec<String> {
    let formats = &layout.spec.table.datetime_formats;
    if formats.len() < 2 || !rows.iter().any(|r| r.has(ColumnRole::Date)) {
        return formats.clone();
    }
    let dates: Vec<String> = rows
        .iter()
        .filter(|r| r.kind == RowKind::Transaction && r.has(ColumnRole::Date))
        .map(|r| r.cell(ColumnRole::Date))
        .collect();
    formats
        .iter()
        .find(|f| dates.iter().all(|d| parse_date(d, f, period).is_some()))
        .map(|f| vec![f.clone()])
        .unwrap_or_else(|| formats.clone())
}

/// For a single unsigned amount column, rows in time order: a row is a debit when the
/// balance fell by its amount and a credit when it rose by it (the layout-free reader
/// uses it too).
pub(crate) fn directions_from_balances(transactions: &mut [Transaction], opening: Option<Amount>) {
    let mut previous = opening.or_else(|| {
        let first = transactions.first()?;
        let balance = first.balance?;
        // Without an opening balance the first row's direction stays as read.
        balance.checked_sub(first.signed_amount())
    });
    for t in transactions.iter_mut() {
        if let (Some(before), Some(after)) = (previous, t.balance) {
            if before.checked_sub(t.amount) == Some(after) {
                t.direction = Direction::Debit;
            } else if before.checked_add(t.amount) == Some(after) {
                t.direction = Direction::Credit;
            }
        }
        previous = t
            .balance
            .or_else(|| previous?.checked_add(t.signed_amount()));
    }
}

/// A currency named on the first page with text: an ISO code standing alone, or a symbol.
fn detect_currency(pdf: &PdfText) -> Option<Currency> {
    let page = pdf.pages.iter().find(|p| !p.lines.is_empty())?;
    const CODES: &[&str] = &[
        "KES", "NGN", "USD", "GBP", "EUR", "UGX", "TZS", "RWF", "ZAR", "GHS", "ZMW", "XOF", "XAF",
        "EGP", "MAD", "INR", "CAD", "AUD",
    ];
    const SYMBOLS: &[(&str, &str)] = &[
        ("₦", "NGN"),
        ("£", "GBP"),
        ("€", "EUR"),
        ("KSh", "KES"),
        ("$", "USD"),
    ];
    let words: Vec<&str> = page
        .lines
        .iter()
        .flat_map(|l| l.words.iter())
        .map(|w| w.text.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    if let Some(code) = words.iter().find(|w| CODES.contains(w)) {
        return Currency::parse(code).ok();
    }
    let text: String = page
        .lines
        .iter()
        .map(Line::text)
        .collect::<Vec<_>>()
        .join(" ");
    SYMBOLS
        .iter()
        .find(|(symbol, _)| text.contains(symbol))
        .and_then(|(_, code)| Currency::parse(code).ok())
}

/// "Page N of M" on the pages: the expected page count, or `missing_pages`.
fn check_page_numbers(layout: &Layout, pages: &[PageText]) -> Result<u32, ExtractError> {
    let present = pages.len() as u32;
    let Some(pattern) = &layout.page_numbers else {
        return Ok(present);
    };
    let mut numbers = Vec::new();
    let mut expected = 0u32;
    for page in pages {
        // Page numbers are short lines; skip the regex on everything else.
        for line in page.lines.iter().filter(|l| l.words.len() <= 6) {
            if let Some(caps) = pattern.captures(&line.text()) {
                let n: u32 = caps[1].parse().unwrap_or(0);
                let m: u32 = caps[2].parse().unwrap_or(0);
                numbers.push(n);
                expected = expected.max(m);
            }
        }
    }
    if expected == 0 {
        return Ok(present);
    }
    let missing: Vec<u32> = (1..=expected).filter(|n| !numbers.contains(n)).collect();
    if !missing.is_empty() || present < expected {
        return Err(ExtractError::MissingPages {
            pages_present: present,
            pages_expected: expected,
            missing,
        });
    }
    Ok(expected.max(present))
}

/// Where each column sits, from the header row.
#[derive(Debug, Clone)]
struct TableHeader {
    /// Header label spans, left to right.
    columns: Vec<(ColumnRole, f32, f32)>,
    /// Right-edge clusters of the amounts on the current page, each with its column.
    amount_edges: Vec<(f32, f32, ColumnRole)>,
    /// Index of the header's last line on its page.
    last_line: usize,
}

impl TableHeader {
    /// The column a word belongs to. Amounts are right-aligned under headers that may be
    /// left-, centre- or right-aligned, so an amount goes to the amount column whose zone
    /// (halfway to each neighbouring header) holds its right edge. Text is left-aligned, so
    /// other words go to the last column whose header starts at or before them.
    fn column_for(&self, word: &Word, scale: u8) -> ColumnRole {
        if parse_printed(&word.text, scale).is_some() {
            let tolerance = 0.5 * word.size.max(1.0);
            if let Some((_, _, role)) = self
                .amount_edges
                .iter()
                .find(|(lo, hi, _)| word.x1 >= lo - tolerance && word.x1 <= hi + tolerance)
            {
                return *role;
            }
            for (i, (role, x0, x1)) in self.columns.iter().enumerate() {
                if !role.is_amount() {
                    continue;
                }
                let left = i
                    .checked_sub(1)
                    .map_or(f32::NEG_INFINITY, |p| (self.columns[p].2 + x0) / 2.0);
                let right = self
                    .columns
                    .get(i + 1)
                    .map_or(f32::INFINITY, |n| (x1 + n.1) / 2.0);
                if word.x1 > left && word.x1 <= right {
                    return *role;
                }
            }
        }
        let slack = 0.5 * word.size.max(1.0);
        self.columns
            .iter()
            .rev()
            .find(|(_, x0, _)| *x0 <= word.x0 + slack)
            .or(self.columns.first())
            .map(|(role, _, _)| *role)
            .unwrap_or(ColumnRole::Description)
    }
}

impl TableHeader {
    /// Clusters the right edges of the amounts in `lines` (right-aligned columns share one
    /// edge) and gives each cluster the amount column whose header ends nearest to it.
    /// Amounts far left of every amount header (figures inside a description) are ignored.
    fn with_amount_edges(&self, lines: &[Line], scale: u8) -> TableHeader {
        let amount_columns: Vec<&(ColumnRole, f32, f32)> =
            self.columns.iter().filter(|c| c.0.is_amount()).collect();
        let Some(first_amount_x0) = amount_columns.iter().map(|c| c.1).reduce(f32::min) else {
            return self.clone();
        };
        let mut edges: Vec<(f32, f32)> = lines
            .iter()
            .flat_map(|l| l.words.iter())
            .filter(|w| w.x1 > first_amount_x0 && parse_printed(&w.text, scale).is_some())
            .map(|w| (w.x1, w.size.max(1.0)))
            .collect();
        edges.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut clusters: Vec<(f32, f32)> = Vec::new();
        for (x1, size) in edges {
            match clusters.last_mut() {
                Some(cluster) if x1 - cluster.1 <= size => cluster.1 = x1,
                _ => clusters.push((x1, x1)),
            }
        }
        let mut amount_edges = Vec::new();
        for (lo, hi) in clusters {
            let middle = (lo + hi) / 2.0;
            if let Some(column) = amount_columns
                .iter()
                .min_by(|a, b| (a.2 - middle).abs().total_cmp(&(b.2 - middle).abs()))
            {
                amount_edges.push((lo, hi, column.0));
            }
        }
        TableHeader {
            columns: self.columns.clone(),
            amount_edges,
            last_line: self.last_line,
        }
    }
}

/// How many of the line's words are words of some column label: a cheap test that rules
/// out almost every line before the full header match runs.
fn label_word_count(layout: &Layout, line: &Line) -> usize {
    line.words
        .iter()
        .filter(|w| {
            let word = w.text.trim_end_matches(['.', ':']);
            layout
                .label_words
                .iter()
                .any(|l| l.eq_ignore_ascii_case(word))
        })
        .count()
}

fn normalise(word: &str) -> String {
    word.trim_end_matches(['.', ':']).to_lowercase()
}

/// Finds each column's label among `words`; returns the spans of the columns found.
fn label_spans(layout: &Layout, words: &[&Word]) -> Vec<(ColumnRole, f32, f32)> {
    let normalised: Vec<String> = words.iter().map(|w| normalise(&w.text)).collect();
    let mut used = vec![false; words.len()];
    let mut spans = Vec::new();
    for column in &layout.spec.table.columns {
        let mut labels: Vec<Vec<String>> = column
            .labels
            .iter()
            .map(|l| l.split_whitespace().map(normalise).collect())
            .collect();
        labels.sort_by_key(|l| std::cmp::Reverse(l.len()));
        // An `other` entry stands for every unused column its labels name (value date,
        // branch, channel); any other role is one column.
        let many = column.role == ColumnRole::Other;
        'labels: for label in labels {
            if label.is_empty() || label.len() > words.len() {
                continue;
            }
            for start in 0..=words.len() - label.len() {
                let range = start..start + label.len();
                if used[range.clone()].iter().any(|u| *u) || normalised[range.clone()] != label[..]
                {
                    continue;
                }
                used[range.clone()].iter_mut().for_each(|u| *u = true);
                spans.push((column.role, words[start].x0, words[range.end - 1].x1));
                if many {
                    continue 'labels;
                }
                break 'labels;
            }
        }
    }
    spans
}

/// A header row at `lines[index]`, possibly continued on the next line (stacked labels).
fn match_header(layout: &Layout, lines: &[Line], index: usize) -> Option<TableHeader> {
    let line = &lines[index];
    let required: Vec<ColumnRole> = layout
        .spec
        .table
        .columns
        .iter()
        .filter(|c| c.required)
        .map(|c| c.role)
        .collect();
    let complete =
        |spans: &[(ColumnRole, f32, f32)]| required.iter().all(|r| spans.iter().any(|s| s.0 == *r));

    let words: Vec<&Word> = line.words.iter().collect();
    let mut spans = label_spans(layout, &words);
    let mut last_line = index;
    if !complete(&spans) {
        let next = lines.get(index + 1)?;
        if next.y - line.y > 1.6 * line.size.max(1.0) {
            return None;
        }
        let mut merged: Vec<&Word> = line.words.iter().chain(next.words.iter()).collect();
        merged.sort_by(|a, b| a.x0.total_cmp(&b.x0).then(a.y.total_cmp(&b.y)));
        spans = label_spans(layout, &merged);
        if !complete(&spans) {
            return None;
        }
        last_line = index + 1;
    }
    // Lines just under the header that start no row are the rest of wrapped labels.
    while let Some(next) = lines.get(last_line + 1) {
        if next.y - lines[last_line].y > 1.3 * line.size.max(1.0) {
            break;
        }
        let first_is_row_start = next
            .words
            .first()
            .is_some_and(|w| layout.row_start.is_match(&w.text));
        if first_is_row_start {
            break;
        }
        last_line += 1;
    }
    if !spans.iter().any(|s| {
        matches!(
            s.0,
            ColumnRole::Credit | ColumnRole::Debit | ColumnRole::Amount
        )
    }) {
        return None;
    }
    spans.sort_by(|a, b| a.1.total_cmp(&b.1));
    Some(TableHeader {
        columns: spans,
        amount_edges: Vec::new(),
        last_line,
    })
}

/// A table row before interpretation: its words by column.
#[derive(Debug)]
struct RawRow<'a> {
    kind: RowKind,
    page: u32,
    line: u32,
    last_y: f32,
    cells: Cells<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Transaction,
    /// A `Balance B/F`-style row: its balance is the opening balance.
    Opening,
    /// An `Ending Balance`-style row: its balance is the closing balance.
    Closing,
}

/// What a row turned out to be.
enum RowOutcome {
    /// The transaction, and whether its direction came from an explicit sign or column.
    Transaction(Transaction, bool),
    Opening(Amount),
    Closing(Amount),
}

/// Words by column, indexed by [`ColumnRole::index`].
type Cells<'a> = [Vec<&'a Word>; ColumnRole::COUNT];

impl<'a> RawRow<'a> {
    fn cell(&self, role: ColumnRole) -> String {
        join_words(self.cells[role.index()].iter().copied())
    }

    fn has(&self, role: ColumnRole) -> bool {
        !self.cells[role.index()].is_empty()
    }

    /// The non-empty columns with their words.
    fn columns(&self) -> impl Iterator<Item = (ColumnRole, &[&'a Word])> {
        ColumnRole::ALL
            .iter()
            .map(|role| (*role, self.cells[role.index()].as_slice()))
            .filter(|(_, words)| !words.is_empty())
    }

    fn text(&self) -> String {
        let mut words: Vec<&Word> = self.cells.iter().flatten().copied().collect();
        words.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
        join_words(words)
    }
}

fn read_rows<'a>(
    layout: &Layout,
    scale: u8,
    page: &'a PageText,
    start: usize,
    header: &TableHeader,
    rows: &mut Vec<RawRow<'a>>,
    stray: &mut Vec<(u32, u32, String)>,
) {
    let table = &layout.spec.table;
    let body: &[Line] = page.lines.get(start..).unwrap_or_default();
    let end = body
        .iter()
        .position(|l| {
            let text = l.text();
            layout.stop.iter().any(|p| p.is_match(&text))
        })
        .unwrap_or(body.len());
    let header = &header.with_amount_edges(&body[..end], scale);
    let mut current: Option<usize> = None;
    for line in &body[..end] {
        let text = line.text();
        if layout.furniture.iter().any(|p| p.is_match(&text)) {
            continue;
        }
        // A repeated header row inside the page (some producers repeat it per block).
        if match_header_words(layout, line) {
            current = None;
            continue;
        }
        let mut cells: Cells<'a> = Default::default();
        for word in &line.words {
            cells[header.column_for(word, scale).index()].push(word);
        }
        let starts_row = cells[table.row_start_column.index()]
            .first()
            .is_some_and(|w| layout.row_start.is_match(&w.text));
        let description = join_words(cells[ColumnRole::Description.index()].iter().copied());
        let is = |patterns: &[regex::Regex]| {
            patterns
                .iter()
                .any(|p| p.is_match(&description) || p.is_match(&text))
        };
        let kind = if is(&layout.opening_rows) {
            RowKind::Opening
        } else if is(&layout.closing_rows) {
            RowKind::Closing
        } else {
            RowKind::Transaction
        };
        let has_amount = [ColumnRole::Credit, ColumnRole::Debit, ColumnRole::Amount]
            .iter()
            .any(|r| {
                let text = join_words(cells[r.index()].iter().copied());
                !text.is_empty() && parse_printed(&text, scale).is_some()
            });
        // Date printed once per day: an amount without a date is the next row of that day,
        // unless the current row is still waiting for its amount (wrapped first line).
        let current_has_amount = current.is_some_and(|i| {
            rows[i].kind != RowKind::Transaction
                || [ColumnRole::Credit, ColumnRole::Debit, ColumnRole::Amount]
                    .iter()
                    .any(|r| rows[i].has(*r))
        });
        let carried = table.carry_date && has_amount && current_has_amount;
        if starts_row || carried || kind != RowKind::Transaction {
            rows.push(RawRow {
                kind,
                page: page.number,
                line: line.number,
                last_y: line.y,
                cells,
            });
            current = Some(rows.len() - 1);
            continue;
        }
        match current.map(|i| &mut rows[i]) {
            Some(row) if line.y - row.last_y <= table.max_line_gap * line.size.max(1.0) => {
                row.last_y = line.y;
                for (all, more) in row.cells.iter_mut().zip(cells) {
                    all.extend(more);
                }
            }
            // Text without an amount outside any row is a title, a footer or a note;
            // a line with an amount that starts no row is a row Statera failed to read.
            _ if has_amount => stray.push((page.number, line.number, text)),
            _ => {}
        }
    }
}

fn match_header_words(layout: &Layout, line: &Line) -> bool {
    if label_word_count(layout, line) < 3 {
        return false;
    }
    let words: Vec<&Word> = line.words.iter().collect();
    let spans = label_spans(layout, &words);
    spans.len() >= 3 && spans.len() * 2 > layout.spec.table.columns.len()
}

fn to_outcome(
    layout: &Layout,
    row: &RawRow,
    scale: u8,
    period: Option<Period>,
    last_date: Option<NaiveDate>,
    date_formats: &[String],
) -> Result<RowOutcome, String> {
    let table = &layout.spec.table;
    if row.kind != RowKind::Transaction {
        // The balance column, else the only amount printed on the row.
        let value = [
            ColumnRole::Balance,
            ColumnRole::Amount,
            ColumnRole::Credit,
            ColumnRole::Debit,
        ]
        .into_iter()
        .map(|r| row.cell(r))
        .find(|t| !t.is_empty())
        .and_then(|t| signed(&t, scale))
        .ok_or("a balance row without a readable balance")?;
        return Ok(if row.kind == RowKind::Opening {
            RowOutcome::Opening(value)
        } else {
            RowOutcome::Closing(value)
        });
    }
    let (date, time) = if row.has(ColumnRole::Datetime) {
        let text = row.cell(ColumnRole::Datetime);
        let parsed = table
            .datetime_formats
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok())
            .ok_or_else(|| format!("unreadable date and time {text:?}"))?;
        (parsed.date(), Some(parsed.time()))
    } else {
        let text = row.cell(ColumnRole::Date);
        let date = if text.is_empty() && table.carry_date {
            last_date.ok_or("a row without a date before any dated row")?
        } else {
            date_formats
                .iter()
                .find_map(|f| parse_date(&text, f, period))
                .ok_or_else(|| format!("unreadable date {text:?}"))?
        };
        (date, None)
    };

    let amount_in = |role: ColumnRole| -> Result<Option<crate::amount::PrintedAmount>, String> {
        let text = row.cell(role);
        if text.is_empty() {
            return Ok(None);
        }
        parse_printed(&text, scale)
            .map(Some)
            .ok_or_else(|| format!("unreadable {} amount {text:?}", role.name()))
    };
    let credit = amount_in(ColumnRole::Credit)?;
    let debit = amount_in(ColumnRole::Debit)?;
    let single = amount_in(ColumnRole::Amount)?;
    let explicit = credit.is_some_and(|c| !c.value.is_zero())
        || debit.is_some_and(|d| !d.value.is_zero())
        || single.is_some_and(|a| a.negative || a.marker.is_some());
    let (amount, direction) = match (credit, debit, single) {
        (Some(c), Some(d), _) if !c.value.is_zero() && !d.value.is_zero() => {
            return Err("amounts in both the credit and the debit column".into());
        }
        (Some(c), _, _) if !c.value.is_zero() => (c.value, Direction::Credit),
        (_, Some(d), _) if !d.value.is_zero() => (d.value, Direction::Debit),
        (_, _, Some(a)) => {
            let debit = match a.marker {
                Some(Marker::Debit) => true,
                Some(Marker::Credit) => false,
                None => a.negative,
            };
            (
                a.value,
                if debit {
                    Direction::Debit
                } else {
                    Direction::Credit
                },
            )
        }
        // A printed zero (M-Pesa's `M-Shwari Loan Request 0.00`) is a zero-amount row,
        // kept as a credit of zero whichever column printed it.
        (Some(zero), _, _) | (_, Some(zero), _) => (zero.value, Direction::Credit),
        (None, None, None) => return Err("no amount".into()),
    };
    let balance = amount_in(ColumnRole::Balance)?.map(|b| b.signed());
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    Ok(RowOutcome::Transaction(
        Transaction {
            date,
            time,
            reference: non_empty(row.cell(ColumnRole::Reference)),
            description: row.cell(ColumnRole::Description),
            status: non_empty(row.cell(ColumnRole::Status)),
            amount,
            direction,
            balance,
            page: row.page,
            line: row.line,
        },
        explicit,
    ))
}

/// Parses a date with `format`. A format without a year (`%m/%d`, `%d %b`) takes the year
/// that puts the date inside the statement period, so a December–January statement's
/// `12/28` is the earlier year and `01/03` the later one.
pub fn parse_date(text: &str, format: &str, period: Option<Period>) -> Option<NaiveDate> {
    let text = text.trim();
    if format.contains("%Y") || format.contains("%y") {
        return NaiveDate::parse_from_str(text, format).ok();
    }
    let with_year = format!("{format} %Y");
    let parse = |year: i32| NaiveDate::parse_from_str(&format!("{text} {year}"), &with_year).ok();
    let period = period?;
    let (first, second) = (period.start.year(), period.end.year());
    let slack = chrono::Duration::days(7);
    [first, second]
        .into_iter()
        .filter_map(parse)
        .find(|d| *d >= period.start - slack && *d <= period.end + slack)
        .or_else(|| parse(second))
}

/// "01/01/2024 - 31/03/2024", "January 15, 2024 through February 14, 2024", or
/// "1 Mar - 31 Mar 2024" (the start leaving its year to the end).
fn parse_period(field: &HeaderField, text: &str) -> Option<Period> {
    let date = |text: &str| {
        field
            .date_format
            .iter()
            .chain(field.date_formats.iter())
            .find_map(|f| NaiveDate::parse_from_str(text.trim(), f).ok())
    };
    let separators: Vec<&str> = match &field.period_separator {
        Some(one) => vec![one.as_str()],
        None => vec![" - ", " – ", " to ", " through ", " TO "],
    };
    let (a, b) = separators.iter().find_map(|sep| text.split_once(sep))?;
    let end = date(b)?;
    let start = date(a).or_else(|| date(&format!("{} {}", a.trim(), end.year())))?;
    (start <= end).then_some(Period { start, end })
}

fn read_header_fields(layout: &Layout, lines: &[&Line], scale: u8, out: &mut LayoutOutput) {
    // A period printed without a label ("January 15, 2024 through February 14, 2024").
    if let Some(field) = layout.spec.header.iter().find(|f| f.field == "period") {
        out.period = lines.iter().find_map(|l| parse_period(field, &l.text()));
    }
    let all_labels: Vec<&str> = layout
        .spec
        .header
        .iter()
        .flat_map(|f| f.labels.iter().map(String::as_str))
        .collect();
    for field in &layout.spec.header {
        let Some(value) = find_labelled(field, lines, &all_labels) else {
            continue;
        };
        let date = |text: &str| {
            field
                .date_format
                .iter()
                .chain(field.date_formats.iter())
                .find_map(|f| NaiveDate::parse_from_str(text.trim(), f).ok())
        };
        match field.field.as_str() {
            "account_holder" => out.account_holder = Some(value),
            "account_number" => out.account_number = Some(value),
            "email" => out.email = Some(value),
            "request_date" => out.request_date = date(&value),
            "period" => out.period = parse_period(field, &value),
            "opening_balance" => out.printed_opening = signed(&value, scale),
            "closing_balance" => out.printed_closing = signed(&value, scale),
            "total_debits" | "total_credits" => {
                if let Some(total) = signed(&value, scale).and_then(|a| a.checked_abs()) {
                    let totals = out.declared_totals.get_or_insert(DeclaredTotals {
                        credits: Amount::zero(scale),
                        debits: Amount::zero(scale),
                    });
                    if field.field == "total_debits" {
                        totals.debits = total;
                    } else {
                        totals.credits = total;
                    }
                }
            }
            _ => {}
        }
    }
}

fn signed(text: &str, scale: u8) -> Option<Amount> {
    parse_printed(text, scale).map(|p| p.signed())
}

/// The value after a label: the rest of the label's cell, or the next cell on the line.
/// The value after a label: the rest of the label's cell; else the next cell on the line,
/// unless that is another label; else the cell just below the label (summary boxes print
/// labels in one row and values in the next).
fn find_labelled(field: &HeaderField, lines: &[&Line], all_labels: &[&str]) -> Option<String> {
    let is_label = |text: &str| {
        text.ends_with(':')
            || all_labels.iter().any(|l| {
                l.trim_end_matches(':')
                    .eq_ignore_ascii_case(text.trim_end_matches(':'))
            })
    };
    for (index, line) in lines.iter().enumerate() {
        let cells = line.cells();
        for (i, cell) in cells.iter().enumerate() {
            for label in &field.labels {
                let Some(rest) = strip_prefix_ignore_case(&cell.text, label) else {
                    continue;
                };
                let rest = rest.trim();
                if !rest.is_empty() {
                    return Some(rest.to_owned());
                }
                if let Some(next) = cells.get(i + 1).filter(|c| !is_label(&c.text)) {
                    return Some(next.text.clone());
                }
                let below = lines
                    .get(index + 1)
                    .filter(|next| next.y - line.y <= 2.5 * line.size.max(1.0))
                    .and_then(|next| {
                        next.cells()
                            .into_iter()
                            .find(|c| c.x0 < cell.x1 && c.x1 > cell.x0 && !is_label(&c.text))
                    });
                if let Some(value) = below {
                    return Some(value.text);
                }
            }
        }
    }
    None
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn read_summary(
    summary: &super::spec::Summary,
    lines: &[&Line],
    scale: u8,
    out: &mut LayoutOutput,
) {
    let header = summary
        .header
        .iter()
        .map(|h| h.to_lowercase())
        .collect::<Vec<_>>();
    let Some(start) = lines.iter().position(|l| {
        let text = l.text().to_lowercase();
        header.iter().all(|h| text.contains(h))
    }) else {
        return;
    };
    for line in &lines[start + 1..] {
        let words = &line.words;
        let amounts: Vec<Amount> = words
            .iter()
            .filter_map(|w| parse_printed(&w.text, scale).map(|p| p.value))
            .collect();
        let label_words: Vec<&Word> = words
            .iter()
            .take_while(|w| parse_printed(&w.text, scale).is_none())
            .collect();
        let label = join_words(label_words);
        if amounts.len() != 2 || !label.ends_with(':') {
            continue;
        }
        let row = SummaryRow {
            label: label.trim_end_matches(':').trim().to_owned(),
            credits: amounts[0],
            debits: amounts[1],
        };
        let is_total = label.eq_ignore_ascii_case(&summary.total_label);
        out.summary.push(row);
        if is_total {
            out.declared_totals = Some(DeclaredTotals {
                credits: amounts[0],
                debits: amounts[1],
            });
            break;
        }
    }
}

/// Each column's dominant font and size, and the cells that differ from it: an amount
/// typed over a genuine statement usually comes in another font or size.
fn fonts_by_column(rows: &[RawRow], fonts: &[String], out: &mut LayoutOutput) {
    let font_name = |i: u16| {
        fonts
            .get(usize::from(i))
            .cloned()
            .unwrap_or_else(|| "unknown".into())
    };
    let size_key = |size: f32| (size * 10.0).round() as i32;
    let mut counts: HashMap<ColumnRole, HashMap<(u16, i32), u32>> = HashMap::default();
    for row in rows {
        for (role, words) in row.columns() {
            for word in words {
                *counts
                    .entry(role)
                    .or_default()
                    .entry((word.font, size_key(word.size)))
                    .or_default() += word.text.chars().count() as u32;
            }
        }
    }
    let mut dominant: HashMap<ColumnRole, (u16, i32)> = HashMap::default();
    let mut roles: Vec<ColumnRole> = counts.keys().copied().collect();
    roles.sort_by_key(|r| r.name());
    for role in roles {
        let by_font = &counts[&role];
        if let Some((&key, _)) = by_font
            .iter()
            .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
        {
            dominant.insert(role, key);
            out.column_fonts.push(FontUse {
                name: role.name().to_owned(),
                font: font_name(key.0),
                glyphs: by_font.values().sum(),
            });
        }
    }
    // The usual outline of each character in each column.
    let mut shapes: HashMap<(ColumnRole, char), HashMap<u64, u32>> = HashMap::default();
    for row in rows {
        for (role, words) in row.columns() {
            for word in words {
                for (ch, shape) in word.text.chars().zip(&word.shapes) {
                    *shapes
                        .entry((role, ch))
                        .or_default()
                        .entry(*shape)
                        .or_default() += 1;
                }
            }
        }
    }
    let usual_shape: HashMap<(ColumnRole, char), u64> = shapes
        .into_iter()
        .filter_map(|(key, counts)| {
            let (shape, _) = counts
                .into_iter()
                .max_by_key(|(s, n)| (*n, std::cmp::Reverse(*s)))?;
            Some((key, shape))
        })
        .collect();
    for row in rows {
        for (role, words) in row.columns() {
            // Descriptions legitimately mix styles; amounts, dates and references do not.
            if role == ColumnRole::Description {
                continue;
            }
            let Some(&(font, size)) = dominant.get(&role) else {
                continue;
            };
            let odd = words.iter().find_map(|w| {
                if w.font != font {
                    Some((w, "font"))
                } else if (size_key(w.size) - size).abs() > 5 {
                    Some((w, "size"))
                } else {
                    w.text
                        .chars()
                        .zip(&w.shapes)
                        .any(|(ch, shape)| usual_shape.get(&(role, ch)) != Some(shape))
                        .then_some((w, "glyph_shape"))
                }
            });
            if let Some((odd, reason)) = odd {
                out.font_outliers.push(FontOutlier {
                    page: row.page,
                    line: row.line,
                    column: role.name().to_owned(),
                    reason: reason.to_owned(),
                    text: join_words(words.iter().copied()),
                    font: font_name(odd.font),
                    size: odd.size,
                    column_font: font_name(font),
                    column_size: size as f32 / 10.0,
                });
            }
        }
    }
    out.font_outliers
        .sort_by(|a, b| (a.page, a.line, &a.column).cmp(&(b.page, b.line, &b.column)));
}
