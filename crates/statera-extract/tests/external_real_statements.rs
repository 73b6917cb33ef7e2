//! The two real statement PDFs in `../shared/data/real-statements` (anonymised by their
//! publishers, never copied here), read with and without layout hints, compared with the
//! expected output their README describes: USAA's hand-read transactions and balances, and
//! the monopoly project's CSV for the card statement.
//! Required in CI (`CI=true` and the data missing is a failure); skipped elsewhere.

use std::path::{Path, PathBuf};

use serde_json::Value;
use statera_extract::{Options, extract};
use statera_model::{Direction, Statement};

fn data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/real-statements");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI requires ../shared/data (missing: {})",
        dir.display()
    );
    eprintln!("skipped: {} is not present", dir.display());
    None
}

fn read(path: &Path, no_layout_hints: bool) -> Statement {
    let bytes = std::fs::read(path).expect("statement readable");
    let options = Options {
        no_layout_hints,
        ..Options::default()
    };
    extract(&bytes, &options).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Credit => "credit",
        Direction::Debit => "debit",
    }
}

#[test]
fn usaa_checking_reads_as_printed() {
    let Some(dir) = data() else { return };
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("usaa-checking-2013.expected.json")).unwrap(),
    )
    .unwrap();
    for hints in [false, true] {
        let s = read(&dir.join("usaa-checking-2013.pdf"), hints);
        assert_eq!(s.currency.code(), expected["currency"], "currency");
        assert_eq!(
            s.opening_balance.map(|a| a.to_string()).as_deref(),
            expected["opening_balance"].as_str(),
            "opening balance"
        );
        assert_eq!(
            s.closing_balance.map(|a| a.to_string()).as_deref(),
            expected["closing_balance"].as_str(),
            "closing balance"
        );
        let mut want: Vec<(String, String, String, String)> =
            expected["transactions_in_printed_order"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    (
                        t["date"].as_str().unwrap().to_owned(),
                        t["amount"].as_str().unwrap().to_owned(),
                        t["direction"].as_str().unwrap().to_owned(),
                        t["description"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
        let mut got: Vec<(String, String, String, String)> = s
            .transactions
            .iter()
            .map(|t| {
                (
                    t.date.to_string(),
                    t.amount.to_string(),
                    direction(t.direction).to_owned(),
                    t.description.clone(),
                )
            })
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "transactions (no_layout_hints = {hints})");
        // The daily balance table is a check, never transactions; the balance equation holds.
        assert_eq!(s.reconciliation.balance_equation_holds, Some(true));
    }
}

#[test]
fn card_statement_reads_like_the_monopoly_csv() {
    let Some(dir) = data() else { return };
    let csv = std::fs::read_to_string(dir.join("monopoly-credit-card-example.raw.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    // date (DD/MM), description, amount (debits negative); the first row is the previous
    // balance, which a statement reads as its opening balance, not a transaction.
    let rows: Vec<(String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[1].to_owned(), r[2].to_owned())
        })
        .collect();
    let (previous, rows) = rows.split_first().unwrap();
    assert_eq!(previous.1, "LAST MONTH'S BALANCE");
    for hints in [false, true] {
        let s = read(&dir.join("monopoly-credit-card-example.pdf"), hints);
        let mut want: Vec<(String, String, String)> = rows
            .iter()
            .map(|(date, description, amount)| {
                let cents: i64 = {
                    let d: rust_decimal_free::Dec = amount.parse().unwrap();
                    d.0
                };
                (date.clone(), description.clone(), cents.to_string())
            })
            .collect();
        let mut got: Vec<(String, String, String)> = s
            .transactions
            .iter()
            .map(|t| {
                let signed = t.signed_amount().rescale(2).unwrap().minor();
                (
                    t.date.format("%d/%m").to_string(),
                    t.description.clone(),
                    signed.to_string(),
                )
            })
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "transactions (no_layout_hints = {hints})");
        // The previous balance is owed: the holder's opening balance is its negative.
        let opening: rust_decimal_free::Dec = previous.2.parse().unwrap();
        assert_eq!(
            s.opening_balance.map(|a| a.rescale(2).unwrap().minor()),
            Some(opening.0)
        );
    }
}

/// Decimal strings as the CSV prints them (`-4.2`, `412.16`) in cents, without floats.
mod rust_decimal_free {
    pub struct Dec(pub i64);

    impl std::str::FromStr for Dec {
        type Err = String;
        fn from_str(s: &str) -> Result<Self, String> {
            let (negative, digits) = match s.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, s),
            };
            let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
            if frac.len() > 2 {
                return Err(format!("more than two decimals: {s}"));
            }
            let whole: i64 = whole.parse().map_err(|_| s.to_owned())?;
            let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| s.to_owned())?;
            let cents = whole * 100 + frac;
            Ok(Dec(if negative { -cents } else { cents }))
        }
    }
}
