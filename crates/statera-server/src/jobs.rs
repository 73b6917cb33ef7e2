//! The job queue on the `jobs` table. A worker claims a job with a lease in one `UPDATE …
//! RETURNING` (a crashed worker's job is taken again once its lease expires), commits,
//! parses in the sandboxed child with no transaction open, then writes the document's
//! outcome and finishes the job in one transaction.

use std::time::Duration;

use sqlx::Row;
use statera_sandbox::{Sandbox, SandboxError};

use crate::AppState;
use crate::store::{Backend, now, now_plus};

/// Runs jobs until the process ends: at once when woken by an enqueue (in this process,
/// or on PostgreSQL in any), and every `poll_interval` otherwise (to take over jobs whose
/// worker died and send due webhook retries).
pub async fn worker(state: AppState) {
    if let Some(url) = state.store.postgres_url.clone() {
        tokio::spawn(listen(url, state.wake.clone()));
    }
    loop {
        while run_one(&state).await {}
        while crate::webhooks::deliver_one(&state).await {}
        tokio::select! {
            _ = state.wake.notified() => {}
            _ = tokio::time::sleep(state.config.poll_interval) => {}
        }
    }
}

/// On PostgreSQL, wakes this worker whenever any replica enqueues a job (NOTIFY is sent
/// on commit). Reconnects after a lost connection; the worker's poll covers the gap.
async fn listen(url: String, wake: std::sync::Arc<tokio::sync::Notify>) {
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => {
                if let Err(e) = listener.listen(crate::store::JOBS_CHANNEL).await {
                    eprintln!("{{\"level\":\"warn\",\"message\":\"LISTEN failed: {e}\"}}");
                } else {
                    eprintln!(
                        "{{\"level\":\"info\",\"message\":\"listening for jobs on PostgreSQL\"}}"
                    );
                    // Jobs committed while this connection was down.
                    wake.notify_one();
                    while listener.recv().await.is_ok() {
                        wake.notify_one();
                    }
                }
            }
            Err(e) => {
                eprintln!("{{\"level\":\"warn\",\"message\":\"LISTEN connection failed: {e}\"}}");
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

/// Enqueues the document's job inside the caller's transaction; on PostgreSQL the
/// notification reaches every listening worker when the transaction commits.
pub async fn enqueue(
    tx: &mut sqlx::AnyConnection,
    backend: Backend,
    document_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO jobs (document_id, state, created_at) VALUES ($1, 'queued', $2)")
        .bind(document_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_notify('statera_jobs', '')")
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Claims and runs one job; false when none is waiting.
pub async fn run_one(state: &AppState) -> bool {
    let now_text = now();
    let until = now_plus(chrono::Duration::seconds(state.config.lease_seconds));
    // The outer WHERE repeats the condition so that a claimer that waited on a row lock
    // (PostgreSQL re-checks it on the new row version) never takes a job already taken.
    macro_rules! claim {
        ($lock:literal) => {
            concat!(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = $1
                 WHERE id = (SELECT id FROM jobs
                             WHERE state = 'queued' OR (state = 'running' AND locked_until < $2)
                             ORDER BY id LIMIT 1",
                $lock,
                ")
                   AND (state = 'queued' OR (state = 'running' AND locked_until < $2))
                 RETURNING id, document_id, attempts"
            )
        };
    }
    let sql = match state.store.backend {
        Backend::Sqlite => claim!(""),
        Backend::Postgres => claim!(" FOR UPDATE SKIP LOCKED"),
    };
    let claimed = sqlx::query(sql)
        .bind(&until)
        .bind(&now_text)
        .fetch_optional(&state.db)
        .await;
    let Ok(Some(row)) = claimed else {
        return false;
    };
    let (job_id, document_id, attempts): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    let started = std::time::Instant::now();
    let outcome = if attempts > state.config.max_attempts {
        Outcome::Failed(
            "processing_failed".into(),
            format!("gave up after {} attempts", attempts - 1),
        )
    } else {
        analyse(state, document_id).await
    };
    let Some(outcome) = outcome.finished() else {
        // The sandbox could not run: leave the job for another attempt after the lease.
        return true;
    };
    let parse_ms = started.elapsed().as_millis() as i64;
    let result: Result<(), sqlx::Error> = async {
        let mut tx = state.db.begin().await?;
        // Fenced: only the holder of this claim (its attempt number) may finish the job. A
        // worker that outlived its lease, whose job another worker took over, writes nothing
        // (no second outcome, no second completion event).
        let finished = sqlx::query(
            "UPDATE jobs SET state = 'done', locked_until = NULL WHERE id = $1 AND state = 'running' AND attempts = $2",
        )
        .bind(job_id)
        .bind(attempts)
        .execute(&mut *tx)
        .await?;
        if finished.rows_affected() != 1 {
            eprintln!("{{\"level\":\"warn\",\"message\":\"job {job_id}: lease lost to another worker; outcome dropped\"}}");
            return tx.rollback().await;
        }
        sqlx::query("UPDATE documents SET parse_ms = $1 WHERE id = $2")
            .bind(parse_ms)
            .bind(document_id)
            .execute(&mut *tx)
            .await?;
        match &outcome {
            Outcome::Analyzed(json) => {
                sqlx::query("UPDATE documents SET status = 'analyzed', statements_json = $1, failure_code = NULL, failure_message = NULL, last_analyzed_on = $2 WHERE id = $3")
                    .bind(json)
                    .bind(now())
                    .bind(document_id)
                    .execute(&mut *tx)
                    .await?;
            }
            Outcome::Failed(code, message) => {
                sqlx::query("UPDATE documents SET status = 'failed', failure_code = $1, failure_message = $2, last_analyzed_on = $3 WHERE id = $4")
                    .bind(code)
                    .bind(message)
                    .bind(now())
                    .bind(document_id)
                    .execute(&mut *tx)
                    .await?;
            }
            Outcome::Retry => {}
        }
        // The completion webhook (seed 000), for a failed analysis too: the receiver reads
        // the status. Enqueued in the same transaction as the outcome.
        let row = sqlx::query("SELECT tenant_id, client_id, webhook FROM documents WHERE id = $1")
            .bind(document_id)
            .fetch_one(&mut *tx)
            .await?;
        let (tenant_id, client_id, webhook): (i64, i64, Option<String>) = (row.get(0), row.get(1), row.get(2));
        if let Some(url) = webhook {
            let payload = format!(r#"{{"document_id":{document_id},"client_id":{client_id},"business_id":{tenant_id}}}"#);
            crate::webhooks::enqueue(&mut tx, tenant_id, "document.completed", &payload, &url).await?;
        }
        tx.commit().await
    }
    .await;
    if let Err(e) = result {
        eprintln!("{{\"level\":\"error\",\"message\":\"job {job_id}: {e}\"}}");
    }
    true
}

enum Outcome {
    Analyzed(String),
    Failed(String, String),
    Retry,
}

impl Outcome {
    fn finished(self) -> Option<Self> {
        match self {
            Self::Retry => None,
            other => Some(other),
        }
    }
}

async fn analyse(state: &AppState, document_id: i64) -> Outcome {
    let row = sqlx::query("SELECT blob_key, password FROM documents WHERE id = $1")
        .bind(document_id)
        .fetch_optional(&state.db)
        .await;
    // Only a definite absence fails the document; a database or storage hiccup (an S3
    // timeout, a 503) leaves the job for another attempt after its lease.
    let row = match row {
        Ok(Some(row)) => row,
        Ok(None) => {
            return Outcome::Failed("document_missing".into(), "the document row is gone".into());
        }
        Err(e) => {
            eprintln!(
                "{{\"level\":\"warn\",\"message\":\"document {document_id}: {e}; will retry\"}}"
            );
            return Outcome::Retry;
        }
    };
    let (blob_key, password): (String, Option<String>) = (row.get(0), row.get(1));
    let bytes = match state.blobs.get(&blob_key).await {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => {
            return Outcome::Failed("file_missing".into(), format!("stored file missing: {e}"));
        }
        Err(e) => {
            eprintln!(
                "{{\"level\":\"warn\",\"message\":\"document {document_id}: {e}; will retry\"}}"
            );
            return Outcome::Retry;
        }
    };
    if !state.config.parse_delay.is_zero() {
        tokio::time::sleep(state.config.parse_delay).await;
    }
    let sandbox = Sandbox::new(state.config.parser_bin.clone());
    let options = statera_extract::Options {
        password,
        ..statera_extract::Options::default()
    };
    let result = tokio::task::spawn_blocking(move || sandbox.extract(&bytes, &options)).await;
    match result {
        Ok(Ok(statements)) => match serde_json::to_string(&statements) {
            Ok(json) => Outcome::Analyzed(json),
            Err(e) => Outcome::Failed("internal_error".into(), e.to_string()),
        },
        Ok(Err(SandboxError::Extract(error))) => {
            Outcome::Failed(error.code().into(), error.to_string())
        }
        Ok(Err(other)) => {
            eprintln!("{{\"level\":\"error\",\"message\":\"document {document_id}: {other}\"}}");
            Outcome::Retry
        }
        Err(_) => Outcome::Retry,
    }
}
