//! The engine: splits a province into regions, repairs the current layout into a start, solves regions in parallel and reports; plus staffing.

pub mod certify;
pub mod choice;
pub mod compare;
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
    Ok(solve_many(&[inst], opts)?
        .pop()
        .expect("one plan per instance"))
}

/// Solves several provinces (a base and its what-if scenarios) with one pool: every
/// (province, region) pair is one task, so the workers stay busy without oversubscribing.
pub fn solve_many(
    insts: &[&Instance],
    opts: &SolveOptions,
) -> Result<Vec<PlanFile>, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()?;
    let tasks: Vec<(usize, usize)> = insts
        .iter()
        .enumerate()
        .flat_map(|(i, inst)| (0..inst.regions.len()).map(move |r| (i, r)))
        .collect();
    let mut results: Vec<(usize, report::RegionResult)> = pool.install(|| {
        tasks
            .into_par_iter()
            .map(|(i, r)| {
                let inst = insts[i];
                let limits = Limits {
                    time_limit_seconds: opts
                        .time_limit_seconds
                        .unwrap_or(inst.policy.solver.time_limit_seconds),
                    relative_gap: opts.relative_gap.unwrap_or(inst.policy.solver.relative_gap),
                    seed: inst.policy.solver.seed,
                };
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
                (
                    i,
                    report::region_result(inst, r, &problem, &ids, &outcome, seconds),
                )
            })
            .collect()
    });
    let mut plans = Vec::with_capacity(insts.len());
    for i in (0..insts.len()).rev() {
        let mine: Vec<report::RegionResult> = {
            let split = results
                .iter()
                .position(|(j, _)| *j == i)
                .unwrap_or(results.len());
            results
                .split_off(split)
                .into_iter()
                .map(|(_, r)| r)
                .collect()
        };
        plans.push(report::plan_file(mine));
    }
    plans.reverse();
    Ok(plans)
}
