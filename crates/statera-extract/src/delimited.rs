//! Delimited text exports (CSV, semicolon and tab separated) → a Statement. The column
//! mapping is inferred from header words in English, French, Spanish and German, or given
//! explicitly; the delimiter, decimal separator and date order are inferred from the
//! whole file, not from its first row.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use statera_model::{Currency, Direction, Statement, Transaction};

use crate::amount::{Marker, parse_printed};
use crate::checks;
use crate::{ExtractError, Options};

/// Which column holds what. Columns are 0-based indices into each record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    pub date: Option<usize>,
    pub description: Vec<usize>,
    /// One signed amount column…
    pub amount: Option<usize>,
    /// …or a debit and a credit column.
    pub debit: Option<usize>,
    pub credit: Option<usize>,
    pub balance: Option<usize>,
    pub currency: Option<usize>,
    pub reference: Option<usize>,
    pub account: Option<usize>,
}

/// A column named by the user: a header name (case-insensitive) or a 1-based number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnRef {
    Name(String),
    Number(usize),
}

/// `field=column` pairs as the CLI's `--csv-map` takes them, e.g.
/// `date=Booking Date,description=Details,debit=3,credit=4`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MappingSpec(pub Vec<(String, ColumnRef)>);

impl std::fmt::Display for MappingSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (field, column)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match column {
                ColumnRef::Name(name) => write!(f, "{field}={name}")?,
                ColumnRef::Number(n) => write!(f, "{field}={n}")?,
            }
        }
        Ok(())
    }
}

impl MappingSpec {
    pub const FIELDS: [&'static str; 9] = [
        "date",
        "description",
        "amount",
        "debit",
        "credit",
        "balance",
        "currency",
        "reference",
        "account",
    ];

    /// Parses `field=column,…`; unknown fields are an error naming the known ones.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut pairs = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, column) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?} is not field=column"))?;
            let field = field.trim().to_lowercase();
            if !Self::FIELDS.contains(&field.as_str()) {
                return Err(format!(
                    "unknown field {field:?}; known: {}",
                    Self::FIELDS.join(", ")
                ));
            }
            let column = column.trim();
            let column = match column.parse::<usize>() {
                Ok(0) => return Err("column numbers start at 1".into()),
                Ok(n) => ColumnRef::Number(n),
                Err(_) => ColumnRef::Name(column.to_owned()),
            };
            pairs.push((field, column));
        }
        Ok(Self(pairs))
    }

    fn resolve(&self, header: &[String]) -> Result<Mapping, ExtractError> {
        let mut mapping = Mapping::default();
        for (field, column) in &self.0 {
            let index = match column {
                ColumnRef::Number(n) if *n <= header.len() => n - 1,
                ColumnRef::Name(name) => header
                    .iter()
                    .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
                    .ok_or_else(|| {
                        ExtractError::UnsupportedLayout(format!(
                            "the mapping names column {name:?}, which the header does not have"
                        ))
                    })?,
                ColumnRef::Number(n) => {
                    return Err(ExtractError::UnsupportedLayout(format!(
                        "the mapping names column {n}, but rows have {} columns",
                        header.len()
                    )));
                }
            };
            match field.as_str() {
                "date" => mapping.date = Some(index),
                "description" => mapping.description.push(index),
                "amount" => mapping.amount = Some(index),
                "debit" => mapping.debit = Some(index),
                "credit" => mapping.credit = Some(index),
                "balance" => mapping.balance = Some(index),
                "currency" => mapping.currency = Some(index),
                "reference" => mapping.reference = Some(index),
                _ => mapping.account = Some(index),
            }
        }
        Ok(mapping)
    }
}

