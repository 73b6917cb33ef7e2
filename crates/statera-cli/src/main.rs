//! `statera`: the command line. This file parses arguments and maps outcomes to exit codes;
//! the work lives in the library crates.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use statera_extract::delimited::MappingSpec;
use statera_extract::{ExtractError, Options};
use statera_model::{Direction, Statement};
use statera_sandbox::{CHILD_SUBCOMMAND, Sandbox, SandboxError};

/// Exit code for usage errors (clap uses it too).
const EXIT_USAGE: u8 = 2;
/// Exit code for a missing or wrong password.
const EXIT_PASSWORD: u8 = 3;
/// Exit code for input that cannot be read as a statement.
const EXIT_UNREADABLE: u8 = 4;
/// Exit code for an internal failure (the sandbox could not run).
const EXIT_INTERNAL: u8 = 70;

#[derive(Parser)]
#[command(
    name = "statera",
    version,
    about = "Bank and M-Pesa statement extraction and credit decisioning"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read a statement and print it (JSON or CSV).
    Extract(ExtractArgs),
    /// Analyse one client's statements: analysis, fraud report and credit score.
    Analyze(AnalyzeArgs),
    /// List the providers (layouts) Statera reads.
    Providers,
    /// Run the HTTP API (and, unless --no-worker, the job worker) on SQLite or PostgreSQL.
    Serve {
        /// Serve the API only; run `statera worker` processes for the jobs.
        #[arg(long)]
        no_worker: bool,
    },
    /// Run the job worker only.
    Worker,
    /// Create or update the database schema and exit.
    Migrate,
    /// Manage tenants (businesses).
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// See and check webhook deliveries without writing code.
    Webhook {
        #[command(subcommand)]
        command: WebhookCommand,
    },
    /// Score a repayment history (seed 001's request body) and print the response.
    RepaymentScore {
        /// The request JSON (`-` for standard input).
        request: PathBuf,
        /// The date that stands in for a missing paymentEndDate (default: today, UTC).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Internal: the sandboxed parser child. Reads its request from stdin.
    #[command(name = CHILD_SUBCOMMAND, hide = true)]
    ParseChild,
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// The statement file: PDF, CSV (or other delimited text) or open-banking JSON,
    /// told apart by content.
    file: PathBuf,
    /// The PDF's user password (the empty password is always tried first).
    #[arg(long)]
    password: Option<String>,
    /// Force a provider's layout instead of detecting it (`statera providers` lists them).
    #[arg(long, default_value = "auto")]
    provider: String,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// The currency you work in (ISO 4217): the currency of a CSV file that names none;
    /// open-banking accounts in another currency are refused.
    #[arg(long)]
    currency: Option<String>,
    /// Explicit CSV columns instead of inferring them from the header:
    /// `date=Booking Date,description=Details,debit=4,credit=5` (names or 1-based numbers;
    /// fields: date, description, amount, debit, credit, balance, currency, reference, account).
    #[arg(long)]
    csv_map: Option<String>,
    /// Parse in a child process with memory, CPU and wall-time limits.
    #[arg(long)]
    sandbox: bool,
    /// The binary to run as the sandboxed child (default: this one).
    #[arg(long, env = "STATERA_PARSER_BIN", requires = "sandbox")]
    parser_bin: Option<PathBuf>,
    /// Read PDFs with the layout-free reader only, ignoring the bank layout files.
    #[arg(long)]
    no_layout_hints: bool,
}

