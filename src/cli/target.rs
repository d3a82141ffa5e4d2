//! Where an output goes and how it is written: standard output, a device or FIFO written in place, or a regular file replaced whole (through a symbolic link, with the mode it had or the umask's), never one of the command's own inputs.
//!
//! Decisions (README, "Output files"):
//! - `-o` naming a symbolic link writes the file the link points to, as `>` in a shell
//!   does, and the link stays a link. Replacing the link by a regular file would silently
//!   cut a planner's `latest.json → plans/2026-06.json`.
//! - `-o /dev/stdout`, a FIFO or any other file that is not a regular file is opened and
//!   written in place: it cannot be replaced, and a reader may be waiting on it.
//! - A regular file is written to a temporary file in its own folder and renamed over it,
//!   so a reader sees the old file or the new one, never half of one. The new file keeps
//!   the old one's permissions; a new file gets 0666 less the umask, as any other tool's.
//! - An output that is one of the files the command read (`-o` equal to the input, through
//!   any path or link) is refused before anything is solved or written.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The files this run has read, to refuse writing over one of them.
static INPUTS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Remembers a file the command read.
pub fn read_from(path: &Path) {
    if let Ok(mut inputs) = INPUTS.lock() {
        inputs.push(path.to_path_buf());
    }
}

/// The input that `path` is (the same file, by device and inode), if any. Only `stat`:
/// opening a FIFO to compare it would wait for its writer.
pub fn input_at(path: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let id = |p: &Path| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
    let out = id(path)?;
    let inputs = INPUTS.lock().ok()?;
    inputs.iter().find(|i| id(i) == Some(out)).cloned()
}

/// How a named output is written.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// Not a regular file (a FIFO, a terminal, /dev/stdout on a pipe): written in place.
    InPlace(PathBuf),
    /// A regular file, or a new one, at this path (links followed): replaced whole.
    Replace(PathBuf),
}

/// The most links followed before giving up (as the kernel's own limit).
const MAX_LINKS: usize = 40;

/// Where writing `path` goes.
pub fn target(path: &Path) -> std::io::Result<Target> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(Target::Replace(std::fs::canonicalize(path)?)),
        Ok(m) if m.is_dir() => Err(std::io::Error::other("it is a folder")),
        Ok(_) => Ok(Target::InPlace(path.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => dangling(path).map(Target::Replace),
        Err(e) => Err(e),
    }
}

/// A path that does not exist yet: itself, or where its chain of links ends.
fn dangling(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// The folder a file is in ("." for a bare name).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Mode for a replacement: the old file's, or `None` for a new file (0666 less the umask).
fn kept_mode(path: &Path) -> Option<std::fs::Permissions> {
    std::fs::metadata(path).ok().map(|m| m.permissions())
}

/// A temporary file in `dir` that gets the umask's mode for a new file.
pub fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(".starplan-")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
}

/// Writes `bytes` to `path` as its target says.
pub fn write_to(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match target(path)? {
        Target::InPlace(p) => {
            let mut f = std::fs::OpenOptions::new().write(true).open(p)?;
            f.write_all(bytes)?;
            f.flush()
        }
        Target::Replace(p) => {
            let mut tmp = temp_file_in(folder_of(&p))?;
            if let Some(mode) = kept_mode(&p) {
                tmp.as_file().set_permissions(mode)?;
            }
            tmp.write_all(bytes)?;
            tmp.as_file().sync_all()?;
            tmp.persist(&p).map(|_| ()).map_err(|e| e.error)
        }
    }
}
