//! Solves one region's MIP with HiGHS: one thread, fixed seed, a complete start, priority stages, relaxation, and an honest status and bound.

use super::build::{build, Built, Spec};
use super::ffi;
use super::pricing;
use super::rules::{self, candidates, candidates_relaxed};
use super::{Export, Limits, ModelStatus, Outcome, RegionProblem, Relaxation, Size, StageOutcome};
use crate::domain::Mode;
use highs::{HighsModelStatus, HighsSolutionStatus};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// Solves a region. `start`, when given, is a complete plan (local manager per group) that
/// keeps every hard rule; it is handed to HiGHS whole, auxiliaries included, because HiGHS
/// drops a start that violates any row, and it is returned if HiGHS finds nothing better.
///
/// `clock` is when the region's work began: the whole region, model building included, stops
/// at `clock + time_limit_seconds`. With `relaxed`, hard rules C5–C7 and C10–C12 may be
/// broken at the policy's relaxation penalty (status `Relaxed`).
pub fn solve_region(
    p: &RegionProblem,
    start: Option<&[usize]>,
    limits: Limits,
    clock: Instant,
    relaxed: bool,
    export: Option<&Export>,
) -> Outcome {
    let deadline = clock + Duration::from_secs_f64(limits.time_limit_seconds);
    let cands = if relaxed {
        candidates_relaxed(p)
    } else {
        candidates(p)
    };
    let empty = Outcome::empty;
    if let Some(g) = cands.iter().position(Vec::is_empty) {
        return empty(ModelStatus::Infeasible(format!(
            "group {} (class {}) has no manager it may end with",
            p.groups[g].id,
            p.groups[g].class.letter()
        )));
    }
    if p.groups.is_empty() {
        return Outcome {
            status: ModelStatus::Optimal,
            assignment: Some(vec![]),
            bound: Some(0.0),
            ..empty(ModelStatus::Optimal)
        };
    }
    if relaxed {
        let once = solve_once(
            p,
            &cands,
            &Spec {
                relaxed: true,
                ..Spec::default()
            },
            None,
            limits,
            (clock, deadline),
            export,
            ".relaxed",
        );
        let status = if once.assignment.is_some() {
            ModelStatus::Relaxed
        } else {
            once.status
        };
        return Outcome {
            status,
            assignment: once.assignment,
            bound: None,
            size: once.size,
            stages: vec![],
            relaxations: once.relaxations,
            progress: (None, None),
        };
    }
    if p.policy.mode == Mode::Priority {
        return priority(p, &cands, start, limits, deadline, export);
    }
    let pairs: usize = cands.iter().map(Vec::len).sum();
    let budgets = p.policy.change;
    let plain = budgets.max_moved_groups.is_none()
        && budgets.max_moved_members.is_none()
        && budgets.max_book_change.is_none();
    if pairs > PRICE_ABOVE && plain {
        if let Some((kept, lp)) = pricing::priced_candidates(p, &cands, start, limits, deadline) {
            return restricted(p, &kept, lp, start, limits, (clock, deadline), export);
        }
    }
    let once = solve_once(
        p,
        &cands,
        &Spec::default(),
        start,
        limits,
        (clock, deadline),
        export,
        "",
    );
    Outcome {
        status: once.status,
        assignment: once.assignment,
        bound: once.bound,
        size: once.size,
        stages: vec![],
        relaxations: vec![],
        progress: once.progress,
    }
}

/// Above this many candidate pairs a region is solved on priced candidates (model::pricing).
const PRICE_ABOVE: usize = 150_000;

/// The MIP on a priced candidate set. Its plans are plans of the full model; its own bound
/// is not, so the bound is the priced LP optimum, valid for every plan of the full model.
fn restricted(
    p: &RegionProblem,
    kept: &[Vec<usize>],
    lp: f64,
    start: Option<&[usize]>,
    limits: Limits,
    times: (Instant, Instant),
    export: Option<&Export>,
) -> Outcome {
    let once = solve_once(p, kept, &Spec::default(), start, limits, times, export, "");
    let status = match (&once.status, &once.assignment) {
        (ModelStatus::Optimal | ModelStatus::Feasible, Some(a)) => {
            let objective = rules::weighted(p, a);
            if (objective - lp) / objective.abs().max(1.0) <= limits.relative_gap {
                ModelStatus::Optimal
            } else {
                ModelStatus::Feasible
            }
        }
        (other, _) => other.clone(),
    };
    Outcome {
        status,
        assignment: once.assignment,
        bound: Some(lp),
        size: once.size,
        stages: vec![],
        relaxations: vec![],
        // HiGHS's gap here is on the restricted model; the report derives the 1 % time.
        progress: (once.progress.0, None),
    }
}

