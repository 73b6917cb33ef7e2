//! Observability at the edge: a request id on every request and response, one JSON log
//! line per request, and Prometheus text at `/metrics` (requests by status class, jobs and
//! documents by state, webhook attempts by outcome, parse durations).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sqlx::Row;

use crate::AppState;

/// Request counters by status class (1xx–5xx).
#[derive(Debug, Default)]
pub struct Counters {
    by_class: [AtomicU64; 5],
}

/// Gives the request an id (or keeps the caller's `x-request-id`), logs it, counts it.
pub async fn track(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("req_{}", crate::auth::random_token(8)));
    if let Ok(value) = HeaderValue::from_str(&id) {
        request.headers_mut().insert("x-request-id", value);
    }
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let mut response = next.run(request).await;
    let status = response.status().as_u16();
    let class = usize::from(status / 100).clamp(1, 5) - 1;
    state.counters.by_class[class].fetch_add(1, Ordering::Relaxed);
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    eprintln!(
        "{}",
        serde_json::json!({
            "level": "info",
            "request_id": id,
            "method": method.as_str(),
            "path": path,
            "status": status,
            "duration_ms": started.elapsed().as_millis() as u64,
        })
    );
    response
}

const PARSE_BUCKETS_MS: [i64; 9] = [50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000];

pub async fn metrics(State(state): State<AppState>) -> Response {
    match render(&state).await {
        Ok(text) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            text,
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn render(state: &AppState) -> Result<String, sqlx::Error> {
    let mut out = String::new();
    out.push_str("# HELP statera_http_requests_total HTTP requests answered, by status class.\n# TYPE statera_http_requests_total counter\n");
    for (i, counter) in state.counters.by_class.iter().enumerate() {
        out.push_str(&format!(
            "statera_http_requests_total{{status=\"{}xx\"}} {}\n",
            i + 1,
            counter.load(Ordering::Relaxed)
        ));
    }
    let grouped = |sql: &'static str| async move {
        let rows = sqlx::query(sql).fetch_all(&state.db).await?;
        Ok::<Vec<(String, i64)>, sqlx::Error>(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    };
    out.push_str("# HELP statera_jobs Jobs by state.\n# TYPE statera_jobs gauge\n");
    for (job_state, n) in
        grouped("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state").await?
    {
        out.push_str(&format!("statera_jobs{{state=\"{job_state}\"}} {n}\n"));
    }
    out.push_str("# HELP statera_documents Documents by status.\n# TYPE statera_documents gauge\n");
    for (status, n) in
        grouped("SELECT status, COUNT(*) FROM documents GROUP BY status ORDER BY status").await?
    {
        out.push_str(&format!("statera_documents{{status=\"{status}\"}} {n}\n"));
    }
    out.push_str("# HELP statera_webhook_attempts_total Webhook delivery attempts, by outcome.\n# TYPE statera_webhook_attempts_total counter\n");
    for (outcome, n) in grouped(
        "SELECT CASE WHEN status_code BETWEEN 200 AND 299 THEN 'success' WHEN status_code IS NULL THEN 'error' ELSE 'http_failure' END AS outcome, COUNT(*) FROM attempts GROUP BY outcome ORDER BY outcome",
    )
    .await?
    {
        out.push_str(&format!("statera_webhook_attempts_total{{outcome=\"{outcome}\"}} {n}\n"));
    }
    out.push_str("# HELP statera_parse_duration_seconds Time to parse and check an upload in the sandbox.\n# TYPE statera_parse_duration_seconds histogram\n");
    for bucket in PARSE_BUCKETS_MS {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) FROM documents WHERE parse_ms IS NOT NULL AND parse_ms <= $1",
        )
        .bind(bucket)
        .fetch_one(&state.db)
        .await?
        .get(0);
        out.push_str(&format!(
            "statera_parse_duration_seconds_bucket{{le=\"{}\"}} {n}\n",
            bucket as f64 / 1000.0
        ));
    }
    let row = sqlx::query(
        "SELECT COUNT(*), CAST(COALESCE(SUM(parse_ms), 0) AS BIGINT) FROM documents WHERE parse_ms IS NOT NULL",
    )
    .fetch_one(&state.db)
    .await?;
    let (count, sum): (i64, i64) = (row.get(0), row.get(1));
    out.push_str(&format!(
        "statera_parse_duration_seconds_bucket{{le=\"+Inf\"}} {count}\nstatera_parse_duration_seconds_sum {}\nstatera_parse_duration_seconds_count {count}\n",
        sum as f64 / 1000.0
    ));
    Ok(out)
}
