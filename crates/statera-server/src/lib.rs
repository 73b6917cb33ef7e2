//! Statera's server: the seed-000 statement API (and seed 001's repayment score) over one
//! engine, with uploads stored durably and analysed by a job worker that parses every file
//! in the sandboxed child. `run` takes its configuration and an already-bound listener, so
//! tests bind port 0 and run the real thing.

mod auth;
pub mod blobs;
mod cladfy;
mod error;
pub mod jobs;
mod observe;
mod openapi;
pub mod store;
pub mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use tokio::sync::Notify;

pub use auth::{Credentials, create_tenant, hash_password, verify_password};
pub use error::ApiError;

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// The SQLite file, the documents folder and the generated master key live here.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL; `None` for SQLite under `data_dir`.
    pub database_url: Option<String>,
    /// Where uploaded files go: the documents folder, or an S3-compatible bucket.
    pub storage: blobs::StorageConfig,
    /// The master key; `None` reads `STATERA_MASTER_KEY`, or (SQLite only) a key generated
    /// into `data_dir` on first start. Replicas sharing PostgreSQL must share one key.
    pub master_key: Option<Vec<u8>>,
    /// The `statera` binary run as the sandboxed parser.
    pub parser_bin: PathBuf,
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: usize,
    /// Run the job worker inside this process.
    pub run_worker: bool,
    /// How long a worker may hold a job before another may take it over.
    pub lease_seconds: i64,
    /// Attempts before a document fails for good.
    pub max_attempts: i64,
    /// Delays between webhook attempts; after the last one a delivery is given up.
    pub webhook_schedule: Vec<std::time::Duration>,
    /// Allow webhook targets on private, loopback or link-local addresses.
    pub webhook_allow_private: bool,
    /// How often an idle worker looks for work it was not woken for (expired leases, due
    /// webhook retries, and on SQLite jobs enqueued by another process).
    pub poll_interval: std::time::Duration,
    /// The server's address as callers reach it (`STATERA_PUBLIC_URL`), for absolute
    /// download links; `None` uses the request's Host.
    pub public_url: Option<String>,
    /// Uploads read at once (each may buffer up to `max_upload_bytes`); more wait up to
    /// 30 s for a turn, then get 503 `server_busy` with Retry-After.
    pub max_concurrent_uploads: usize,
    /// How long an upload waits for a turn before `server_busy` (30 s).
    pub upload_turn_wait: std::time::Duration,
    /// Test only: a pause before each parse, so a test can kill a worker "mid-job".
    pub parse_delay: std::time::Duration,
}

impl Config {
    /// The defaults for `data_dir`: 25 MiB uploads, a worker in process, 5-minute leases,
    /// three attempts.
    pub fn new(data_dir: impl Into<PathBuf>, parser_bin: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            database_url: None,
            storage: blobs::StorageConfig::Local,
            master_key: None,
            parser_bin: parser_bin.into(),
            max_upload_bytes: 25 << 20,
            run_worker: true,
            lease_seconds: 300,
            max_attempts: 3,
            // Seed 000 documents no schedule: 5 s, 1 min, 5 min, 30 min, 2 h, 8 h.
            webhook_schedule: [5, 60, 300, 1800, 7200, 28800]
                .into_iter()
                .map(std::time::Duration::from_secs)
                .collect(),
            webhook_allow_private: false,
            poll_interval: std::time::Duration::from_secs(5),
            parse_delay: std::time::Duration::ZERO,
            public_url: None,
            max_concurrent_uploads: 16,
            upload_turn_wait: std::time::Duration::from_secs(30),
        }
    }
}

/// Shared by every handler and the worker.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: sqlx::AnyPool,
    /// The engine under `db`, and its URL when it is PostgreSQL (for LISTEN).
    pub store: Arc<store::Store>,
    pub blobs: blobs::Blobs,
    /// Wakes the in-process worker as soon as a job is enqueued.
    pub wake: Arc<Notify>,
    /// Key for signing download links and deriving webhook secrets.
    pub master_key: Arc<Vec<u8>>,
    /// Webhook client: 10 s timeout, no redirects, no proxy.
    pub http: reqwest::Client,
    /// Upload turns (`config.max_concurrent_uploads`).
    pub upload_turns: Arc<tokio::sync::Semaphore>,
    /// Request counters for `/metrics`.
    pub counters: Arc<observe::Counters>,
}

impl AppState {
    /// Opens (and migrates) the store under `config.data_dir`.
    pub async fn open(config: Config) -> Result<Self, store::StoreError> {
        std::fs::create_dir_all(&config.data_dir).map_err(store::StoreError::Io)?;
        let config_uploads = config.max_concurrent_uploads;
        let config_allow_private = config.webhook_allow_private;
        let store = store::open(config.database_url.as_deref(), &config.data_dir).await?;
        let master_key = match &config.master_key {
            Some(key) if !key.is_empty() => key.clone(),
            _ => store::master_key(&config.data_dir, store.backend)?,
        };
        let blobs = blobs::Blobs::open(&config.storage, config.data_dir.join("documents"))
            .map_err(|e| store::StoreError::Config(e.to_string()))?;
        Ok(Self {
            blobs,
            config: Arc::new(config),
            db: store.pool.clone(),
            store: Arc::new(store),
            wake: Arc::new(Notify::new()),
            master_key: Arc::new(master_key),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .dns_resolver(webhooks::GuardedResolver {
                    allow_private: config_allow_private,
                })
                .build()
                .map_err(|e| store::StoreError::Io(std::io::Error::other(e)))?,
            counters: Arc::new(observe::Counters::default()),
            upload_turns: Arc::new(tokio::sync::Semaphore::new(config_uploads.max(1))),
        })
    }

    /// Runs every queued job now (tests use this instead of waiting for the worker).
    pub async fn run_pending_jobs(&self) -> usize {
        let mut done = 0;
        while jobs::run_one(self).await {
            done += 1;
        }
        done
    }

    /// Sends every webhook delivery that is due now (tests use this).
    pub async fn send_due_webhooks(&self) -> usize {
        let mut sent = 0;
        while webhooks::deliver_one(self).await {
            sent += 1;
        }
        sent
    }
}

/// The HTTP application.
pub fn router(state: AppState) -> Router {
    let (face, _) = cladfy::routes(&state.config);
    face.route("/metrics", axum::routing::get(observe::metrics))
        .merge(openapi::routes())
        .layer(axum::middleware::from_fn(error::json_errors))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            observe::track,
        ))
        .with_state(state)
}

/// Runs the worker and starts it again if it ever panics, so an accepted upload is never
/// left waiting on a dead worker while the API keeps answering.
async fn supervise_worker(state: AppState) {
    loop {
        match tokio::spawn(jobs::worker(state.clone())).await {
            Err(e) if e.is_panic() => {
                eprintln!(
                    "{{\"level\":\"error\",\"message\":\"the worker panicked; restarting it\"}}"
                );
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
            _ => return,
        }
    }
}

/// Serves on `listener` until the process ends; starts the worker when configured.
pub async fn run(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    if state.config.run_worker {
        tokio::spawn(supervise_worker(state.clone()));
    }
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
