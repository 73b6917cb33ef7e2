//! The seed-000 API end to end: the real server on port 0, real HTTP, the real sandboxed
//! parser (`CARGO_BIN_EXE_statera`), jobs run on demand instead of by sleeping.
//!
//! Every flow runs twice, as the store conformance suite: on SQLite with the local
//! documents folder, and on PostgreSQL (`STATERA_TEST_POSTGRES_URL`, default the machine's
//! `postgres://postgres@127.0.0.1:5432/test`; each app gets its own schema) with an S3
//! bucket served by a real `s3s-fs` process (`scripts/test` installs it). Neither is
//! skipped when missing: the test fails and says why.

use std::path::{Path, PathBuf};

use base64::Engine;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use statera_server::{AppState, Config, create_tenant};

/// What an app under test stores into.
#[derive(Clone, Copy, Debug)]
enum Backing {
    /// SQLite and the local documents folder: `statera serve` on a fresh machine.
    Local,
    /// PostgreSQL and an S3-compatible bucket: the scale-out configuration.
    Scale,
}

/// Runs a flow `async fn name(backing: Backing)` on both backings.
macro_rules! on_both_backings {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite_and_folder() {
                super::$name(super::Backing::Local).await
            }
            #[tokio::test]
            async fn postgres_and_s3() {
                super::$name(super::Backing::Scale).await
            }
        }
    )*};
}

on_both_backings!(
    keys_are_required_and_providers_are_listed,
    upload_analyse_read_results_and_score,
    password_failures_can_be_retried,
    bad_uploads_get_clear_errors,
    repayment_score_accepts_the_seeds_double_encoded_body,
    the_completion_webhook_is_signed_retried_and_recorded,
    private_webhook_targets_are_refused_unless_allowed,
    a_crashed_workers_job_is_taken_over_and_the_last_attempt_fails_cleanly,
    concurrent_workers_never_claim_the_same_job,
    large_uploads_round_trip_through_storage,
    uploads_beyond_the_cap_wait_then_get_server_busy,
    a_worker_process_killed_mid_job_is_replaced_without_duplicates,
    a_worker_that_outlives_its_lease_writes_nothing,
);

struct TestApp {
    base: String,
    key: String,
    state: AppState,
    http: reqwest::Client,
    _scale: Option<ScaleServices>,
    _dir: TempDir,
}

/// A PostgreSQL schema and an s3s-fs process, both removed when the test ends.
struct ScaleServices {
    admin_url: String,
    schema: String,
    s3: std::process::Child,
}

impl Drop for ScaleServices {
    fn drop(&mut self) {
        let _ = self.s3.kill();
        let _ = self.s3.wait();
        let (url, schema) = (self.admin_url.clone(), self.schema.clone());
        // Drop runs inside the test's runtime: drop the schema from a thread of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                use sqlx::Connection;
                if let Ok(mut connection) = sqlx::PgConnection::connect(&url).await {
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "DROP SCHEMA IF EXISTS {schema} CASCADE"
                    )))
                    .execute(&mut connection)
                    .await;
                }
            });
        })
        .join();
    }
}

