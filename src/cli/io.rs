//! Reading inputs (file or stdin) with coded errors, and writing outputs atomically (file or stdout), every failure a `CliError`.

use super::error::CliError;
use crate::errors::InputError;
use crate::format::PlanFile;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// The bytes of a file, or of stdin for `-`. The file is remembered as an input, which no
/// output of the command may overwrite.
pub fn read_bytes(path: &str) -> Result<Vec<u8>, CliError> {
    super::target::read_from(Path::new(path));
    read_raw(path)
}

/// The text of one of the command's own earlier outputs (an `--out-dir` region file that
/// a rerun reuses or replaces): read like an input, but not protected as one.
pub fn read_own_output(path: &str) -> Result<String, CliError> {
    let bytes = read_raw(path)?;
    crate::format::parse::text(&bytes)
        .map(str::to_string)
        .map_err(|e| CliError::invalid(path, vec![e]))
}

fn read_raw(path: &str) -> Result<Vec<u8>, CliError> {
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

/// Reads a plan file, with coded errors (E001, E006, E110).
pub fn read_plan(path: &str) -> Result<PlanFile, CliError> {
    let text = read_text(path)?;
    valid(path, crate::format::parse::plan_file(&text))
}

/// Runs `a` and `b` at once (reading a plan and its input: at national scale each is
/// seconds of parsing) and returns both results.
pub fn both<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|s| {
        let first = s.spawn(a);
        let second = b();
        let first = first
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
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

/// Set under `--error-format json`: stderr then carries the error document alone.
static JSON_ERRORS: AtomicBool = AtomicBool::new(false);

pub fn json_errors(on: bool) {
    JSON_ERRORS.store(on, Ordering::Relaxed);
}

/// A remark made before a command knows whether it will fail (which policy a plan is
/// checked with): left out under `--error-format json`, where a tool reads stderr as JSON.
pub fn remark(text: &str) {
    if !JSON_ERRORS.load(Ordering::Relaxed) {
        note(text);
    }
}

/// Refuses an output that is one of the files this command read (`-o` equal to the input,
/// under any name): call it before solving, so the refusal costs nothing.
pub fn not_an_input(path: &str) -> Result<(), CliError> {
    if path == "-" {
        return Ok(());
    }
    match super::target::input_at(Path::new(path)) {
        Some(input) => Err(CliError::Usage(format!(
            "the output {path} is the input {}: name another file",
            input.display()
        ))),
        None => Ok(()),
    }
}

/// Writes the whole text or nothing (`target.rs`): `-` is stdout, a FIFO or device is
/// written in place, a regular file (links followed) is replaced by a temporary file
/// renamed over it. An output that is one of the inputs is refused.
pub fn write(path: &str, text: &str) -> Result<(), CliError> {
    write_bytes(path, text.as_bytes())
}

/// The same for bytes (a workbook).
pub fn write_bytes(path: &str, bytes: &[u8]) -> Result<(), CliError> {
    if path == "-" {
        let mut o = std::io::stdout().lock();
        return o
            .write_all(bytes)
            .and_then(|_| o.flush())
            .map_err(|e| CliError::write("stdout", e));
    }
    not_an_input(path)?;
    super::target::write_to(Path::new(path), bytes).map_err(|e| CliError::write(path, e))
}

/// Writes a folder of files all or nothing: every file is written into a temporary folder
/// first. A new folder is that temporary folder renamed; into an existing folder the files
/// are renamed one by one, and the ones already moved are removed again if a later one
/// fails. `files` are (file name, text); names come from `format::files`.
pub fn write_folder(dir: &str, files: &[(String, String)]) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::write(dir, e);
    let root = Path::new(dir);
    for (name, _) in files {
        not_an_input(&root.join(name).to_string_lossy())?;
    }
    let exists = root.is_dir();
    let parent = if exists {
        root
    } else {
        super::target::folder_of(root)
    };
    std::fs::create_dir_all(parent).map_err(fail)?;
    let staging = tempfile::Builder::new()
        .prefix(".starplan-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o777))
        .tempdir_in(parent)
        .map_err(fail)?;
    for (name, text) in files {
        let mut f = std::fs::File::create(staging.path().join(name)).map_err(fail)?;
        f.write_all(text.as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(fail)?;
    }
    if !exists {
        let kept = staging.keep();
        return std::fs::rename(&kept, root).map_err(|e| {
            let _ = std::fs::remove_dir_all(&kept);
            fail(e)
        });
    }
    let mut moved = Vec::new();
    for (name, _) in files {
        if let Err(e) = std::fs::rename(staging.path().join(name), root.join(name)) {
            for m in &moved {
                let _ = std::fs::remove_file(root.join(m));
            }
            return Err(fail(e));
        }
        moved.push(name);
    }
    Ok(())
}