/// Header words per field, normalised (lower case, no accents). Longer phrases first.
const HEADERS: &[(&str, &[&str])] = &[
    (
        "date",
        &[
            "booking date",
            "transaction date",
            "posting date",
            "posted date",
            "trans date",
            "txn date",
            "date operation",
            "date de l operation",
            "fecha operacion",
            "fecha valor",
            "buchungstag",
            "buchungsdatum",
            "datum",
            "fecha",
            "date",
        ],
    ),
    (
        "description",
        &[
            "transaction details",
            "description",
            "details",
            "narration",
            "narrative",
            "particulars",
            "remarks",
            "memo",
            "libelle",
            "concepto",
            "verwendungszweck",
            "beschreibung",
            "descripcion",
            "payee",
            "name",
        ],
    ),
    (
        "debit",
        &[
            "money out",
            "paid out",
            "withdrawals",
            "withdrawal",
            "debit amount",
            "debits",
            "debit",
            "cargo",
            "cargos",
            "debe",
            "soll",
            "dr",
        ],
    ),
    (
        "credit",
        &[
            "money in",
            "paid in",
            "deposits",
            "deposit",
            "lodgements",
            "lodgement",
            "credit amount",
            "credits",
            "credit",
            "abono",
            "abonos",
            "haber",
            "haben",
            "cr",
        ],
    ),
    (
        "amount",
        &[
            "transaction amount",
            "amount",
            "betrag",
            "importe",
            "montant",
            "monto",
            "value",
        ],
    ),
    (
        "balance",
        &["running balance", "balance", "solde", "saldo", "kontostand"],
    ),
    (
        "currency",
        &[
            "currency", "ccy", "devise", "moneda", "divisa", "wahrung", "waehrung",
        ],
    ),
    (
        "reference",
        &[
            "reference",
            "referencia",
            "ref",
            "transaction id",
            "id",
            "cheque no",
            "check number",
        ],
    ),
    ("account", &["iban", "account", "cuenta", "compte", "konto"]),
];

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Lowercase, accents folded, punctuation to spaces, spaces collapsed.
fn normalise(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' | 'Â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Î' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'Ó' | 'Ô' | 'Ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ñ' | 'Ñ' => 'n',
            c if c.is_alphanumeric() => c.to_ascii_lowercase(),
            _ => ' ',
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn field_of(header: &str) -> Option<&'static str> {
    let header = normalise(header);
    if header.is_empty() {
        return None;
    }
    // An exact match wins; else a header that starts with a known phrase ("date valeur").
    HEADERS
        .iter()
        .find(|(_, words)| words.contains(&header.as_str()))
        .or_else(|| {
            HEADERS.iter().find(|(_, words)| {
                words
                    .iter()
                    .any(|w| header.starts_with(&format!("{w} ")) && w.len() > 2)
            })
        })
        .map(|(field, _)| *field)
}

/// Infers the mapping from a header row; `None` when it does not look like one.
fn infer_mapping(header: &[String]) -> Option<Mapping> {
    let mut mapping = Mapping::default();
    let mut found = 0;
    for (i, cell) in header.iter().enumerate() {
        let Some(field) = field_of(cell) else {
            continue;
        };
        let slot = match field {
            "date" => &mut mapping.date,
            "amount" => &mut mapping.amount,
            "debit" => &mut mapping.debit,
            "credit" => &mut mapping.credit,
            "balance" => &mut mapping.balance,
            "currency" => &mut mapping.currency,
            "reference" => &mut mapping.reference,
            "account" => &mut mapping.account,
            _ => {
                mapping.description.push(i);
                found += 1;
                continue;
            }
        };
        // The first column of a kind wins (a "Value Date" after "Booking Date").
        if slot.is_none() {
            *slot = Some(i);
            found += 1;
        }
    }
    let has_amount =
        mapping.amount.is_some() || mapping.debit.is_some() || mapping.credit.is_some();
    (found >= 2 && mapping.date.is_some() && has_amount).then_some(mapping)
}

/// Decodes UTF-8 (with or without BOM), falling back to Windows-1252 / Latin-1.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// The delimiter that splits the first lines into the same number (> 1) of fields.
fn sniff_delimiter(text: &str) -> Option<u8> {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    if lines.len() < 2 {
        return None;
    }
    DELIMITERS
        .iter()
        .copied()
        .filter_map(|d| {
            let joined = lines.join("\n");
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(d)
                .has_headers(false)
                .flexible(true)
                .from_reader(joined.as_bytes());
            let counts: Vec<usize> = reader
                .records()
                .map_while(Result::ok)
                .map(|r| r.len())
                .collect();
            let widest = *counts.iter().max()?;
            let consistent = counts.iter().filter(|c| **c == widest).count();
            (widest > 1 && consistent * 10 >= counts.len() * 6).then_some((d, widest, consistent))
        })
        .max_by_key(|(_, widest, consistent)| (*consistent, *widest))
        .map(|(d, _, _)| d)
}

