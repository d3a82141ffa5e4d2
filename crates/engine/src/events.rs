//! What a solve tells the outside while it runs: region started / finished events, the region selection, and how an interrupted region is marked in the plan.

use crate::report::RegionResult;
use starplan_format::output::{PlanFile, Status};
use std::sync::Arc;

/// The start of every `message` of a region that a cancellation (a signal, a cancelled job)
/// stopped before it proved its gap. The status stays what the plan is worth: `feasible`
/// with the best plan found so far, or `timeout` when there was none (or the region had not
/// started).
pub const INTERRUPTED: &str = "interrupted";

/// One region's progress, as the workers report it.
#[derive(Debug)]
pub enum RegionEvent<'a> {
    /// Work on a region began (`province` is the index in `solve_many`'s list).
    Started {
        province: usize,
        region: &'a str,
        groups: usize,
        managers: usize,
    },
    /// A region ended. `plan` holds this region alone (its status, gap, assignments and
    /// loads), in the plan format, so it can be written or stored as it is.
    Finished {
        province: usize,
        plan: &'a PlanFile,
        /// Stopped by the cancellation flag before its gap was proven.
        interrupted: bool,
    },
}

/// A callback for [`RegionEvent`]s. It runs on the worker threads, so it should be quick
/// (write a file, update a counter, send on a channel).
#[derive(Clone)]
pub struct OnEvent(pub Arc<dyn Fn(&RegionEvent<'_>) + Send + Sync>);

impl OnEvent {
    pub fn new(f: impl Fn(&RegionEvent<'_>) + Send + Sync + 'static) -> OnEvent {
        OnEvent(Arc::new(f))
    }
}

impl std::fmt::Debug for OnEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnEvent(..)")
    }
}

/// True when a region plan carries the interrupted mark.
pub fn is_interrupted(plan: &starplan_format::output::RegionPlan) -> bool {
    plan.message
        .as_deref()
        .is_some_and(|m| m.starts_with(INTERRUPTED))
}

/// Marks a region stopped by cancellation; an optimal region had finished and keeps its
/// message.
pub(crate) fn mark_interrupted(result: &mut RegionResult) -> bool {
    let plan = &mut result.plan;
    if plan.status == Status::Optimal {
        return false;
    }
    let what = if plan.status.has_plan() {
        "stopped before its gap was proven; this is the best plan found so far"
    } else {
        "stopped before any plan was found"
    };
    plan.message = Some(match plan.message.take() {
        Some(m) => format!("{INTERRUPTED}: {what} ({m})"),
        None => format!("{INTERRUPTED}: {what}"),
    });
    true
}

/// The start of the `message` of a region that the wall clock stopped in work mode before
/// its work was done: its plan may differ from a rerun's.
pub const SAFETY_STOP: &str = "safety stop";

/// Marks a region whose safety stop (the time limit, in work mode) fired.
pub(crate) fn mark_safety_stop(result: &mut RegionResult, limits: &starplan_model::Limits) {
    let what = format!(
        "{SAFETY_STOP}: the time limit of {} s ended a step before its work (work limit {}) was done, so a rerun may give another plan",
        limits.time_limit_seconds,
        limits.work_limit.unwrap_or(0.0)
    );
    let plan = &mut result.plan;
    plan.message = Some(match plan.message.take() {
        Some(m) => format!("{what} ({m})"),
        None => what,
    });
}

/// The message of a region that a cancellation kept from starting.
fn not_started_message() -> String {
    format!("{INTERRUPTED}: not started; no plan")
}

/// The region alone, as a plan file.
fn region_plan(result: &RegionResult) -> PlanFile {
    PlanFile {
        schema_version: starplan_format::SCHEMA_VERSION,
        regions: vec![result.plan.clone()],
        assignments: result.assignments.clone(),
        managers: result.managers.clone(),
        provenance: None,
    }
}

fn emit(opts: &crate::SolveOptions, event: &RegionEvent<'_>) {
    if let Some(f) = &opts.on_event {
        (f.0)(event);
    }
}

pub(crate) fn started(
    opts: &crate::SolveOptions,
    province: usize,
    region: &str,
    p: &starplan_model::RegionProblem,
) {
    emit(
        opts,
        &RegionEvent::Started {
            province,
            region,
            groups: p.groups.len(),
            managers: p.managers.len(),
        },
    );
}

pub(crate) fn finished(
    opts: &crate::SolveOptions,
    province: usize,
    result: &RegionResult,
    interrupted: bool,
) {
    if opts.on_event.is_some() {
        let plan = region_plan(result);
        emit(
            opts,
            &RegionEvent::Finished {
                province,
                plan: &plan,
                interrupted,
            },
        );
    }
}

/// A region that a cancellation kept from starting: status `timeout`, no plan, its
/// before-KPIs and baselines as usual. No event: nothing ran.
pub(crate) fn not_started(inst: &starplan_model::domain::Instance, r: usize) -> RegionResult {
    let (problem, ids) = crate::region_problem(inst, r);
    let outcome = starplan_model::Outcome::empty(starplan_model::ModelStatus::Timeout);
    let mut result =
        crate::report::region_result(inst, r, &problem, &ids, &outcome, Vec::new(), None);
    result.plan.message = Some(not_started_message());
    result
}

/// The plan of a region that was cut off without a result (the caller stopped waiting for
/// it after a cancellation): status `timeout`, no plan, marked interrupted; `started` says
/// whether its work had begun. None when the instance has no such region.
pub fn cut_off(
    inst: &starplan_model::domain::Instance,
    region: &str,
    started: bool,
) -> Option<PlanFile> {
    let r = inst.regions.iter().position(|x| x.id == region)?;
    let mut result = not_started(inst, r);
    if started {
        result.plan.message = Some(format!(
            "{INTERRUPTED}: cut off while HiGHS could not be interrupted (presolve or model building); no plan"
        ));
    }
    Some(region_plan(&result))
}
