//! The engine: converts an input to domain types, splits a province into regions, repairs the current layout into a start, improves it by local search, solves regions in parallel and reports each region as data.

mod anneal;
pub mod capacity;
pub mod convert;
mod diagnose;
mod events;
mod fairness;
pub mod given;
mod improve;
pub mod jobs;
pub mod kpi;
mod proof;
pub mod reasons;
mod region;
mod report;
mod search;
mod start;
mod totals;
mod warm;

use starplan_format::codes::DiagnosisCode;
use starplan_format::output::{Diagnosis, FinalPlan, PlanFile, PlanStage};
use starplan_model::domain::Instance;
use starplan_model::{solve_region, ModelStatus, Outcome, Pass, Run};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

pub use events::{cut_off, is_interrupted, OnEvent, RegionEvent, INTERRUPTED};
pub use region::region_problem;
/// The domain types and the plain rule functions, for the workflows above the engine.
pub use starplan_model::{balance, domain, rules, RegionProblem};
pub use start::repaired_start;

/// Run-time choices that are not part of the input's policy.
#[derive(Debug, Clone, Default)]
pub struct SolveOptions {
    /// Parallel region workers; 0 = one per core.
    pub threads: usize,
    pub time_limit_seconds: Option<f64>,
    pub relative_gap: Option<f64>,
    /// Work mode (overrides policy.solver.work_limit): each region stops on this much
    /// counted work (`model::work`), the time limit only as a safety stop.
    pub work_limit: Option<f64>,
    /// Write 0 for every `seconds`, so that equal inputs give byte-equal plans.
    pub no_timings: bool,
    /// Write each region's model (MPS) and start to this folder.
    pub export_mps: Option<std::path::PathBuf>,
    /// Set from outside (a signal, a cancelled job): running regions stop with their best
    /// plan so far, and regions not started yet are not solved.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Solve only the regions with these ids (None = every region); the others are left
    /// out of the plan.
    pub regions: Option<Vec<String>>,
    /// Told when each region starts and ends (progress bars, logs, per-region files, jobs).
    pub on_event: Option<OnEvent>,
}

impl SolveOptions {
    pub(crate) fn selects(&self, region: &str) -> bool {
        self.regions
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|id| id == region))
    }

    pub(crate) fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    }
}

/// One region: counting diagnoses first; a region they (or HiGHS) prove infeasible gets the
/// relaxed plan that breaks the fewest rules, in the time that is left.
/// `warm`, when given, is a complete plan that keeps every hard rule (a base plan's
/// layout, repaired): the search starts there instead of at the repaired current layout.
fn solve_one_region(
    p: &RegionProblem,
    region: &str,
    run: &Run,
    warm: Option<Vec<usize>>,
) -> (Outcome, Vec<Diagnosis>, Option<FinalPlan>) {
    let mut diagnoses = diagnose::diagnose(p, region);
    if diagnoses.is_empty() {
        // The repaired current layout, improved by local search; a warm start (a base
        // plan's layout, annealed when the base was solved) gets descent only, so that a
        // what-if re-solve stays quick.
        let is_warm = warm.is_some();
        let first = warm.or_else(|| repaired_start(p));
        let start = first.clone().map(|s| {
            if is_warm {
                search::descended_start(p, s, run)
            } else {
                search::improved_start(p, s, run)
            }
        });
        let searched = run.clock.elapsed().as_secs_f64();
        let mut outcome = solve_region(p, start.as_deref(), Pass::Strict, run);
        if !matches!(outcome.status, ModelStatus::Infeasible(_)) {
            never_worse(p, &mut outcome);
            proven(p, &mut outcome, run.limits.relative_gap);
            let found = final_plan(p, &outcome, first.as_deref(), start.as_deref(), searched);
            return (outcome, diagnoses, found);
        }
        diagnoses.push(Diagnosis {
            code: DiagnosisCode::D000,
            rule: DiagnosisCode::D000.rule(),
            message: format!("region {region}: HiGHS proved the hard rules cannot all hold, for a reason the counting checks do not see"),
            action: "see the relaxations of the relaxed plan for the rules that had to give".into(),
        });
    }
    let start = start::relaxed_start(p);
    (
        solve_region(p, start.as_deref(), Pass::Relaxed, run),
        diagnoses,
        None,
    )
}

/// Which step produced the final plan: the start as repaired (or warm), local search's
/// plan, the current layout (never_worse), or else HiGHS's. `searched` is when local search
/// ended on the region's clock; when HiGHS found its plan is not recorded.
fn final_plan(
    p: &RegionProblem,
    out: &Outcome,
    first: Option<&[usize]>,
    searched_plan: Option<&[usize]>,
    searched: f64,
) -> Option<FinalPlan> {
    let plan = out.assignment.as_deref()?;
    let current: Option<Vec<usize>> = p.groups.iter().map(|g| g.current).collect();
    let (stage, seconds) = if first == Some(plan) {
        (PlanStage::Start, Some(searched))
    } else if searched_plan == Some(plan) {
        (PlanStage::LocalSearch, Some(searched))
    } else if current.as_deref() == Some(plan) {
        (PlanStage::Current, None)
    } else {
        (PlanStage::Highs, None)
    };
    Some(FinalPlan { stage, seconds })
}

/// The current layout when it keeps every hard rule as it stands (C1–C7, C12, C13; no
/// moves, so C10 and C11 hold too).
fn current_if_feasible(p: &RegionProblem) -> Option<Vec<usize>> {
    let cands = starplan_model::rules::candidates(p);
    let current: Vec<usize> = p.groups.iter().map(|g| g.current).collect::<Option<_>>()?;
    let allowed = current
        .iter()
        .enumerate()
        .all(|(g, m)| cands[g].binary_search(m).is_ok());
    // The same exact count of every relaxable rule (C5–C7, C10–C13) the solver reports.
    (allowed && starplan_model::keeps_all(p, &current)).then_some(current)
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

/// A plan stopped at the limit whose gap is already within the target is proven: the
/// status says so (a `feasible` region with a gap below its target reads as unfinished).
fn proven(p: &RegionProblem, out: &mut Outcome, gap: f64) {
    let (ModelStatus::Feasible, Some(a), Some(b)) =
        (&out.status, &out.assignment, out.best_bound())
    else {
        return;
    };
    if !out.stages.is_empty() {
        return;
    }
    let objective = starplan_model::rules::weighted(p, a);
    if (objective - b) / objective.abs().max(1.0) <= gap {
        out.status = ModelStatus::Optimal;
    }
}

/// Solves every region of the province. A region that is infeasible or fails is reported
/// as such; it never takes the other regions' plans with it.
pub fn solve(inst: &Instance, opts: &SolveOptions) -> Result<PlanFile, std::io::Error> {
    Ok(solve_many(&[inst], opts)?
        .pop()
        .expect("one plan per instance"))
}

/// Solves several provinces (a base and its what-if scenarios) with one pool of workers:
/// every (province, region) pair is one task (`jobs`), so the workers stay busy without
/// oversubscribing.
pub fn solve_many(
    insts: &[&Instance],
    opts: &SolveOptions,
) -> Result<Vec<PlanFile>, std::io::Error> {
    let jobs: Vec<jobs::Job> = insts
        .iter()
        .map(|inst| jobs::Job {
            inst,
            work: vec![jobs::Work::Solve; inst.regions.len()],
        })
        .collect();
    jobs::solve_jobs(&jobs, opts)
}
