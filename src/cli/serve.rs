//! `starplan serve`: the command-line face of the HTTP service (crate starplan-service): its options, the token file, and logging.

use super::error::CliError;
use super::logs::LogFormat;
use super::{exit, Exit};
use clap::Args;
use std::time::Duration;

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on (HOST:PORT; port 0 picks a free one, logged at start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Folder of the job store (created when missing): jobs survive restarts and crashes.
    #[arg(long, value_name = "DIR")]
    data_dir: String,
    /// Jobs solved at once; 0 accepts and stores jobs without solving them (maintenance).
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// Regions of one job solved at once (workers × threads should not exceed the cores).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Largest request body in bytes (413 above).
    #[arg(long, default_value_t = 32 << 20)]
    max_body: usize,
    /// Most jobs waiting (429 above).
    #[arg(long, default_value_t = 1000)]
    max_queue: usize,
    /// Seconds a job may run in all; also caps each region's time limit.
    #[arg(long, default_value_t = 600.0)]
    job_time_limit: f64,
    /// A file holding the bearer token every request but /healthz and /readyz must carry.
    #[arg(long, value_name = "FILE")]
    token_file: Option<String>,
    /// Seconds running jobs get to finish on SIGTERM before they are put back in the queue.
    #[arg(long, default_value_t = 5.0)]
    grace: f64,
    /// Days finished jobs are kept.
    #[arg(long, default_value_t = 7.0)]
    retention_days: f64,
    /// text: plain log lines; json: one JSON object per line (for log collectors).
    #[arg(long, value_enum, default_value = "text")]
    log_format: LogFormat,
}

fn token(path: &str) -> Result<String, CliError> {
    let text = super::io::read_text(path)?;
    let token = text.trim().to_string();
    if token.is_empty() || token.chars().any(char::is_whitespace) {
        return Err(CliError::Usage(format!(
            "--token-file {path}: the file must hold one token without spaces"
        )));
    }
    Ok(token)
}

pub(super) fn serve(a: &ServeArgs) -> Exit {
    let positive = |name: &str, v: f64| {
        if v > 0.0 && v.is_finite() {
            Ok(v)
        } else {
            Err(CliError::Usage(format!("--{name} {v} must be above 0")))
        }
    };
    let mut config = starplan_service::Config::new(&a.data_dir);
    config.workers = a.workers;
    config.threads_per_job = a.threads.max(1);
    config.max_body = a.max_body;
    config.max_queue = a.max_queue;
    config.job_time_limit = positive("job-time-limit", a.job_time_limit)?;
    config.grace = Duration::from_secs_f64(a.grace.max(0.0));
    config.retention =
        Duration::from_secs_f64(positive("retention-days", a.retention_days)? * 86400.0);
    config.token = a.token_file.as_deref().map(token).transpose()?;
    super::logs::init(a.log_format, tracing::Level::INFO);
    starplan_service::run(config, &a.addr).map_err(|e| CliError::Internal(e.to_string()))?;
    Ok(exit::OK)
}
