//! The layout-free reader: any printed statement, read from what is on the page rather
//! than from a list of layouts. Its stages, each its own module:
//!
//! 1. `tokens`: page geometry → dates, amounts and text on each line;
//! 2. `regions` + `columns`: table regions (one per header block) and the columns in them,
//!    from the alignment of the values over many rows;
//! 3. `roles`: which column is the date, debit, credit, signed amount or balance — header
//!    words in five languages, the values, and finally the running balance;
//! 4. `rows`: rows, wrapped descriptions, dates printed once per day, sections, check rows;
//! 5. `fields`: the header fields;
//! 6. here: dates and amounts resolved over the whole document, then `checks.rs`.

pub mod accounts;
pub mod columns;
pub mod fields;
pub mod regions;
pub mod roles;
pub mod rows;
pub mod tokens;
pub mod vocab;

use chrono::NaiveDate;
use statera_model::{Amount, Currency, DeclaredTotals, Direction, Period, Transaction};

use crate::ExtractError;
use crate::dates::{self, DayMonth, PrintedDate, YearContext};
use crate::layout::engine::LayoutOutput;
use crate::money::{self, MoneyShape, NumberStyle};
use crate::pdf::PdfText;

use columns::Band;
use regions::{DocLine, Segment};
use roles::{Assignment, Cell, MoneyRow, Movement};
use rows::{Assembled, Row, TableModel};
use vocab::{Role, RowKind};

/// A document with no table of dated rows with amounts: what was seen instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoLedger {
    pub dates: u32,
    pub amounts: u32,
    pub rows: u32,
}

/// The reader's result: what the layout engine gives, plus its notes and the extra
/// confidence reasons (rows outside the period, unknown currency).
pub struct Reading {
    pub output: LayoutOutput,
    pub notes: statera_model::Reading,
    pub penalties: Vec<(String, String, f64)>,
    /// Rows on which `previous balance ± amount = balance` held.
    pub balance_follows: usize,
    /// The text above the first transaction line and below the last: what the document
    /// says it is, without the rows' descriptions ("payment for invoice 123").
    pub around_text: String,
}

/// A table: consecutive segments with the same money columns, read with one assignment.
struct Table {
    segments: Vec<usize>,
    models: Vec<TableModel>,
    assignment: Assignment,
}

/// A printed line that reads as a transaction (a date, then an amount beyond doubt).
pub fn looks_like_row(line: &crate::text::Line) -> bool {
    let tokens = tokens::tokenize(line);
    tokens
        .iter()
        .position(tokens::Token::is_date)
        .is_some_and(|d| {
            tokens[d + 1..]
                .iter()
                .any(|t| t.money().is_some_and(MoneyShape::is_unmistakable))
        })
}

/// Reads `pdf` with no layout. `fallback_currency` is the caller's currency for a
/// document that names none.
///
/// One reading per account the document prints; accounts whose part holds no ledger are
/// left out unless none has one.
pub fn read(
    pdf: &PdfText,
    fallback_currency: Option<Currency>,
) -> Result<Result<Vec<Reading>, NoLedger>, ExtractError> {
    let mut lines = regions::doc_lines(pdf);
    let (numbers, expected) = regions::page_numbers(&lines);
    let present = pdf.pages.len() as u32;
    if expected > 0 {
        let missing: Vec<u32> = (1..=expected).filter(|n| !numbers.contains(n)).collect();
        if present < expected && !missing.is_empty() {
            return Err(ExtractError::MissingPages {
                pages_present: present,
                pages_expected: expected,
                missing,
            });
        }
    }
    let ranges = accounts::sections(&lines);
    // An account whose part names no currency (a savings account printed after the
    // current account) takes the one the document names elsewhere.
    let fallback_currency = if ranges.len() > 1 {
        let all: Vec<&DocLine> = lines.iter().collect();
        currency_of(&lines, &all, None, None)
            .0
            .or(fallback_currency)
    } else {
        fallback_currency
    };
    let mut parts: Vec<Vec<DocLine>> = Vec::with_capacity(ranges.len());
    for range in ranges.iter().rev() {
        parts.push(lines.split_off(range.start));
    }
    parts.reverse();
    let pages_expected = expected.max(present);
    let mut readings = Vec::new();
    let mut first_miss: Option<NoLedger> = None;
    for part in parts {
        match read_account(part, &pdf.info, pages_expected, fallback_currency)? {
            Ok(reading) => readings.push(reading),
            Err(miss) => {
                let total = first_miss.get_or_insert(NoLedger {
                    dates: 0,
                    amounts: 0,
                    rows: 0,
                });
                total.dates += miss.dates;
                total.amounts += miss.amounts;
                total.rows += miss.rows;
            }
        }
    }
    // A later account whose part prints no bank or holder is the same document's.
    if let Some(first) = readings.first() {
        let (institution, holder) = (
            first.output.institution.clone(),
            first.output.account_holder.clone(),
        );
        for r in readings.iter_mut().skip(1) {
            if r.output.institution.is_none() {
                r.output.institution = institution.clone();
            }
            if r.output.account_holder.is_none() {
                r.output.account_holder = holder.clone();
            }
        }
    }
    match first_miss {
        Some(miss) if readings.is_empty() => Ok(Err(miss)),
        _ => Ok(Ok(readings)),
    }
}

