//! The fixture corpus analysed end to end: for every generated statement, the analysis's
//! summary and monthly cash flow must equal `expected_analysis.json`, which the generator
//! computed from its own data (subset comparison: fields it did not write are not checked).

use std::path::{Path, PathBuf};

use serde_json::Value;
use statera_analyze::categorise::Categoriser;
use statera_analyze::report::build;
use statera_analyze::score::Scaling;
use statera_extract::{Options, extract};

fn differences(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                match a.get(key) {
                    Some(actual) => differences(value, actual, &format!("{path}.{key}"), out),
                    None => out.push(format!("{path}.{key}: missing")),
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/statements");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flat_map(|source| std::fs::read_dir(source.unwrap().path()).unwrap())
        .map(|case| case.unwrap().path())
        .filter(|case| case.join("expected_analysis.json").exists())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_corpus_statement_analyses_to_its_expected_figures() {
    let cases = cases();
    assert!(
        cases.len() >= 20,
        "only {} cases with expected_analysis.json",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let settings: Value = std::fs::read_to_string(case.join("case.json"))
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or(Value::Null);
        let options = Options {
            password: settings["password"].as_str().map(str::to_owned),
            ..Options::default()
        };
        let statement = extract(&std::fs::read(case.join("input.pdf")).unwrap(), &options).unwrap();
        let report = build(
            &[statement],
            None,
            Categoriser::built_in(),
            Scaling::default(),
        )
        .unwrap();
        let actual = serde_json::to_value(&report).unwrap();
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(case.join("expected_analysis.json")).unwrap(),
        )
        .unwrap();
        let mut problems = Vec::new();
        differences(
            &expected["analysis"],
            &actual["analysis"],
            "analysis",
            &mut problems,
        );
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {:#?}",
                case.display(),
                &problems[..problems.len().min(5)]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
