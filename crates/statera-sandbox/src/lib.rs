//! Untrusted statements are parsed in a child process — the `statera` binary in its parse
//! mode — that caps its own address space and CPU time, while the parent enforces a wall
//! limit. A decompression bomb, a runaway loop or a stack overflow kills one child, never
//! the caller, and the document fails with `resource_limit`.
//!
//! Protocol: the parent writes one JSON line of [`Request`] and then the document's bytes
//! to the child's stdin; the child answers one JSON [`Reply`] on stdout.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use statera_extract::{ErrorBody, ExtractError, Options};
use statera_model::Statement;
use wait_timeout::ChildExt;

/// The hidden subcommand the parent runs the binary with.
pub const CHILD_SUBCOMMAND: &str = "__parse-child";

/// How to run the child and what it may use.
#[derive(Clone, Debug)]
pub struct Sandbox {
    /// The `statera` binary (tests pass `CARGO_BIN_EXE_statera`).
    pub binary: PathBuf,
    /// Address-space limit in bytes.
    pub memory_bytes: u64,
    /// CPU-time limit in seconds.
    pub cpu_seconds: u64,
    /// Wall-clock limit; the child is killed after it.
    pub wall: Duration,
}

impl Sandbox {
    /// Limits that fit one statement comfortably: 1 GiB, 20 s of CPU, 30 s of wall time.
    pub fn new(binary: impl Into<PathBuf>) -> Self {
        Self {
            binary: binary.into(),
            memory_bytes: 1 << 30,
            cpu_seconds: 20,
            wall: Duration::from_secs(30),
        }
    }

    /// Extracts `bytes` in a child process: one Statement per account.
    pub fn extract(&self, bytes: &[u8], options: &Options) -> Result<Vec<Statement>, SandboxError> {
        let request = Request {
            password: options.password.clone(),
            provider: options.provider.clone(),
            currency: options.currency.map(|c| c.to_string()),
            csv_mapping: options.csv_mapping.as_ref().map(|m| m.to_string()),
            no_layout_hints: options.no_layout_hints,
            memory_bytes: self.memory_bytes,
            cpu_seconds: self.cpu_seconds,
            threads: options.limits.threads,
        };
        let mut child = Command::new(&self.binary)
            .arg(CHILD_SUBCOMMAND)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| SandboxError::Spawn(self.binary.clone(), e))?;

        // Feed stdin and drain stdout on their own threads so neither pipe can fill up
        // while we wait on the clock.
        let mut stdin = child
            .stdin
            .take()
            .ok_or(SandboxError::Protocol("no stdin"))?;
        let mut input =
            serde_json::to_vec(&request).map_err(|_| SandboxError::Protocol("request"))?;
        input.push(b'\n');
        input.extend_from_slice(bytes);
        let writer = std::thread::spawn(move || {
            // The child may die before reading everything; that shows in its status.
            let _ = stdin.write_all(&input);
        });
        let mut stdout = child
            .stdout
            .take()
            .ok_or(SandboxError::Protocol("no stdout"))?;
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            let _ = stdout.read_to_end(&mut out);
            out
        });

        let status = match child.wait_timeout(self.wall).map_err(SandboxError::Wait)? {
            Some(status) => status,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = writer.join();
                let _ = reader.join();
                return Err(SandboxError::Extract(ExtractError::ResourceLimit(format!(
                    "parsing took longer than the {} s wall limit",
                    self.wall.as_secs()
                ))));
            }
        };
        let _ = writer.join();
        let output = reader.join().unwrap_or_default();
        match serde_json::from_slice::<Reply>(&output) {
            Ok(Reply::Statements(statements)) => Ok(statements),
            Ok(Reply::Error(body)) => Err(SandboxError::Extract(ExtractError::from_body(&body))),
            // No answer: the child was killed by a limit (SIGKILL for CPU, SIGSEGV for a
            // stack overflow, SIGABRT when an allocation fails under the memory cap).
            Err(_) if !status.success() => {
                Err(SandboxError::Extract(ExtractError::ResourceLimit(format!(
                    "the parser stopped without an answer ({status}); memory limit {} MiB, CPU limit {} s",
                    self.memory_bytes >> 20,
                    self.cpu_seconds
                ))))
            }
            Err(_) => Err(SandboxError::Protocol("unreadable answer from the parser")),
        }
    }
}

/// Why sandboxed extraction failed.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The document itself could not be read (this includes `resource_limit`).
    #[error(transparent)]
    Extract(#[from] ExtractError),
    #[error("cannot start the parser {0:?}: {1}")]
    Spawn(PathBuf, std::io::Error),
    #[error("cannot wait for the parser: {0}")]
    Wait(std::io::Error),
    #[error("sandbox protocol error: {0}")]
    Protocol(&'static str),
}

#[derive(Debug, Serialize, Deserialize)]
struct Request {
    password: Option<String>,
    provider: Option<String>,
    currency: Option<String>,
    /// `field=column,…` as `MappingSpec::parse` reads it.
    csv_mapping: Option<String>,
    #[serde(default)]
    no_layout_hints: bool,
    memory_bytes: u64,
    cpu_seconds: u64,
    threads: usize,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Reply {
    Statements(Vec<Statement>),
    Error(ErrorBody),
}

/// The child's side: read the request and document from stdin, cap this process, extract,
/// answer on stdout. Returns the process exit code.
pub fn child_main() -> i32 {
    let mut input = Vec::new();
    if std::io::stdin().read_to_end(&mut input).is_err() {
        return 70;
    }
    let Some(newline) = input.iter().position(|b| *b == b'\n') else {
        return 70;
    };
    let Ok(request) = serde_json::from_slice::<Request>(&input[..newline]) else {
        return 70;
    };
    let bytes = &input[newline + 1..];
    // Limits are set by the child on itself, after reading its input, so the parent needs
    // no unsafe pre-exec hook.
    let _ = rlimit::setrlimit(
        rlimit::Resource::AS,
        request.memory_bytes,
        request.memory_bytes,
    );
    let _ = rlimit::setrlimit(
        rlimit::Resource::CPU,
        request.cpu_seconds,
        request.cpu_seconds + 1,
    );
    let options = Options {
        password: request.password,
        provider: request.provider,
        currency: request
            .currency
            .and_then(|c| statera_model::Currency::parse(&c).ok()),
        csv_mapping: request
            .csv_mapping
            .and_then(|m| statera_extract::delimited::MappingSpec::parse(&m).ok()),
        no_layout_hints: request.no_layout_hints,
        limits: statera_extract::Limits {
            threads: request.threads,
            ..statera_extract::Limits::default()
        },
    };
    let reply = match extract_catching_panics(bytes, &options) {
        Ok(statements) => Reply::Statements(statements),
        Err(error) => Reply::Error(error.to_body()),
    };
    let mut stdout = std::io::stdout().lock();
    match serde_json::to_writer(&mut stdout, &reply) {
        Ok(()) if stdout.flush().is_ok() => 0,
        _ => 70,
    }
}

/// [`statera_extract::extract_all`], with a panic inside a parser reported as a damaged
/// file rather than a crash.
pub fn extract_catching_panics(
    bytes: &[u8],
    options: &Options,
) -> Result<Vec<Statement>, ExtractError> {
    std::panic::catch_unwind(|| statera_extract::extract_all(bytes, options)).unwrap_or_else(|_| {
        Err(ExtractError::CorruptPdf(
            "the PDF parser failed on this file".into(),
        ))
    })
}
