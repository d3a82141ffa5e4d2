//! Reading inputs (file or stdin) with coded errors, and writing outputs atomically (file or stdout).

use super::{exit, Format};
use crate::errors::InputError;
use crate::format::{InputFile, PlanFile};
use std::io::{Read, Write};
use std::path::Path;

pub fn read_text(path: &str) -> Result<String, i32> {
    let mut s = String::new();
    let r = if path == "-" {
        std::io::stdin().read_to_string(&mut s).map(|_| ())
    } else {
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_string(&mut s))
            .map(|_| ())
    };
    r.map(|_| s).map_err(|e| {
        eprintln!("error: cannot read {path}: {e}");
        exit::NO_INPUT
    })
}

/// Reads and validates an input file, with `--set` overrides applied; prints every coded
/// error and returns exit code 65 when it is invalid.
pub fn load(path: &str, sets: &[String], fmt: Format) -> Result<InputFile, i32> {
    let text = read_text(path)?;
    let result = if sets.is_empty() {
        crate::validate::load_input(&text)
    } else {
        crate::format::parse::json_value(&text)
            .map_err(|e| vec![e])
            .and_then(|mut v| {
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
    invalid(path, result, fmt)
}

/// Prints coded errors of `what` and maps them to exit code 65.
pub fn invalid<T>(what: &str, result: Result<T, Vec<InputError>>, fmt: Format) -> Result<T, i32> {
    result.map_err(|errors| {
        match fmt {
            Format::Json => eprintln!(
                "{}",
                serde_json::to_string_pretty(&errors).expect("errors serialise")
            ),
            Format::Text => {
                for e in &errors {
                    eprintln!("{e}");
                }
                eprintln!("{what}: {} error(s); nothing was written", errors.len());
            }
        }
        exit::INVALID_INPUT
    })
}

pub fn read_plan(path: &str) -> Result<PlanFile, i32> {
    let text = read_text(path)?;
    let mut de = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        eprintln!(
            "error: {path} is not a starplan plan: at {}: {}",
            e.path(),
            e.inner()
        );
        exit::INVALID_INPUT
    })
}

pub fn to_json<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("output types serialise");
    s.push('\n');
    s
}

/// Writes the whole text or nothing: a temporary file beside the target, renamed over it.
pub fn write(path: &str, text: &str) -> Result<(), i32> {
    write_atomic(path, text).map_err(|e| {
        eprintln!("error: {e}");
        exit::CANT_WRITE
    })
}

fn write_atomic(path: &str, text: &str) -> Result<(), String> {
    if path == "-" {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| format!("cannot write stdout: {e}"));
    }
    let target = Path::new(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("cannot write {path}: {e}"))?;
    tmp.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {path}: {e}"))?;
    tmp.persist(target)
        .map_err(|e| format!("cannot write {path}: {}", e.error))?;
    Ok(())
}
