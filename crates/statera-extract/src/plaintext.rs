//! Plain-text statements (a bank's text export, or a statement pasted as text): one
//! transaction per line, columns separated by runs of spaces, a date first and the amount
//! (optionally followed by a balance) last; labelled lines above and below carry the
//! account, currency and balances. The decimal separator and date order are inferred over
//! the whole text, as for delimited files.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use statera_model::{Currency, Direction, Statement, Transaction};

use crate::amount::{Marker, PrintedAmount, parse_printed};
use crate::checks;
use crate::delimited::{date_text, decimal_comma, infer_date_format, to_point_decimal};
use crate::{ExtractError, Options};

/// A transaction line: a date, then at least two more fields separated by 2+ spaces.
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[ -][A-Za-z]{3}[ -]\d{2,4})\s{2,}(.+)$")
        .unwrap()
});
static SPLIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s{2,}").unwrap());
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-+(]?[€£$₦]?\s?\d[\d.,' ]*\d?\)?(\s?(CR|DR|Cr|Dr|OD))?$").unwrap()
});

const OPENING: &[&str] = &[
    "opening balance",
    "anfangssaldo",
    "solde initial",
    "saldo inicial",
    "balance b/f",
    "beginning balance",
];
const CLOSING: &[&str] = &[
    "closing balance",
    "endsaldo",
    "solde final",
    "saldo final",
    "ending balance",
];
const CURRENCY: &[&str] = &["currency", "waehrung", "währung", "devise", "moneda"];
const ACCOUNT: &[&str] = &[
    "account number",
    "account no",
    "account",
    "konto",
    "iban",
    "compte",
    "cuenta",
];

/// True when the text has at least one line that reads as a dated transaction.
pub fn looks_like_text_statement(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(&bytes[..bytes.len().min(64 * 1024)]) else {
        return false;
    };
    text.lines().any(|l| {
        ROW.captures(l).is_some_and(|c| {
            SPLIT
                .split(c[2].trim())
                .last()
                .is_some_and(|f| NUMERIC.is_match(f))
        })
    })
}

/// The value of a `Label: value` line whose label is one of `labels`.
fn labelled<'a>(lines: &[&'a str], labels: &[&str]) -> Option<&'a str> {
    lines.iter().find_map(|line| {
        let (label, value) = line.split_once(':')?;
        let label = label.trim().to_lowercase();
        labels.contains(&label.as_str()).then(|| value.trim())
    })
}

pub fn read(bytes: &[u8], options: &Options) -> Result<Statement, ExtractError> {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    // (line number, date text, description, amount text, balance text)
    let mut rows: Vec<(u32, &str, String, &str, Option<&str>)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(caps) = ROW.captures(line) else {
            continue;
        };
        let fields: Vec<&str> = SPLIT
            .split(caps.get(2).map_or("", |m| m.as_str()).trim())
            .collect();
        let numeric_tail = fields
            .iter()
            .rev()
            .take_while(|f| NUMERIC.is_match(f))
            .count();
        if numeric_tail == 0 || numeric_tail == fields.len() {
            continue;
        }
        let (words, numbers) = fields.split_at(fields.len() - numeric_tail.min(2));
        let date = caps.get(1).map_or("", |m| m.as_str());
        let (amount, balance) = match numbers {
            [amount] => (*amount, None),
            [amount, balance] => (*amount, Some(*balance)),
            _ => continue,
        };
        rows.push((i as u32 + 1, date, words.join(" "), amount, balance));
    }
    if rows.is_empty() {
        return Err(ExtractError::NotABankStatement {
            document_type: None,
        });
    }

    let currency_text = labelled(&lines, CURRENCY).map(str::to_uppercase);
    let currency = currency_text
        .as_deref()
        .and_then(|c| Currency::parse(c).ok())
        .or_else(|| {
            text.split(|c: char| !c.is_ascii_alphabetic())
                .find(|w| ["EUR", "GBP", "USD", "KES", "NGN"].contains(w))
                .and_then(|w| Currency::parse(w).ok())
        })
        .or(options.currency)
        .ok_or_else(|| {
            ExtractError::UnsupportedLayout(
                "the text names no currency; give one (--currency)".into(),
            )
        })?;
    let scale = currency.minor_units();

    let mut samples: Vec<&str> = rows.iter().map(|r| r.3).collect();
    samples.extend(rows.iter().filter_map(|r| r.4));
    let opening_text = labelled(&lines, OPENING);
    let closing_text = labelled(&lines, CLOSING);
    samples.extend(opening_text.iter().chain(closing_text.iter()));
    let comma = decimal_comma(&samples);
    let money = |text: &str| -> Option<PrintedAmount> {
        let text = if comma {
            to_point_decimal(text)
        } else {
            text.to_owned()
        };
        parse_printed(&text.replace(' ', ""), scale)
    };

    let dates: Vec<&str> = rows.iter().map(|r| date_text(r.1)).collect();
    let format = infer_date_format(&dates, Some(currency)).ok_or_else(|| {
        ExtractError::UnsupportedLayout("the dates do not share one format".into())
    })?;
    let mut transactions = Vec::new();
    let mut unreadable = Vec::new();
    for (line, date, description, amount, balance) in &rows {
        let date = NaiveDate::parse_from_str(&date.replace(',', ""), format).ok();
        let amount = money(amount);
        let (Some(date), Some(amount)) = (date, amount) else {
            unreadable.push((
                0,
                *line,
                lines[*line as usize - 1].trim().to_owned(),
                "unreadable date or amount".to_owned(),
            ));
            continue;
        };
        let debit = amount.negative || amount.marker == Some(Marker::Debit);
        transactions.push(Transaction {
            date,
            time: None,
            reference: None,
            description: description.clone(),
            status: None,
            amount: amount.value,
            direction: if debit {
                Direction::Debit
            } else {
                Direction::Credit
            },
            balance: balance.and_then(money).map(|p| p.signed()),
            page: 0,
            line: *line,
        });
    }

    let source = checks::RowSource {
        format: "text",
        layout: "text_lines".into(),
        provider: "text",
        institution: lines
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .map(str::to_owned),
        account_number: labelled(&lines, ACCOUNT).map(str::to_owned),
    };
    Ok(checks::row_statement(
        source,
        currency,
        transactions,
        opening_text.and_then(money).map(|p| p.signed()),
        closing_text.and_then(money).map(|p| p.signed()),
        unreadable,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_text_statement_with_european_decimals() {
        let text = "BANK\nKonto: DE89\nWaehrung: EUR\nAnfangssaldo: 2.000,00\n\nBuchungstag  Verwendungszweck  Betrag\n2026-04-01   MIETE APRIL   -1.234,56\n2026-04-05   GEHALT   3.500,00\n\nEndsaldo: 4.265,44\n";
        assert!(looks_like_text_statement(text.as_bytes()));
        let s = read(text.as_bytes(), &Options::default()).unwrap();
        assert_eq!(s.currency, Currency::EUR);
        assert_eq!(s.account_number.as_deref(), Some("DE89"));
        assert_eq!(s.transactions.len(), 2);
        assert_eq!(s.transactions[0].signed_amount().to_string(), "-1234.56");
        assert_eq!(s.opening_balance.unwrap().to_string(), "2000.00");
        assert_eq!(s.reconciliation.balance_equation_holds, Some(true));
    }

    #[test]
    fn prose_is_not_a_statement() {
        assert!(!looks_like_text_statement(
            b"Dear customer,\nthank you for banking with us.\n"
        ));
    }
}