/// Reads one account's lines.
fn read_account(
    mut lines: Vec<DocLine>,
    info: &statera_model::PdfInfo,
    pages_expected: u32,
    fallback_currency: Option<Currency>,
) -> Result<Result<Reading, NoLedger>, ExtractError> {
    regions::align_flowing_amounts(&mut lines);
    let segments = regions::segments(&mut lines);
    let all_lower: String = lines
        .iter()
        .map(|l| l.line.text().to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    let card = vocab::mentions(&all_lower, vocab::CARD_PHRASES);

    // The number style and currency, over the whole document.
    let shapes: Vec<MoneyShape> = lines
        .iter()
        .filter(|l| l.is_ledger())
        .flat_map(|l| l.tokens.iter().filter_map(|t| t.money().cloned()))
        .collect();
    let style = money::choose_style(&shapes);

    // Day/month order from the row-like dates first (they are most of the document).
    let row_dates: Vec<PrintedDate> = lines
        .iter()
        .filter(|l| l.is_ledger())
        .filter_map(|l| l.tokens.iter().find_map(|t| t.date().copied()))
        .collect();
    let all_dates: Vec<PrintedDate> = lines
        .iter()
        .flat_map(|l| l.tokens.iter().filter_map(|t| t.date().copied()))
        .collect();

    let table_line: Vec<bool> = {
        let mut v = vec![false; lines.len()];
        for s in &segments {
            for &i in &s.lines {
                if lines[i].has_money() || lines[i].has_date() {
                    v[i] = true;
                }
            }
        }
        v
    };
    // Lines outside the tables, and labelled lines inside a table's region that are no
    // rows ("Saldo inicial  MXN 278.91" above the first row).
    let outside: Vec<&DocLine> = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            !l.header && (!table_line[*i] || !l.is_ledger() && fields::opens_with_label(l))
        })
        .map(|(_, l)| l)
        .collect();
    let preliminary_currency = currency_of(&lines, &outside, None, fallback_currency);
    let default_order = match preliminary_currency.0.as_ref().map(Currency::code) {
        Some("USD") | Some("PHP") => DayMonth::MonthFirst,
        _ => DayMonth::DayFirst,
    };
    // Day/month order from the row dates; where they fit both orders alike (all ≤ 12),
    // the document's other dates (its period) decide before the currency's habit.
    let valid = |dates: &[PrintedDate], order| dates.iter().filter(|d| d.allows(order)).count();
    let rows_tie = valid(&row_dates, DayMonth::DayFirst) == valid(&row_dates, DayMonth::MonthFirst);
    let order = if row_dates.is_empty()
        || rows_tie && {
            let (d, m) = (
                valid(&all_dates, DayMonth::DayFirst),
                valid(&all_dates, DayMonth::MonthFirst),
            );
            d != m
        } {
        dates::choose_order(&all_dates, default_order)
    } else {
        dates::choose_order(&row_dates, default_order)
    };
    // Header fields are printed on the first page, around the first table.
    // Header fields are printed around the first table: on its page and above it.
    let first_page = lines
        .iter()
        .find(|l| l.is_ledger())
        .or(lines.first())
        .map_or(1, |l| l.page);
    let header_area: Vec<&DocLine> = outside
        .iter()
        .copied()
        .filter(|l| l.page <= first_page)
        .collect();
    let header = fields::read(&header_area, info, order);
    let (currency, currency_source) = currency_of(
        &lines,
        &outside,
        header.currency.as_ref().map(|f| f.value.as_str()),
        fallback_currency,
    );
    let mut notes = statera_model::Reading {
        date_order: match order {
            DayMonth::DayFirst => "day_first".into(),
            DayMonth::MonthFirst => "month_first".into(),
        },
        number_style: format!(
            "{} decimal, {} decimals",
            match style.decimal {
                money::DecimalMark::Point => "point",
                money::DecimalMark::Comma => "comma",
            },
            style.decimals
        ),
        currency_source: currency_source.to_owned(),
        ..statera_model::Reading::default()
    };
    let mut penalties: Vec<(String, String, f64)> = Vec::new();
    let currency = match currency {
        Some(c) => c,
        None => {
            notes.warnings.push(
                "nothing on the document names its currency and none was given; amounts are read in an unknown currency (XXX)".into(),
            );
            penalties.push((
                "currency_unknown".into(),
                "the currency is unknown: the document names none and none was given".into(),
                0.1,
            ));
            Currency::parse("XXX").map_err(|e| ExtractError::UnsupportedLayout(e.to_string()))?
        }
    };
    let scale = currency.minor_units().max(style.decimals.min(4));

    // Tables: models per segment, assignments per run of compatible segments.
    let mut models: Vec<Option<TableModel>> = Vec::new();
    let mut previous: Option<(usize, Vec<Option<Role>>)> = None;
    let mut header_roles: Vec<Vec<Option<Role>>> = Vec::new();
    for seg in &segments {
        let model = if seg.balance_table {
            None
        } else {
            model_of(&lines, seg)
        };
        let mut roles_here: Vec<Option<Role>> = model
            .as_ref()
            .map(|m| header_roles_of(seg, &m.money))
            .unwrap_or_default();
        if let (Some(m), Some((count, prev_roles))) = (&model, &previous)
            && seg.labels.is_empty()
            && *count == m.money.len()
        {
            roles_here = prev_roles.clone();
        }
        if let Some(m) = &model {
            previous = Some((m.money.len(), roles_here.clone()));
        }
        header_roles.push(roles_here);
        models.push(model);
    }
    let mut tables: Vec<Table> = Vec::new();
    {
        let mut k = 0;
        while k < segments.len() {
            let Some(first) = models[k].clone() else {
                k += 1;
                continue;
            };
            let mut members = vec![k];
            let mut member_models = vec![first.clone()];
            let mut j = k + 1;
            while j < segments.len() {
                match &models[j] {
                    Some(m)
                        if compatible(&first, m)
                            && compatible_labels(&header_roles[k], &header_roles[j]) =>
                    {
                        members.push(j);
                        member_models.push(m.clone());
                        j += 1;
                    }
                    None if segments[j].lines.iter().all(|&i| !lines[i].is_ledger()) => j += 1,
                    _ => break,
                }
            }
            let mut roles_hint = header_roles[k].clone();
            for &m in &members {
                for (slot, r) in roles_hint.iter_mut().zip(&header_roles[m]) {
                    if slot.is_none() {
                        *slot = *r;
                    }
                }
            }
            let money_rows: Vec<MoneyRow> = members
                .iter()
                .zip(&member_models)
                .flat_map(|(&s, m)| money_rows_of(&lines, &segments[s], m, &style, scale))
                .collect();
            if let Some(mut assignment) = roles::assign(&money_rows, &roles_hint, card) {
                if card
                    && assignment.chain_checked == 0
                    && assignment.column(Role::Amount).is_some()
                {
                    assignment.negate = true;
                }
                tables.push(Table {
                    segments: members,
                    models: member_models,
                    assignment,
                });
            }
            k = j;
        }
    }

    // Rows.
    let mut output = LayoutOutput {
        currency: Some(currency),
        pages_expected,
        ..LayoutOutput::default()
    };
    let mut section: Option<Role> = None;
    let mut all_rows: Vec<(usize, Row)> = Vec::new();
    let mut checks: Vec<(usize, rows::CheckRow)> = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        for (role, evidence) in table
            .assignment
            .roles
            .iter()
            .zip(&table.assignment.evidence)
        {
            notes.columns.push(statera_model::ColumnReading {
                table: t + 1,
                role: role.name().into(),
                evidence: (*evidence).into(),
            });
        }
        let mut assembled = Assembled::default();
        // Whether descriptions sit above their date lines is one habit of the whole
        // table: every segment's blocks vote.
        let (mut above, mut below) = (0, 0);
        for (k, (&s, model)) in table.segments.iter().zip(&table.models).enumerate() {
            let (a, b) = rows::description_votes(&lines, &segments[s], model, k == 0);
            above += a;
            below += b;
        }
        for (&s, model) in table.segments.iter().zip(&table.models) {
            let mut model = model.clone();
            model.roles = table.assignment.roles.clone();
            model.description_above = above > below;
            rows::assemble(&lines, &segments[s], &model, &mut section, &mut assembled);
        }
        output.stray_lines.extend(assembled.stray);
        all_rows.extend(assembled.rows.into_iter().map(|r| (t, r)));
        checks.extend(assembled.checks.into_iter().map(|c| (t, c)));
    }

    // Dates: the period, then each row's year.
    let printed_period = header.period.as_ref().map(|f| f.value);
    let latest_full = all_dates
        .iter()
        .filter(|d| d.year.is_some())
        .filter_map(|d| d.resolve(order, &YearContext::default()))
        .max();
    let years = YearContext {
        period: printed_period.or_else(|| {
            latest_full.map(|l| {
                (
                    l - chrono::Duration::days(364),
                    l + chrono::Duration::days(7),
                )
            })
        }),
    };
    output.period = printed_period.map(|(start, end)| Period { start, end });

    let to_cell = |shape: &MoneyShape| -> Option<Cell> {
        let printed = shape.value(&style)?;
        let value = printed.value.rescale(scale)?.minor();
        Some(Cell {
            value: value.abs(),
            negative: printed.negative,
            marker: printed.marker,
        })
    };
    let to_amount = |shape: &MoneyShape| -> Option<Amount> {
        let printed = shape.value(&style)?;
        printed.signed().rescale(scale)
    };

    let mut outside_period = 0usize;
    let mut per_table: Vec<Vec<Transaction>> = vec![Vec::new(); tables.len()];
    let mut last_date: Option<NaiveDate> = None;
    let mut previous_balance: Option<i64> = None;
    let mut current_table = usize::MAX;
    for (t, row) in &all_rows {
        let table = &tables[*t];
        if *t != current_table {
            current_table = *t;
            // The opening balance, printed as the table's first check row or (for the
            // first table) in the header, is the balance before the first row: it gives
            // the first unmarked amount its direction.
            previous_balance = (!table.assignment.newest_first)
                .then(|| {
                    let opening_row = checks
                        .iter()
                        .find(|(ct, c)| *ct == *t && c.kind == RowKind::Opening)
                        .and_then(|(_, c)| {
                            let b = table.assignment.column(Role::Balance)?;
                            c.money.get(b).cloned().flatten()
                        });
                    let header_opening = (*t == 0)
                        .then(|| header.opening.as_ref().map(|f| f.value.clone()))
                        .flatten();
                    opening_row.or(header_opening)
                })
                .flatten()
                .and_then(|m| to_amount(&m))
                .map(|a| a.minor());
        }
        let date = match row.date {
            Some(d) => d.resolve(order, &years),
            None => last_date,
        };
        let Some(date) = date else {
            let why = match row.date {
                Some(_) => {
                    "a date whose year is not printed and no statement period to take it from"
                }
                None => "a row without a date before any dated row",
            };
            output
                .unreadable_rows
                .push((row.page, row.line, row.description_text(), why.into()));
            continue;
        };
        last_date = Some(date);
        if let Some((start, end)) = printed_period
            && (date < start - chrono::Duration::days(4) || date > end + chrono::Duration::days(4))
        {
            outside_period += 1;
        }
        let money_row: MoneyRow = row
            .money
            .iter()
            .map(|m| m.as_ref().and_then(to_cell))
            .collect();
        let roles_ = &table.assignment.roles;
        let balance = table
            .assignment
            .column(Role::Balance)
            .and_then(|b| row.money.get(b).cloned().flatten())
            .and_then(|m| to_amount(&m));
        let movement = roles::movement(&money_row, roles_, table.assignment.negate);
        let (value, direction) = match movement {
            Some(Movement::Signed(s)) => (
                s.abs(),
                if s < 0 {
                    Direction::Debit
                } else {
                    Direction::Credit
                },
            ),
            Some(Movement::Unsigned(v)) => {
                let from_mark = row.mark.map(|m| match m {
                    money::Marker::Debit => Direction::Debit,
                    money::Marker::Credit => Direction::Credit,
                });
                let from_balance = match (previous_balance, balance) {
                    (Some(p), Some(b)) if table.assignment.newest_first => {
                        // Newest first: this row's balance is before the row above's.
                        let _ = p;
                        let _ = b;
                        None
                    }
                    (Some(p), Some(b)) if p.checked_sub(v) == Some(b.minor()) => {
                        Some(Direction::Debit)
                    }
                    (Some(p), Some(b)) if p.checked_add(v) == Some(b.minor()) => {
                        Some(Direction::Credit)
                    }
                    _ => None,
                };
                let from_section = row.section.and_then(|s| match s {
                    Role::Debit => Some(Direction::Debit),
                    Role::Credit => Some(Direction::Credit),
                    _ => None,
                });
                let direction = from_mark
                    .or(from_balance)
                    .or(from_section)
                    .unwrap_or(if card {
                        Direction::Debit
                    } else {
                        Direction::Credit
                    });
                (v, direction)
            }
            None => {
                output.unreadable_rows.push((
                    row.page,
                    row.line,
                    row.description_text(),
                    "no amount".into(),
                ));
                continue;
            }
        };
        previous_balance = balance.map(|b| b.minor()).or_else(|| {
            let p = previous_balance?;
            Some(match direction {
                Direction::Debit => p - value,
                Direction::Credit => p + value,
            })
        });
        let reference = (!row.reference.is_empty()).then(|| row.reference.join(" "));
        per_table[*t].push(Transaction {
            date,
            time: row.date.and_then(|d| d.time),
            reference,
            description: row.description_text(),
            status: None,
            amount: Amount::from_minor(value, scale),
            direction,
            balance,
            page: row.page,
            line: row.line,
        });
    }
    // Newest-first tables: fix directions from the balance chain read bottom to top, then
    // put the rows in time order.
    for (t, txs) in per_table.iter_mut().enumerate() {
        let newest_first = tables[t].assignment.newest_first
            || tables[t].assignment.chain_checked == 0 && dates_descending(txs);
        if newest_first {
            txs.reverse();
            if tables[t].assignment.column(Role::Amount).is_some() {
                crate::layout::engine::directions_from_balances(txs, None);
            }
        }
    }
    output.transactions = per_table.into_iter().flatten().collect();
    if outside_period > 0 {
        let message =
            format!("{outside_period} row dates fall outside the printed statement period");
        notes.warnings.push(message.clone());
        penalties.push((
            "dates_outside_period".into(),
            message,
            (0.05 + 0.02 * outside_period as f64).min(0.3),
        ));
    }

    // Check rows and header fields.
    output.account_holder = header.account_holder.as_ref().map(|f| f.value.clone());
    output.account_number = header.account_number.as_ref().map(|f| f.value.clone());
    output.printed_opening = header.opening.as_ref().and_then(|f| to_amount(&f.value));
    output.printed_closing = header.closing.as_ref().and_then(|f| to_amount(&f.value));
    let check_value = |t: usize, c: &rows::CheckRow| -> Option<Amount> {
        let a = &tables[t].assignment;
        let by_balance = a
            .column(Role::Balance)
            .and_then(|b| c.money.get(b).cloned().flatten());
        by_balance
            .or_else(|| c.money.iter().flatten().next().cloned())
            .and_then(|m| to_amount(&m))
    };
    for (t, c) in &checks {
        match c.kind {
            RowKind::Opening if output.printed_opening.is_none() => {
                output.printed_opening = check_value(*t, c);
            }
            RowKind::Closing if header.closing.is_none() => {
                output.printed_closing = check_value(*t, c);
            }
            RowKind::Closing => {}
            RowKind::Total => {
                let a = &tables[*t].assignment;
                let get = |role: Role| {
                    a.column(role)
                        .and_then(|i| c.money.get(i).cloned().flatten())
                        .and_then(|m| to_amount(&m))
                        .and_then(|v| v.checked_abs())
                };
                if let (Some(debits), Some(credits)) = (get(Role::Debit), get(Role::Credit)) {
                    output.declared_totals = Some(DeclaredTotals { credits, debits });
                }
            }
            _ => {}
        }
    }
    // A daily-balance table checks the rows: its balance before the first row is the
    // opening balance and its last the closing, where nothing else printed them.
    if !output.transactions.is_empty()
        && tables
            .iter()
            .all(|t| t.assignment.column(Role::Balance).is_none())
    {
        let mut entries: Vec<(NaiveDate, Amount)> = Vec::new();
        for seg in segments.iter().filter(|s| s.balance_table) {
            for &i in &seg.lines {
                let l = &lines[i];
                let mut date: Option<NaiveDate> = None;
                for t in &l.tokens {
                    if let Some(d) = t.date() {
                        date = d.resolve(order, &years);
                    } else if let (Some(m), Some(d)) = (t.money(), date)
                        && m.is_unmistakable()
                        && let Some(a) = to_amount(m)
                    {
                        entries.push((d, a));
                        date = None;
                    }
                }
            }
        }
        entries.sort_by_key(|e| e.0);
        let first = output.transactions.iter().map(|t| t.date).min();
        let last = output.transactions.iter().map(|t| t.date).max();
        if output.printed_opening.is_none()
            && let Some(first) = first
        {
            output.printed_opening = entries.iter().rev().find(|e| e.0 < first).map(|e| e.1);
        }
        if output.printed_closing.is_none()
            && let Some(last) = last
        {
            output.printed_closing = entries.last().filter(|e| e.0 >= last).map(|e| e.1);
        }
    }
    if card {
        // A card's balances are what is owed: the holder's balance is its negative.
        output.printed_opening = output.printed_opening.and_then(|a| a.checked_neg());
        output.printed_closing = output.printed_closing.and_then(|a| a.checked_neg());
    }

    // Is it a statement? Decided by structure: a table of dated rows with money columns.
    let headed = tables
        .iter()
        .any(|t| t.segments.iter().any(|&s| !segments[s].labels.is_empty()));
    let rows_read = output.transactions.len();
    let chain: (usize, usize) = tables
        .iter()
        .map(|t| (t.assignment.chain_hits, t.assignment.chain_checked))
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let enough = rows_read >= 3 || rows_read >= 1 && (headed || chain.0 > 0);
    if !enough {
        let says_none = vocab::mentions(&all_lower, vocab::NO_TRANSACTION_PHRASES);
        let statement_like =
            (header.account_number.is_some() || header.period.is_some() || !segments.is_empty())
                && matches!(
                    crate::classify::classify(&all_lower),
                    crate::classify::Verdict::StatementLike
                );
        let identity_lines = header_area
            .iter()
            .filter(|l| !fields::identity_labels(l).is_empty())
            .count();
        if says_none
            && (statement_like
                || header.account_number.is_some()
                || header.period.is_some()
                || identity_lines >= 2)
        {
            output.transactions.clear();
            notes.statement_evidence =
                "the document says it has no transactions for the period, and prints an account's header".into();
            notes.fields = field_notes(&header);
            output.institution = header.institution.map(|f| f.value);
            return Ok(Ok(Reading {
                output,
                notes,
                penalties,
                balance_follows: 0,
                around_text: around_text(&lines),
            }));
        }
        let dates_seen = all_dates.len();
        let money_seen = lines
            .iter()
            .flat_map(|l| l.tokens.iter())
            .filter(|t| t.money().is_some_and(MoneyShape::is_unmistakable))
            .count();
        return Ok(Err(NoLedger {
            dates: dates_seen as u32,
            amounts: money_seen as u32,
            rows: rows_read as u32,
        }));
    }
    let roles_named: Vec<&str> = tables
        .first()
        .map(|t| t.assignment.roles.iter().map(|r| r.name()).collect())
        .unwrap_or_default();
    notes.statement_evidence = format!(
        "a table of {rows_read} dated rows with money columns ({}){}{}",
        roles_named.join(", "),
        if chain.1 > 0 {
            format!(
                "; the running balance follows on {} of {} rows",
                chain.0, chain.1
            )
        } else {
            String::new()
        },
        if headed {
            "; a header row names its columns"
        } else {
            ""
        }
    );
    notes.fields = field_notes(&header);
    output.institution = header.institution.map(|f| f.value);
    Ok(Ok(Reading {
        output,
        notes,
        penalties,
        balance_follows: chain.0,
        around_text: around_text(&lines),
    }))
}

