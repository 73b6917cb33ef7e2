//! The seed-000 face (`/v1`): providers, clients, documents (multipart and base64),
//! document status and password retry, analysis results, credit scoring and its history,
//! client documents with signed download links; and seed 001's repayment score. Ids are
//! integers on the wire, accepted as numbers or numeric strings; every path also answers
//! with a trailing slash. Shapes the seed leaves open are written down in docs/api.md.

use std::sync::LazyLock;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use regex::Regex;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::Row;
use statera_model::{Amount, Statement};

use crate::AppState;
use crate::auth::{Tenant, sha256_hex};
use crate::error::ApiError;
use crate::store::now;

/// The seed-000 face's routes (each also with a trailing slash), and the (method, path)
/// pairs they answer, which the OpenAPI test compares with `openapi.yaml`.
pub fn routes(config: &crate::Config) -> (Router<AppState>, Vec<(&'static str, &'static str)>) {
    let limit = DefaultBodyLimit::max(config.max_upload_bytes * 4 / 3 + 64 * 1024);
    let mut router = Router::new();
    let mut listed = Vec::new();
    let mut add = |verb: &'static str, path: &'static str, method: MethodRouter<AppState>| {
        listed.push((verb, path));
        router = std::mem::take(&mut router)
            .route(path, method.clone())
            .route(&format!("{path}/"), method);
    };
    add("get", "/v1/providers", get(providers));
    add("post", "/v1/clients", post(create_client));
    add("post", "/v1/documents", post(upload_multipart).layer(limit));
    add(
        "post",
        "/v1/documents/base64",
        post(upload_base64).layer(limit),
    );
    add("get", "/v1/documents/{id}/status", get(document_status));
    add("post", "/v1/documents/{id}/password", post(retry_password));
    add("get", "/v1/documents/{id}/file", get(download));
    add("get", "/v1/clients/analysis_results", get(analysis_results));
    add("post", "/v1/clients/scoring", post(score_by_body));
    add("get", "/v1/clients/{id}/scoring", get(score_by_path));
    add(
        "get",
        "/v1/clients/{id}/scoring/history",
        get(score_history),
    );
    add("get", "/v1/clients/{id}/documents", get(client_documents));
    add("post", "/v1/repayment_score", post(repayment_score));
    add("get", "/v1/webhooks/deliveries", get(webhook_deliveries));
    add("get", "/healthz", get(healthz));
    (router, listed)
}

/// An upload's turn: taken after the key is checked and before the body is read, so at
/// most `max_concurrent_uploads` bodies are buffered at once. Waits `upload_turn_wait`,
/// then 503 `server_busy` with Retry-After.
async fn upload_turn(state: &AppState) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
    match tokio::time::timeout(
        state.config.upload_turn_wait,
        state.upload_turns.clone().acquire_owned(),
    )
    .await
    {
        Ok(Ok(turn)) => Ok(turn),
        _ => Err(ApiError::Busy),
    }
}

// ─── JSON with exact amounts ───────────────────────────────────────────────────────────
// The seed shows amounts as JSON numbers. They are written from the decimal's exact text,
// never through f64: an amount is a marked string in the `Value` tree, and the marks are
// turned into bare numbers when the body is serialised.

const MARK: char = '\u{E000}';
static MARKED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("\"\u{E000}(-?[0-9]+(?:\\.[0-9]+)?)\"").expect("valid pattern"));

fn money(amount: Amount) -> Value {
    Value::String(format!("{MARK}{amount}"))
}

fn money_opt(amount: Option<Amount>) -> Value {
    amount.map_or(Value::Null, money)
}

/// User text never carries the mark.
fn text(s: &str) -> Value {
    Value::String(s.replace(MARK, ""))
}

fn body(status: StatusCode, value: &Value) -> Response {
    let serialised = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let exact = MARKED.replace_all(&serialised, "$1").into_owned();
    (status, [(header::CONTENT_TYPE, "application/json")], exact).into_response()
}

// ─── ids ────────────────────────────────────────────────────────────────────────────────

fn parse_id(text: &str, what: &'static str) -> Result<i64, ApiError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ApiError::invalid("invalid_id", format!("{what} must be a positive integer"))
        })
}

