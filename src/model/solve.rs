//! Solves one region's MIP with HiGHS: one thread, fixed seed, a complete start, and an honest status and bound.

use super::build::{build, Built};
use super::ffi;
use super::rules::{self, candidates};
use super::{Limits, ModelStatus, Outcome, RegionProblem, Size};
use highs::{HighsModelStatus, HighsSolutionStatus};
use std::time::{Duration, Instant};

/// Solves a region. `start`, when given, is a complete plan (local manager per group) that
/// keeps every hard rule; it is handed to HiGHS whole, auxiliaries included, because HiGHS
/// drops a start that violates any row, and it is returned if HiGHS finds nothing better.
///
/// `clock` is when the region's work began: the whole region, model building included, stops
/// at `clock + time_limit_seconds`.
pub fn solve_region(
    p: &RegionProblem,
    start: Option<&[usize]>,
    limits: Limits,
    clock: Instant,
) -> Outcome {
    let cands = candidates(p);
    if let Some(why) = rules::counting_precheck(p) {
        return Outcome {
            status: ModelStatus::Infeasible(why),
            assignment: None,
            bound: None,
            size: Size::default(),
        };
    }
    if let Some(g) = cands.iter().position(Vec::is_empty) {
        return Outcome {
            status: ModelStatus::Infeasible(format!(
                "group {} (class {}) has no manager it may end with: no available, non-frozen manager of an allowed star",
                p.groups[g].id,
                p.groups[g].class.letter()
            )),
            assignment: None,
            bound: None,
            size: Size::default(),
        };
    }
    if p.groups.is_empty() {
        return Outcome {
            status: ModelStatus::Optimal,
            assignment: Some(Vec::new()),
            bound: Some(0.0),
            size: Size::default(),
        };
    }
    let built = build(p, &cands);
    let size = Size {
        variables: built.columns,
        binaries: cands.iter().map(Vec::len).sum(),
        rows: built.rows,
    };
    let start_cols = start.and_then(|s| start_columns(p, &built, s));
    let Built {
        problem, x, offset, ..
    } = built;
    let fail = |msg: String| Outcome {
        status: ModelStatus::Error(msg),
        assignment: None,
        bound: None,
        size,
    };

    let mut model = match problem.try_into_inner() {
        Ok(m) => m,
        Err(e) => return fail(e.to_string()),
    };
    // One thread everywhere: HiGHS keeps a thread pool per OS thread and fails when a
    // later solve in the same thread asks for another count (shared/notes/solver-facts.md).
    let deadline = clock + Duration::from_secs_f64(limits.time_limit_seconds);
    let remaining = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64()
        .max(1e-3);
    let ready = set_options(&mut model, limits, remaining)
        // HiGHS measures its relative gap against the objective it knows: without the
        // constant part of C9 it would stop at the wrong gap.
        .and_then(|_| ffi::set_objective_offset(&mut model, offset))
        .and_then(|_| ffi::install_deadline(&mut model, &deadline));
    if let Err(e) = ready {
        return fail(e);
    }
    if let Some(cols) = &start_cols {
        if model
            .try_set_solution(Some(cols), None, None, None)
            .is_err()
        {
            return fail("HiGHS rejected the starting solution".into());
        }
    }
    let solved = match model.try_solve() {
        Ok(s) => s,
        Err(e) => return fail(format!("HiGHS failed: {e:?}")),
    };
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite());
    let has_solution = solved.primal_solution_status() == HighsSolutionStatus::Feasible;
    let assignment = has_solution.then(|| read_assignment(&x, solved.get_solution().columns()));
    let fallback = || {
        start
            .filter(|_| start_cols.is_some())
            .map(<[usize]>::to_vec)
    };
    let (status, assignment) = match solved.status() {
        HighsModelStatus::Optimal if assignment.is_some() => (ModelStatus::Optimal, assignment),
        HighsModelStatus::Infeasible => (
            ModelStatus::Infeasible("HiGHS proved the hard rules cannot all hold".into()),
            None,
        ),
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => match assignment.or_else(fallback) {
            Some(a) => (ModelStatus::Feasible, Some(a)),
            None => (ModelStatus::Timeout, None),
        },
        other => {
            return Outcome {
                status: ModelStatus::Error(format!("HiGHS ended with {other:?}")),
                assignment: None,
                bound,
                size,
            }
        }
    };
    Outcome {
        status,
        assignment,
        bound,
        size,
    }
}

/// The manager of each group in a solved column vector.
fn read_assignment(x: &[Vec<(usize, usize)>], cols: &[f64]) -> Vec<usize> {
    x.iter()
        .map(|pairs| {
            pairs
                .iter()
                .max_by(|a, b| cols[a.1].total_cmp(&cols[b.1]).then(b.0.cmp(&a.0)))
                .map(|&(m, _)| m)
                .expect("C1 gives every group a candidate")
        })
        .collect()
}

/// A complete column vector for a start plan, auxiliaries set to their least feasible value.
/// `None` when the plan uses a pair that has no variable.
fn start_columns(p: &RegionProblem, built: &Built, start: &[usize]) -> Option<Vec<f64>> {
    let mut cols = vec![0.0; built.columns];
    let n = p.managers.len();
    let (mut members, mut load) = (vec![0.0; n], vec![0.0; n]);
    for (g, &m) in start.iter().enumerate() {
        let &(_, c) = built.x[g].iter().find(|&&(mm, _)| mm == m)?;
        cols[c] = 1.0;
        members[m] += f64::from(p.groups[g].members);
        load[m] += p.policy.workload(p.groups[g].class, p.groups[g].members);
    }
    for (m, over) in members.iter().enumerate() {
        if let Some(c) = built.excess[m] {
            cols[c] = (over - rules::c7_span_target(p, m)).max(0.0);
        }
    }
    for (m, band) in rules::c8_band(p).iter().enumerate() {
        if let (Some(c), Some((lo, hi))) = (built.deviation[m], band) {
            cols[c] = (load[m] - hi).max(lo - load[m]).max(0.0);
        }
    }
    Some(cols)
}

fn set_options(model: &mut highs::Model, limits: Limits, time_limit: f64) -> Result<(), String> {
    let rejected = |k: &str| format!("HiGHS rejected option {k}");
    model
        .try_set_option("output_flag", false)
        .map_err(|_| rejected("output_flag"))?;
    model
        .try_set_option("threads", 1)
        .map_err(|_| rejected("threads"))?;
    model
        .try_set_option("random_seed", limits.seed as i32)
        .map_err(|_| rejected("random_seed"))?;
    model
        .try_set_option("time_limit", time_limit)
        .map_err(|_| rejected("time_limit"))?;
    model
        .try_set_option("mip_rel_gap", limits.relative_gap)
        .map_err(|_| rejected("mip_rel_gap"))?;
    model
        .try_set_option("mip_abs_gap", 1e-6)
        .map_err(|_| rejected("mip_abs_gap"))
}

/// Builds the region's HiGHS model and drops it: the model-building cost alone, for benchmarks.
pub fn build_only(p: &RegionProblem) -> Size {
    let cands = candidates(p);
    let built = build(p, &cands);
    let size = Size {
        variables: built.columns,
        binaries: cands.iter().map(Vec::len).sum(),
        rows: built.rows,
    };
    drop(built.problem.try_into_inner());
    size
}
