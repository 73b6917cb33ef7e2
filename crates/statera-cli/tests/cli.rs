//! Drives the real `statera` binary: exit codes, error bodies, CSV, and the sandbox on
//! every hostile file in `fixtures/malformed/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_statera")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn statement(case: &str) -> PathBuf {
    fixtures()
        .join("statements/mpesa")
        .join(case)
        .join("input.pdf")
}

fn run(args: &[&str]) -> (Output, Value) {
    let output = Command::new(bin())
        .args(args)
        .output()
        .expect("statera runs");
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output, json)
}

#[test]
fn extracts_a_statement_as_json() {
    let path = statement("email_reportlab_basic");
    let (output, json) = run(&["extract", path.to_str().unwrap()]);
    assert!(output.status.success());
    assert_eq!(json["provider"], "mpesa");
    assert_eq!(json["currency"], "KES");
    let first = &json["transactions"][0];
    assert!(first["amount"].is_string(), "amounts are decimal strings");
    assert!(first["date"].as_str().unwrap().len() == 10);
}

#[test]
fn csv_has_one_row_per_transaction() {
    let path = statement("email_reportlab_basic");
    let (_, json) = run(&["extract", path.to_str().unwrap()]);
    let output = Command::new(bin())
        .args(["extract", path.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "date");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), json["transactions"].as_array().unwrap().len());
    assert_eq!(
        &rows[0][6],
        json["transactions"][0]["amount"].as_str().unwrap()
    );
}