/// An id given as a JSON number or a numeric string.
fn id_value(value: &Value, what: &'static str) -> Result<i64, ApiError> {
    match value {
        Value::Number(n) => n.as_i64().filter(|id| *id > 0).ok_or_else(|| {
            ApiError::invalid("invalid_id", format!("{what} must be a positive integer"))
        }),
        Value::String(s) => parse_id(s, what),
        Value::Null => Err(ApiError::invalid(
            "missing_field",
            format!("{what} is required"),
        )),
        _ => Err(ApiError::invalid(
            "invalid_id",
            format!("{what} must be a positive integer"),
        )),
    }
}

/// The client, checked to belong to the caller's business.
async fn owned_client(
    state: &AppState,
    tenant: Tenant,
    client_id: i64,
) -> Result<sqlx::any::AnyRow, ApiError> {
    let row = sqlx::query(
        "SELECT id, tenant_id, first_name, last_name, national_id FROM clients WHERE id = $1",
    )
    .bind(client_id)
    .fetch_optional(&state.db)
    .await?;
    belonging_to(tenant, row, "client")
}

/// The row (whose column 1 is its tenant id) when it exists and is the caller's business's:
/// 404 when it does not exist, 403 when it is another business's.
fn belonging_to(
    tenant: Tenant,
    row: Option<sqlx::any::AnyRow>,
    what: &'static str,
) -> Result<sqlx::any::AnyRow, ApiError> {
    let row = row.ok_or(ApiError::NotFound(what))?;
    if row.get::<i64, _>(1) != tenant.id {
        return Err(ApiError::Forbidden);
    }
    Ok(row)
}

/// A JSON request body, or 400 `invalid_json`.
fn json_body<T: serde::de::DeserializeOwned>(payload: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(payload).map_err(|e| ApiError::invalid("invalid_json", e.to_string()))
}

// ─── providers, clients ─────────────────────────────────────────────────────────────────

async fn providers(_tenant: Tenant) -> Response {
    let mut list: Vec<Value> = statera_extract::providers()
        .into_iter()
        .map(|p| {
            json!({
                "code": p.code,
                "name": p.institution.clone().unwrap_or_else(|| p.code.clone()),
                "kind": if p.code == "generic" { "bank_statement_any_layout" } else { "pdf_statement" },
                "currency": if p.currency == "detect" { Value::Null } else { Value::String(p.currency) },
            })
        })
        .collect();
    for (code, name) in [
        ("csv", "CSV or other delimited export"),
        (
            "open_banking",
            "Open-banking JSON (Algoan, Budget Insight, Linxo, Plaid)",
        ),
        ("text", "Plain-text statement"),
    ] {
        list.push(json!({ "code": code, "name": name, "kind": "file_format", "currency": null }));
    }
    body(StatusCode::OK, &Value::Array(list))
}

#[derive(Deserialize)]
struct NewClient {
    first_name: Option<String>,
    last_name: Option<String>,
    phone_number: Option<String>,
    email: Option<String>,
    national_id: Option<String>,
}

async fn create_client(
    State(state): State<AppState>,
    tenant: Tenant,
    payload: Bytes,
) -> Result<Response, ApiError> {
    let client: NewClient = json_body(&payload)?;
    let first = client
        .first_name
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("missing_field", "first_name is required"))?;
    let last = client.last_name.unwrap_or_default();
    let id: i64 = sqlx::query("INSERT INTO clients (tenant_id, first_name, last_name, phone_number, email, national_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(tenant.id)
        .bind(&first)
        .bind(&last)
        .bind(&client.phone_number)
        .bind(&client.email)
        .bind(&client.national_id)
        .bind(now())
        .fetch_one(&state.db)
        .await?
        .get(0);
    Ok(body(
        StatusCode::CREATED,
        &json!({
            "id": id,
            "first_name": text(&first),
            "last_name": text(&last),
            "full_name": text(format!("{first} {last}").trim()),
            "phone_number": client.phone_number,
            "email": client.email,
            "national_id": client.national_id,
            "upload_url": null,
        }),
    ))
}

// ─── documents ──────────────────────────────────────────────────────────────────────────

struct Upload {
    client_id: i64,
    provider: String,
    filename: String,
    bytes: Vec<u8>,
    password: Option<String>,
    webhook: Option<String>,
    national_id: Option<String>,
}

