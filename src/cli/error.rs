//! The CLI's one error type and the one place that turns any outcome into a message and an exit code.

use super::exit;
use crate::errors::InputError;
use std::io::Write;

/// Why a command stopped early. Each kind maps to one exit code (README, "Exit codes").
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A bad command line that clap could not catch (a value out of range).
    #[error("{0}")]
    Usage(String),
    /// An input-like file (input, plan, scenario, assessments, criteria) is invalid.
    #[error("{what}: {} error(s); nothing was written", errors.len())]
    Invalid {
        what: String,
        errors: Vec<InputError>,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    /// The reader of our standard output went away (`| head`): not an error for the user.
    #[error("broken pipe")]
    BrokenPipe,
    #[error("{0}")]
    Internal(String),
}

impl CliError {
    pub fn invalid(what: &str, errors: Vec<InputError>) -> CliError {
        CliError::Invalid {
            what: what.to_string(),
            errors,
        }
    }

    /// A failed write to `path`; a closed pipe is `BrokenPipe`.
    pub fn write(path: &str, source: std::io::Error) -> CliError {
        if source.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::Write {
                path: path.to_string(),
                source,
            }
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => exit::USAGE,
            CliError::Invalid { .. } => exit::INVALID_INPUT,
            CliError::Read { .. } => exit::NO_INPUT,
            CliError::Write { .. } => exit::CANT_WRITE,
            CliError::BrokenPipe => exit::OK,
            CliError::Internal(_) => exit::SOFTWARE,
        }
    }
}

/// How to print input errors on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Reports an error on stderr in the chosen format and returns its exit code. Writing to
/// stderr can itself fail (a closed terminal): that is ignored, the code still stands.
pub fn report(e: &CliError, fmt: Format) -> i32 {
    let mut err = std::io::stderr().lock();
    match (e, fmt) {
        (CliError::BrokenPipe, _) => {}
        (CliError::Invalid { errors, .. }, Format::Json) => {
            let _ = writeln!(
                err,
                "{}",
                serde_json::to_string_pretty(errors).unwrap_or_default()
            );
        }
        (CliError::Invalid { errors, .. }, Format::Text) => {
            for x in errors {
                let _ = writeln!(err, "{x}");
            }
            let _ = writeln!(err, "{e}");
        }
        (other, Format::Json) => {
            let json = serde_json::json!({ "error": other.to_string(), "exit": other.exit_code() });
            let _ = writeln!(err, "{json}");
        }
        (other, Format::Text) => {
            let _ = writeln!(err, "error: {other}");
        }
    }
    e.exit_code()
}
