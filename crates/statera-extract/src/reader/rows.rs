//! Stage 4, lines → rows. With the columns and their roles known, each line of a table
//! region either starts a row (a date in the date column; or, where the date is printed
//! once per day, amounts in the amount columns), completes the row above (amounts or a
//! balance printed on a wrapped line), continues its description (below the date line,
//! or above it where the document prints descriptions first), names a section (deposits,
//! withdrawals), or is a check row (totals, balances brought or carried forward), which is
//! never a transaction.

use crate::dates::PrintedDate;
use crate::money::{Marker, MoneyShape};

use super::columns::Band;
use super::regions::{DocLine, Segment};
use super::tokens::{Kind, Token};
use super::vocab::{self, Role, RowKind};

/// Where a table's columns are and what they hold.
#[derive(Clone, Debug)]
pub struct TableModel {
    /// Left edge of the date column, and how far from it a date may start.
    pub date_x: f32,
    pub date_tolerance: f32,
    pub value_date_x: Option<f32>,
    pub money: Vec<Band>,
    pub roles: Vec<Role>,
    /// Text columns by role (reference, mark, other), from the header labels.
    pub text_columns: Vec<(Role, f32, f32)>,
    /// The table's horizontal span: text outside it is not part of a row.
    pub x0: f32,
    pub x1: f32,
    /// Descriptions are printed on the line(s) above the date line.
    pub description_above: bool,
}

impl TableModel {
    fn money_band(&self, token: &Token) -> Option<usize> {
        let slack = 0.3 * token.size.max(1.0);
        self.money
            .iter()
            .position(|b| b.contains(token.x0, token.x1, slack))
    }

    fn is_row_date(&self, token: &Token) -> bool {
        token.is_date() && (token.x0 - self.date_x).abs() <= self.date_tolerance
    }

    fn is_value_date(&self, token: &Token) -> bool {
        token.is_date()
            && self
                .value_date_x
                .is_some_and(|x| (token.x0 - x).abs() <= self.date_tolerance)
    }

    fn text_column(&self, token: &Token) -> Option<Role> {
        let slack = 0.3 * token.size.max(1.0);
        self.text_columns
            .iter()
            .filter(|(_, x0, x1)| token.centre() >= x0 - slack && token.centre() <= x1 + slack)
            .map(|(r, _, _)| *r)
            .next()
    }
}

/// A row as read, before dates and amounts are resolved.
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub page: u32,
    pub line: u32,
    /// `None`: the date is the previous row's (printed once per day).
    pub date: Option<PrintedDate>,
    pub value_date: Option<PrintedDate>,
    pub money: Vec<Option<MoneyShape>>,
    pub mark: Option<Marker>,
    pub description: Vec<String>,
    pub reference: Vec<String>,
    /// The direction the section the row sits in gives.
    pub section: Option<Role>,
    last_y: f32,
    last_page: u32,
}

impl Row {
    fn has_amount(&self, roles: &[Role]) -> bool {
        self.money
            .iter()
            .zip(roles)
            .any(|(m, r)| m.is_some() && matches!(r, Role::Debit | Role::Credit | Role::Amount))
    }

    fn has_balance(&self, roles: &[Role]) -> bool {
        self.money
            .iter()
            .zip(roles)
            .any(|(m, r)| m.is_some() && *r == Role::Balance)
    }

    pub fn description_text(&self) -> String {
        self.description.join(" ")
    }
}

/// A check row: what it says and where.
#[derive(Clone, Debug)]
pub struct CheckRow {
    pub kind: RowKind,
    pub date: Option<PrintedDate>,
    pub money: Vec<Option<MoneyShape>>,
    pub page: u32,
    pub line: u32,
}

#[derive(Debug, Default)]
pub struct Assembled {
    /// Description lines read ahead of their row (descriptions printed above the date
    /// line), carried from one segment to the next: a page's last block may belong to
    /// the next page's first row.
    pending: Vec<String>,
    pending_page: u32,
    pub rows: Vec<Row>,
    pub checks: Vec<CheckRow>,
    /// Lines with amounts that belong to no row: (page, line, text).
    pub stray: Vec<(u32, u32, String)>,
}