/// How long an upload's body may take to arrive once it has its turn.
const UPLOAD_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

type FormParts = (
    Option<Vec<u8>>,
    String,
    std::collections::HashMap<String, String>,
);

/// The multipart fields: the file (with its name) and the text fields.
async fn read_form(state: &AppState, form: &mut Multipart) -> Result<FormParts, ApiError> {
    let (mut file, mut filename, mut fields) = (
        None,
        String::from("statement"),
        std::collections::HashMap::new(),
    );
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::invalid("invalid_multipart", e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            filename = field.file_name().unwrap_or("statement").to_owned();
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::TooLarge(state.config.max_upload_bytes)
                } else {
                    ApiError::invalid("invalid_multipart", e.to_string())
                }
            })?;
            file = Some(bytes.to_vec());
        } else {
            let value = field
                .text()
                .await
                .map_err(|e| ApiError::invalid("invalid_multipart", e.to_string()))?;
            fields.insert(name, value);
        }
    }
    Ok((file, filename, fields))
}

async fn upload_multipart(
    State(state): State<AppState>,
    tenant: Tenant,
    base: PublicBase,
    mut form: Multipart,
) -> Result<Response, ApiError> {
    let _turn = upload_turn(&state).await?;
    // A client trickling its body would hold a turn for ever: the whole body must arrive
    // within the read timeout.
    let (file, filename, fields) =
        tokio::time::timeout(UPLOAD_READ_TIMEOUT, read_form(&state, &mut form))
            .await
            .map_err(|_| ApiError::UploadTimeout(UPLOAD_READ_TIMEOUT.as_secs()))??;
    let get = |k: &str| {
        fields
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let upload = Upload {
        client_id: parse_id(
            &get("client_id")
                .ok_or_else(|| ApiError::invalid("missing_field", "client_id is required"))?,
            "client_id",
        )?,
        provider: get("provider")
            .ok_or_else(|| ApiError::invalid("missing_field", "provider is required"))?,
        filename,
        bytes: file.ok_or_else(|| ApiError::invalid("missing_field", "file is required"))?,
        password: fields.get("password").filter(|p| !p.is_empty()).cloned(),
        webhook: get("webhook"),
        national_id: get("national_id"),
    };
    accept(&state, tenant, &base, upload).await
}

async fn upload_base64(
    State(state): State<AppState>,
    tenant: Tenant,
    base: PublicBase,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let _turn = upload_turn(&state).await?;
    let read = tokio::time::timeout(
        UPLOAD_READ_TIMEOUT,
        <Bytes as axum::extract::FromRequest<AppState>>::from_request(request, &state),
    )
    .await
    .map_err(|_| ApiError::UploadTimeout(UPLOAD_READ_TIMEOUT.as_secs()))?;
    let payload = read.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(state.config.max_upload_bytes)
        } else {
            ApiError::invalid("invalid_request", rejection.body_text())
        }
    })?;
    let v: Value = json_body(&payload)?;
    let string = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .filter(|s| !s.is_empty())
    };
    let encoded = string("file_base64")
        .ok_or_else(|| ApiError::invalid("missing_field", "file_base64 is required"))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|e| ApiError::invalid("invalid_base64", e.to_string()))?;
    let upload = Upload {
        client_id: id_value(v.get("client_id").unwrap_or(&Value::Null), "client_id")?,
        provider: string("provider")
            .ok_or_else(|| ApiError::invalid("missing_field", "provider is required"))?,
        filename: string("filename")
            .ok_or_else(|| ApiError::invalid("missing_field", "filename is required"))?,
        bytes,
        password: string("password"),
        webhook: string("webhook"),
        national_id: string("national_id"),
    };
    accept(&state, tenant, &base, upload).await
}

