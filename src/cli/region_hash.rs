//! The input hash of one region for `--out-dir` and `merge`: the plan's provenance hash (`starplan_format::hash::region_hashes`) of the effective input, so a change anywhere else in the province does not force a re-solve.

use crate::format::InputFile;
use std::collections::BTreeMap;

/// The input with the command line's solver overrides in its policy.
pub fn effective(
    file: &InputFile,
    time_limit: Option<f64>,
    gap: Option<f64>,
    work_limit: Option<f64>,
) -> InputFile {
    let mut f = file.clone();
    if let Some(w) = work_limit {
        // 0: stop on the clock.
        f.policy.solver.work_limit = (w > 0.0).then_some(w);
    }
    if let Some(t) = time_limit {
        f.policy.solver.time_limit_seconds = t;
    }
    if let Some(g) = gap {
        f.policy.solver.relative_gap = g;
    }
    f
}

/// Every region's hash in the effective input (region id → hash), as the plan records it.
pub fn region_hashes(
    file: &InputFile,
    time_limit: Option<f64>,
    gap: Option<f64>,
    work_limit: Option<f64>,
) -> BTreeMap<String, String> {
    crate::format::hash::region_hashes(&effective(file, time_limit, gap, work_limit))
}