/// What one line holds, sorted into the table's columns.
struct Sorted {
    date: Option<PrintedDate>,
    value_date: Option<PrintedDate>,
    money: Vec<Option<MoneyShape>>,
    mark: Option<Marker>,
    description: Vec<String>,
    reference: Vec<String>,
    text_in_span: bool,
}

fn sort_line(line: &DocLine, model: &TableModel) -> Sorted {
    let mut out = Sorted {
        date: None,
        value_date: None,
        money: vec![None; model.money.len()],
        mark: None,
        description: Vec::new(),
        reference: Vec::new(),
        text_in_span: false,
    };
    for (k, token) in line.tokens.iter().enumerate() {
        let has_amount_after = line.tokens[k + 1..]
            .iter()
            .any(|t| t.money().is_some() && model.money_band(t).is_some());
        if out.date.is_none() && model.is_row_date(token) {
            out.date = token.date().copied();
            continue;
        }
        if out.value_date.is_none() && model.is_value_date(token) {
            out.value_date = token.date().copied();
            continue;
        }
        if let Kind::Money(shape) = &token.kind
            && let Some(band) = model.money_band(token)
            && model.roles.get(band) != Some(&Role::Other)
        {
            if out.money[band].is_none() {
                out.money[band] = Some(shape.clone());
            }
            continue;
        }
        let slack = 2.0 * token.size.max(1.0);
        if token.x1 < model.x0 - slack || token.x0 > model.x1 + slack {
            continue;
        }
        // A short unit word set against the amount after it ("GH 16.35" where the font
        // lacked the symbol) belongs to the amount, not the description.
        if token.is_text()
            && token.word_count == 1
            && token.text.trim().chars().count() <= 4
            && line.tokens.get(k + 1).is_some_and(|n| {
                n.money().is_some()
                    && model.money_band(n).is_some()
                    && n.x0 - token.x1 <= token.size.max(1.0)
            })
        {
            continue;
        }
        out.text_in_span = true;
        match model.text_column(token) {
            Some(Role::Reference) => out.reference.push(token.text.clone()),
            Some(Role::Mark) => out.mark = mark_of(&token.text),
            Some(Role::Other | Role::ValueDate | Role::Date) => {}
            _ => {
                // A lone CR/DR (or D/C) beside an amount, after the description, is
                // its mark.
                if let Some(m) = mark_of(&token.text)
                    && (out.money.iter().any(Option::is_some)
                        || !out.description.is_empty() && has_amount_after)
                {
                    out.mark = Some(m);
                } else {
                    out.description.push(token.text.clone());
                }
            }
        }
    }
    out
}

/// The text right before the line's first amount is a balance or total label with its
/// colon ("Closing balance :"); "PPD ID: 8496416793" in a description is not.
fn is_key_value(line: &DocLine) -> bool {
    let Some(k) = line.tokens.iter().position(|t| t.money().is_some()) else {
        return false;
    };
    k > 0 && {
        let before = &line.tokens[k - 1];
        let text = before.text.trim_end();
        before.is_text()
            && text.ends_with(':')
            && vocab::row_kind(text.trim_end_matches([':', ' '])).is_some()
    }
}

/// A row opened at `line`: the description read ahead of it, then what the line holds
/// sorted into the columns.
fn open_row(
    line: &DocLine,
    date: Option<PrintedDate>,
    sorted: Sorted,
    description: Vec<String>,
    section: Option<Role>,
) -> Row {
    let mut description = description;
    description.extend(sorted.description);
    Row {
        page: line.page,
        line: line.line.number,
        date,
        value_date: sorted.value_date,
        money: sorted.money,
        mark: sorted.mark,
        description,
        reference: sorted.reference,
        section,
        last_y: line.y(),
        last_page: line.page,
    }
}

/// A dateless line starts a row only with a description of its own (on the line, or
/// printed above it).
fn describes(description: &[String], pending: &[String]) -> bool {
    let has_words = |t: &String| t.chars().any(char::is_alphabetic);
    description.iter().any(has_words) || pending.iter().any(has_words)
}