fn unique_suffix() -> String {
    format!(
        "{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

/// A fresh schema on the machine's PostgreSQL and a fresh bucket on a new s3s-fs.
async fn scale_services(dir: &Path, config: &mut Config) -> ScaleServices {
    use sqlx::Connection;
    let admin_url = std::env::var("STATERA_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("statera_test_{}", unique_suffix());
    let mut connection = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL at {admin_url} is required for the scale tests (start it with pg_ctlcluster): {e}")
        });
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut connection)
        .await
        .unwrap();
    let separator = if admin_url.contains('?') { '&' } else { '?' };
    config.database_url = Some(format!(
        "{admin_url}{separator}options=-c%20search_path%3D{schema}"
    ));
    config.master_key = Some(b"test master key shared by replicas".to_vec());

    let s3_root = dir.join("s3");
    std::fs::create_dir_all(s3_root.join("statera")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let binary = std::env::var("STATERA_TEST_S3S_FS").unwrap_or_else(|_| {
        let installed =
            Path::new(&std::env::var("HOME").unwrap_or_default()).join(".cargo/bin/s3s-fs");
        if installed.exists() {
            installed.display().to_string()
        } else {
            "s3s-fs".into()
        }
    });
    let s3 = std::process::Command::new(&binary)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", "AK", "--secret-key", "SK"])
        .arg(&s3_root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{binary}: {e} (scripts/test installs s3s-fs 0.14.1)"));
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    config.storage = statera_server::blobs::StorageConfig::S3 {
        url: "s3://statera/tenant-files".into(),
        options: [
            ("aws_endpoint", format!("http://127.0.0.1:{port}")),
            ("aws_access_key_id", "AK".into()),
            ("aws_secret_access_key", "SK".into()),
            ("aws_region", "us-east-1".into()),
            ("aws_allow_http", "true".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
    };
    ScaleServices {
        admin_url,
        schema,
        s3,
    }
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fixture(case: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/statements")
            .join(case)
            .join("input.pdf"),
    )
    .unwrap()
}

impl TestApp {
    async fn spawn(backing: Backing, max_upload_bytes: usize) -> TestApp {
        Self::spawn_with(backing, max_upload_bytes, true).await
    }

    async fn spawn_with(backing: Backing, max_upload_bytes: usize, allow_private: bool) -> TestApp {
        Self::spawn_configured(backing, |config| {
            config.max_upload_bytes = max_upload_bytes;
            config.webhook_allow_private = allow_private;
        })
        .await
    }

    async fn spawn_configured(backing: Backing, configure: impl FnOnce(&mut Config)) -> TestApp {
        let dir = std::env::temp_dir().join(format!("statera-api-{}", unique_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut config = Config::new(&dir, env!("CARGO_BIN_EXE_statera"));
        let scale = match backing {
            Backing::Local => None,
            Backing::Scale => Some(scale_services(&dir, &mut config).await),
        };
        config.run_worker = false;
        config.webhook_allow_private = true;
        // Retry at once, twice, so tests need no sleeps.
        config.webhook_schedule = vec![std::time::Duration::ZERO, std::time::Duration::ZERO];
        configure(&mut config);
        let state = AppState::open(config).await.unwrap();
        let expected = match backing {
            Backing::Local => statera_server::store::Backend::Sqlite,
            Backing::Scale => statera_server::store::Backend::Postgres,
        };
        assert_eq!(state.store.backend, expected);
        let credentials = create_tenant(&state.db, &state.master_key, "Test Lender", None, None)
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(statera_server::run(state.clone(), listener));
        TestApp {
            base,
            key: credentials.api_key,
            state,
            http: reqwest::Client::new(),
            _scale: scale,
            _dir: TempDir(dir),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = self
            .http
            .get(self.url(path))
            .header("X-API-Key", &self.key)
            .send()
            .await
            .unwrap();
        (
            response.status(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    async fn post_json(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        let response = self
            .http
            .post(self.url(path))
            .header("X-API-Key", &self.key)
            .json(body)
            .send()
            .await
            .unwrap();
        (
            response.status(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    async fn client(&self) -> i64 {
        let (status, client) = self
            .post_json("/v1/clients", &json!({"first_name": "Jane", "last_name": "Doe", "phone_number": "0712345678", "email": "jane@example.com", "national_id": "12345678"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{client}");
        assert_eq!(client["full_name"], "Jane Doe");
        client["id"].as_i64().unwrap()
    }

    /// A new client and the basic M-Pesa statement uploaded for it with `webhook`.
    async fn statement_with_webhook(&self, webhook: &str) -> (i64, i64) {
        let client_id = self.client().await;
        let (status, document) = self
            .upload_with_webhook(
                client_id,
                fixture("mpesa/email_reportlab_basic"),
                "",
                Some(webhook),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{document}");
        (client_id, document["id"].as_i64().unwrap())
    }

    async fn upload(&self, client_id: i64, bytes: Vec<u8>, password: &str) -> (StatusCode, Value) {
        self.upload_with_webhook(client_id, bytes, password, None)
            .await
    }

    async fn upload_with_webhook(
        &self,
        client_id: i64,
        bytes: Vec<u8>,
        password: &str,
        webhook: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut form = Form::new()
            .part("file", Part::bytes(bytes).file_name("statement.pdf"))
            .text("client_id", client_id.to_string())
            .text("provider", "mpesa")
            .text("password", password.to_owned());
        if let Some(url) = webhook {
            form = form.text("webhook", url.to_owned());
        }
        let response = self
            .http
            .post(self.url("/v1/documents"))
            .header("X-API-Key", &self.key)
            .multipart(form)
            .send()
            .await
            .unwrap();
        (
            response.status(),
            response.json().await.unwrap_or(Value::Null),
        )
    }
}

async fn keys_are_required_and_providers_are_listed(backing: Backing) {
    let app = TestApp::spawn(backing, 25 << 20).await;
    let response = app
        .http
        .get(app.url("/v1/providers/"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = app
        .http
        .get(app.url("/v1/providers"))
        .header("X-API-Key", "sk_wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = app
        .http
        .get(app.url("/v1/providers/"))
        .bearer_auth(&app.key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let providers: Value = response.json().await.unwrap();
    assert!(
        providers
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "mpesa")
    );
}

async fn upload_analyse_read_results_and_score(backing: Backing) {
    let app = TestApp::spawn(backing, 25 << 20).await;
    let client_id = app.client().await;
    let (status, document) = app
        .upload(client_id, fixture("mpesa/email_reportlab_basic"), "")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{document}");
    assert_eq!(document["status"], "analyzing");
    let id = document["id"].as_i64().unwrap();

    // Before the job runs: analyzing, and scoring says retry later.
    let (_, status_body) = app.get(&format!("/v1/documents/{id}/status")).await;
    assert_eq!(status_body["status"], "analyzing");
    let (status, _) = app.get(&format!("/v1/clients/{client_id}/scoring")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    assert_eq!(app.state.run_pending_jobs().await, 1);
    let (_, status_body) = app.get(&format!("/v1/documents/{id}/status/")).await;
    assert_eq!(status_body["status"], "analyzed");

    let response = app
        .http
        .get(app.url("/v1/clients/analysis_results"))
        .header("X-API-Key", &app.key)
        .header("X-Client-Id", client_id.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    // Amounts are JSON numbers written from the exact decimal (the generator's totals).
    assert!(
        text.contains("\"total_in\":65600.00"),
        "{}",
        &text[..400.min(text.len())]
    );
    let results: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(results["document"]["id"], id);
    assert_eq!(results["client"]["national_id"], "12345678");
    assert_eq!(results["summary"]["transaction_count"], 44);
    assert_eq!(results["transactions"].as_array().unwrap().len(), 44);
    assert!(results["cashflow"]["monthly"].is_array());
    // The health grade's points are the sum of its components.
    let components = results["health"]["components"].as_array().unwrap();
    let sum: u64 = components
        .iter()
        .map(|c| c["points"].as_u64().unwrap())
        .sum();
    assert_eq!(results["health"]["points"].as_u64().unwrap(), sum);
    assert!(
        ["A+", "A", "B", "C", "D", "F"].contains(&results["health"]["grade"].as_str().unwrap())
    );
    assert!(results["risk"]["score"].as_u64().unwrap() <= 100);

    let (status, score) = app.get(&format!("/v1/clients/{client_id}/scoring")).await;
    assert_eq!(status, StatusCode::OK);
    let value = score["score"].as_u64().unwrap();
    assert!((300..=850).contains(&value));
    assert!(score["risk_tier"]["min_score"].as_u64().unwrap() <= value);
    let (status, again) = app
        .post_json(
            "/v1/clients/scoring",
            &json!({"cladfy_client_id": client_id.to_string()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["score"], score["score"]);
    let (_, history) = app
        .get(&format!("/v1/clients/{client_id}/scoring/history?limit=50"))
        .await;
    assert_eq!(history.as_array().unwrap().len(), 2);

    // Client documents, with a working signed download link.
    let (_, documents) = app.get(&format!("/v1/clients/{client_id}/documents")).await;
    let url = documents[0]["url"].as_str().unwrap();
    assert_eq!(documents[0]["password"], Value::Null);
    assert!(url.starts_with(&app.base), "{url}");
    assert_eq!(documents[0]["client_id"], client_id);
    assert_eq!(documents[0]["provider"], "mpesa");
    assert_eq!(documents[0]["currency"], "KES");
    assert!(documents[0]["created_at"].is_string());
    let file = app.http.get(url).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        file.bytes().await.unwrap().to_vec(),
        fixture("mpesa/email_reportlab_basic")
    );
    let forged = app
        .http
        .get(url.replace("signature=", "signature=0"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
}

async fn password_failures_can_be_retried(backing: Backing) {
    let app = TestApp::spawn(backing, 25 << 20).await;
    let client_id = app.client().await;
    let encoded = base64::engine::general_purpose::STANDARD.encode(fixture("mpesa/enc_rc4_128"));
    let (status, document) = app
        .post_json("/v1/documents/base64", &json!({"file_base64": encoded, "filename": "statement.pdf", "client_id": client_id.to_string(), "provider": "mpesa", "password": null}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{document}");
    let id = document["id"].as_i64().unwrap();
    app.state.run_pending_jobs().await;
    let (_, status_body) = app.get(&format!("/v1/documents/{id}/status")).await;
    assert_eq!(status_body["status"], "failed");
    assert_eq!(status_body["reason"], "password_required");
    let (status, _) = app
        .post_json(
            &format!("/v1/documents/{id}/password"),
            &json!({"password": "12345678"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    app.state.run_pending_jobs().await;
    let (_, status_body) = app.get(&format!("/v1/documents/{id}/status")).await;
    assert_eq!(status_body["status"], "analyzed");
}

async fn bad_uploads_get_clear_errors(backing: Backing) {
    let app = TestApp::spawn(backing, 16 * 1024).await;
    let client_id = app.client().await;
    let (status, error) = app.upload(client_id, vec![7u8; 1000], "").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{error}");
    assert_eq!(error["error"]["code"], "unsupported_file_type");
    let (status, _) = app
        .upload(
            client_id,
            fixture("mpesa/email_reportlab_dejavu_multipage"),
            "",
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, error) = app
        .upload(999_999, fixture("mpesa/email_reportlab_basic"), "")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{error}");

    // Rejected before any handler runs, still in the JSON error shape.
    let huge = json!({"file_base64": "A".repeat(64 * 1024), "filename": "s.pdf", "client_id": client_id, "provider": "mpesa"});
    let (status, error) = app.post_json("/v1/documents/base64", &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error["error"]["code"], "file_too_large", "{error}");
    let response = app
        .http
        .post(app.url("/v1/documents"))
        .header("X-API-Key", &app.key)
        .header("Content-Type", "multipart/form-data; boundary=x")
        .body("not multipart at all")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.unwrap();
    assert!(error["error"]["code"].is_string(), "{error}");
    let (status, error) = app.get("/v1/no/such/route").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error["error"]["code"], "not_found", "{error}");

    // Another business's client is forbidden.
    let other = create_tenant(
        &app.state.db,
        &app.state.master_key,
        "Other Lender",
        None,
        None,
    )
    .await
    .unwrap();
    let response = app
        .http
        .get(app.url(&format!("/v1/clients/{client_id}/scoring")))
        .header("X-API-Key", other.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

async fn repayment_score_accepts_the_seeds_double_encoded_body(backing: Backing) {
    let app = TestApp::spawn(backing, 25 << 20).await;
    let request = json!({"client_id": "12345", "paymentStartDate": "2023-01-01", "paymentEndDate": "2023-12-31", "expectedPaymentDay": 5, "expectedPaymentAmount": 1000, "payments": [{"date": "2023-01-05", "amount": 1000}, {"date": "2023-02-05", "amount": 1000}], "reference": "r", "scoreBeforeStartDate": true});
    // requests.post(json=json.dumps(data)) sends the request as a JSON string.
    let double = Value::String(request.to_string());
    let (status, answer) = app.post_json("/v1/repayment_score/", &double).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["client_id"], "12345");
    let months = answer["repayment_score"]["scoredMonths"]
        .as_array()
        .unwrap();
    assert_eq!(months[0]["status"], "PAID");
    assert_eq!(months[1]["status"], "PAID");
    assert_eq!(months[2]["status"], "OVERDUE");
    let (status, error) = app
        .post_json(
            "/v1/repayment_score",
            &json!({"paymentStartDate": "2023-01-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    let response = app
        .http
        .post(app.url("/v1/repayment_score/"))
        .json(&request)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

/// A webhook receiver on loopback that records what it gets and fails its first request.
struct Receiver {
    url: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<(axum::http::HeaderMap, String)>>>,
}

impl Receiver {
    async fn start() -> Receiver {
        use axum::routing::post;
        let received: std::sync::Arc<std::sync::Mutex<Vec<(axum::http::HeaderMap, String)>>> =
            Default::default();
        let seen = received.clone();
        let app = axum::Router::new().route(
            "/hook",
            post(move |headers: axum::http::HeaderMap, body: String| {
                let seen = seen.clone();
                async move {
                    let mut all = seen.lock().unwrap();
                    all.push((headers, body));
                    if all.len() == 1 {
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        axum::http::StatusCode::OK
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, received }
    }
}

async fn the_completion_webhook_is_signed_retried_and_recorded(backing: Backing) {
    let app = TestApp::spawn(backing, 25 << 20).await;
    let receiver = Receiver::start().await;
    let (client_id, id) = app.statement_with_webhook(&receiver.url).await;
    app.state.run_pending_jobs().await;
    // First attempt fails (500), the retry succeeds.
    assert_eq!(app.state.send_due_webhooks().await, 2);
    let received = receiver.received.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    let (headers, body) = &received[1];
    let business: Value = serde_json::from_str(body).unwrap();
    assert_eq!(business["document_id"], id);
    assert_eq!(business["client_id"], client_id);
    assert!(business["business_id"].is_i64());
    // Compact and in the seed's key order, so a JavaScript re-stringify gives the same bytes.
    let tenant = business["business_id"].as_i64().unwrap();
    assert_eq!(
        body,
        &format!(r#"{{"document_id":{id},"client_id":{client_id},"business_id":{tenant}}}"#)
    );
    // The signature verifies with the reference Standard Webhooks library.
    let header = |n: &str| headers.get(n).unwrap().to_str().unwrap().to_owned();
    let tenant_id = business["business_id"].as_i64().unwrap();
    let secret = statera_server::webhooks::secret_for(&app.state.master_key, tenant_id);
    let expected = statera_server::webhooks::sign(
        &secret,
        &header("webhook-id"),
        header("webhook-timestamp").parse().unwrap(),
        body,
    );
    assert_eq!(header("webhook-signature"), expected);

    let (_, deliveries) = app.get("/v1/webhooks/deliveries").await;
    assert_eq!(deliveries[0]["state"], "delivered");
    let metrics = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert!(metrics.headers().contains_key("x-request-id"));
    let metrics = metrics.text().await.unwrap();
    assert!(
        metrics.contains("statera_webhook_attempts_total{outcome=\"success\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("statera_webhook_attempts_total{outcome=\"http_failure\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("statera_documents{status=\"analyzed\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("statera_parse_duration_seconds_count 1"),
        "{metrics}"
    );
    assert_eq!(deliveries[0]["history"].as_array().unwrap().len(), 2);
    assert_eq!(deliveries[0]["history"][0]["status_code"], 500);
}

async fn private_webhook_targets_are_refused_unless_allowed(backing: Backing) {
    let app = TestApp::spawn_with(backing, 25 << 20, false).await;
    let client_id = app.client().await;
    app.upload_with_webhook(
        client_id,
        fixture("mpesa/email_reportlab_basic"),
        "",
        Some("http://127.0.0.1:9/hook"),
    )
    .await;
    app.state.run_pending_jobs().await;
    app.state.send_due_webhooks().await;
    let (_, deliveries) = app.get("/v1/webhooks/deliveries").await;
    assert_eq!(deliveries[0]["state"], "failed");
    let error = deliveries[0]["history"][0]["error"].as_str().unwrap();
    assert!(error.contains("private"), "{error}");

    // A name that resolves to loopback is refused when connecting, and a URL that hides
    // the loopback address behind a backslash before any request: the receiver, listening
    // on loopback, never hears from either.
    let receiver = Receiver::start().await;
    let port = receiver
        .url
        .trim_start_matches("http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    for target in [
        format!("http://localhost:{port}/hook"),
        format!("http://127.0.0.1:{port}\\@example.com/hook"),
    ] {
        app.upload_with_webhook(
            client_id,
            fixture("mpesa/email_reportlab_basic"),
            "",
            Some(&target),
        )
        .await;
    }
    app.state.run_pending_jobs().await;
    app.state.send_due_webhooks().await;
    assert!(receiver.received.lock().unwrap().is_empty());
    let (_, deliveries) = app.get("/v1/webhooks/deliveries").await;
    let failed = deliveries
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["state"] == "failed")
        .count();
    assert_eq!(failed, 3, "{deliveries}");
}

async fn a_crashed_workers_job_is_taken_over_and_the_last_attempt_fails_cleanly(backing: Backing) {
    let app = TestApp::spawn(backing, 25 << 20).await;
    let client_id = app.client().await;
    let (_, first) = app
        .upload(client_id, fixture("mpesa/email_reportlab_basic"), "")
        .await;
    let (_, second) = app
        .upload(client_id, fixture("mpesa/app_fpdf2_multipage"), "")
        .await;
    // A worker claimed both and died: running, lease expired. One had used every attempt.
    sqlx::query("UPDATE jobs SET state = 'running', attempts = 1, locked_until = '2000-01-01T00:00:00.000000' WHERE document_id = $1")
        .bind(first["id"].as_i64().unwrap())
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query("UPDATE jobs SET state = 'running', attempts = 3, locked_until = '2000-01-01T00:00:00.000000' WHERE document_id = $1")
        .bind(second["id"].as_i64().unwrap())
        .execute(&app.state.db)
        .await
        .unwrap();
    assert_eq!(app.state.run_pending_jobs().await, 2);
    let (_, taken_over) = app
        .get(&format!("/v1/documents/{}/status", first["id"]))
        .await;
    assert_eq!(taken_over["status"], "analyzed");
    let (_, given_up) = app
        .get(&format!("/v1/documents/{}/status", second["id"]))
        .await;
    assert_eq!(given_up["status"], "failed");
    assert_eq!(given_up["reason"], "processing_failed");
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM jobs WHERE document_id = $1")
        .bind(first["id"].as_i64().unwrap())
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(attempts, 2);
}

/// Three workers drain one queue at once: every job is claimed exactly once (SQLite's
/// single writer; `FOR UPDATE SKIP LOCKED` and a re-checked WHERE on PostgreSQL).
async fn concurrent_workers_never_claim_the_same_job(backing: Backing) {
    let app = TestApp::spawn(backing, 25 << 20).await;
    let client_id = app.client().await;
    let mut ids = Vec::new();
    for case in [
        "mpesa/email_reportlab_basic",
        "mpesa/app_fpdf2_multipage",
        "mpesa/email_reportlab_basic",
        "mpesa/app_fpdf2_multipage",
        "mpesa/email_reportlab_basic",
        "mpesa/app_fpdf2_multipage",
    ] {
        let (status, document) = app.upload(client_id, fixture(case), "").await;
        assert_eq!(status, StatusCode::CREATED, "{document}");
        ids.push(document["id"].as_i64().unwrap());
    }
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let state = app.state.clone();
            tokio::spawn(async move { state.run_pending_jobs().await })
        })
        .collect();
    let mut ran = 0;
    for worker in workers {
        ran += worker.await.unwrap();
    }
    assert_eq!(ran, ids.len(), "each job runs once in all");
    for id in ids {
        let (_, status) = app.get(&format!("/v1/documents/{id}/status")).await;
        assert_eq!(status["status"], "analyzed", "{status}");
        let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM jobs WHERE document_id = $1")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(attempts, 1, "document {id} was claimed more than once");
    }
}

/// A 12 MiB upload (sent to S3 in multipart parts) and the same bytes uploaded again
/// (a create-if-absent put that finds the object) both come back byte for byte.
async fn large_uploads_round_trip_through_storage(backing: Backing) {
    let app = TestApp::spawn(backing, 25 << 20).await;
    let client_id = app.client().await;
    // A PDF by its magic bytes, but not a readable one: stored first, failed later.
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..12u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    for _ in 0..2 {
        let (status, document) = app.upload(client_id, bytes.clone(), "").await;
        assert_eq!(status, StatusCode::CREATED, "{document}");
    }
    app.state.run_pending_jobs().await;
    let (_, documents) = app.get(&format!("/v1/clients/{client_id}/documents")).await;
    let documents = documents.as_array().unwrap();
    assert_eq!(documents.len(), 2);
    for document in documents {
        assert_eq!(document["status"], "failed", "{document}");
        let url = document["url"].as_str().unwrap();
        let file = app.http.get(url).send().await.unwrap();
        assert_eq!(file.status(), StatusCode::OK);
        assert!(
            file.bytes().await.unwrap().to_vec() == bytes,
            "stored bytes differ"
        );
    }
    // The bytes are where the backing keeps them, under their SHA-256.
    let sha256 = sha2_hex(&bytes);
    let stored = match backing {
        Backing::Local => app._dir.0.join("documents").join(&sha256),
        Backing::Scale => app
            ._dir
            .0
            .join("s3/statera/tenant-files/documents")
            .join(&sha256),
    };
    assert_eq!(
        std::fs::read(&stored).unwrap().len(),
        bytes.len(),
        "{}",
        stored.display()
    );
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl TestApp {
    /// `statera worker` as a separate process on this app's store and files.
    fn worker_process(&self, extra: &[(&str, &str)]) -> ChildGuard {
        let config = &self.state.config;
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_statera"));
        command
            .arg("worker")
            .env("STATERA_DATA_DIR", &config.data_dir)
            .env("STATERA_WEBHOOK_ALLOW_PRIVATE", "true")
            .env("STATERA_WEBHOOK_SCHEDULE", "0,0")
            .env("STATERA_LEASE_SECONDS", "2")
            .env("STATERA_WORKER_POLL_SECONDS", "1")
            .env_remove("STATERA_DATABASE_URL")
            .env_remove("STATERA_STORAGE_URL")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        if let Some(url) = &config.database_url {
            command.env("STATERA_DATABASE_URL", url);
        }
        if let Some(key) = &config.master_key {
            command.env(
                "STATERA_MASTER_KEY",
                String::from_utf8(key.clone()).unwrap(),
            );
        }
        if let statera_server::blobs::StorageConfig::S3 { url, options } = &config.storage {
            command.env("STATERA_STORAGE_URL", url);
            for (key, value) in options {
                command.env(key.to_uppercase(), value);
            }
        }
        for (key, value) in extra {
            command.env(key, value);
        }
        let mut child = command.spawn().unwrap();
        // Its log, read as it comes so the worker never blocks on a full pipe.
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let lines = log.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let mut log = lines.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        ChildGuard(child, log)
    }

    async fn scalar(&self, sql: &'static str, id: i64) -> Option<String> {
        sqlx::query_scalar::<_, String>(sql)
            .bind(id)
            .fetch_optional(&self.state.db)
            .await
            .unwrap()
    }
}

/// Kills its process when dropped, so a failing test leaves nothing running; keeps its log.
struct ChildGuard(
    std::process::Child,
    std::sync::Arc<std::sync::Mutex<String>>,
);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits (up to a minute) for `done`; a crash test has to wait for real processes.
async fn eventually<F: std::future::Future<Output = bool>>(
    what: &str,
    mut done: impl FnMut() -> F,
) {
    for _ in 0..600 {
        if done().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// The crash test: a `statera worker` process takes the job and is killed (SIGKILL) while
/// it holds it (a test-only parse delay keeps it "mid-job"); a new worker process takes
/// the job over once the lease expires. The document ends analysed once, with one event
/// whose deliveries all carry the same webhook id.
async fn a_worker_process_killed_mid_job_is_replaced_without_duplicates(backing: Backing) {
    let app = TestApp::spawn(backing, 25 << 20).await;
    let receiver = Receiver::start().await;
    let (_, id) = app.statement_with_webhook(&receiver.url).await;

    let mut doomed = app.worker_process(&[("STATERA_TEST_PARSE_DELAY_MS", "60000")]);
    eventually("the first worker to claim the job", || async {
        app.scalar("SELECT state FROM jobs WHERE document_id = $1", id)
            .await
            .as_deref()
            == Some("running")
    })
    .await;
    doomed.0.kill().unwrap();
    doomed.0.wait().unwrap();
    assert_eq!(
        app.scalar("SELECT status FROM documents WHERE id = $1", id)
            .await
            .as_deref(),
        Some("analyzing")
    );

    let _replacement = app.worker_process(&[]);
    eventually("the webhook from the replacement worker", || async {
        receiver.received.lock().unwrap().len() >= 2
    })
    .await;
    let (_, status) = app.get(&format!("/v1/documents/{id}/status")).await;
    assert_eq!(status["status"], "analyzed", "{status}");
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM jobs WHERE document_id = $1")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(attempts, 2, "one claim by each worker");
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events, 1, "exactly one completion event");
    let received = receiver.received.lock().unwrap().clone();
    let ids: std::collections::BTreeSet<String> = received
        .iter()
        .map(|(headers, _)| headers["webhook-id"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        ids.len(),
        1,
        "every delivery carries the one event's id: {ids:?}"
    );
}

/// On PostgreSQL a worker in another process starts a job as soon as it is committed:
/// its poll is set to an hour, so only the NOTIFY can wake it.
#[tokio::test]
async fn a_postgres_notify_wakes_a_worker_in_another_process() {
    let app = TestApp::spawn(Backing::Scale, 25 << 20).await;
    let client_id = app.client().await;
    let worker = app.worker_process(&[("STATERA_WORKER_POLL_SECONDS", "3600")]);
    // The worker has started, found nothing, and is listening.
    eventually("the worker to listen", || async {
        worker.1.lock().unwrap().contains("listening for jobs")
    })
    .await;
    let (_, document) = app
        .upload(client_id, fixture("mpesa/email_reportlab_basic"), "")
        .await;
    let id = document["id"].as_i64().unwrap();
    eventually("the woken worker to analyse the document", || async {
        app.scalar("SELECT status FROM documents WHERE id = $1", id)
            .await
            .as_deref()
            == Some("analyzed")
    })
    .await;
}

/// The API reference is served by the server itself, with no CDN: the document as JSON and
/// YAML, and Swagger UI with its assets from the binary.
#[tokio::test]
async fn the_api_reference_is_served_offline() {
    let app = TestApp::spawn(Backing::Local, 25 << 20).await;
    let json: Value = app
        .http
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json["openapi"], "3.1.0");
    assert!(json["paths"]["/v1/documents"]["post"].is_object());
    let yaml = app.http.get(app.url("/openapi.yaml")).send().await.unwrap();
    assert_eq!(yaml.headers()["content-type"], "application/yaml");
    assert!(yaml.text().await.unwrap().starts_with("openapi: 3.1.0"));
    let page = app.http.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("swagger-ui"), "{page}");
    assert!(
        !page.contains("https://"),
        "the page must not load from a CDN"
    );
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
    ] {
        let response = app
            .http
            .get(app.url(&format!("/docs/{asset}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
    }
    let initializer = app
        .http
        .get(app.url("/docs/swagger-initializer.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(initializer.contains("/openapi.json"), "{initializer}");
}

/// With one upload turn held by a client still sending its body, the next upload waits
/// for a turn and then answers 503 `server_busy` with Retry-After.
async fn uploads_beyond_the_cap_wait_then_get_server_busy(backing: Backing) {
    let app = TestApp::spawn_configured(backing, |config| {
        config.max_concurrent_uploads = 1;
        config.upload_turn_wait = std::time::Duration::from_millis(300);
    })
    .await;
    let client_id = app.client().await;
    // A body that never ends: the first upload keeps its turn.
    let (_sender, never) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(1);
    let mut never = never;
    let stream = futures::stream::poll_fn(move |cx| never.poll_recv(cx));
    let slow = app
        .http
        .post(app.url("/v1/documents"))
        .header("X-API-Key", &app.key)
        .header("Content-Type", "multipart/form-data; boundary=x")
        .body(reqwest::Body::wrap_stream(stream))
        .send();
    let slow = tokio::spawn(slow);
    // Its headers have arrived once the server holds the turn.
    let mut busy = None;
    for _ in 0..50 {
        let (status, error) = app
            .upload(client_id, fixture("mpesa/email_reportlab_basic"), "")
            .await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            busy = Some(error);
            break;
        }
    }
    let error = busy.expect("an upload beyond the cap is refused");
    assert!(error["error"]["message"].is_string());
    // It waited for a turn first, and says when to come back.
    let started = std::time::Instant::now();
    let response = app
        .http
        .post(app.url("/v1/documents/base64"))
        .header("X-API-Key", &app.key)
        .json(&json!({"file_base64": "JVBERi0=", "filename": "s.pdf", "client_id": client_id, "provider": "mpesa"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    assert_eq!(response.headers()["retry-after"], "5");
    assert_eq!(error["error"]["code"], "server_busy", "{error}");
    slow.abort();
}

/// A worker that is still alive but slower than its lease: another worker takes the job
/// over and finishes it; when the slow one finishes, its outcome is dropped (fenced by the
/// attempt number), so there is one analysis and one completion event.
async fn a_worker_that_outlives_its_lease_writes_nothing(backing: Backing) {
    let app = TestApp::spawn(backing, 25 << 20).await;
    let client_id = app.client().await;
    let (_, document) = app
        .upload_with_webhook(
            client_id,
            fixture("mpesa/email_reportlab_basic"),
            "",
            Some("http://127.0.0.1:9/hook"),
        )
        .await;
    let id = document["id"].as_i64().unwrap();
    let slow = app.worker_process(&[
        ("STATERA_TEST_PARSE_DELAY_MS", "3000"),
        ("STATERA_LEASE_SECONDS", "1"),
    ]);
    eventually("the slow worker to claim the job", || async {
        app.scalar("SELECT state FROM jobs WHERE document_id = $1", id)
            .await
            .as_deref()
            == Some("running")
    })
    .await;
    // Its one-second lease runs out while it is still parsing; this worker takes over.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(app.state.run_pending_jobs().await, 1);
    eventually("the slow worker to give up its outcome", || async {
        slow.1.lock().unwrap().contains("lease lost")
    })
    .await;
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events, 1, "exactly one completion event");
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM jobs WHERE document_id = $1")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(attempts, 2);
    let (_, status) = app.get(&format!("/v1/documents/{id}/status")).await;
    assert_eq!(status["status"], "analyzed");
}
