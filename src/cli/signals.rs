//! SIGINT and SIGTERM for the batch solve: the first sets the engine's cancel flag (running regions stop with their best plan, the rest do not start); a second one ends the process at once.
//!
//! signal-hook's flag handlers only store to an atomic, which is async-signal-safe, and the
//! solve is synchronous (rayon), so no async runtime is needed here (`serve` uses tokio's
//! signals instead, inside its runtime).

use super::error::CliError;
use signal_hook::consts::{SIGINT, SIGTERM};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Exit code of a second signal, which does not wait for anything (128 + signal number, as
/// a shell reports a process killed by it).
const fn killed(sig: i32) -> i32 {
    128 + sig
}

pub fn install(cancel: &Arc<AtomicBool>) -> Result<(), CliError> {
    for sig in [SIGINT, SIGTERM] {
        // First the conditional exit (acts only when the flag is already set), then the flag:
        // the order signal-hook documents for "a second signal kills".
        signal_hook::flag::register_conditional_shutdown(sig, killed(sig), Arc::clone(cancel))
            .and_then(|_| signal_hook::flag::register(sig, Arc::clone(cancel)))
            .map_err(|e| CliError::Internal(format!("cannot install the signal handler: {e}")))?;
    }
    Ok(())
}