/// Checks, stores the file durably, and records the document and its job in one
/// transaction; only then answers. Nothing is accepted that is not stored.
async fn accept(
    state: &AppState,
    tenant: Tenant,
    base: &PublicBase,
    upload: Upload,
) -> Result<Response, ApiError> {
    if upload.bytes.len() > state.config.max_upload_bytes {
        return Err(ApiError::TooLarge(state.config.max_upload_bytes));
    }
    if statera_extract::detect_format(&upload.bytes).is_none() {
        return Err(ApiError::UnsupportedType);
    }
    let known = statera_extract::providers()
        .into_iter()
        .any(|p| p.code == upload.provider)
        || ["csv", "open_banking", "text"].contains(&upload.provider.as_str());
    if !known {
        return Err(ApiError::invalid(
            "unknown_provider",
            format!(
                "unknown provider {:?}; GET /v1/providers lists them",
                upload.provider
            ),
        ));
    }
    owned_client(state, tenant, upload.client_id).await?;
    let sha = sha256_hex(&upload.bytes);
    let key = state
        .blobs
        .put(&sha, &upload.bytes)
        .await
        .map_err(|e| ApiError::Internal(format!("storing the upload: {e}")))?;
    let created = now();
    let mut tx = state.db.begin().await?;
    let id: i64 = sqlx::query("INSERT INTO documents (tenant_id, client_id, provider, filename, blob_key, sha256, size, password, webhook, national_id, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'analyzing', $11) RETURNING id")
        .bind(tenant.id)
        .bind(upload.client_id)
        .bind(&upload.provider)
        .bind(&upload.filename)
        .bind(&key)
        .bind(&sha)
        .bind(upload.bytes.len() as i64)
        .bind(&upload.password)
        .bind(&upload.webhook)
        .bind(&upload.national_id)
        .bind(&created)
        .fetch_one(&mut *tx)
        .await?
        .get(0);
    crate::jobs::enqueue(&mut tx, state.store.backend, id).await?;
    tx.commit().await?;
    state.wake.notify_one();
    Ok(body(
        StatusCode::CREATED,
        &json!({
            "id": id,
            "url": download_url(state, base, id),
            "client_id": upload.client_id,
            "provider": upload.provider,
            "status": "analyzing",
            "created_at": created,
        }),
    ))
}

const LINK_SECONDS: i64 = 3600;

fn signature(state: &AppState, id: i64, expires: i64) -> String {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(&state.master_key).expect("any key length");
    mac.update(format!("document:{id}:{expires}").as_bytes());
    crate::auth::hex(&mac.finalize().into_bytes())
}

/// A link to the stored file, signed and valid for an hour: absolute, as the seed shows it.
fn download_url(state: &AppState, base: &PublicBase, id: i64) -> String {
    let expires = chrono::Utc::now().timestamp() + LINK_SECONDS;
    format!(
        "{}/v1/documents/{id}/file?expires={expires}&signature={}",
        base.0,
        signature(state, id, expires)
    )
}

/// `attachment` with the stored file name: an ASCII fallback (quotes, backslashes and
/// control characters replaced) and the exact name in RFC 5987 form, so no uploaded name can
/// make the header invalid.
fn content_disposition(filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// The server's address as its callers reach it, for absolute links: `STATERA_PUBLIC_URL`
/// when set (behind a proxy that rewrites Host), else the request's scheme and Host.
struct PublicBase(String);

impl axum::extract::FromRequestParts<AppState> for PublicBase {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(url) = &state.config.public_url {
            return Ok(Self(url.trim_end_matches('/').to_owned()));
        }
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let scheme = match header("x-forwarded-proto").as_deref() {
            Some("https") => "https",
            _ => "http",
        };
        let host = header("host")
            .filter(|h| h.bytes().all(|b| b.is_ascii_graphic()) && !h.contains('/'))
            .unwrap_or_else(|| "localhost".into());
        Ok(Self(format!("{scheme}://{host}")))
    }
}

#[derive(Deserialize)]
struct Link {
    expires: i64,
    signature: String,
}

async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(link): Query<Link>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "document id")?;
    let good = signature(&state, id, link.expires);
    let valid = link.expires >= chrono::Utc::now().timestamp()
        && good.len() == link.signature.len()
        && good
            .bytes()
            .zip(link.signature.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !valid {
        return Err(ApiError::Forbidden);
    }
    let row = sqlx::query("SELECT blob_key, filename FROM documents WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.db)
        .await?
        .ok_or(ApiError::NotFound("document"))?;
    let bytes = state
        .blobs
        .get(row.get::<String, _>(0).as_str())
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let filename: String = row.get(1);
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_DISPOSITION, content_disposition(&filename)),
        ],
        bytes,
    )
        .into_response())
}

