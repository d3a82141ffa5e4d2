//! The input hash of one region: what `--out-dir` compares to skip a region already solved, and what `merge` compares to refuse a stale file.
//!
//! It covers the region's own entities and the effective policy (after `--set`, with the
//! `--time-limit` and `--gap` overrides in `policy.solver`), so a change anywhere else in the
//! province does not force a re-solve. This is the one place that defines it, so it can be
//! swapped for the plan's provenance hash once the plan format carries one.

use crate::format::{InputFile, PolicyIn};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The policy a region is solved with: the input's, with the command line's solver
/// overrides.
pub fn effective_policy(file: &InputFile, time_limit: Option<f64>, gap: Option<f64>) -> PolicyIn {
    let mut policy = file.policy.clone();
    if let Some(t) = time_limit {
        policy.solver.time_limit_seconds = t;
    }
    if let Some(g) = gap {
        policy.solver.relative_gap = g;
    }
    policy
}

/// `sha256:<hex>` of the region's record, its managers and groups (each sorted by id, as
/// the engine sees them) and the policy, as canonical JSON.
pub fn region_hash(file: &InputFile, region: &str, policy: &PolicyIn) -> String {
    #[derive(Serialize)]
    struct Canonical<'a> {
        hash_version: u32,
        schema_version: u32,
        region: Option<&'a crate::format::RegionIn>,
        managers: Vec<&'a crate::format::ManagerIn>,
        groups: Vec<&'a crate::format::GroupIn>,
        policy: &'a PolicyIn,
    }
    let mut managers: Vec<_> = file
        .managers
        .iter()
        .filter(|m| m.region == region)
        .collect();
    managers.sort_by(|a, b| a.id.cmp(&b.id));
    let mut groups: Vec<_> = file.groups.iter().filter(|g| g.region == region).collect();
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    let canonical = Canonical {
        hash_version: 1,
        schema_version: file.schema_version,
        region: file.regions.iter().find(|r| r.id == region),
        managers,
        groups,
        policy,
    };
    let bytes = serde_json::to_vec(&canonical).expect("input types serialize");
    format!("sha256:{:x}", Sha256::digest(bytes))
}