#[derive(Subcommand)]
enum WebhookCommand {
    /// Receive deliveries on 127.0.0.1:PORT, verify each signature and print it as a JSON line.
    Listen {
        #[arg(long)]
        port: u16,
        /// The tenant's webhook secret (`whsec_…`).
        #[arg(long)]
        secret: String,
    },
    /// Check one saved delivery: its body file and the three webhook headers.
    Verify {
        /// The delivery's body, exactly as received.
        body: PathBuf,
        #[arg(long)]
        secret: String,
        #[arg(long)]
        id: String,
        #[arg(long)]
        timestamp: i64,
        #[arg(long)]
        signature: String,
        /// Accept a timestamp this many seconds away from now (default 5 minutes).
        #[arg(long, default_value_t = 300)]
        tolerance: i64,
    },
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Create a tenant and print its credentials (shown once).
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// A login password for the e-mail (stored only as an Argon2id hash). Visible to
        /// other users in the process list: prefer --password-stdin.
        #[arg(long, conflicts_with = "password_stdin")]
        password: Option<String>,
        /// Read the login password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Print JSON (the only format).
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// Statement files (anything `statera extract` reads) or Statement JSON as `statera
    /// extract` prints it; all belong to one client.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The PDF password (tried on every encrypted file).
    #[arg(long)]
    password: Option<String>,
    /// The date to analyse as of (default: the last transaction's date).
    #[arg(long)]
    as_of: Option<chrono::NaiveDate>,
    /// The currency you work in (ISO 4217), as for `extract`.
    #[arg(long)]
    currency: Option<String>,
    /// A categorisation rules file merged over the built-in rules (same format as
    /// `crates/statera-analyze/rules/categories.toml`; your rules win).
    #[arg(long)]
    rules: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
    format: ReportFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Json,
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(args) => extract(args),
        Command::Analyze(args) => analyze(args),
        Command::Serve { no_worker } => server(ServerMode::Serve { worker: !no_worker }),
        Command::Worker => server(ServerMode::Worker),
        Command::Migrate => server(ServerMode::Migrate),
        Command::Tenant {
            command:
                TenantCommand::Create {
                    name,
                    email,
                    password,
                    password_stdin,
                    ..
                },
        } => {
            let password = if password_stdin {
                let mut line = String::new();
                if let Err(e) = std::io::stdin().read_line(&mut line) {
                    return fail("usage", &format!("reading the password: {e}"), EXIT_USAGE);
                }
                Some(line.trim_end_matches(['\r', '\n']).to_owned()).filter(|p| !p.is_empty())
            } else {
                password
            };
            server(ServerMode::CreateTenant {
                name,
                email,
                password,
            })
        }
        Command::Webhook {
            command:
                WebhookCommand::Verify {
                    body,
                    secret,
                    id,
                    timestamp,
                    signature,
                    tolerance,
                },
        } => {
            let text = match read_text(&body) {
                Ok(text) => text,
                Err(exit) => return exit,
            };
            let now = chrono::Utc::now().timestamp();
            match statera_server::webhooks::verify(
                &secret, &id, timestamp, &signature, &text, now, tolerance,
            ) {
                Ok(()) => {
                    print_json(&serde_json::json!({ "valid": true, "id": id }));
                    ExitCode::SUCCESS
                }
                Err(why) => fail("invalid_signature", why, EXIT_UNREADABLE),
            }
        }
        Command::Webhook {
            command: WebhookCommand::Listen { port, secret },
        } => listen(port, secret),
        Command::Providers => {
            print_json(&statera_extract::providers());
            ExitCode::SUCCESS
        }
        Command::RepaymentScore { request, as_of } => repayment_score(&request, as_of),
        Command::ParseChild => ExitCode::from(statera_sandbox::child_main().clamp(0, 255) as u8),
    }
}