async fn owned_document(
    state: &AppState,
    tenant: Tenant,
    id: &str,
) -> Result<sqlx::any::AnyRow, ApiError> {
    let id = parse_id(id, "document id")?;
    let row = sqlx::query("SELECT id, tenant_id, status, failure_code, failure_message, client_id FROM documents WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.db)
        .await?;
    belonging_to(tenant, row, "document")
}

async fn document_status(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let row = owned_document(&state, tenant, &id).await?;
    let mut answer = json!({ "id": row.get::<i64, _>(0), "status": row.get::<String, _>(2) });
    if let Some(code) = row.get::<Option<String>, _>(3) {
        answer["reason"] = Value::String(code);
        answer["message"] = row
            .get::<Option<String>, _>(4)
            .map_or(Value::Null, Value::String);
    }
    Ok(body(StatusCode::OK, &answer))
}

/// The one way back from `failed`: a new password re-queues a password failure.
async fn retry_password(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(id): Path<String>,
    payload: Bytes,
) -> Result<Response, ApiError> {
    let row = owned_document(&state, tenant, &id).await?;
    let v: Value = json_body(&payload)?;
    let password = v
        .get("password")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiError::invalid("missing_field", "password is required"))?;
    let code: Option<String> = row.get(3);
    if !matches!(
        code.as_deref(),
        Some("password_required" | "wrong_password")
    ) {
        return Err(ApiError::invalid(
            "not_a_password_failure",
            "only a document that failed for its password can be retried",
        ));
    }
    let document_id: i64 = row.get(0);
    let mut tx = state.db.begin().await?;
    // The condition is checked again in the update: of two retries at once, one re-queues.
    let updated = sqlx::query("UPDATE documents SET password = $1, status = 'analyzing', failure_code = NULL, failure_message = NULL WHERE id = $2 AND status = 'failed' AND failure_code IN ('password_required', 'wrong_password')")
        .bind(password)
        .bind(document_id)
        .execute(&mut *tx)
        .await?;
    if updated.rows_affected() != 1 {
        tx.rollback().await?;
        return Err(ApiError::invalid(
            "not_a_password_failure",
            "only a document that failed for its password can be retried",
        ));
    }
    crate::jobs::enqueue(&mut tx, state.store.backend, document_id).await?;
    tx.commit().await?;
    state.wake.notify_one();
    Ok(body(
        StatusCode::ACCEPTED,
        &json!({ "id": document_id, "status": "analyzing" }),
    ))
}

/// The two fields of a stored statement the documents list shows; the rest is skipped.
#[derive(Deserialize)]
struct StatementHead {
    currency: String,
    #[serde(default)]
    account_type: Option<String>,
}

async fn client_documents(
    State(state): State<AppState>,
    tenant: Tenant,
    base: PublicBase,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let client_id = parse_id(&id, "client id")?;
    owned_client(&state, tenant, client_id).await?;
    let rows = sqlx::query("SELECT id, filename, password, status, failure_code, provider, size, created_at, last_analyzed_on, statements_json FROM documents WHERE client_id = $1 ORDER BY id")
        .bind(client_id)
        .fetch_all(&state.db)
        .await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            let id: i64 = r.get(0);
            let head = r
                .get::<Option<String>, _>(9)
                .and_then(|json| serde_json::from_str::<Vec<StatementHead>>(&json).ok())
                .and_then(|heads| heads.into_iter().next());
            json!({
                "document_id": id,
                "url": download_url(&state, &base, id),
                "name": text(r.get::<String, _>(1).as_str()),
                // Never echoed: null, or a mask when one was given.
                "password": r.get::<Option<String>, _>(2).map(|_| "********"),
                "results": match r.get::<Option<String>, _>(4) {
                    Some(code) => json!({ "status": r.get::<String, _>(3), "reason": code }),
                    None => json!({ "status": r.get::<String, _>(3) }),
                },
                "status": r.get::<String, _>(3),
                "props": { "provider": r.get::<String, _>(5), "size": r.get::<i64, _>(6), "created_at": r.get::<String, _>(7), "last_analyzed_on": r.get::<Option<String>, _>(8) },
                "client_id": client_id,
                "created_at": r.get::<String, _>(7),
                "type": head.as_ref().and_then(|h| h.account_type.clone()),
                "provider": r.get::<String, _>(5),
                "currency": head.map(|h| h.currency),
            })
        })
        .collect();
    Ok(body(StatusCode::OK, &Value::Array(list)))
}

