//! Which regions a run solves: `--region` ids and `--shard I/N` (or `auto/N` from the batch system's index), spread over shards by size, deterministically.

use super::error::CliError;
use crate::format::InputFile;
use std::collections::BTreeSet;

/// Environment variables read by `--shard auto/N`, in this order: Kubernetes Indexed Jobs,
/// then Slurm job arrays. Both are 0-based here (Slurm: `--array=0-(N-1)`).
pub const INDEX_VARS: [&str; 2] = ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"];

/// One shard of N (0-based index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

/// Parses `I/N` or `auto/N`; `env` looks up an environment variable (a parameter so tests
/// need not set the process environment).
pub fn parse(spec: &str, env: impl Fn(&str) -> Option<String>) -> Result<Shard, CliError> {
    let usage = |why: String| CliError::Usage(format!("--shard {spec}: {why}"));
    let (i, n) = spec
        .split_once('/')
        .ok_or_else(|| usage("write I/N (0-based, e.g. 0/4) or auto/N".into()))?;
    let count: usize = n.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
        usage(format!(
            "the shard count {n:?} is not a whole number above 0"
        ))
    })?;
    let (text, from) = if i == "auto" {
        INDEX_VARS
            .iter()
            .find_map(|v| env(v).map(|x| (x, format!(" (from {v})"))))
            .ok_or_else(|| usage(format!("auto needs one of {}", INDEX_VARS.join(", "))))?
    } else {
        (i.to_string(), String::new())
    };
    let index: usize = text.trim().parse().map_err(|_| {
        usage(format!(
            "the shard index {text:?}{from} is not a whole number"
        ))
    })?;
    if index >= count {
        return Err(usage(format!(
            "the shard index {index}{from} must be below {count} (indices are 0-based; Slurm: --array=0-{})",
            count - 1
        )));
    }
    Ok(Shard { index, count })
}

/// A region's size for spreading: groups × managers, the candidate pairs of its model
/// before eligibility (what the solve time follows).
fn sizes(file: &InputFile) -> Vec<(String, u64)> {
    file.regions
        .iter()
        .map(|r| {
            let g = file.groups.iter().filter(|g| g.region == r.id).count() as u64;
            let m = file.managers.iter().filter(|m| m.region == r.id).count() as u64;
            (r.id.clone(), g * m.max(1))
        })
        .collect()
}

/// Spreads regions over `count` shards: largest first, each to the shard with the least
/// total so far (ties to the lower index). The same input and count always give the same
/// spread, whichever shard computes it.
pub fn spread(mut regions: Vec<(String, u64)>, count: usize) -> Vec<BTreeSet<String>> {
    regions.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut shards = vec![(0u64, BTreeSet::new()); count];
    for (id, size) in regions {
        let lightest = (0..count)
            .min_by_key(|&s| (shards[s].0, s))
            .expect("at least one shard");
        shards[lightest].0 += size;
        shards[lightest].1.insert(id);
    }
    shards.into_iter().map(|(_, ids)| ids).collect()
}

/// The regions this run solves, in id order: the `--region` ids (all when none), then this
/// shard's part of them.
pub fn select(
    file: &InputFile,
    ids: &[String],
    shard: Option<Shard>,
) -> Result<Vec<String>, CliError> {
    let known: BTreeSet<&str> = file.regions.iter().map(|r| r.id.as_str()).collect();
    if let Some(bad) = ids.iter().find(|id| !known.contains(id.as_str())) {
        let list: Vec<&str> = known.iter().copied().collect();
        return Err(CliError::Usage(format!(
            "--region {bad}: the input has no such region (regions: {})",
            list.join(", ")
        )));
    }
    let mut chosen = sizes(file);
    if !ids.is_empty() {
        chosen.retain(|(id, _)| ids.contains(id));
    }
    let picked: BTreeSet<String> = match shard {
        Some(s) => spread(chosen, s.count).swap_remove(s.index),
        None => chosen.into_iter().map(|(id, _)| id).collect(),
    };
    Ok(picked.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn parses_fixed_and_auto_shards() {
        assert_eq!(parse("1/4", no_env).unwrap(), Shard { index: 1, count: 4 });
        let k8s = |v: &str| (v == "JOB_COMPLETION_INDEX").then(|| "3".to_string());
        assert_eq!(parse("auto/4", k8s).unwrap().index, 3);
        let slurm = |v: &str| (v == "SLURM_ARRAY_TASK_ID").then(|| "2".to_string());
        assert_eq!(parse("auto/4", slurm).unwrap().index, 2);
        for bad in ["4/4", "x/4", "1/0", "1", "auto/4"] {
            assert!(parse(bad, no_env).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn spread_balances_by_size_and_covers_every_region_once() {
        let regions: Vec<(String, u64)> = [("A", 90), ("B", 50), ("C", 40), ("D", 30), ("E", 10)]
            .iter()
            .map(|(id, s)| (id.to_string(), *s))
            .collect();
        let shards = spread(regions.clone(), 2);
        let load = |s: &BTreeSet<String>| -> u64 {
            s.iter()
                .map(|id| regions.iter().find(|r| &r.0 == id).unwrap().1)
                .sum()
        };
        // A→0 (90), B→1 (50), C→1 (90), D→0 on the tie (120), E→1 (100).
        assert_eq!(shards[0], ["A", "D"].map(String::from).into());
        assert_eq!(shards[1], ["B", "C", "E"].map(String::from).into());
        assert_eq!((load(&shards[0]), load(&shards[1])), (120, 100));
        // More shards than regions: the extra shards are empty, none is lost.
        let many = spread(regions, 7);
        assert_eq!(many.iter().map(BTreeSet::len).sum::<usize>(), 5);
    }
}
