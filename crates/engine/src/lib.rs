//! The engine: converts an input to domain types, splits a province into regions, repairs the current layout into a start, improves it by local search, solves regions in parallel and reports each region as data.

pub mod convert;
mod diagnose;
mod improve;
pub mod kpi;
pub mod reasons;
mod region;
mod report;
mod start;

use rayon::prelude::*;
use starplan_format::codes::DiagnosisCode;
use starplan_format::output::{Diagnosis, PlanFile};
use starplan_model::domain::Instance;
use starplan_model::{
    solve_region, Export, Limits, ModelStatus, Outcome, Pass, RegionProblem, Run,
};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

pub use region::region_problem;
/// The domain types and the plain rule functions, for the workflows above the engine.
pub use starplan_model::{domain, rules};
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
    /// Write each region's model (MPS) and start to this folder.
    pub export_mps: Option<std::path::PathBuf>,
    /// Set from outside (a signal, a cancelled job): running regions stop with their best
    /// plan so far, and regions not started yet are not solved.
    pub cancel: Option<Arc<AtomicBool>>,
}

/// One region: counting diagnoses first; a region they (or HiGHS) prove infeasible gets the
/// relaxed plan that breaks the fewest rules, in the time that is left.
fn solve_one_region(p: &RegionProblem, region: &str, run: &Run) -> (Outcome, Vec<Diagnosis>) {
    let mut diagnoses = diagnose::diagnose(p, region);
    if diagnoses.is_empty() {
        // The repaired current layout, improved by local search for a tenth of the time.
        let budget =
            std::time::Duration::from_secs_f64(run.limits.time_limit_seconds.min(1e6) / 10.0);
        let until = (Instant::now() + budget).min(run.deadline());
        let start = repaired_start(p).map(|s| improve::improve(p, s, until));
        let mut outcome = solve_region(p, start.as_deref(), Pass::Strict, run);
        if !matches!(outcome.status, ModelStatus::Infeasible(_)) {
            never_worse(p, &mut outcome);
            return (outcome, diagnoses);
        }
        diagnoses.push(Diagnosis {
            code: DiagnosisCode::D000,
            rule: DiagnosisCode::D000.rule(),
            message: format!("region {region}: HiGHS proved the hard rules cannot all hold, for a reason the counting checks do not see"),
            action: "see the relaxations of the relaxed plan for the rules that had to give".into(),
        });
    }
    (solve_region(p, None, Pass::Relaxed, run), diagnoses)
}

/// The current layout when it keeps every hard rule as it stands (C1–C7, C12; no moves, so
/// C10 and C11 hold too).
fn current_if_feasible(p: &RegionProblem) -> Option<Vec<usize>> {
    let cands = starplan_model::rules::candidates(p);
    let current: Vec<usize> = p.groups.iter().map(|g| g.current).collect::<Option<_>>()?;
    if current
        .iter()
        .enumerate()
        .any(|(g, m)| !cands[g].contains(m))
    {
        return None;
    }
    let (count, members, _) = kpi::loads(p, &current.iter().map(|&m| Some(m)).collect::<Vec<_>>());
    let within = (0..p.managers.len())
        .filter(|&m| starplan_model::rules::limited(p, m))
        .all(|m| {
            count[m] as f64 <= starplan_model::rules::c6_max_groups(p, m)
                && members[m] as f64 <= starplan_model::rules::c7_span_max(p, m) + 1e-9
        });
    within.then_some(current)
}

/// Weighted mode: a plan never ends worse than a current layout that keeps every hard rule.
/// The current layout is HiGHS's start then, so this only guards against a start HiGHS set
/// aside; priority mode seeds each stage with it instead (model::solve).
fn never_worse(p: &RegionProblem, out: &mut Outcome) {
    if p.policy.mode != starplan_model::domain::Mode::Weighted {
        return;
    }
    let (Some(plan), Some(current)) = (&out.assignment, current_if_feasible(p)) else {
        return;
    };
    let cost = |a: &[usize]| starplan_model::rules::weighted(p, a);
    if cost(plan) > cost(&current) + 1e-9 {
        out.assignment = Some(current);
    }
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
    let mut tasks: Vec<(usize, usize)> = insts
        .iter()
        .enumerate()
        .flat_map(|(i, inst)| (0..inst.regions.len()).map(move |r| (i, r)))
        .collect();
    // Largest regions first, one task at a time: the last region to finish is then a small one.
    let size = |&(i, r): &(usize, usize)| insts[i].groups.iter().filter(|g| g.region == r).count();
    tasks.sort_by_key(|t| (std::cmp::Reverse(size(t)), *t));
    let mut results: Vec<((usize, usize), report::RegionResult)> = pool.install(|| {
        tasks
            .into_par_iter()
            .with_max_len(1)
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
                let export = opts.export_mps.as_ref().map(|dir| Export {
                    dir: dir.clone(),
                    // The id is input data: the one safe, injective mapping names the file.
                    name: starplan_format::files::file_stem(&inst.regions[r].id),
                });
                let run = Run {
                    limits,
                    clock,
                    cancel: opts.cancel.as_deref(),
                    export: export.as_ref(),
                };
                let (outcome, diagnoses) = solve_one_region(&problem, &inst.regions[r].id, &run);
                let seconds = (!opts.no_timings).then(|| clock.elapsed().as_secs_f64());
                (
                    (i, r),
                    report::region_result(inst, r, &problem, &ids, &outcome, diagnoses, seconds),
                )
            })
            .collect()
    });
    results.sort_by_key(|(key, _)| *key);
    let mut plans = Vec::with_capacity(insts.len());
    for i in (0..insts.len()).rev() {
        let mine: Vec<report::RegionResult> = {
            let split = results
                .iter()
                .position(|((j, _), _)| *j == i)
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