fn extract(args: ExtractArgs) -> ExitCode {
    let known = statera_extract::providers();
    if args.provider != "auto" && !known.iter().any(|p| p.code == args.provider) {
        let codes: Vec<&str> = known.iter().map(|p| p.code.as_str()).collect();
        return fail(
            "unknown_provider",
            &format!(
                "unknown provider {:?}; known: auto, {}",
                args.provider,
                codes.join(", ")
            ),
            EXIT_USAGE,
        );
    }
    let currency = match args.currency.as_deref().map(statera_model::Currency::parse) {
        None => None,
        Some(Ok(currency)) => Some(currency),
        Some(Err(e)) => return fail("invalid_currency", &e.to_string(), EXIT_USAGE),
    };
    let csv_mapping = match args.csv_map.as_deref().map(MappingSpec::parse) {
        None => None,
        Some(Ok(spec)) => Some(spec),
        Some(Err(e)) => return fail("invalid_mapping", &e, EXIT_USAGE),
    };
    let bytes = match read_file(&args.file) {
        Ok(bytes) => bytes,
        Err(exit) => return exit,
    };
    let options = Options {
        password: args.password,
        provider: Some(args.provider).filter(|p| p != "auto"),
        currency,
        csv_mapping,
        no_layout_hints: args.no_layout_hints,
        ..Options::default()
    };
    let result = if args.sandbox {
        let binary = match args
            .parser_bin
            .map(Ok)
            .unwrap_or_else(std::env::current_exe)
        {
            Ok(binary) => binary,
            Err(e) => return fail("sandbox_failed", &e.to_string(), EXIT_INTERNAL),
        };
        Sandbox::new(binary).extract(&bytes, &options)
    } else {
        statera_sandbox::extract_catching_panics(&bytes, &options).map_err(SandboxError::from)
    };
    match result {
        Ok(statements) => {
            match (args.format, statements.as_slice()) {
                (Format::Json, [one]) => print_json(one),
                // Several accounts (open banking): one envelope, never a changing shape
                // for a one-account input.
                (Format::Json, _) => print_json(&serde_json::json!({ "statements": statements })),
                (Format::Csv, _) => {
                    if let Err(e) = print_csv(&statements) {
                        return fail("output_failed", &e.to_string(), EXIT_INTERNAL);
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Err(SandboxError::Extract(error)) => fail_extract(&error),
        Err(other) => fail("sandbox_failed", &other.to_string(), EXIT_INTERNAL),
    }
}

/// The async runtime for the server commands and the webhook receiver.
fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| fail("startup_failed", &e.to_string(), EXIT_INTERNAL))
}

/// A local receiver that prints each delivery with its verification result.
fn listen(port: u16, secret: String) -> ExitCode {
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(exit) => return exit,
    };
    runtime.block_on(async move {
        let secret = std::sync::Arc::new(secret);
        let app = axum::Router::new().fallback(move |headers: axum::http::HeaderMap, body: String| {
            let secret = secret.clone();
            async move {
                let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                let timestamp = header("webhook-timestamp").parse::<i64>().unwrap_or(0);
                let verdict = statera_server::webhooks::verify(
                    &secret,
                    &header("webhook-id"),
                    timestamp,
                    &header("webhook-signature"),
                    &body,
                    chrono::Utc::now().timestamp(),
                    300,
                );
                let line = serde_json::json!({
                    "webhook_id": header("webhook-id"),
                    "timestamp": timestamp,
                    "valid": verdict.is_ok(),
                    "problem": verdict.err(),
                    "body": serde_json::from_str::<serde_json::Value>(&body).unwrap_or(serde_json::Value::String(body.clone())),
                });
                println!("{line}");
                if verdict.is_ok() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNAUTHORIZED }
            }
        });
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => listener,
            Err(e) => return fail("bind_failed", &e.to_string(), EXIT_INTERNAL),
        };
        eprintln!("listening for webhooks on http://127.0.0.1:{port}/");
        match axum::serve(listener, app).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail("server_failed", &e.to_string(), EXIT_INTERNAL),
        }
    })
}

enum ServerMode {
    Serve {
        worker: bool,
    },
    Worker,
    Migrate,
    CreateTenant {
        name: String,
        email: Option<String>,
        password: Option<String>,
    },
}

