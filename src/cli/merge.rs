//! `starplan merge DIR --input INPUT`: joins the per-region plans of `solve --out-dir` (from any number of shards) into one plan, refuses stale, interrupted or missing regions, and re-checks the whole with the independent checker before writing it.

use super::batch::exit_code;
use super::error::CliError;
use super::input::{read_input, with_sets};
use super::io::{note, to_json, valid, write};
use super::outdir::{self, RegionMeta};
use super::{exit, summary, Exit};
use crate::format::PlanFile;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Joins one-region (or several-region) plans into one: regions in id order, assignments
/// by group id and loads by manager id, as `solve` writes them, so shards joined give the
/// same bytes as one run.
pub fn join(parts: Vec<PlanFile>) -> PlanFile {
    let mut plan = PlanFile {
        schema_version: crate::format::SCHEMA_VERSION,
        regions: Vec::new(),
        assignments: Vec::new(),
        managers: Vec::new(),
        provenance: None,
    };
    for p in parts {
        plan.regions.extend(p.regions);
        plan.assignments.extend(p.assignments);
        plan.managers.extend(p.managers);
    }
    plan.regions.sort_by(|a, b| a.id.cmp(&b.id));
    plan.assignments.sort_by(|a, b| a.group.cmp(&b.group));
    plan.managers.sort_by(|a, b| a.id.cmp(&b.id));
    plan
}

/// Why the region files cannot make a plan of this input: each a line for stderr, and the
/// exit code (75 when a region was interrupted, else 3). `hashes` are the input's region
/// hashes, which leave the solver's limits out (`format::hash::region_hashes`), so one set
/// serves files solved under any limits.
fn problems(
    input: &crate::format::InputFile,
    hashes: &BTreeMap<String, String>,
    parts: &[(RegionMeta, PlanFile)],
) -> (Vec<String>, i32) {
    let mut lines = Vec::new();
    let mut code = exit::NO_SOLUTION;
    let known: BTreeSet<&str> = input.regions.iter().map(|r| r.id.as_str()).collect();
    let have: BTreeSet<&str> = parts.iter().map(|(m, _)| m.region.as_str()).collect();
    for missing in known.difference(&have) {
        lines.push(format!(
            "region {missing}: no plan file (its shard has not run or failed)"
        ));
    }
    for (meta, _) in parts {
        if !known.contains(meta.region.as_str()) {
            lines.push(format!("region {}: not a region of the input", meta.region));
        } else if hashes.get(&meta.region) != Some(&meta.input_hash) {
            lines.push(format!(
                "region {}: solved from another input or policy (stale file); solve it again",
                meta.region
            ));
        } else if !meta.complete {
            lines.push(format!(
                "region {}: interrupted before it finished; run its shard again",
                meta.region
            ));
            code = exit::INTERRUPTED;
        }
    }
    (lines, code)
}

pub(super) fn merge(
    dir: &str,
    input: &str,
    output: &str,
    max_gap: Option<f64>,
    quiet: bool,
) -> Exit {
    let (parts, raw) = super::io::both(|| outdir::read_all(Path::new(dir)), || read_input(input));
    let parts = parts?;
    let sets: BTreeSet<&Vec<String>> = parts.iter().map(|(m, _)| &m.set).collect();
    if sets.len() > 1 {
        return Err(CliError::Usage(format!(
            "{dir}: regions were solved with different --set overrides: {sets:?}"
        )));
    }
    let set: Vec<String> = sets.into_iter().next().cloned().unwrap_or_default();
    let raw = raw?;
    let file = with_sets(input, &raw, &set)?;
    // Each hash is a pass over every group (about a second on a national input): both at
    // once, and each only once (the plan's provenance reuses them).
    let (input_hash, hashes) = super::io::both(
        || crate::format::hash::input_hash(&raw),
        || crate::format::hash::region_hashes(&file),
    );
    let (lines, code) = problems(&file, &hashes, &parts);
    if !lines.is_empty() {
        note(&format!("{}\nnothing was written\n", lines.join("\n")));
        return Ok(code);
    }
    // The shards' solver overrides (all alike, or the hashes above would differ).
    let limits = parts.first().map_or((None, None, None), |(m, _)| {
        (m.time_limit, m.relative_gap, m.work_limit)
    });
    let mut effective = file.policy.clone();
    super::input::with_limits(&mut effective, limits.0, limits.1, limits.2);
    let mut plan = join(parts.into_iter().map(|(_, p)| p).collect());
    // The same record a single run writes, so shards merged equal one run byte for byte.
    let overrides = crate::format::overrides::recorded(&set, limits.0, limits.1, limits.2);
    plan.provenance = Some(crate::format::hash::provenance_from(
        input_hash, effective, overrides, hashes,
    ));
    // The same verdict `starplan check` gives on the merged files.
    let verdict = valid(input, crate::checker::verdict(&raw, &plan, &[]))?;
    if !verdict.valid {
        let mut text = super::commands::verdict_text(&verdict, &plan);
        text.push_str("the merged plan is NOT valid; nothing was written\n");
        note(&text);
        return Ok(exit::VIOLATIONS);
    }
    write(output, &to_json(&plan))?;
    if !quiet {
        note(&summary::plan_table(
            &plan,
            &super::commands::region_names(&file),
        ));
        note(&format!(
            "merged {} regions from {dir}; the checker accepts the plan\n",
            plan.regions.len()
        ));
    }
    Ok(exit_code(&plan, max_gap, false))
}
