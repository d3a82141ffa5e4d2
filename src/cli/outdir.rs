//! `solve --out-dir`: one plan file per region, written atomically as each region finishes, with a small record beside it (input hash, complete or interrupted) that a re-run and `merge` read.

use super::error::CliError;
use super::io::{read_own_output, to_json, valid, write};
use crate::format::output::Status;
use crate::format::PlanFile;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What is known about one region's plan file, kept in `<region>.meta.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionMeta {
    pub region: String,
    /// The region's input hash (`format::hash::region_hashes`): its entities and policy, solver limits left out.
    pub input_hash: String,
    /// false when a signal stopped the region: a re-run solves it again and `merge` refuses it.
    pub complete: bool,
    pub status: Status,
    pub gap: Option<f64>,
    /// The command line's overrides the region was solved with, so `merge` can rebuild the
    /// same policy and hash.
    #[serde(default)]
    pub set: Vec<String>,
    #[serde(default)]
    pub time_limit: Option<f64>,
    #[serde(default)]
    pub relative_gap: Option<f64>,
    /// `--work-limit` (or the batch default), 0 for the clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_limit: Option<f64>,
}

const PLAN: &str = ".plan.json";
const META: &str = ".meta.json";

/// A file name for a region id: the id itself when it is a plain name, else each other
/// byte as `%XX`, so any id maps to one file and back.
pub fn file_stem(id: &str) -> String {
    let plain = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let mut s = String::new();
    for (i, b) in id.bytes().enumerate() {
        if plain(b) || (b == b'.' && i > 0) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn path(dir: &Path, id: &str, ext: &str) -> PathBuf {
    dir.join(format!("{}{ext}", file_stem(id)))
}

/// Writes a one-region plan, then its record; each file is whole or absent. The record
/// comes second, so a plan without a record (a crash between the two) is solved again.
pub fn write_region(dir: &Path, plan: &PlanFile, meta: &RegionMeta) -> Result<(), CliError> {
    let text = |p: PathBuf| p.to_string_lossy().into_owned();
    write(&text(path(dir, &meta.region, PLAN)), &to_json(plan))?;
    write(&text(path(dir, &meta.region, META)), &to_json(meta))
}

/// Refuses an out-dir that cannot take a file (read-only volume, another user's folder)
/// before anything is solved, so no finished region is then lost for want of a place.
pub fn probe(dir: &Path) -> Result<(), CliError> {
    let p = dir.join(format!(".starplan-probe-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&p)
        .map_err(|e| CliError::write(&dir.to_string_lossy(), e))?;
    // Best effort: a probe left behind starts with '.', which read_all skips.
    let _ = std::fs::remove_file(&p);
    Ok(())
}

fn read_meta(p: &Path) -> Result<RegionMeta, CliError> {
    let what = p.to_string_lossy().into_owned();
    let text = read_own_output(&what)?;
    serde_json::from_str(&text).map_err(|e| {
        let err = crate::errors::InputError::new(crate::errors::Code::E110, "$", e.to_string());
        CliError::invalid(&what, vec![err])
    })
}

fn read_plan(p: &Path) -> Result<PlanFile, CliError> {
    let what = p.to_string_lossy().into_owned();
    valid(
        &what,
        crate::format::parse::plan_file(&read_own_output(&what)?),
    )
}

/// The plan of a region already solved, complete, for this same input hash; None when it
/// must be solved (no file, another input, interrupted, unreadable).
pub fn reuse(dir: &Path, id: &str, hash: &str) -> Option<PlanFile> {
    let meta = read_meta(&path(dir, id, META)).ok()?;
    if !(meta.complete && meta.input_hash == hash && meta.region == id) {
        return None;
    }
    read_plan(&path(dir, id, PLAN))
        .ok()
        .filter(|p| p.regions.len() == 1 && p.regions[0].id == id)
}

/// Every region file of a folder with its record, in region id order. A plan file without
/// a record, or one that does not hold exactly its region, is an error.
pub fn read_all(dir: &Path) -> Result<Vec<(RegionMeta, PlanFile)>, CliError> {
    let shown = dir.to_string_lossy().into_owned();
    let entries = std::fs::read_dir(dir).map_err(|source| CliError::Read {
        path: shown.clone(),
        source,
    })?;
    let mut metas = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| CliError::Read {
            path: shown.clone(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(META) && !name.starts_with('.') {
            metas.push(read_meta(&entry.path())?);
        }
    }
    metas.sort_by(|a, b| a.region.cmp(&b.region));
    // Read in parallel; the first problem in region order is the one reported, as when
    // they were read one by one.
    let read: Vec<Result<PlanFile, CliError>> = metas
        .par_iter()
        .map(|meta| {
            let p = path(dir, &meta.region, PLAN);
            let plan = read_plan(&p)?;
            if plan.regions.len() != 1 || plan.regions[0].id != meta.region {
                return Err(CliError::Usage(format!(
                    "{}: does not hold the plan of region {} alone",
                    p.display(),
                    meta.region
                )));
            }
            Ok(plan)
        })
        .collect();
    let mut out = Vec::with_capacity(metas.len());
    for (meta, plan) in metas.into_iter().zip(read) {
        out.push((meta, plan?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn file_stems_are_plain_names_or_escaped() {
        assert_eq!(file_stem("HZ"), "HZ");
        assert_eq!(file_stem("r-1.a"), "r-1.a");
        assert_eq!(file_stem("../x"), "%2E.%2Fx");
        assert_eq!(file_stem("a/b c"), "a%2Fb%20c");
        assert_ne!(file_stem("a%2Fb"), file_stem("a/b"));
    }
}