/// True when the bytes read as delimited text with a consistent delimiter.
pub fn looks_delimited(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(16 * 1024)];
    let text = decode(head);
    let printable = text
        .chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .count();
    printable * 100 >= text.chars().count() * 98 && sniff_delimiter(&text).is_some()
}

/// Which character separates decimals, decided over every amount in the file.
pub(crate) fn decimal_comma(samples: &[&str]) -> bool {
    let (mut comma, mut point) = (0, 0);
    for sample in samples {
        let digits_after = |sep: char| {
            sample.rfind(sep).map(|i| {
                sample[i + 1..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .count()
            })
        };
        let last_comma = sample.rfind(',');
        let last_point = sample.rfind('.');
        match (last_comma, last_point) {
            (Some(c), Some(p)) if c > p => comma += 1,
            (Some(_), Some(_)) => point += 1,
            (Some(_), None) if digits_after(',') != Some(3) => comma += 1,
            (None, Some(_)) if digits_after('.') != Some(3) => point += 1,
            _ => {}
        }
    }
    comma > point
}

/// `1.234,56` → `1,234.56` so the printed-amount parser reads it.
pub(crate) fn to_point_decimal(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '.' => ',',
            ',' => '.',
            ' ' | '\u{00A0}' | '\u{202F}' | '\'' => ',',
            c => c,
        })
        .collect()
}

const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%d/%m/%y", "%m/%d/%y",
    "%d.%m.%y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%b %d %Y", "%Y%m%d",
];

/// The date part of a cell (`2024-01-05T10:00:00`, `05/01/2024 10:00` → the date text).
pub(crate) fn date_text(cell: &str) -> &str {
    let cell = cell.trim();
    let cut = cell.find('T').filter(|i| *i >= 8).or_else(|| {
        // "05/01/2024 10:00": drop a trailing time, keep "05 Jan 2024".
        cell.rfind(' ').filter(|i| cell[i + 1..].contains(':'))
    });
    cut.map_or(cell, |i| &cell[..i]).trim_end_matches(',')
}

/// The first format that reads every date; day-first before month-first unless the
/// currency is USD (the US writes month first).
pub(crate) fn infer_date_format(
    samples: &[&str],
    currency: Option<Currency>,
) -> Option<&'static str> {
    let mut formats: Vec<&'static str> = DATE_FORMATS.to_vec();
    if currency == Some(Currency::USD) {
        formats.sort_by_key(|f| !f.starts_with("%m"));
    }
    formats.into_iter().find(|format| {
        !samples.is_empty()
            && samples
                .iter()
                .all(|s| NaiveDate::parse_from_str(&s.replace(',', ""), format).is_ok())
    })
}

fn currency_from_symbols(samples: &[&str]) -> Option<Currency> {
    let all = samples.concat();
    [
        ("€", Currency::EUR),
        ("£", Currency::GBP),
        ("₦", Currency::NGN),
        ("KES", Currency::KES),
        ("KSh", Currency::KES),
        ("$", Currency::USD),
    ]
    .into_iter()
    .find(|(symbol, _)| all.contains(symbol))
    .map(|(_, currency)| currency)
}

