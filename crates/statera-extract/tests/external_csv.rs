//! The CSV cases of `../shared/data/bankstatementparser-samples` (data nobody on the team
//! wrote). Expectations were read off each file by hand: row counts, credit and debit sums,
//! currency, or the documented error for files that are not statements.
//! Required in CI (`CI=true` and the data missing is a failure); skipped elsewhere.

use std::path::{Path, PathBuf};

use statera_extract::{Options, extract_all};

fn data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/bankstatementparser-samples/tests/test_data");
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

enum Want {
    /// transactions, credits, debits, currency
    Statement(usize, &'static str, &'static str, &'static str),
    Error(&'static str),
}

const CASES: &[(&str, Want)] = &[
    (
        "sample_statement.csv",
        Want::Statement(2, "2500.00", "1200.00", "EUR"),
    ),
    (
        "sample_split_amounts.csv",
        Want::Statement(2, "1250.50", "200.25", "EUR"),
    ),
    (
        "golden/csv_european_decimals.csv",
        Want::Statement(3, "3500.00", "1239.06", "EUR"),
    ),
    (
        "golden/csv_spanish_headers.csv",
        Want::Statement(3, "3500.00", "1239.06", "EUR"),
    ),
    (
        "golden/csv_french_headers.csv",
        Want::Statement(3, "3500.00", "1239.06", "EUR"),
    ),
    // One valid row; the garbled one is reported in the confidence, not summed.
    (
        "golden/csv_garbled_amount.csv",
        Want::Statement(1, "100.00", "0.00", "EUR"),
    ),
    // A statement summary (one row per statement), not transactions.
    ("camt_file.csv", Want::Error("unsupported_layout")),
    // A single column of payment ids.
    ("pain_file.csv", Want::Error("not_pdf")),
];

#[test]
fn external_csv_cases_read_without_loss() {
    let Some(dir) = data() else { return };
    for (file, want) in CASES {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let result = extract_all(&bytes, &Options::default());
        match (want, result) {
            (Want::Statement(count, credits, debits, currency), Ok(statements)) => {
                assert_eq!(statements.len(), 1, "{file}");
                let s = &statements[0];
                assert_eq!(s.transactions.len(), *count, "{file}");
                assert_eq!(
                    s.reconciliation.credits_total.to_string(),
                    *credits,
                    "{file}"
                );
                assert_eq!(s.reconciliation.debits_total.to_string(), *debits, "{file}");
                assert_eq!(s.currency.code(), *currency, "{file}");
            }
            (Want::Error(code), Err(error)) => assert_eq!(error.code(), *code, "{file}"),
            (_, other) => panic!("{file}: unexpected {other:?}"),
        }
    }
}

#[test]
fn a_garbled_row_lowers_confidence_with_its_line() {
    let Some(dir) = data() else { return };
    let bytes = std::fs::read(dir.join("golden/csv_garbled_amount.csv")).unwrap();
    let s = &extract_all(&bytes, &Options::default()).unwrap()[0];
    assert!(s.confidence.score < 1.0);
    let reason = s
        .confidence
        .reasons
        .iter()
        .find(|r| r.code == "unreadable_rows")
        .expect("the garbled row is reported");
    assert!(reason.message.contains("line 3"), "{}", reason.message);
}