// ─── analysis and scores ────────────────────────────────────────────────────────────────

/// The client's analysed statements (every analysed document, oldest first) and the
/// latest analysed document's row.
async fn client_statements(
    state: &AppState,
    client_id: i64,
) -> Result<(Vec<Statement>, Option<sqlx::any::AnyRow>), ApiError> {
    let rows = sqlx::query("SELECT id, status, provider, created_at, last_analyzed_on, statements_json FROM documents WHERE client_id = $1 AND status = 'analyzed' ORDER BY id")
        .bind(client_id)
        .fetch_all(&state.db)
        .await?;
    let mut statements = Vec::new();
    for row in &rows {
        let json: Option<String> = row.get(5);
        if let Some(parsed) = json.and_then(|j| serde_json::from_str::<Vec<Statement>>(&j).ok()) {
            statements.extend(parsed);
        }
    }
    Ok((statements, rows.into_iter().last()))
}

fn build_report(statements: &[Statement]) -> Result<statera_analyze::report::Report, ApiError> {
    statera_analyze::report::build(
        statements,
        None,
        statera_analyze::categorise::Categoriser::built_in(),
        statera_analyze::score::Scaling::default(),
    )
    .map_err(|_| ApiError::NotReady)
}

async fn analysis_results(
    State(state): State<AppState>,
    tenant: Tenant,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let client_id = headers
        .get("x-client-id")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::invalid("missing_header", "X-Client-Id is required"))?;
    let client_id = parse_id(client_id, "X-Client-Id")?;
    let client = owned_client(&state, tenant, client_id).await?;
    let (statements, latest) = client_statements(&state, client_id).await?;
    let Some(latest) = latest else {
        return Err(ApiError::NotReady);
    };
    let report = build_report(&statements)?;
    let a = &report.analysis;
    let currency = a.currency.to_string();
    let transactions: Vec<Value> = a
        .transactions
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({
                "id": i + 1,
                "type": match t.direction { statera_model::Direction::Credit => "credit", statera_model::Direction::Debit => "debit" },
                "amount": money(t.amount),
                "date": format!("{} 00:00:00", t.date),
                "narration": text(&t.description),
                "balance": money_opt(t.balance),
                "currency": currency,
                "category": t.category,
                "counterparty": text(&t.counterparty),
            })
        })
        .collect();
    let monthly: Vec<Value> = a.cashflow.iter().map(|m| json!({
        "month": m.month, "total_in": money(m.total_in), "total_out": money(m.total_out), "net": money(m.net),
        "count": m.count, "opening_balance": money_opt(m.opening_balance), "closing_balance": money_opt(m.closing_balance),
        "minimum_balance": money_opt(m.minimum_balance), "average_balance": money_opt(m.average_balance),
    })).collect();
    let lenders: Vec<Value> = a.loans.lenders.iter().map(|l| json!({
        "lender": l.lender, "disbursements": l.disbursements, "disbursed": money(l.disbursed),
        "repayments": l.repayments, "repaid": money(l.repaid), "estimated_outstanding": money(l.estimated_outstanding),
        "status": l.status, "last_activity": l.last_activity.to_string(),
    })).collect();
    let answer = json!({
        "document": {
            "id": latest.get::<i64, _>(0),
            "status": latest.get::<String, _>(1),
            "provider": latest.get::<String, _>(2),
            "currency": currency,
            "created_at": latest.get::<String, _>(3),
            "last_analyzed_on": latest.get::<Option<String>, _>(4),
        },
        "client": {
            "id": client_id,
            "full_name": text(format!("{} {}", client.get::<String, _>(2), client.get::<String, _>(3)).trim()),
            "national_id": client.get::<Option<String>, _>(4),
        },
        "summary": {
            "total_in": money(a.summary.total_in),
            "total_out": money(a.summary.total_out),
            "transaction_count": a.summary.transaction_count,
            "zero_balance_rate_percentage": a.summary.zero_balance_rate_percentage,
            "period_start": a.summary.period_start.map(|d| d.to_string()),
            "period_end": a.summary.period_end.map(|d| d.to_string()),
            "documents_analyzed": report.statements.len(),
        },
        "transactions": transactions,
        "cashflow": {
            "monthly": monthly,
            "averages": {
                "monthly_in": money(a.cashflow_averages.monthly_in),
                "monthly_out": money(a.cashflow_averages.monthly_out),
                "monthly_net": money(a.cashflow_averages.monthly_net),
            },
        },
        "spending": {
            "total": money(a.summary.total_out),
            "categories": a.spending.iter().map(|s| json!({ "category": s.category, "total": money(s.total), "count": s.count, "share_percentage": s.share_percentage })).collect::<Vec<_>>(),
        },
        "loans": {
            "summary": { "lenders": lenders, "concurrent_lenders": a.loans.concurrent_lenders },
            "aggregate": { "total_disbursed": money(a.loans.total_disbursed), "total_repaid": money(a.loans.total_repaid), "average_monthly_repayment": money(a.loans.average_monthly_repayment) },
        },
        "gambling": { "stakes": money(a.gambling.stakes), "winnings": money(a.gambling.winnings), "bets": a.gambling.bets, "share_of_income_percentage": a.gambling.share_of_income_percentage, "operators": a.gambling.operators },
        "income": { "total": money(a.income.total), "average_monthly": money(a.income.average_monthly), "stability": a.income.stability, "salary_regularity": a.income.salary_regularity },
        "affordability": { "max_monthly_instalment": money(a.lending_metrics.affordability), "debt_to_income": a.lending_metrics.debt_to_income, "cash_flow_sufficiency_score": a.lending_metrics.cash_flow_sufficiency_score },
        "true_revenue": { "true_revenue": money(a.true_revenue.true_revenue), "monthly_average": money(a.true_revenue.monthly_average) },
        "risks": { "failed_payments": a.risks.failed_payments, "fees_total": money(a.risks.fees_total), "days_at_zero_or_negative": a.risks.days_at_zero_or_negative },
        "fraud": { "score": report.fraud.score, "content_score": report.fraud.content_score, "fingerprint_score": report.fraud.fingerprint_score },
        "health": {
            "grade": report.health.grade,
            "points": report.health.points,
            "components": report.health.components.iter().map(|c| json!({ "name": c.name, "value": c.value, "points": c.points, "max_points": c.max_points })).collect::<Vec<_>>(),
            "balance_volatility_index": report.health.balance_volatility_index,
            "stacking_risk": report.health.stacking_risk,
            "active_lenders": report.health.active_lenders,
            "monthly_debt_service": money(report.health.monthly_debt_service),
            "debt_to_revenue": report.health.debt_to_revenue,
        },
        "risk": { "score": report.risk.score, "level": report.risk.level, "driven_by": report.risk.driven_by },
    });
    Ok(body(StatusCode::OK, &answer))
}