#[test]
fn password_problems_exit_3_with_a_code() {
    let path = fixtures().join("statements/mpesa/enc_rc4_128/input.pdf");
    let path = path.to_str().unwrap();
    let (output, json) = run(&["extract", path]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(json["error"]["code"], "password_required");
    let (output, json) = run(&["extract", path, "--password", "nope"]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(json["error"]["code"], "wrong_password");
    let (output, json) = run(&["extract", path, "--password", "12345678"]);
    assert!(output.status.success());
    assert_eq!(json["pdf"]["encryption"]["algorithm"], "RC4-128");
}

#[test]
fn unreadable_input_exits_4_and_usage_errors_exit_2() {
    let path = fixtures().join("statements/mpesa/app_missing_page/input.pdf");
    let (output, json) = run(&["extract", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(json["error"]["code"], "missing_pages");
    assert_eq!(json["error"]["pages_present"], 3);
    assert_eq!(json["error"]["pages_expected"], 4);

    let (output, json) = run(&["extract", "/no/such/file.pdf"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json["error"]["code"], "file_unreadable");
    let path = statement("email_reportlab_basic");
    let (output, json) = run(&["extract", path.to_str().unwrap(), "--provider", "nobank"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json["error"]["code"], "unknown_provider");
    let (output, _) = run(&["extract"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_sandbox_gives_the_same_statement() {
    let path = statement("app_fpdf2_multipage");
    let path = path.to_str().unwrap();
    let (direct, direct_json) = run(&["extract", path]);
    let (sandboxed, sandboxed_json) = run(&["extract", "--sandbox", path]);
    assert!(direct.status.success() && sandboxed.status.success());
    assert_eq!(direct_json, sandboxed_json);
}

#[test]
fn every_malformed_file_ends_in_its_documented_outcome() {
    let dir = fixtures().join("malformed");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.ends_with(".md") || name == "expected.json" {
            continue;
        }
        let want = expected[&name]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} has no expected outcome"));
        let (output, json) = run(&["extract", "--sandbox", path.to_str().unwrap()]);
        let got = if output.status.success() {
            "ok"
        } else {
            json["error"]["code"].as_str().unwrap_or("no error body")
        };
        if got != want {
            failures.push(format!(
                "{name}: expected {want}, got {got} ({:?})",
                output.status
            ));
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} malformed files");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn repayment_score_reproduces_the_seed_example() {
    let request = r#"{"paymentStartDate": "2023-01-01", "paymentEndDate": "2023-12-31",
        "expectedPaymentDay": 5, "expectedPaymentAmount": 1000,
        "payments": [{"date": "2023-01-01", "amount": 1200}, {"date": "2023-02-05", "amount": 1000},
                     {"date": "2023-03-05", "amount": 1000}, {"date": "2023-04-01", "amount": 1500},
                     {"date": "2023-05-25", "amount": 600}],
        "reference": "Your Reference Here", "scoreBeforeStartDate": true, "client_id": "12345"}"#;
    let path = std::env::temp_dir().join(format!("statera-repayment-{}.json", std::process::id()));
    std::fs::write(&path, request).unwrap();
    let (output, json) = run(&["repayment-score", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert!(output.status.success());
    assert_eq!(json["client_id"], "12345");
    let score = &json["repayment_score"];
    assert_eq!(score["balance"], -7000);
    assert_eq!(score["paidStreak"], 5);
    assert_eq!(score["overDueStreak"], 7);
    let statuses: Vec<&str> = score["scoredMonths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        &statuses[..5],
        ["OVERPAID", "OVERPAID", "OVERPAID", "OVERPAID", "PAID"]
    );
    assert!(statuses[5..].iter().all(|s| *s == "OVERDUE"));

    let (output, json) = run(&["repayment-score", "/no/such/request.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json["error"]["code"], "file_unreadable");
}

#[test]
fn analyze_prints_the_report_as_json_and_text() {
    let path = statement("email_reportlab_dejavu_multipage");
    let path = path.to_str().unwrap();
    let (output, json) = run(&["analyze", path]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let score = json["credit_score"]["score"].as_u64().unwrap();
    assert!((300..=850).contains(&score));
    assert!(json["credit_score"]["risk_tier"]["tier"].is_string());
    assert!(json["analysis"]["cashflow"].as_array().unwrap().len() >= 2);
    assert!(json["fraud"]["score"].as_u64().unwrap() <= 100);
    // Same input, same as_of (the last transaction): the same report.
    let (_, again) = run(&["analyze", path]);
    assert_eq!(json, again);

    // A Statement saved as JSON by `statera extract` analyses the same.
    let (_, extracted) = run(&["extract", path]);
    let saved = std::env::temp_dir().join(format!("statera-analyze-{}.json", std::process::id()));
    std::fs::write(&saved, serde_json::to_vec(&extracted).unwrap()).unwrap();
    let (output, from_json) = run(&["analyze", saved.to_str().unwrap()]);
    std::fs::remove_file(&saved).ok();
    assert!(output.status.success());
    assert_eq!(from_json["credit_score"], json["credit_score"]);

    let output = Command::new(bin())
        .args(["analyze", path, "--format", "text"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Credit score"), "{text}");
}

#[test]
fn operator_rules_override_the_built_in_ones() {
    let rules = r#"
[[rule]]
id = "operator_airtime_is_transport"
category = "transport"
direction = "debit"
description = '^Airtime Purchase'
examples = ["Airtime Purchase"]
"#;
    let file = std::env::temp_dir().join(format!("statera-rules-{}.toml", std::process::id()));
    std::fs::write(&file, rules).unwrap();
    let path = statement("email_reportlab_dejavu_multipage");
    let (output, json) = run(&[
        "analyze",
        path.to_str().unwrap(),
        "--rules",
        file.to_str().unwrap(),
    ]);
    let (_, plain) = run(&["analyze", path.to_str().unwrap()]);
    std::fs::write(&file, "[[rule]]\nid = 1\n").unwrap();
    let (bad, error) = run(&[
        "analyze",
        path.to_str().unwrap(),
        "--rules",
        file.to_str().unwrap(),
    ]);
    std::fs::remove_file(&file).ok();
    assert!(output.status.success());
    let category_of_airtime = |report: &Value| {
        report["analysis"]["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["description"] == "Airtime Purchase")
            .map(|t| t["category"].as_str().unwrap().to_owned())
    };
    assert_eq!(category_of_airtime(&json).as_deref(), Some("transport"));
    assert_eq!(category_of_airtime(&plain).as_deref(), Some("airtime_data"));
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(error["error"]["code"], "invalid_rules");
}

#[test]
fn webhook_verify_checks_a_saved_delivery() {
    let secret = statera_server::webhooks::secret_for(b"test-master-key", 3);
    let body = r#"{"document_id":1,"client_id":2,"business_id":3}"#;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signature = statera_server::webhooks::sign(&secret, "msg_abc", now, body);
    let path = std::env::temp_dir().join(format!("statera-delivery-{}.json", std::process::id()));
    std::fs::write(&path, body).unwrap();
    let args = |sig: &str| {
        vec![
            "webhook".to_owned(),
            "verify".into(),
            path.to_str().unwrap().into(),
            "--secret".into(),
            secret.clone(),
            "--id".into(),
            "msg_abc".into(),
            "--timestamp".into(),
            now.to_string(),
            "--signature".into(),
            sig.to_owned(),
        ]
    };
    let good = Command::new(bin()).args(args(&signature)).output().unwrap();
    let bad = Command::new(bin()).args(args("v1,AAAA")).output().unwrap();
    std::fs::remove_file(&path).ok();
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );
    assert_eq!(bad.status.code(), Some(4));
    let error: Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(error["error"]["code"], "invalid_signature");
}

/// `tenant create` prints every credential once; the store keeps only digests, and the
/// login password only as a salted Argon2id hash.
#[test]
fn tenant_create_shows_credentials_once_and_stores_digests() {
    let dir = std::env::temp_dir().join(format!("statera-tenant-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let create = |extra: &[&str]| {
        Command::new(bin())
            .args(["tenant", "create", "--name", "Acme Lending", "--json"])
            .args(extra)
            .env("STATERA_DATA_DIR", &dir)
            .env_remove("STATERA_DATABASE_URL")
            .output()
            .unwrap()
    };
    let output = create(&[
        "--email",
        "ops@acme.test",
        "--password",
        "hunter2-but-longer",
    ]);
    assert!(output.status.success(), "{output:?}");
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    for field in [
        "api_key",
        "webhook_secret",
        "consumer_key",
        "consumer_secret",
        "oauth_client_id",
        "oauth_client_secret",
    ] {
        assert!(
            printed[field].as_str().is_some_and(|s| s.len() > 10),
            "{field}"
        );
    }
    assert!(printed["tenant_id"].is_i64());
    assert_eq!(printed["email"], "ops@acme.test");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("hunter2"));

    let database = std::fs::read(dir.join("statera.db")).unwrap();
    let wal = std::fs::read(dir.join("statera.db-wal")).unwrap_or_default();
    let stored = [database, wal].concat();
    let contains = |needle: &str| stored.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        contains("$argon2id$"),
        "the password is stored as an Argon2id hash"
    );
    for secret in ["hunter2-but-longer"].into_iter().chain(
        ["api_key", "consumer_secret", "oauth_client_secret"].map(|f| printed[f].as_str().unwrap()),
    ) {
        assert!(!contains(secret), "{secret} is stored in clear");
    }

    let output = create(&["--password", "no-email"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");

    // The same from standard input, kept out of the process list.
    let mut child = Command::new(bin())
        .args(["tenant", "create", "--name", "Stdin Lending", "--json"])
        .args(["--email", "ops@stdin.test", "--password-stdin"])
        .env("STATERA_DATA_DIR", &dir)
        .env_remove("STATERA_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"from-stdin-passphrase\n")
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let database = std::fs::read(dir.join("statera.db")).unwrap();
    let wal = std::fs::read(dir.join("statera.db-wal")).unwrap_or_default();
    let stored = [database, wal].concat();
    let count = |needle: &[u8]| {
        stored
            .windows(needle.len())
            .filter(|w| *w == needle)
            .count()
    };
    assert!(
        count(b"$argon2id$") >= 2,
        "both passwords are stored as hashes"
    );
    assert_eq!(count(b"from-stdin-passphrase"), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
