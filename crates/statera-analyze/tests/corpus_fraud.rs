//! False alarms, measured: every clean statement in the fixture corpus must raise no
//! *content* signal (fingerprint signals are expected on files we generated ourselves), the
//! one generated with the issuer's published fingerprint no fingerprint signal either, and
//! every tampered one must raise the content signals its tampering leaves.

use std::path::{Path, PathBuf};

use serde_json::Value;
use statera_analyze::fraud::{Family, examine};
use statera_extract::{Options, extract};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/statements");
    let mut cases = Vec::new();
    for source in std::fs::read_dir(root).unwrap() {
        for case in std::fs::read_dir(source.unwrap().path()).unwrap() {
            let case = case.unwrap().path();
            let expected = case.join("expected.json");
            if expected.exists()
                && serde_json::from_str::<Value>(&std::fs::read_to_string(expected).unwrap())
                    .unwrap()["statement"]
                    .is_object()
            {
                cases.push(case);
            }
        }
    }
    cases.sort();
    cases
}

#[test]
fn clean_statements_raise_no_content_signal_and_tampered_ones_do() {
    let mut clean = 0;
    let mut tampered = 0;
    let mut genuine = 0;
    let mut problems = Vec::new();
    for case in cases() {
        let settings: Value = std::fs::read_to_string(case.join("case.json"))
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or(Value::Null);
        let bytes = std::fs::read(case.join("input.pdf")).unwrap();
        let options = Options {
            password: settings["password"].as_str().map(str::to_owned),
            ..Options::default()
        };
        let statement = extract(&bytes, &options).unwrap();
        let as_of = statement.transactions.last().unwrap().date;
        let report = examine(&statement, as_of);
        let content: Vec<&str> = report
            .signals
            .iter()
            .filter(|s| s.family == Family::Content)
            .map(|s| s.code)
            .collect();
        if settings["tampered"].as_bool() == Some(true) {
            tampered += 1;
            if report.content_score == 0 {
                problems.push(format!(
                    "{}: tampered, but no content signal",
                    case.display()
                ));
            }
        } else {
            clean += 1;
            if !content.is_empty() {
                problems.push(format!("{}: false alarm {content:?}", case.display()));
            }
            // A statement with the issuer's published fingerprint must not look re-made.
            if settings["genuine_fingerprint"].as_bool() == Some(true) {
                genuine += 1;
                if report.fingerprint_score != 0 {
                    let codes: Vec<&str> = report.signals.iter().map(|s| s.code).collect();
                    problems.push(format!(
                        "{}: fingerprint false alarm {codes:?}",
                        case.display()
                    ));
                }
            }
        }
    }
    assert!(
        clean >= 20 && tampered >= 2 && genuine >= 1,
        "corpus too small: {clean} clean, {tampered} tampered, {genuine} genuine-looking"
    );
    assert!(problems.is_empty(), "{problems:#?}");
}
