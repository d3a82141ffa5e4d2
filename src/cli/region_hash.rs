//! The effective policy of `merge`: the input's with the command line's solver limits (a region's hash, `starplan_format::hash::region_hashes`, leaves those limits out).

use crate::format::PolicyIn;

/// The policy with the command line's solver overrides, as the shards' plans record it.
pub fn effective(
    policy: &PolicyIn,
    time_limit: Option<f64>,
    gap: Option<f64>,
    work_limit: Option<f64>,
) -> PolicyIn {
    let mut p = policy.clone();
    if let Some(w) = work_limit {
        // 0: stop on the clock.
        p.solver.work_limit = (w > 0.0).then_some(w);
    }
    if let Some(t) = time_limit {
        p.solver.time_limit_seconds = t;
    }
    if let Some(g) = gap {
        p.solver.relative_gap = g;
    }
    p
}
