//! `--log-format`: human output (a progress bar on a terminal, the summary table), or one JSON line per event on stderr (tracing) for cron and log collectors.

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// A progress bar when stderr is a terminal (nothing on a pipe) and the summary table.
    Text,
    /// One JSON object per line on stderr: region start and end, and the run's end.
    Json,
}

/// Starts the process-wide tracing subscriber on stderr. `Text` logs plain lines from
/// `text_level` up (the batch solve: warnings only, as its table says the rest; `serve`:
/// info); `Json` logs every event as one flat JSON object per line. A second call (tests in
/// one process) keeps the first subscriber.
pub fn init(format: LogFormat, text_level: tracing::Level) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_max_level(tracing::Level::INFO)
            .try_init(),
        LogFormat::Text => builder
            .with_max_level(text_level)
            .with_ansi(false)
            .try_init(),
    };
}