/// `STATERA_DATA_DIR` (default `./statera-data`), `STATERA_BIND` (default
/// 127.0.0.1:8080), `STATERA_DATABASE_URL` (default: SQLite in the data directory),
/// `STATERA_STORAGE_URL` (default: the data directory's documents folder),
/// `STATERA_PARSER_BIN` (default: this binary).
fn server(mode: ServerMode) -> ExitCode {
    let data_dir = std::env::var("STATERA_DATA_DIR").unwrap_or_else(|_| "statera-data".into());
    let parser = match std::env::var("STATERA_PARSER_BIN") {
        Ok(path) if !path.is_empty() => PathBuf::from(path),
        _ => match std::env::current_exe() {
            Ok(path) => path,
            Err(e) => return fail("startup_failed", &e.to_string(), EXIT_INTERNAL),
        },
    };
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(exit) => return exit,
    };
    runtime.block_on(async move {
        let mut config = statera_server::Config::new(&data_dir, parser);
        config.database_url = std::env::var("STATERA_DATABASE_URL").ok().filter(|url| !url.is_empty());
        config.storage = match statera_server::blobs::StorageConfig::from_url(std::env::var("STATERA_STORAGE_URL").ok().as_deref()) {
            Ok(storage) => storage,
            Err(e) => return fail("startup_failed", &e.to_string(), EXIT_INTERNAL),
        };
        config.run_worker = matches!(mode, ServerMode::Serve { worker: true } | ServerMode::Worker);
        config.webhook_allow_private = std::env::var("STATERA_WEBHOOK_ALLOW_PRIVATE").is_ok_and(|v| v == "true" || v == "1");
        config.public_url = std::env::var("STATERA_PUBLIC_URL").ok().filter(|url| !url.is_empty());
        let seconds = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(lease) = seconds("STATERA_LEASE_SECONDS").filter(|s| (1..=86_400).contains(s)) {
            config.lease_seconds = lease as i64;
        }
        if let Some(uploads) = seconds("STATERA_MAX_CONCURRENT_UPLOADS").filter(|n| *n > 0) {
            config.max_concurrent_uploads = uploads as usize;
        }
        if let Some(poll) = seconds("STATERA_WORKER_POLL_SECONDS").filter(|s| (1..=86_400).contains(s)) {
            config.poll_interval = std::time::Duration::from_secs(poll);
        }
        // Test only (documented in docs/api.md): pause before each parse.
        if let Some(delay) = seconds("STATERA_TEST_PARSE_DELAY_MS") {
            config.parse_delay = std::time::Duration::from_millis(delay);
        }
        if let Ok(schedule) = std::env::var("STATERA_WEBHOOK_SCHEDULE") {
            // Seconds between attempts, e.g. "5,60,300".
            let steps: Vec<std::time::Duration> = schedule
                .split(',')
                .filter_map(|s| s.trim().parse::<u64>().ok())
                .map(std::time::Duration::from_secs)
                .collect();
            if !steps.is_empty() {
                config.webhook_schedule = steps;
            }
        }
        // Migrating needs the database only (no master key, no storage).
        if matches!(mode, ServerMode::Migrate) {
            if let Err(e) = std::fs::create_dir_all(&config.data_dir) {
                return fail("startup_failed", &e.to_string(), EXIT_INTERNAL);
            }
            return match statera_server::store::open(config.database_url.as_deref(), &config.data_dir).await {
                Ok(store) => {
                    print_json(&serde_json::json!({ "migrated": true, "data_dir": data_dir, "database": format!("{:?}", store.backend).to_lowercase() }));
                    ExitCode::SUCCESS
                }
                Err(e) => fail("startup_failed", &e.to_string(), EXIT_INTERNAL),
            };
        }
        let state = match statera_server::AppState::open(config).await {
            Ok(state) => state,
            Err(e) => return fail("startup_failed", &e.to_string(), EXIT_INTERNAL),
        };
        match mode {
            ServerMode::Migrate => unreachable!("handled above"),
            ServerMode::CreateTenant { name, email, password } => {
                if password.is_some() && email.is_none() {
                    return fail("usage", "--password needs --email: the login is the e-mail address", EXIT_USAGE);
                }
                match statera_server::create_tenant(&state.db, &state.master_key, &name, email.as_deref(), password.as_deref()).await {
                    Ok(credentials) => {
                        print_json(&credentials);
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail("tenant_create_failed", &e.to_string(), EXIT_INTERNAL),
                }
            }
            ServerMode::Worker => {
                statera_server::jobs::worker(state).await;
                ExitCode::SUCCESS
            }
            ServerMode::Serve { .. } => {
                let bind = std::env::var("STATERA_BIND").unwrap_or_else(|_| "127.0.0.1:8080".into());
                let listener = match tokio::net::TcpListener::bind(&bind).await {
                    Ok(listener) => listener,
                    Err(e) => return fail("bind_failed", &format!("{bind}: {e}"), EXIT_INTERNAL),
                };
                eprintln!("{{\"level\":\"info\",\"message\":\"statera listening on {bind}, data in {data_dir}\"}}");
                match statera_server::run(state, listener).await {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail("server_failed", &e.to_string(), EXIT_INTERNAL),
                }
            }
        }
    })
}

fn analyze(args: AnalyzeArgs) -> ExitCode {
    let currency = match args.currency.as_deref().map(statera_model::Currency::parse) {
        None => None,
        Some(Ok(currency)) => Some(currency),
        Some(Err(e)) => return fail("invalid_currency", &e.to_string(), EXIT_USAGE),
    };
    let options = Options {
        password: args.password.clone(),
        currency,
        ..Options::default()
    };
    let mut statements = Vec::new();
    for path in &args.files {
        let bytes = match read_file(path) {
            Ok(bytes) => bytes,
            Err(exit) => return exit,
        };
        if let Some(read) = statements_json(&bytes) {
            statements.extend(read);
            continue;
        }
        match statera_sandbox::extract_catching_panics(&bytes, &options) {
            Ok(read) => statements.extend(read),
            Err(error) => return fail_extract(&error),
        }
    }
    let built_in = statera_analyze::categorise::Categoriser::built_in();
    let custom = match &args.rules {
        None => None,
        Some(path) => {
            let text = match read_text(path) {
                Ok(text) => text,
                Err(exit) => return exit,
            };
            match built_in.with_overrides(&text) {
                Ok(categoriser) => Some(categoriser),
                Err(e) => return fail("invalid_rules", &e.to_string(), EXIT_USAGE),
            }
        }
    };
    let report = match statera_analyze::report::build(
        &statements,
        args.as_of,
        custom.as_ref().unwrap_or(built_in),
        statera_analyze::score::Scaling::default(),
    ) {
        Ok(report) => report,
        Err(e) => return fail("nothing_to_analyse", &e.to_string(), EXIT_UNREADABLE),
    };
    match args.format {
        ReportFormat::Json => print_json(&report),
        ReportFormat::Text => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(statera_analyze::report::render_text(&report).as_bytes());
        }
    }
    ExitCode::SUCCESS
}