/// How each header field was found, for `Statement.reading`.
fn field_notes(header: &fields::HeaderFields) -> Vec<statera_model::FieldReading> {
    let field = |name: &str, found: Option<fields::Found>| {
        found.map(|f| statera_model::FieldReading {
            field: name.into(),
            found: f.name().into(),
            confidence: f.confidence(),
        })
    };
    [
        field(
            "account_holder",
            header.account_holder.as_ref().map(|f| f.found),
        ),
        field(
            "account_number",
            header.account_number.as_ref().map(|f| f.found),
        ),
        field("institution", header.institution.as_ref().map(|f| f.found)),
        field("branch", header.branch.as_ref().map(|f| f.found)),
        field("currency", header.currency.as_ref().map(|f| f.found)),
        field("period", header.period.as_ref().map(|f| f.found)),
        field("opening_balance", header.opening.as_ref().map(|f| f.found)),
        field("closing_balance", header.closing.as_ref().map(|f| f.found)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn around_text(lines: &[DocLine]) -> String {
    let first = lines.iter().position(DocLine::is_ledger);
    let last = lines.iter().rposition(DocLine::is_ledger);
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| match (first, last) {
            (Some(f), Some(l)) => *i < f || *i > l,
            _ => true,
        })
        .map(|(_, l)| l.line.text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Dates non-increasing with at least one decrease.
fn dates_descending(txs: &[Transaction]) -> bool {
    txs.windows(2).all(|w| w[0].date >= w[1].date) && txs.windows(2).any(|w| w[0].date > w[1].date)
}

/// Two segments hold the same table when their money columns line up.
fn compatible(a: &TableModel, b: &TableModel) -> bool {
    a.money.len() == b.money.len()
        && a.money
            .iter()
            .zip(&b.money)
            .all(|(x, y)| (x.x1 - y.x1).abs() < 25.0 || x.contains(y.x0, y.x1, 2.0))
}

fn compatible_labels(a: &[Option<Role>], b: &[Option<Role>]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| x.is_none() || y.is_none() || x == y)
}

/// The columns of one segment, from its rows' values.
fn model_of(lines: &[DocLine], seg: &Segment) -> Option<TableModel> {
    let ledger: Vec<&DocLine> = seg
        .lines
        .iter()
        .map(|&i| &lines[i])
        .filter(|l| l.is_ledger() && !l.furniture)
        .collect();
    if ledger.is_empty() {
        return None;
    }
    let size = {
        let mut sizes: Vec<f32> = ledger.iter().map(|l| l.size()).collect();
        sizes.sort_by(f32::total_cmp);
        sizes[sizes.len() / 2]
    };
    let first_dates: Vec<f32> = ledger
        .iter()
        .filter_map(|l| l.tokens.iter().find(|t| t.is_date()).map(|t| t.x0))
        .collect();
    let tolerance = 1.5 * size;
    // The row date is the leftmost date column that a good share of the rows fill:
    // where the date is printed once per day, the value date to its right can be the
    // commoner first date on a line.
    let edges = columns::left_edges(&first_dates, tolerance);
    let most = edges.first()?.1;
    let date_x = edges
        .iter()
        .filter(|(_, n)| *n * 4 >= ledger.len() || *n == most)
        .map(|(x, _)| *x)
        .fold(f32::INFINITY, f32::min);
    // The value-date column: each line's first date outside the row-date column that is
    // not set in the flow of the description ("Card Purchase 01/17 Uber"). Where the
    // row date is printed once per day, lines start with it.
    let second_dates: Vec<f32> = ledger
        .iter()
        .filter_map(|l| {
            l.tokens.iter().enumerate().find_map(|(k, t)| {
                if !t.is_date() || (t.x0 - date_x).abs() <= tolerance {
                    return None;
                }
                let in_text = k.checked_sub(1).is_some_and(|p| {
                    let before = &l.tokens[p];
                    before.is_text() && t.x0 - before.x1 < 1.5 * t.size.max(1.0)
                });
                (!in_text).then_some(t.x0)
            })
        })
        .collect();
    let value_date_x = columns::left_edges(&second_dates, tolerance)
        .first()
        .filter(|(_, n)| *n * 3 >= ledger.len())
        .map(|(x, _)| *x);

    // Money extents: amounts right of the row date, not sandwiched inside text.
    let mut extents: Vec<(f32, f32)> = Vec::new();
    // The bare integers among them (cheque numbers look like whole-number amounts).
    let mut bare: Vec<(f32, f32)> = Vec::new();
    for &i in &seg.lines {
        let l = &lines[i];
        if l.furniture || l.header {
            continue;
        }
        let date_at = l
            .tokens
            .iter()
            .position(|t| t.is_date() && (t.x0 - date_x).abs() <= tolerance);
        if date_at.is_none() && !l.has_money() {
            continue;
        }
        for (k, t) in l.tokens.iter().enumerate() {
            let Some(m) = t.money() else { continue };
            // Bare integers (references, counts) never shape a column; whole-number
            // amounts join the column their grouped neighbours build.
            if date_at.is_some_and(|d| k < d) || !l.counts_as_amount(m) {
                continue;
            }
            if sandwiched(&l.tokens, k) {
                continue;
            }
            extents.push((t.x0, t.x1));
            if m.separators().is_empty() {
                bare.push((t.x0, t.x1));
            }
        }
    }
    let all = columns::bands(&extents, 0.3 * size);
    let labelled = |b: &Band| {
        seg.labels
            .iter()
            .any(|l| l.role.is_money() && b.contains(l.x0, l.x1, size))
    };
    // A row's description never crosses a money column: numbers at the start of
    // wrapped description lines (references) or in a summary beside the table do not
    // make one where the rows' text runs through.
    let crossed = |b: &Band| {
        ledger
            .iter()
            .filter(|l| {
                l.tokens
                    .iter()
                    .any(|t| t.is_text() && t.x0 < b.x0 && t.x1 > b.x1)
            })
            .count()
    };
    let money: Vec<Band> = all
        .into_iter()
        .filter(|b| b.count >= 2 || labelled(b) || ledger.len() < 3)
        .filter(|b| labelled(b) || crossed(b) < b.count)
        // Bare integers under a reference or description label (cheque numbers) are not
        // money.
        .filter(|b| {
            let all_bare = bare
                .iter()
                .filter(|(x0, x1)| b.contains(*x0, *x1, 0.3 * size))
                .count()
                >= b.count;
            labelled(b)
                || !all_bare
                || !seg.labels.iter().any(|l| {
                    matches!(l.role, Role::Reference | Role::Description)
                        && l.x0 - size < b.x1
                        && b.x0 < l.x1 + size
                })
        })
        .collect();
    if money.is_empty() {
        return None;
    }
    let body: Vec<&DocLine> = seg
        .lines
        .iter()
        .map(|&i| &lines[i])
        .filter(|l| !l.furniture && !l.header)
        .collect();
    let text_columns = text_columns_of(seg, &ledger, &body, &money, date_x + tolerance, size);
    let x0 = seg
        .labels
        .iter()
        .map(|l| l.x0)
        .fold(date_x, f32::min)
        .min(money.iter().map(|b| b.x0).fold(f32::INFINITY, f32::min));
    let x1 = seg
        .labels
        .iter()
        .map(|l| l.x1)
        .fold(f32::NEG_INFINITY, f32::max)
        .max(money.iter().map(|b| b.x1).fold(f32::NEG_INFINITY, f32::max));
    // Text right of every column (descriptions after the amounts) is part of the row.
    let right_text = ledger
        .iter()
        .flat_map(|l| l.tokens.iter().filter(|t| t.is_text()))
        .map(|t| t.x1)
        .fold(x1, f32::max);
    Some(TableModel {
        date_x,
        date_tolerance: tolerance,
        value_date_x,
        roles: vec![Role::Other; money.len()],
        money,
        text_columns,
        x0,
        x1: right_text,
        description_above: false,
    })
}

/// A money token inside the flow of the text: between two text tokens, or glued to the
/// text before it.
fn sandwiched(tokens: &[tokens::Token], k: usize) -> bool {
    let t = &tokens[k];
    let gap = 1.0 * t.size.max(1.0);
    let before = k
        .checked_sub(1)
        .and_then(|p| tokens.get(p))
        .is_some_and(|p| p.is_text() && t.x0 - p.x1 <= gap);
    let after = tokens
        .get(k + 1)
        .is_some_and(|n| n.is_text() && n.x0 - t.x1 <= gap);
    // Set tight against the text before it ("SPOTIFY USD 292.30"): part of the
    // description, however many rows print one.
    let glued = k
        .checked_sub(1)
        .and_then(|p| tokens.get(p))
        .is_some_and(|p| {
            // A short word before the amount is its unit ("GH", "-Ksh", "USD" where the
            // font had no glyph for the symbol), not the end of a description.
            let unit = p.word_count == 1 && p.text.trim().chars().count() <= 4;
            p.is_text() && !unit && t.x0 - p.x1 <= t.size.max(1.0)
        });
    before && after || glued
}

/// Reference, mark and other text columns. Where the table's text starts at two or more
/// left edges (a reference column, then the description), each edge starts a column and a
/// label names the column it sits over, wherever it is centred; otherwise each label's
/// column runs to the next label.
fn text_columns_of(
    seg: &Segment,
    ledger: &[&DocLine],
    body: &[&DocLine],
    money: &[Band],
    after_date: f32,
    size: f32,
) -> Vec<(Role, f32, f32)> {
    let in_money = |t: &tokens::Token| money.iter().any(|b| b.contains(t.x0, t.x1, 0.3 * size));
    // Text starts on every line of the table, wrapped description lines included (a
    // description printed on its own line still starts at its column's edge).
    let starts: Vec<f32> = body
        .iter()
        .flat_map(|l| {
            l.tokens
                .iter()
                .filter(|t| !t.is_date() && t.x0 > after_date && !in_money(t))
                .map(|t| t.x0)
        })
        .collect();
    let mut edges: Vec<f32> = columns::left_edges(&starts, 0.6 * size)
        .into_iter()
        .filter(|(_, n)| *n * 5 >= ledger.len().max(1))
        .map(|(x, _)| x)
        .collect();
    edges.sort_by(f32::total_cmp);
    let mut out = Vec::new();
    if edges.len() >= 2 {
        // An unlabelled column of one-word codes with digits ("TRF4932673", "27686") in
        // front of the description is a reference column.
        for (i, &x) in edges.iter().enumerate() {
            let labelled = seg.labels.iter().any(|l| {
                let c = (l.x0 + l.x1) / 2.0;
                edges.iter().rposition(|&e| e - size <= c).unwrap_or(0) == i
            });
            let next = edges.get(i + 1).copied();
            let cells: Vec<&tokens::Token> = ledger
                .iter()
                .filter_map(|l| {
                    l.tokens
                        .iter()
                        .find(|t| !t.is_date() && (t.x0 - x).abs() <= 0.6 * size && !in_money(t))
                })
                .collect();
            let code = |t: &&tokens::Token| {
                t.word_count == 1 && t.text.chars().any(|c| c.is_ascii_digit())
            };
            if !labelled
                && next.is_some()
                && cells.len() >= 3
                && cells.iter().filter(|t| code(t)).count() * 10 >= cells.len() * 8
            {
                let end = next.map_or(x + 4.0 * size, |n| n - 0.5 * size);
                out.push((Role::Reference, x - 0.5 * size, end));
            }
        }
        for label in &seg.labels {
            if !matches!(label.role, Role::Reference | Role::Mark | Role::Other) {
                continue;
            }
            let centre = (label.x0 + label.x1) / 2.0;
            let i = edges.iter().rposition(|&x| x - size <= centre).unwrap_or(0);
            let start = edges[i] - 0.5 * size;
            let end = edges
                .get(i + 1)
                .map_or(label.x1.max(edges[i]) + 4.0 * size, |n| n - 0.5 * size);
            // A label over the description's own edge is not a separate column.
            let description_there = seg.labels.iter().any(|d| {
                d.role == Role::Description && {
                    let c = (d.x0 + d.x1) / 2.0;
                    edges.iter().rposition(|&x| x - size <= c).unwrap_or(0) == i
                }
            });
            if !description_there {
                out.push((label.role, start, end));
            }
        }
        return out;
    }
    // The table's text starts at one edge: that is the description, whatever a label
    // beside it says.
    if edges.len() == 1 {
        return out;
    }
    for (i, label) in seg.labels.iter().enumerate() {
        if !matches!(label.role, Role::Reference | Role::Mark | Role::Other) {
            continue;
        }
        let next = seg
            .labels
            .get(i + 1)
            .map_or(label.x1 + 4.0 * size, |n| n.x0 - 0.5 * size);
        let prev = i
            .checked_sub(1)
            .and_then(|p| seg.labels.get(p))
            .map_or(label.x0 - size, |p| (p.x1 + label.x0) / 2.0);
        out.push((
            label.role,
            prev.max(label.x0 - 2.0 * size),
            next.max(label.x1),
        ));
    }
    out
}

/// The header's word for each money column: the label over it (most overlap), else the
/// nearest money label within the column's reach.
fn header_roles_of(seg: &Segment, money: &[Band]) -> Vec<Option<Role>> {
    money
        .iter()
        .enumerate()
        .map(|(i, band)| {
            let left = i
                .checked_sub(1)
                .map_or(f32::NEG_INFINITY, |p| (money[p].x1 + band.x0) / 2.0);
            let right = money
                .get(i + 1)
                .map_or(f32::INFINITY, |n| (band.x1 + n.x0) / 2.0);
            let overlap = |l: &regions::Label| (band.x1.min(l.x1) - band.x0.max(l.x0)).max(0.0);
            seg.labels
                .iter()
                .filter(|l| {
                    l.role.is_money()
                        || matches!(l.role, Role::Other | Role::Reference | Role::Mark)
                })
                .filter(|l| {
                    let c = (l.x0 + l.x1) / 2.0;
                    overlap(l) > 0.0 || c > left && c < right
                })
                .max_by(|a, b| {
                    overlap(a).total_cmp(&overlap(b)).then_with(|| {
                        let da = ((a.x0 + a.x1) / 2.0 - band.centre()).abs();
                        let db = ((b.x0 + b.x1) / 2.0 - band.centre()).abs();
                        db.total_cmp(&da)
                    })
                })
                .map(|l| l.role)
        })
        .collect()
}

/// Each line's values in the money columns, for choosing the roles.
fn money_rows_of(
    lines: &[DocLine],
    seg: &Segment,
    model: &TableModel,
    style: &NumberStyle,
    scale: u8,
) -> Vec<MoneyRow> {
    let mut out = Vec::new();
    for &i in &seg.lines {
        let l = &lines[i];
        if l.furniture || l.header || !l.has_money() {
            continue;
        }
        if vocab::row_kind(&l.text_only()).is_some() {
            continue;
        }
        let mut row: MoneyRow = vec![None; model.money.len()];
        let mut any = false;
        for t in &l.tokens {
            let Some(shape) = t.money() else { continue };
            let slack = 0.3 * t.size.max(1.0);
            let Some(b) = model
                .money
                .iter()
                .position(|b| b.contains(t.x0, t.x1, slack))
            else {
                continue;
            };
            if row[b].is_some() {
                continue;
            }
            if let Some(p) = shape.value(style)
                && let Some(v) = p.value.rescale(scale)
            {
                row[b] = Some(Cell {
                    value: v.minor().abs(),
                    negative: p.negative,
                    marker: p.marker,
                });
                any = true;
            }
        }
        if any {
            out.push(row);
        }
    }
    out
}

/// The document's currency: a header label, else the codes and symbols printed with
/// amounts or standing alone, else the issuer list, else the caller's.
fn currency_of(
    lines: &[DocLine],
    outside: &[&DocLine],
    labelled: Option<&str>,
    fallback: Option<Currency>,
) -> (Option<Currency>, &'static str) {
    if let Some(c) = labelled.and_then(|c| Currency::parse(c).ok()) {
        return (Some(c), "document");
    }
    let mut counts: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    // Amounts in their columns count; an amount inside a description ("SPOTIFY USD
    // 9.99") and a code-like word in one ("SHELL SERVICE STN") do not. Codes in words
    // count only outside the table (a "Currency: KES" line, "Amount (USD)").
    for l in lines {
        for (k, t) in l.tokens.iter().enumerate() {
            if let Some(code) = t.money().and_then(MoneyShape::currency)
                && !sandwiched(&l.tokens, k)
            {
                *counts.entry(code).or_default() += 1;
            }
        }
    }
    let header_lines = lines.iter().filter(|l| l.header);
    for l in outside.iter().copied().chain(header_lines) {
        for t in l.tokens.iter().filter(|t| t.is_text()) {
            for w in t.text.split(|c: char| !c.is_ascii_alphabetic()) {
                if let Some(code) = money::iso_code(w) {
                    *counts.entry(code).or_default() += 2;
                }
            }
        }
    }
    if let Some((code, _)) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        && let Ok(c) = Currency::parse(code)
    {
        return (Some(c), "document");
    }
    let text: String = outside
        .iter()
        .take(80)
        .map(|l| l.line.text())
        .collect::<Vec<_>>()
        .join("\n");
    if let Some((issuer, _)) = fields::issuer_in(&text)
        && let Some(c) = issuer
            .currency
            .as_deref()
            .and_then(|c| Currency::parse(c).ok())
    {
        return (Some(c), "issuer_list");
    }
    match fallback {
        Some(c) => (Some(c), "caller"),
        None => (None, "unknown"),
    }
}
