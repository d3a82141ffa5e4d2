//! The engine: splits a province into regions, repairs the current layout into a start, solves regions in parallel and reports; plus staffing.

mod kpi;
mod region;
mod report;
pub mod staffing;
mod start;

use crate::domain::Instance;
use crate::format::output::PlanFile;
use crate::model::{solve_region, Limits};
use rayon::prelude::*;
use std::time::Instant;

pub use region::region_problem;
pub use start::repaired_start;

/// Run-time choices that are not part of the input's policy.
#[derive(Debug, Clone, Default)]
pub struct SolveOptions {
    /// Parallel region workers; 0 = one per core.
    pub threads: usize,
    pub time_limit_seconds: Option<f64>,
    pub relative_gap: Option<f64>,
    /// Write 0 for every `seconds`, so that equal inputs give byte-equal plans.
    pub no_timings: bool,
}

/// Solves every region of the province. A region that is infeasible or fails is reported
/// as such; it never takes the other regions' plans with it.
pub fn solve(
    inst: &Instance,
    opts: &SolveOptions,
) -> Result<PlanFile, rayon::ThreadPoolBuildError> {
    let limits = Limits {
        time_limit_seconds: opts
            .time_limit_seconds
            .unwrap_or(inst.policy.solver.time_limit_seconds),
        relative_gap: opts.relative_gap.unwrap_or(inst.policy.solver.relative_gap),
        seed: inst.policy.solver.seed,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()?;
    let results: Vec<report::RegionResult> = pool.install(|| {
        (0..inst.regions.len())
            .into_par_iter()
            .map(|r| {
                // Build and solve inside one task: a highs::Model cannot move between threads.
                let clock = Instant::now();
                let (problem, ids) = region_problem(inst, r);
                let start = repaired_start(&problem);
                let outcome = solve_region(&problem, start.as_deref(), limits, clock);
                let seconds = if opts.no_timings {
                    0.0
                } else {
                    clock.elapsed().as_secs_f64()
                };
                report::region_result(inst, r, &problem, &ids, &outcome, seconds)
            })
            .collect()
    });
    Ok(report::plan_file(results))
}
