//! Walks `fixtures/statements/<source>/<case>/` and checks every case: the fields the
//! generator wrote into `expected.json` must equal the extraction's (keys it left out are
//! not compared; arrays must match in length and order). Fields the generator cannot
//! predict are checked by rule: a clean generated statement reconciles, so its confidence
//! is 1 with no reasons, and the layout is one of its provider's.

use std::path::{Path, PathBuf};

use serde_json::Value;
use statera_extract::{Options, extract};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/statements")
}

/// Every difference between `expected` (a subset) and `actual`, as `path: message`.
fn differences(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let child = format!("{path}.{key}");
                match a.get(key) {
                    Some(actual) => differences(value, actual, &child, out),
                    None => out.push(format!("{child}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{path}: {} items expected, {} found",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                differences(e, a, &format!("{path}[{i}]"), out);
            }
        }
        _ if expected != actual => out.push(format!("{path}: expected {expected}, found {actual}")),
        _ => {}
    }
}

fn cases() -> Vec<PathBuf> {
    let mut cases = Vec::new();
    for source in std::fs::read_dir(fixtures()).expect("fixtures/statements exists") {
        let source = source.unwrap().path();
        for case in std::fs::read_dir(&source).unwrap() {
            let case = case.unwrap().path();
            if case.join("expected.json").exists() {
                cases.push(case);
            }
        }
    }
    cases.sort();
    cases
}

fn check_case(case: &Path) -> Vec<String> {
    let input = std::fs::read_dir(case)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_stem().is_some_and(|s| s == "input"))
        .expect("an input.* file");
    let bytes = std::fs::read(&input).unwrap();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(case.join("expected.json")).unwrap())
            .unwrap();
    let settings: Value = std::fs::read_to_string(case.join("case.json"))
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(Value::Null);
    let options = Options {
        password: settings["password"].as_str().map(str::to_owned),
        provider: settings["provider"].as_str().map(str::to_owned),
        ..Options::default()
    };
    let mut problems = Vec::new();
    match (extract(&bytes, &options), &expected) {
        (Ok(statement), Value::Object(e)) if e.contains_key("statement") => {
            let actual = serde_json::to_value(&statement).unwrap();
            differences(&expected["statement"], &actual, "statement", &mut problems);
            let signals: Vec<&str> = settings["expect_signals"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            check_signals(&statement, &signals, &settings, &mut problems);
            let content_tampered = signals.contains(&"chain_break");
            // A statement that prints no running balance cannot be cross-checked; that is
            // the only reason a clean generated statement may lose confidence.
            let prints_balances = statement.transactions.iter().any(|t| t.balance.is_some());
            let unexplained: Vec<_> = statement
                .confidence
                .reasons
                .iter()
                .filter(|r| prints_balances || r.code != "no_running_balance")
                .collect();
            if !content_tampered && !unexplained.is_empty() {
                problems.push(format!(
                    "clean statement, confidence {:?}",
                    statement.confidence
                ));
            }
            let layouts: Vec<String> = statera_extract::providers()
                .into_iter()
                .filter(|p| p.code == statement.provider)
                .map(|p| p.layout)
                .collect();
            if !layouts.contains(&statement.layout) {
                problems.push(format!(
                    "layout {} is not a {} layout",
                    statement.layout, statement.provider
                ));
            }
            if !content_tampered
                && (!statement.reconciliation.chain_breaks.is_empty()
                    || statement.reconciliation.balance_equation_holds == Some(false))
            {
                problems.push("a clean statement does not reconcile".into());
            }
        }
        (Err(error), Value::Object(e)) if e.contains_key("error") => {
            let actual = serde_json::to_value(error.to_body()).unwrap();
            differences(&expected["error"], &actual, "error", &mut problems);
        }
        (Ok(statement), _) => problems.push(format!(
            "expected an error, got a statement with {} transactions",
            statement.transactions.len()
        )),
        (Err(error), _) => problems.push(format!("expected a statement, got {error:?}")),
    }
    if expected.get("generic").is_some() {
        check_generic(&bytes, &options, &expected["statement"], &mut problems);
    }
    problems
}

/// The same case read with the layout removed: the generic table reader must get the
/// transactions, balances, currency and period right on its own.
fn check_generic(bytes: &[u8], options: &Options, expected: &Value, problems: &mut Vec<String>) {
    let options = Options {
        provider: Some("generic".into()),
        ..options.clone()
    };
    match extract(bytes, &options) {
        Ok(statement) => {
            let actual = serde_json::to_value(&statement).unwrap();
            for key in [
                "transactions",
                "opening_balance",
                "closing_balance",
                "currency",
                "period",
            ] {
                if let Some(want) = expected.get(key) {
                    differences(want, &actual[key], &format!("generic.{key}"), problems);
                }
            }
        }
        Err(error) => problems.push(format!("generic reader: {error:?}")),
    }
}

/// Tampered cases say which forensic signals their tampering must leave (`case.json`
/// `expect_signals`); clean cases must leave none of them.
fn check_signals(
    statement: &statera_model::Statement,
    signals: &[&str],
    settings: &Value,
    problems: &mut Vec<String>,
) {
    let f = &statement.forensics;
    let pdf = statement.pdf.as_ref();
    let found = [
        ("overlay", !f.overlays.is_empty()),
        ("font_outlier", !f.font_outliers.is_empty()),
        (
            "chain_break",
            !statement.reconciliation.chain_breaks.is_empty(),
        ),
        (
            "incremental_update",
            pdf.is_some_and(|p| p.revisions > 1) && f.prev_links > 0,
        ),
        ("overprint", !f.overprints.is_empty()),
    ];
    for (signal, present) in found {
        let wanted = signals.contains(&signal);
        if wanted != present {
            problems.push(format!(
                "signal {signal}: expected {wanted}, found {present}"
            ));
        }
    }
    if let Some(covered) = settings["covered_text"].as_str()
        && !f.overlays.iter().any(|o| o.covered_text == covered)
    {
        problems.push(format!("no overlay covers {covered:?}: {:?}", f.overlays));
    }
    if let Some(reference) = settings["tampered_reference"].as_str() {
        let outlier_lines: Vec<(u32, u32)> =
            f.font_outliers.iter().map(|o| (o.page, o.line)).collect();
        let row = statement
            .transactions
            .iter()
            .find(|t| t.reference.as_deref() == Some(reference));
        if !row.is_some_and(|t| outlier_lines.contains(&(t.page, t.line))) {
            problems.push(format!(
                "the tampered row {reference} has no font outlier: {:?}",
                f.font_outliers
            ));
        }
    }
}

#[test]
fn every_corpus_case_extracts_exactly() {
    let cases = cases();
    assert!(
        cases.len() >= 10,
        "the corpus is missing: {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let problems = check_case(case);
        if !problems.is_empty() {
            let shown: Vec<&String> = problems
                .iter()
                .take(
                    std::env::var("CORPUS_SHOW")
                        .ok()
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(5),
                )
                .collect();
            failures.push(format!(
                "{} ({} problems): {shown:#?}",
                case.display(),
                problems.len()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_comparison_notices_differences() {
    let expected: Value = serde_json::json!({"a": "1.00", "list": [{"x": 1}, {"x": 2}]});
    let actual: Value = serde_json::json!({"a": "1.01", "extra": true, "list": [{"x": 1}]});
    let mut problems = Vec::new();
    differences(&expected, &actual, "s", &mut problems);
    assert_eq!(problems.len(), 2, "{problems:?}");
}
