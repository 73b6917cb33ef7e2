//! The CSV and text cases of `../shared/data/bankstatementparser-samples` (data nobody on the team
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

/// The `eval/` cases: plain-text statements with the upstream project's own expected
/// account, currency, balances and transactions.
#[test]
fn external_text_statements_match_their_expected_output() {
    let Some(dir) = data() else { return };
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.join("eval")).unwrap() {
        let path = entry.unwrap().path();
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let text = case["statement_text"].as_str().unwrap();
        let expected = &case["expected"];
        let statements = extract_all(text.as_bytes(), &Options::default())
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let s = &statements[0];
        let name = path.display();
        assert_eq!(
            s.account_number.as_deref(),
            expected["account_id"].as_str(),
            "{name}"
        );
        assert_eq!(
            s.currency.code(),
            expected["currency"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            s.opening_balance.map(|a| a.to_string()).as_deref(),
            expected["opening_balance"].as_str(),
            "{name}"
        );
        assert_eq!(
            s.closing_balance.map(|a| a.to_string()).as_deref(),
            expected["closing_balance"].as_str(),
            "{name}"
        );
        let want = expected["transactions"].as_array().unwrap();
        assert_eq!(s.transactions.len(), want.len(), "{name}");
        for (t, w) in s.transactions.iter().zip(want) {
            assert_eq!(
                t.date.to_string(),
                w["booking_date"].as_str().unwrap(),
                "{name}"
            );
            assert_eq!(
                t.signed_amount().to_string(),
                w["amount"].as_str().unwrap(),
                "{name}"
            );
            assert_eq!(t.description, w["description"].as_str().unwrap(), "{name}");
        }
        assert_eq!(
            s.reconciliation.balance_equation_holds,
            Some(true),
            "{name}"
        );
        checked += 1;
    }
    assert_eq!(checked, 3);
}