/// Reads a delimited statement export.
pub fn read(bytes: &[u8], options: &Options) -> Result<Statement, ExtractError> {
    let text = decode(bytes);
    let delimiter = sniff_delimiter(&text).ok_or(ExtractError::NotPdf)?;
    let records: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .map(|r| {
            r.iter()
                .map(|c| c.trim().to_owned())
                .collect::<Vec<String>>()
        })
        .collect();

    // The header is the first row that names a date and an amount (exports often put
    // account details above it).
    let (header_index, mapping, layout) = match &options.csv_mapping {
        // An explicit mapping names the columns of the first row.
        Some(spec) => {
            let first = records
                .iter()
                .position(|r| r.iter().any(|c| !c.is_empty()))
                .unwrap_or(0);
            let header = records.get(first).cloned().unwrap_or_default();
            (first, spec.resolve(&header)?, "csv_mapped")
        }
        None => records
            .iter()
            .take(50)
            .enumerate()
            .find_map(|(i, r)| infer_mapping(r).map(|m| (i, m, "csv_inferred")))
            .ok_or_else(|| {
                ExtractError::UnsupportedLayout(
                    "no header row naming a date and an amount column; pass an explicit mapping"
                        .into(),
                )
            })?,
    };
    let body: Vec<(usize, &Vec<String>)> = records
        .iter()
        .enumerate()
        .skip(header_index + 1)
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
        .collect();
    read_records(&mapping, &body, layout, options)
}

