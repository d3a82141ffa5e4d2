//! Reading inputs (file or stdin) and writing outputs atomically (file or stdout).

use std::io::{Read, Write};
use std::path::Path;

pub fn read_text(path: &str) -> Result<String, String> {
    let mut s = String::new();
    let r = if path == "-" {
        std::io::stdin().read_to_string(&mut s).map(|_| ())
    } else {
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_string(&mut s))
            .map(|_| ())
    };
    r.map(|_| s).map_err(|e| format!("cannot read {path}: {e}"))
}

/// Writes the whole text or nothing: a temporary file beside the target, renamed over it.
pub fn write_atomic(path: &str, text: &str) -> Result<(), String> {
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