/// Scores afresh (every call is a live computation) and records it in the history.
async fn score(state: &AppState, tenant: Tenant, client_id: i64) -> Result<Response, ApiError> {
    owned_client(state, tenant, client_id).await?;
    let (statements, _) = client_statements(state, client_id).await?;
    if statements.is_empty() {
        return Err(ApiError::NotReady);
    }
    let report = build_report(&statements)?;
    let c = &report.credit_score;
    let scored_at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
    let features: serde_json::Map<String, Value> = c
        .features
        .iter()
        .map(|f| {
            (
                f.feature.to_owned(),
                json!({ "value": f.value, "bin": f.bin, "points": f.points }),
            )
        })
        .collect();
    let answer = json!({
        "score": c.score,
        "risk_tier": { "tier": c.risk_tier.tier, "color": c.risk_tier.color, "min_score": c.risk_tier.min_score, "risk": c.risk_tier.risk },
        "features": features,
        "reasons": c.reasons,
        "model_version": c.model_version,
        "scored_at": scored_at,
    });
    sqlx::query("INSERT INTO scores (tenant_id, client_id, score, body_json, scored_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(tenant.id)
        .bind(client_id)
        .bind(i64::from(c.score))
        .bind(answer.to_string())
        .bind(&scored_at)
        .execute(&state.db)
        .await?;
    Ok(body(StatusCode::OK, &answer))
}

async fn score_by_path(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    score(&state, tenant, parse_id(&id, "client id")?).await
}

async fn score_by_body(
    State(state): State<AppState>,
    tenant: Tenant,
    payload: Bytes,
) -> Result<Response, ApiError> {
    let v: Value = json_body(&payload)?;
    let id = v
        .get("cladfy_client_id")
        .or_else(|| v.get("client_id"))
        .unwrap_or(&Value::Null);
    score(&state, tenant, id_value(id, "cladfy_client_id")?).await
}

#[derive(Deserialize)]
struct HistoryQuery {
    limit: Option<i64>,
}

async fn score_history(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(id): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> Result<Response, ApiError> {
    let client_id = parse_id(&id, "client id")?;
    owned_client(&state, tenant, client_id).await?;
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    let rows =
        sqlx::query("SELECT body_json FROM scores WHERE client_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(client_id)
            .bind(limit)
            .fetch_all(&state.db)
            .await?;
    let list: Vec<Value> = rows
        .iter()
        .filter_map(|r| serde_json::from_str(r.get::<String, _>(0).as_str()).ok())
        .collect();
    Ok(body(StatusCode::OK, &Value::Array(list)))
}

async fn repayment_score(_tenant: Tenant, payload: Bytes) -> Result<Response, ApiError> {
    let request = statera_analyze::repayment::parse_request(&payload)
        .map_err(|e| ApiError::invalid("invalid_request", e.to_string()))?;
    let as_of = chrono::Utc::now().date_naive();
    Ok(Json(statera_analyze::repayment::response(&request, as_of)).into_response())
}

#[derive(Deserialize)]
struct DeliveriesQuery {
    limit: Option<i64>,
}

/// Every webhook delivery of the caller's business, newest first, with every attempt.
async fn webhook_deliveries(
    State(state): State<AppState>,
    tenant: Tenant,
    Query(q): Query<DeliveriesQuery>,
) -> Result<Response, ApiError> {
    let rows = sqlx::query(
        "SELECT d.id, e.message_id, e.kind, e.payload, d.url, d.state, d.attempts, d.next_attempt_at
         FROM deliveries d JOIN events e ON e.id = d.event_id
         WHERE e.tenant_id = $1 ORDER BY d.id DESC LIMIT $2",
    )
    .bind(tenant.id)
    .bind(q.limit.unwrap_or(50).clamp(1, 500))
    .fetch_all(&state.db)
    .await?;
    let mut list = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.get(0);
        let attempts = sqlx::query("SELECT attempted_at, status_code, error, duration_ms FROM attempts WHERE delivery_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&state.db)
            .await?;
        list.push(json!({
            "id": id,
            "message_id": r.get::<String, _>(1),
            "event": r.get::<String, _>(2),
            "payload": serde_json::from_str::<Value>(r.get::<String, _>(3).as_str()).unwrap_or(Value::Null),
            "url": r.get::<String, _>(4),
            "state": r.get::<String, _>(5),
            "attempts": r.get::<i64, _>(6),
            "next_attempt_at": r.get::<String, _>(7),
            "history": attempts.iter().map(|a| json!({
                "attempted_at": a.get::<String, _>(0),
                "status_code": a.get::<Option<i64>, _>(1),
                "error": a.get::<Option<String>, _>(2),
                "duration_ms": a.get::<i64, _>(3),
            })).collect::<Vec<_>>(),
        }));
    }
    Ok(body(StatusCode::OK, &Value::Array(list)))
}

/// Liveness and the database: 200 `{"status":"ok"}` when a query answers.
async fn healthz(State(state): State<AppState>) -> Result<Response, ApiError> {
    sqlx::query("SELECT 1").execute(&state.db).await?;
    Ok(body(StatusCode::OK, &json!({ "status": "ok" })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_file_name_gives_a_valid_content_disposition() {
        for name in ["statement.pdf", "a\nb\"c\\.pdf", "relevé été.pdf", "\u{0}"] {
            let value = content_disposition(name);
            assert!(
                axum::http::HeaderValue::from_str(&value).is_ok(),
                "{name:?} → {value}"
            );
        }
        assert_eq!(
            content_disposition("relevé.pdf"),
            "attachment; filename=\"relev_.pdf\"; filename*=UTF-8''relev%C3%A9.pdf"
        );
    }
}
