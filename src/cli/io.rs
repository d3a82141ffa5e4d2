//! Reading inputs (file or stdin) with coded errors, and writing outputs atomically (file or stdout), every failure a `CliError`.

use super::error::CliError;
use crate::errors::InputError;
use crate::format::{InputFile, PlanFile};
use std::io::{Read, Write};
use std::path::Path;

/// The bytes of a file, or of stdin for `-`.
pub fn read_bytes(path: &str) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    let r = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    r.map(|_| bytes).map_err(|source| CliError::Read {
        path: path.to_string(),
        source,
    })
}

/// The text of a file: UTF-8 with an optional byte-order mark; anything else is E006.
pub fn read_text(path: &str) -> Result<String, CliError> {
    let bytes = read_bytes(path)?;
    crate::format::parse::text(&bytes)
        .map(str::to_string)
        .map_err(|e| CliError::invalid(path, vec![e]))
}

/// A validated result or its coded errors, named after the file they came from.
pub fn valid<T>(what: &str, result: Result<T, Vec<InputError>>) -> Result<T, CliError> {
    result.map_err(|errors| CliError::invalid(what, errors))
}

/// Reads and validates an input file, with `--set` overrides applied.
pub fn load(path: &str, sets: &[String]) -> Result<InputFile, CliError> {
    let text = read_text(path)?;
    let result = if sets.is_empty() {
        crate::validate::load_input(&text)
    } else {
        crate::format::parse::json_document(&text).and_then(|mut v| {
            let errs: Vec<InputError> = sets
                .iter()
                .filter_map(|s| crate::format::overrides::apply_set(&mut v, s).err())
                .collect();
            if errs.is_empty() {
                crate::validate::load_value(v)
            } else {
                Err(errs)
            }
        })
    };
    valid(path, result)
}

/// Reads a plan file, with coded errors (E001, E006, E110).
pub fn read_plan(path: &str) -> Result<PlanFile, CliError> {
    let text = read_text(path)?;
    valid(path, crate::format::parse::plan_file(&text))
}

pub fn to_json<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// Prints to stdout; a closed pipe ends the command quietly (exit 0).
pub fn out(text: &str) -> Result<(), CliError> {
    let mut o = std::io::stdout().lock();
    o.write_all(text.as_bytes())
        .and_then(|_| o.flush())
        .map_err(|e| CliError::write("stdout", e))
}

/// Prints to stderr (summaries, notes); a closed stderr is ignored.
pub fn note(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes the whole text or nothing: a temporary file beside the target, renamed over it.
pub fn write(path: &str, text: &str) -> Result<(), CliError> {
    if path == "-" {
        return out(text);
    }
    let target = Path::new(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| CliError::write(path, e);
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(target).map_err(|e| fail(e.error))?;
    Ok(())
}