/// A Statement (or `{"statements": [...]}`) as `statera extract` prints it.
fn statements_json(bytes: &[u8]) -> Option<Vec<Statement>> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        statements: Vec<Statement>,
    }
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return None;
    }
    if let Ok(one) = serde_json::from_slice::<Statement>(bytes) {
        return Some(vec![one]);
    }
    serde_json::from_slice::<Envelope>(bytes)
        .ok()
        .map(|e| e.statements)
}

fn repayment_score(path: &std::path::Path, as_of: Option<chrono::NaiveDate>) -> ExitCode {
    let body = if path.as_os_str() == "-" {
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut body).map(|_| body)
    } else {
        std::fs::read(path)
    };
    let body = match body {
        Ok(body) => body,
        Err(e) => {
            return fail(
                "file_unreadable",
                &format!("cannot read {}: {e}", path.display()),
                EXIT_USAGE,
            );
        }
    };
    match statera_analyze::repayment::parse_request(&body) {
        Ok(request) => {
            // The edge reads the clock; the engine only ever sees `as_of`.
            let as_of = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
            print_json(&statera_analyze::repayment::response(&request, as_of));
            ExitCode::SUCCESS
        }
        Err(e) => fail("invalid_request", &e.to_string(), EXIT_USAGE),
    }
}

fn fail_extract(error: &ExtractError) -> ExitCode {
    print_json(&serde_json::json!({ "error": error.to_body() }));
    ExitCode::from(if error.is_password_problem() {
        EXIT_PASSWORD
    } else {
        EXIT_UNREADABLE
    })
}

/// A file's bytes, or the usage error printed and its exit code.
fn read_file(path: &std::path::Path) -> Result<Vec<u8>, ExitCode> {
    std::fs::read(path).map_err(|e| {
        fail(
            "file_unreadable",
            &format!("cannot read {}: {e}", path.display()),
            EXIT_USAGE,
        )
    })
}

/// A text file, or the usage error printed and its exit code.
fn read_text(path: &std::path::Path) -> Result<String, ExitCode> {
    std::fs::read_to_string(path).map_err(|e| {
        fail(
            "file_unreadable",
            &format!("cannot read {}: {e}", path.display()),
            EXIT_USAGE,
        )
    })
}

fn fail(code: &str, message: &str, exit: u8) -> ExitCode {
    print_json(&serde_json::json!({ "error": { "code": code, "message": message } }));
    ExitCode::from(exit)
}

fn print_json(value: &impl serde::Serialize) {
    // Stdout is line-buffered; pretty JSON has a line per field, so buffer it whole.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = serde_json::to_writer_pretty(&mut stdout, value);
    let _ = writeln!(stdout);
    let _ = stdout.flush();
}

fn print_csv(statements: &[Statement]) -> Result<(), csv::Error> {
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(std::io::stdout().lock()));
    out.write_record([
        "date",
        "time",
        "reference",
        "description",
        "status",
        "direction",
        "amount",
        "signed_amount",
        "balance",
        "currency",
        "account",
        "page",
        "line",
    ])?;
    for (statement, t) in statements
        .iter()
        .flat_map(|s| s.transactions.iter().map(move |t| (s, t)))
    {
        out.write_record([
            t.date.to_string(),
            t.time.map(|t| t.to_string()).unwrap_or_default(),
            t.reference.clone().unwrap_or_default(),
            t.description.clone(),
            t.status.clone().unwrap_or_default(),
            match t.direction {
                Direction::Credit => "credit".into(),
                Direction::Debit => "debit".into(),
            },
            t.amount.to_string(),
            t.signed_amount().to_string(),
            t.balance.map(|b| b.to_string()).unwrap_or_default(),
            statement.currency.to_string(),
            statement.account_number.clone().unwrap_or_default(),
            t.page.to_string(),
            t.line.to_string(),
        ])?;
    }
    out.flush()?;
    Ok(())
}