/// Priority mode: each goal in turn, earlier goals held within their tolerance, each stage
/// started from the previous stage's plan and given an equal share of the time left.
fn priority(
    p: &RegionProblem,
    cands: &[Vec<usize>],
    start: Option<&[usize]>,
    limits: Limits,
    deadline: Instant,
    export: Option<&Export>,
) -> Outcome {
    let stages = &p.policy.priority;
    let mut plan: Option<Vec<usize>> = start.map(<[usize]>::to_vec);
    let current = plan.clone();
    let mut spec = Spec::default();
    let mut out = Outcome::empty(ModelStatus::Optimal);
    for (k, st) in stages.iter().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        let stage_deadline = Instant::now() + left / (stages.len() - k) as u32;
        spec.goal = Some(st.goal);
        // The start (the current layout, repaired) seeds a stage whenever it keeps every
        // limit so far and beats the previous stage's plan on this goal: then no stage can
        // end worse than the current layout (the "never worse" guarantee).
        let mut seed = plan.clone();
        if let Some(c) = &current {
            let raw = rules::raw_terms(p, c);
            let keeps = spec.limits.iter().all(|(g, l)| raw[g.idx()] <= *l);
            let better = plan
                .as_ref()
                .is_none_or(|pl| raw[st.goal.idx()] < rules::raw_terms(p, pl)[st.goal.idx()]);
            if keeps && better {
                seed = Some(c.clone());
            }
        }
        let suffix = format!(".stage{}-{}", k + 1, st.goal.name());
        let once = solve_once(
            p,
            cands,
            &spec,
            seed.as_deref(),
            limits,
            (Instant::now(), stage_deadline),
            export,
            &suffix,
        );
        out.size = once.size;
        let Some(a) = once.assignment else {
            if k == 0 {
                out.status = once.status;
                return out;
            }
            // A later stage that finds nothing keeps the previous stage's plan, which
            // satisfies every limit so far.
            out.stages.push(StageOutcome {
                goal: st.goal,
                status: once.status,
                value: None,
                bound: once.bound,
                limit: None,
            });
            out.status = ModelStatus::Feasible;
            break;
        };
        let value = rules::raw_terms(p, &a)[st.goal.idx()];
        let last = k + 1 == stages.len();
        let limit = (!last).then_some(value * (1.0 + st.tolerance) + 1e-6);
        if once.status != ModelStatus::Optimal {
            out.status = ModelStatus::Feasible;
        }
        out.stages.push(StageOutcome {
            goal: st.goal,
            status: once.status,
            value: Some(value),
            bound: once.bound.map(|b| b.min(value)),
            limit,
        });
        if let Some(l) = limit {
            spec.limits.push((st.goal, l));
        }
        plan = Some(a);
    }
    out.assignment = plan;
    out
}

struct Once {
    progress: (Option<f64>, Option<f64>),
    status: ModelStatus,
    assignment: Option<Vec<usize>>,
    bound: Option<f64>,
    size: Size,
    relaxations: Vec<Relaxation>,
}

/// One HiGHS solve of one model; with `export`, the model (and its start) is written first.
#[allow(clippy::too_many_arguments)]
fn solve_once(
    p: &RegionProblem,
    cands: &[Vec<usize>],
    spec: &Spec,
    start: Option<&[usize]>,
    limits: Limits,
    (clock, deadline): (Instant, Instant),
    export: Option<&Export>,
    suffix: &str,
) -> Once {
    let built = build(p, cands, spec);
    let size = built.size();
    let start_cols = start
        .filter(|_| !spec.relaxed)
        .and_then(|s| start_columns(p, &built, s));
    let Built {
        problem,
        x,
        offset,
        slacks,
        ..
    } = built;
    let fail = |msg: String| Once {
        progress: (None, None),
        status: ModelStatus::Error(msg),
        assignment: None,
        bound: None,
        size,
        relaxations: vec![],
    };

    let mut model = match problem.try_into_inner() {
        Ok(m) => m,
        Err(e) => return fail(e.to_string()),
    };
    let remaining = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64()
        .max(1e-3);
    let watch = ffi::Watch {
        clock,
        deadline,
        first_plan: Cell::new(None),
        one_pct: Cell::new(None),
    };
    let ready = set_options(&mut model, limits, remaining)
        // HiGHS measures its relative gap against the objective it knows: without the
        // constant part of C9 it would stop at the wrong gap.
        .and_then(|_| ffi::set_objective_offset(&mut model, offset))
        .and_then(|_| ffi::install_watch(&mut model, &watch));
    if let Err(e) = ready {
        return fail(e);
    }
    if let Some(x) = export {
        let path = |ext: &str| x.dir.join(format!("{}{suffix}.{ext}", x.name));
        let written = ffi::write_model(&mut model, &path("mps")).and_then(|_| match &start_cols {
            Some(cols) => write_start(&path("start"), cols),
            None => Ok(()),
        });
        if let Err(e) = written {
            return fail(e);
        }
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
    let columns = has_solution.then(|| solved.get_solution().columns().to_vec());
    let assignment = columns.as_ref().map(|c| read_assignment(&x, c));
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
            return Once {
                bound,
                ..fail(format!("HiGHS ended with {other:?}"))
            }
        }
    };
    let relaxations = match (&columns, &assignment) {
        (Some(c), Some(_)) => slacks
            .iter()
            .filter_map(|s| {
                let v = if s.inverted { 1.0 - c[s.col] } else { c[s.col] };
                (v > 1e-6).then(|| Relaxation {
                    rule: s.rule,
                    unit: s.unit,
                    manager: s.manager,
                    group: s.group,
                    amount: (v * 1e6).round() / 1e6,
                })
            })
            .collect(),
        _ => vec![],
    };
    Once {
        progress: (watch.first_plan.get(), watch.one_pct.get()),
        status,
        assignment,
        bound,
        size,
        relaxations,
    }
}

/// The start as "column value" lines, columns named as HiGHS writes unnamed ones (c0, c1, …).
fn write_start(path: &std::path::Path, cols: &[f64]) -> Result<(), String> {
    let text: String = cols
        .iter()
        .enumerate()
        .filter(|(_, v)| **v != 0.0)
        .map(|(i, v)| format!("c{i} {v}\n"))
        .collect();
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
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
    let built = build(p, &cands, &Spec::default());
    let size = built.size();
    drop(built.problem.try_into_inner());
    size
}