/// A year alone at the start of a line, in the date column: four digits, or two under a
/// named-month date (`7 DEC` over `26`). What follows it on the line (a reference, the
/// description's next line) is description, unless it is an amount in the columns.
fn wrapped_year(line: &DocLine, model: &TableModel, month_named: bool) -> Option<i32> {
    let first = line.tokens.first()?;
    if (first.x0 - model.date_x).abs() > model.date_tolerance
        || line.tokens[1..]
            .iter()
            .any(|t| t.is_date() || t.money().is_some() && model.money_band(t).is_some())
    {
        return None;
    }
    let text = first.text.trim();
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = match text.len() {
        4 => text.parse().ok()?,
        2 if month_named => 2000 + text.parse::<i32>().ok()?,
        _ => return None,
    };
    (1970..=2100).contains(&year).then_some(year)
}

fn mark_of(text: &str) -> Option<Marker> {
    match text
        .trim()
        .trim_end_matches('.')
        .to_ascii_uppercase()
        .as_str()
    {
        "CR" | "C" | "CREDIT" | "+" => Some(Marker::Credit),
        "DR" | "D" | "DEBIT" | "-" => Some(Marker::Debit),
        _ => None,
    }
}

/// Decides whether descriptions are printed above their date lines: text-only lines
/// between the header and the first dated line, or text lines nearer the next dated
/// line than the previous one, outvote the usual "below".
/// The votes of one segment for descriptions printed (above, below) their row starts.
/// In the table's first segment, the first line after the header is evidence too: a
/// description block there is above its row; a row start there has its own below.
pub fn description_votes(
    lines: &[DocLine],
    segment: &Segment,
    model: &TableModel,
    first_segment: bool,
) -> (i32, i32) {
    // A row starts at a dated line or (dates printed once per day) at a line with an
    // amount in the table's columns; a description block is a run of lines without
    // either, set close together. Each block votes once: it belongs to the row start it
    // is nearer to.
    let row_start = |l: &DocLine| {
        l.tokens
            .iter()
            .any(|t| model.is_row_date(t) || t.money().is_some() && model.money_band(t).is_some())
    };
    let text_line = |l: &DocLine| {
        !l.furniture
            && !row_start(l)
            && !l.tokens.is_empty()
            && vocab::section_direction(&l.text_only()).is_none()
    };
    // Check rows (balance brought forward, totals) are neither: they have no
    // description to place.
    let idx: Vec<usize> = segment
        .lines
        .iter()
        .copied()
        .filter(|&i| {
            let l = &lines[i];
            let check_row = l.has_money() && vocab::row_kind(&l.text_only()).is_some();
            !l.furniture && !check_row
        })
        .collect();
    let (mut above, mut below) = (0i32, 0i32);
    let mut seen_start = false;
    let mut k = 0;
    while k < idx.len() {
        let first = &lines[idx[k]];
        if !text_line(first) {
            if first_segment && !seen_start && row_start(first) && k == 0 {
                below += 2;
            }
            seen_start |= row_start(first);
            k += 1;
            continue;
        }
        let mut end = k;
        while end + 1 < idx.len() {
            let (a, b) = (&lines[idx[end]], &lines[idx[end + 1]]);
            if text_line(b) && a.page == b.page && b.y() - a.y() <= 1.6 * a.size() {
                end += 1;
            } else {
                break;
            }
        }
        let last = &lines[idx[end]];
        let next = idx[end + 1..]
            .iter()
            .map(|&j| &lines[j])
            .find(|l| row_start(l));
        if !seen_start {
            if first_segment
                && next
                    .is_some_and(|n| n.page == last.page && n.y() - last.y() <= 1.8 * last.size())
            {
                above += 2;
            }
        } else if let (Some(prev), Some(next)) = (k.checked_sub(1).map(|p| &lines[idx[p]]), next)
            && prev.page == first.page
            && next.page == last.page
        {
            let gap_prev = first.y() - prev.y();
            let gap_next = next.y() - last.y();
            if gap_next < 0.9 * gap_prev {
                above += 1;
            } else if gap_prev < 0.9 * gap_next {
                below += 1;
            }
        }
        k = end + 1;
    }
    (above, below)
}

