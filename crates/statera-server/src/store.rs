//! The SQLite store: schema, and the master key kept beside it.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("data directory: {0}")]
    Io(std::io::Error),
}

/// Schema, applied in order; each statement is idempotent.
const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS tenants (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        email TEXT,
        created_at TEXT NOT NULL
    )",
    "CREATE TABLE IF NOT EXISTS credentials (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id INTEGER NOT NULL REFERENCES tenants(id),
        kind TEXT NOT NULL,
        secret_sha256 TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    )",
    "CREATE TABLE IF NOT EXISTS clients (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id INTEGER NOT NULL REFERENCES tenants(id),
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        phone_number TEXT,
        email TEXT,
        national_id TEXT,
        created_at TEXT NOT NULL
    )",
    "CREATE TABLE IF NOT EXISTS documents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id INTEGER NOT NULL REFERENCES tenants(id),
        client_id INTEGER NOT NULL REFERENCES clients(id),
        provider TEXT NOT NULL,
        filename TEXT NOT NULL,
        blob_key TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        password TEXT,
        webhook TEXT,
        national_id TEXT,
        status TEXT NOT NULL,
        failure_code TEXT,
        failure_message TEXT,
        statements_json TEXT,
        parse_ms INTEGER,
        created_at TEXT NOT NULL,
        last_analyzed_on TEXT
    )",
    "CREATE TABLE IF NOT EXISTS jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state, id)",
    "CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id INTEGER NOT NULL REFERENCES tenants(id),
        message_id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL
    )",
    "CREATE TABLE IF NOT EXISTS deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id INTEGER NOT NULL REFERENCES events(id),
        url TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        locked_until TEXT
    )",
    "CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(state, next_attempt_at)",
    "CREATE TABLE IF NOT EXISTS attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
        attempted_at TEXT NOT NULL,
        status_code INTEGER,
        error TEXT,
        duration_ms INTEGER NOT NULL
    )",
    "CREATE TABLE IF NOT EXISTS scores (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id INTEGER NOT NULL REFERENCES tenants(id),
        client_id INTEGER NOT NULL REFERENCES clients(id),
        score INTEGER NOT NULL,
        body_json TEXT NOT NULL,
        scored_at TEXT NOT NULL
    )",
];

/// Opens the database file (creating it) in WAL mode and applies the schema.
pub async fn open(path: &Path) -> Result<sqlx::SqlitePool, StoreError> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(std::time::Duration::from_secs(10))
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    for statement in SCHEMA {
        sqlx::query(*statement).execute(&pool).await?;
    }
    Ok(pool)
}

/// `STATERA_MASTER_KEY`, or a key generated into the data directory on first start.
pub fn master_key(data_dir: &Path) -> Result<Vec<u8>, StoreError> {
    if let Ok(key) = std::env::var("STATERA_MASTER_KEY")
        && !key.is_empty()
    {
        return Ok(key.into_bytes());
    }
    let path = data_dir.join("master.key");
    match std::fs::read(&path) {
        Ok(key) if !key.is_empty() => Ok(key),
        _ => {
            let key = crate::auth::random_token(32).into_bytes();
            std::fs::write(&path, &key).map_err(StoreError::Io)?;
            Ok(key)
        }
    }
}

/// Now, as stored: UTC, ISO 8601 with microseconds.
pub fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6f")
        .to_string()
}