/// Reads the records under the header once the mapping is known.
fn read_records(
    mapping: &Mapping,
    body: &[(usize, &Vec<String>)],
    layout: &str,
    options: &Options,
) -> Result<Statement, ExtractError> {
    let cell = |record: &Vec<String>, column: Option<usize>| -> String {
        column
            .and_then(|i| record.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let amount_cells: Vec<String> = body
        .iter()
        .flat_map(|(_, r)| {
            [
                mapping.amount,
                mapping.debit,
                mapping.credit,
                mapping.balance,
            ]
            .into_iter()
            .map(|c| cell(r, c))
        })
        .filter(|c| !c.is_empty())
        .collect();
    let amount_refs: Vec<&str> = amount_cells.iter().map(String::as_str).collect();
    let comma = decimal_comma(&amount_refs);

    // Currency: a currency column's usual value, else a symbol in the amounts, else the
    // caller's. Rows in another currency are set aside, never summed in.
    let currencies: Vec<String> = body
        .iter()
        .map(|(_, r)| cell(r, mapping.currency).to_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    let usual_currency = most_common(&currencies).and_then(|c| Currency::parse(&c).ok());
    let currency = usual_currency
        .or_else(|| currency_from_symbols(&amount_refs))
        .or(options.currency)
        .ok_or_else(|| {
            ExtractError::UnsupportedLayout(
                "the file names no currency; give one (--currency)".into(),
            )
        })?;
    let scale = currency.minor_units();

    let date_cells: Vec<&str> = body
        .iter()
        .filter_map(|(_, r)| mapping.date.and_then(|i| r.get(i)))
        .map(|c| date_text(c))
        .filter(|c| {
            !c.is_empty()
                && c.chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_alphanumeric())
        })
        .filter(|c| c.chars().any(|ch| ch.is_ascii_digit()))
        .collect();
    let date_format = infer_date_format(&date_cells, Some(currency)).or_else(|| {
        // A few bad cells (a totals row) must not hide the format of the rest.
        DATE_FORMATS.iter().copied().max_by_key(|f| {
            date_cells
                .iter()
                .filter(|s| NaiveDate::parse_from_str(&s.replace(',', ""), f).is_ok())
                .count()
        })
    });

    let parse_amount = |text: &str| -> Option<crate::amount::PrintedAmount> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let text = if comma {
            to_point_decimal(text)
        } else {
            text.to_owned()
        };
        let stripped: String = text.chars().filter(|c| *c != ' ').collect();
        // Exports often drop trailing zeros ("12.5") or decimals ("1200"); pad them.
        parse_printed(&stripped, scale)
            .or_else(|| parse_printed(&pad_decimals(&stripped, scale), scale))
    };

    let mut transactions = Vec::new();
    let mut unreadable = Vec::new();
    let mut printed_opening = None;
    let mut printed_closing = None;
    for (index, record) in body {
        let line = *index as u32 + 1;
        let row_text = record.join(" | ");
        let date = date_format.and_then(|f| {
            let text = mapping
                .date
                .and_then(|i| record.get(i))
                .map(|c| date_text(c))?;
            NaiveDate::parse_from_str(&text.replace(',', ""), f).ok()
        });
        let Some(date) = date else {
            let lowered = normalise(&row_text);
            let balance = parse_amount(&cell(record, mapping.balance))
                .or_else(|| parse_amount(&cell(record, mapping.amount)))
                .map(|p| p.signed());
            if lowered.contains("opening balance")
                || lowered.contains("brought forward")
                || lowered.contains("solde initial")
                || lowered.contains("saldo inicial")
            {
                printed_opening = balance;
            } else if lowered.contains("closing balance")
                || lowered.contains("carried forward")
                || lowered.contains("solde final")
                || lowered.contains("saldo final")
            {
                printed_closing = balance;
            } else if !lowered.starts_with("total") {
                unreadable.push((0, line, row_text, "unreadable date".to_owned()));
            }
            continue;
        };
        let row_currency = cell(record, mapping.currency).to_uppercase();
        if !row_currency.is_empty() && row_currency != currency.code() {
            unreadable.push((
                0,
                line,
                row_text,
                format!("in {row_currency}, not {currency}"),
            ));
            continue;
        }
        let debit = cell(record, mapping.debit);
        let credit = cell(record, mapping.credit);
        let single = cell(record, mapping.amount);
        let outcome = if mapping.amount.is_some() && !single.is_empty() {
            parse_amount(&single).map(|p| {
                let is_debit = match p.marker {
                    Some(Marker::Debit) => true,
                    Some(Marker::Credit) => false,
                    None => p.negative,
                };
                (
                    p.value,
                    if is_debit {
                        Direction::Debit
                    } else {
                        Direction::Credit
                    },
                )
            })
        } else {
            match (parse_amount(&debit), parse_amount(&credit)) {
                (Some(d), _) if !d.value.is_zero() => Some((d.value, Direction::Debit)),
                (_, Some(c)) => Some((c.value, Direction::Credit)),
                (Some(d), None) => Some((d.value, Direction::Credit)),
                (None, None) => None,
            }
        };
        let Some((amount, direction)) = outcome else {
            unreadable.push((0, line, row_text, "unreadable amount".to_owned()));
            continue;
        };
        let description = mapping
            .description
            .iter()
            .filter_map(|i| record.get(*i))
            .filter(|c| !c.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let non_empty = |s: String| (!s.is_empty()).then_some(s);
        transactions.push(Transaction {
            date,
            time: None,
            reference: non_empty(cell(record, mapping.reference)),
            description,
            status: None,
            amount,
            direction,
            balance: parse_amount(&cell(record, mapping.balance)).map(|p| p.signed()),
            page: 0,
            line,
        });
    }
    if transactions.is_empty() && unreadable.is_empty() {
        return Err(ExtractError::NotABankStatement {
            document_type: None,
        });
    }
    // Newest-first exports are turned around, keeping same-day rows in file order.
    if transactions.first().map(|t| t.date) > transactions.last().map(|t| t.date) {
        transactions.reverse();
    }

    let accounts: BTreeSet<String> = body
        .iter()
        .map(|(_, r)| cell(r, mapping.account))
        .filter(|a| !a.is_empty())
        .collect();
    let source = checks::RowSource {
        format: "csv",
        layout: layout.into(),
        provider: "csv",
        institution: None,
        account_number: (accounts.len() == 1)
            .then(|| accounts.into_iter().next().unwrap_or_default()),
    };
    Ok(checks::row_statement(
        source,
        currency,
        transactions,
        printed_opening,
        printed_closing,
        unreadable,
    ))
}

/// `12.5` → `12.50`, `1200` → `1200.00` (only plain digits with fewer decimals).
fn pad_decimals(text: &str, scale: u8) -> String {
    let scale = usize::from(scale);
    let (body, suffix) = match text.find(|c: char| c.is_ascii_alphabetic() || c == ')') {
        Some(i) => text.split_at(i),
        None => (text, ""),
    };
    let padded = match body.rsplit_once('.') {
        Some((int, frac)) if frac.len() < scale && frac.chars().all(|c| c.is_ascii_digit()) => {
            format!("{int}.{frac:0<scale$}")
        }
        None if scale > 0 && body.chars().any(|c| c.is_ascii_digit()) => {
            format!("{body}.{}", "0".repeat(scale))
        }
        _ => body.to_owned(),
    };
    format!("{padded}{suffix}")
}

fn most_common(values: &[String]) -> Option<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for v in values {
        *counts.entry(v.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(v, _)| v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Statement, ExtractError> {
        read(text.as_bytes(), &Options::default())
    }

    fn amounts(s: &Statement) -> Vec<String> {
        s.transactions
            .iter()
            .map(|t| t.signed_amount().to_string())
            .collect()
    }

    #[test]
    fn english_signed_amounts_with_balance() {
        let s = read_text(
            "Date,Description,Amount,Currency,Balance\n2026-03-20,Salary,2500.00,EUR,5000.00\n2026-03-21,Rent,-1200.00,EUR,3800.00\n",
        )
        .unwrap();
        assert_eq!(amounts(&s), ["2500.00", "-1200.00"]);
        assert_eq!(s.currency, Currency::EUR);
        assert_eq!(s.opening_balance.unwrap().to_string(), "2500.00");
        assert!(s.reconciliation.chain_breaks.is_empty());
        assert_eq!(s.confidence.score, 1.0);
    }

    #[test]
    fn european_decimals_french_headers_and_split_columns() {
        let s = read_text(
            "Date opération;Libellé;Débit;Crédit;Devise\n02/04/2026;Loyer;1.234,56;;EUR\n05/04/2026;Salaire;;3.500,00;EUR\n",
        )
        .unwrap();
        assert_eq!(amounts(&s), ["-1234.56", "3500.00"]);
        assert_eq!(s.transactions[0].date.to_string(), "2026-04-02");
        assert_eq!(s.transactions[0].description, "Loyer");
    }

    #[test]
    fn day_and_month_order_comes_from_the_whole_file() {
        let s = read_text("Date,Description,Amount\n03/04/2026,A,1.00 €\n25/04/2026,B,2.00 €\n")
            .unwrap();
        assert_eq!(s.transactions[0].date.to_string(), "2026-04-03");
        let us = read(
            b"Date,Description,Amount\n04/03/2026,A,1.00\n04/25/2026,B,2.00\n",
            &Options {
                currency: Some(Currency::USD),
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(us.transactions[0].date.to_string(), "2026-04-03");
    }

    #[test]
    fn a_garbled_amount_is_reported_not_dropped_silently() {
        let s = read_text(
            "Date,Description,Amount,Currency\n2026-04-02,Valid row,100.00,EUR\n2026-04-03,Garbled row,12..34,EUR\n",
        )
        .unwrap();
        assert_eq!(s.transactions.len(), 1);
        let reason = s
            .confidence
            .reasons
            .iter()
            .find(|r| r.code == "unreadable_rows")
            .unwrap();
        assert!(reason.message.contains("Garbled row"), "{}", reason.message);
    }

    #[test]
    fn newest_first_exports_are_turned_around_and_no_currency_is_an_error() {
        let s =
            read_text("Date,Details,Amount,CCY\n2026-04-05,B,-2.00,GBP\n2026-04-01,A,5.00,GBP\n")
                .unwrap();
        assert_eq!(s.transactions[0].description, "A");
        let error = read_text("Date,Details,Amount\n2026-04-05,B,-2.00\n").unwrap_err();
        assert_eq!(error.code(), "unsupported_layout");
    }

    #[test]
    fn explicit_mappings_by_name_and_number() {
        let spec = MappingSpec::parse("date=When, description=2, amount=What").unwrap();
        let s = read(
            b"When;Who;What\n2026-01-02;Shop;-3,50\n",
            &Options {
                currency: Some(Currency::EUR),
                csv_mapping: Some(spec),
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(amounts(&s), ["-3.50"]);
        assert_eq!(s.transactions[0].description, "Shop");
        assert!(MappingSpec::parse("colour=1").is_err());
        assert!(MappingSpec::parse("date=0").is_err());
    }

    #[test]
    fn text_that_is_not_delimited_is_not_taken_for_csv() {
        assert!(!looks_delimited(
            b"Dear customer\nyour statement is attached\n"
        ));
        assert!(looks_delimited(b"a;b;c\n1;2;3\n"));
    }
}