/// Reads a segment's lines into rows with `model`.
pub fn assemble(
    lines: &[DocLine],
    segment: &Segment,
    model: &TableModel,
    section: &mut Option<Role>,
    out: &mut Assembled,
) {
    let mut current: Option<Row> = None;
    let mut pending: Vec<String> = if model.description_above {
        std::mem::take(&mut out.pending)
    } else {
        Vec::new()
    };
    let mut pending_page = out.pending_page;
    let mut last_date_seen = out.rows.iter().rev().find_map(|r| r.date).is_some();
    // After a total or a closing balance the table is closed: only a dated row reopens it.
    let mut closed = false;
    // A dated check row ("1 Mar  Start balance  1,240.12") gives its date to the dateless
    // rows printed under it the same day.
    let mut check_date: Option<PrintedDate> = None;
    // Descriptions printed on their own lines (most dated lines carry none): then an
    // amount line without text is a row whose description follows.
    let text_apart = {
        let dated: Vec<Sorted> = segment
            .lines
            .iter()
            .map(|&i| &lines[i])
            .filter(|l| !l.furniture && !l.header && l.tokens.iter().any(|t| model.is_row_date(t)))
            .map(|l| sort_line(l, model))
            .collect();
        let bare = dated.iter().filter(|s| s.description.is_empty()).count();
        dated.len() >= 2 && bare * 2 >= dated.len()
    };
    let starts_row = |sorted: &Sorted, pending: &[String]| {
        describes(&sorted.description, pending) || text_apart || sorted.value_date.is_some()
    };
    if segment.title_section.is_some() {
        *section = segment.title_section;
    }
    let finish = |row: Option<Row>, out: &mut Assembled| {
        if let Some(row) = row {
            out.rows.push(row);
        }
    };
    // The previous table line read (any kind): a description printed above its amount
    // line keeps the rows near each other.
    let mut previous_line: Option<(u32, f32)> = None;
    for &i in &segment.lines {
        let line = &lines[i];
        if line.furniture || line.header {
            continue;
        }
        let after_previous = previous_line
            .is_some_and(|(page, y)| page == line.page && line.y() - y <= 2.6 * line.size());
        previous_line = Some((line.page, line.y()));
        if line.is_balance_grid() {
            finish(current.take(), out);
            pending.clear();
            closed = true;
            continue;
        }
        // A date wrapped in its column: the year printed on the line below "31 Okt".
        if let Some(row) = current.as_mut()
            && let Some(date) = row.date.as_mut()
            && date.year.is_none()
            && let Some(year) = wrapped_year(line, model, date.month_named)
            && row.last_page == line.page
            && line.y() - row.last_y <= 2.6 * line.size()
        {
            date.year = Some(crate::dates::PrintedYear::Full(year));
            let rest: Vec<String> = line.tokens[1..].iter().map(|t| t.text.clone()).collect();
            row.description.extend(rest);
            row.last_y = line.y();
            continue;
        }
        let sorted = sort_line(line, model);
        let label = sorted
            .description
            .iter()
            .chain(&sorted.reference)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let has_amount =
            sorted.money.iter().zip(&model.roles).any(|(m, r)| {
                m.is_some() && matches!(r, Role::Debit | Role::Credit | Role::Amount)
            });
        let has_balance = sorted
            .money
            .iter()
            .zip(&model.roles)
            .any(|(m, r)| m.is_some() && *r == Role::Balance);
        let any_money = has_amount || has_balance;

        // Check rows: totals and balances brought or carried forward.
        // A dateless "Money out  6,743.56" under the table is a summary of a direction:
        // a total, not a row of that day.
        let summary = || {
            (sorted.date.is_none() && vocab::section_direction(&label).is_some())
                .then_some(RowKind::Total)
        };
        if let Some(kind) = vocab::row_kind(&label)
            .or_else(summary)
            .filter(|_| any_money)
        {
            finish(current.take(), out);
            pending.clear();
            closed = matches!(kind, RowKind::Total | RowKind::Closing);
            check_date = sorted.date.or(check_date);
            out.checks.push(CheckRow {
                kind,
                date: sorted.date,
                money: sorted.money,
                page: line.page,
                line: line.line.number,
            });
            continue;
        }
        // Section titles.
        if !any_money && sorted.date.is_none() {
            let text = line.text_only();
            if let Some(direction) = vocab::section_direction(&text) {
                finish(current.take(), out);
                pending.clear();
                *section = Some(direction);
                closed = false;
                continue;
            }
        }
        // "Closing balance : 161,991.09": a labelled value beside the table, not a row.
        if is_key_value(line) {
            continue;
        }
        if let Some(date) = sorted.date {
            let first_on_page = current.as_ref().is_none_or(|r| r.last_page < line.page);
            finish(current.take(), out);
            let description = if model.description_above
                && (pending_page == line.page || first_on_page && pending_page + 1 == line.page)
            {
                std::mem::take(&mut pending)
            } else {
                Vec::new()
            };
            pending.clear();
            current = Some(open_row(line, Some(date), sorted, description, *section));
            last_date_seen = true;
            check_date = None;
            closed = false;
            continue;
        }
        let near = |row: &Row| {
            if row.last_page == line.page {
                line.y() - row.last_y <= 2.6 * line.size()
                    || model.description_above && after_previous
            } else {
                // The first lines of the next page continue a row cut by the page break.
                line.page == row.last_page + 1
            }
        };
        if has_amount {
            match current.as_mut() {
                // Amounts printed on a wrapped line of the row.
                Some(row) if !row.has_amount(&model.roles) && near(row) => {
                    for (slot, value) in row.money.iter_mut().zip(sorted.money) {
                        if slot.is_none() {
                            *slot = value;
                        }
                    }
                    row.description.extend(sorted.description);
                    row.reference.extend(sorted.reference);
                    row.mark = row.mark.or(sorted.mark);
                    row.last_y = line.y();
                    row.last_page = line.page;
                }
                // The date is printed once per day: a new row of the same day (it has
                // its own description; a bare amount under a table is a total).
                Some(row) if near(row) && starts_row(&sorted, &pending) => {
                    let description = if model.description_above {
                        std::mem::take(&mut pending)
                    } else {
                        Vec::new()
                    };
                    let next = open_row(line, None, sorted, description, *section);
                    let previous = current.replace(next);
                    finish(previous, out);
                }
                None if (last_date_seen || check_date.is_some())
                    && !closed
                    && starts_row(&sorted, &pending) =>
                {
                    let description = std::mem::take(&mut pending);
                    current = Some(Row {
                        value_date: None,
                        ..open_row(line, check_date.take(), sorted, description, *section)
                    });
                }
                _ => out
                    .stray
                    .push((line.page, line.line.number, line.line.text())),
            }
            continue;
        }
        if has_balance {
            if let Some(row) = current
                .as_mut()
                .filter(|r| !r.has_balance(&model.roles) && near(r))
            {
                for (slot, (value, role)) in row
                    .money
                    .iter_mut()
                    .zip(sorted.money.into_iter().zip(&model.roles))
                {
                    if *role == Role::Balance {
                        *slot = value;
                    }
                }
                row.description.extend(sorted.description);
                row.last_y = line.y();
                row.last_page = line.page;
            }
            continue;
        }
        // Text only.
        if sorted.description.is_empty() && sorted.reference.is_empty() {
            continue;
        }
        if model.description_above {
            // A description block may start at the foot of one page and its row on the
            // next; anything older is stale.
            if pending_page + 1 < line.page {
                pending.clear();
            }
            pending_page = line.page;
            pending.extend(sorted.description);
            continue;
        }
        match current.as_mut() {
            Some(row) if near(row) && sorted.text_in_span => {
                row.description.extend(sorted.description);
                row.reference.extend(sorted.reference);
                row.last_y = line.y();
                row.last_page = line.page;
            }
            _ => {
                finish(current.take(), out);
            }
        }
    }
    finish(current, out);
    out.pending = pending;
    out.pending_page = pending_page;
}
