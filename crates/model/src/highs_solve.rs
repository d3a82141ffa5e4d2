//! One HiGHS solve of one built model: options, offset, the complete start, export, the watched solve, and reading the plan, status and bound back.

use super::build::{build, Built, Spec};
use super::ffi;
use super::rules::{self, candidates};
use super::work::{self, Until};
use super::{ModelStatus, RegionProblem, Relaxation, Run, Size};
use highs::{HighsModelStatus, HighsSolutionStatus};
use std::time::Instant;

/// What one solve gave.
pub struct Once {
    pub progress: ffi::Progress,
    pub status: ModelStatus,
    pub assignment: Option<Vec<usize>>,
    pub bound: Option<f64>,
    pub size: Size,
    pub relaxations: Vec<Relaxation>,
}

impl Once {
    fn failed(size: Size, msg: String) -> Once {
        Once {
            progress: ffi::Progress::default(),
            status: ModelStatus::Error(msg),
            assignment: None,
            bound: None,
            size,
            relaxations: vec![],
        }
    }
}

/// Builds and solves one model until `deadline` (or the run's own, whichever is first);
/// with an export folder, the model (and its start) is written first, named `suffix`.
/// `start` is a complete plan that keeps every hard rule of this model: HiGHS gets it whole,
/// auxiliaries included, because it drops a start that breaks any row, and it comes back
/// as the plan when HiGHS stops without a better one.
pub fn solve_once(
    p: &RegionProblem,
    cands: &[Vec<usize>],
    spec: &Spec,
    start: Option<&[usize]>,
    run: &Run,
    deadline: Until,
    suffix: &str,
) -> Once {
    if let Some(out) = too_late(p, cands, spec, start, run, deadline) {
        return out;
    }
    let pairs: usize = cands.iter().map(Vec::len).sum();
    run.charge(pairs as f64 * work::PER_PAIR_BUILT);
    let built = build(p, cands, spec);
    let size = built.size();
    // A strict model only takes a start that keeps every hard rule (the repaired layout
    // may break a move budget); a relaxed one takes any, its slacks set to the excesses.
    let start_cols = start
        .filter(|s| spec.relaxed || super::excess::keeps_all(p, s))
        .and_then(|s| start_columns(p, &built, s));
    let Built {
        problem, x, offset, ..
    } = built;
    let mut model = match problem.try_into_inner() {
        Ok(m) => m,
        Err(e) => return Once::failed(size, e.to_string()),
    };
    let stop = run.stop(deadline);
    let prepared = prepare(
        &mut model,
        run,
        stop.deadline,
        (size, offset),
        start_cols.as_deref(),
        suffix,
    );
    if let Err(e) = prepared {
        return Once::failed(size, e);
    }
    let (solved, progress) = match ffi::solve_watched(model, run.clock, stop, spec.outer_bound) {
        Ok(s) => s,
        Err(e) => return Once::failed(size, e),
    };
    let fallback = start.filter(|_| start_cols.is_some());
    read_back(p, spec, run, &solved, progress, &x, fallback, size)
}

/// Options, the objective offset, the export and the start, in that order.
fn prepare(
    model: &mut highs::Model,
    run: &Run,
    deadline: Instant,
    (size, offset): (Size, f64),
    start: Option<&[f64]>,
    suffix: &str,
) -> Result<(), String> {
    let remaining = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64()
        .max(1e-3);
    set_options(model, run.limits.seed, run.limits.relative_gap, remaining)?;
    tune(model, size.binaries, start.is_some())?;
    // HiGHS measures its relative gap against the objective it knows: without the
    // constant part of C9 it would stop at the wrong gap.
    ffi::set_objective_offset(model, offset)?;
    export(model, run, suffix, start)?;
    match start {
        Some(cols) => model
            .try_set_solution(Some(cols), None, None, None)
            .map(|_| ())
            .map_err(|_| "HiGHS rejected the starting solution".to_string()),
        None => Ok(()),
    }
}

/// The plan, status, bound and progress of a finished solve. `fallback` is the start, the
/// plan when HiGHS stops without a better one (or fails).
#[allow(
    clippy::too_many_arguments,
    reason = "the pieces of one solve, read back together"
)]
fn read_back(
    p: &RegionProblem,
    spec: &Spec,
    run: &Run,
    solved: &highs::SolvedModel,
    mut progress: ffi::Progress,
    x: &[Vec<(usize, usize)>],
    fallback: Option<&[usize]>,
    size: Size,
) -> Once {
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite());
    if solved.status() == HighsModelStatus::ReachedTimeLimit {
        // In work mode HiGHS's time limit is the safety stop.
        if let Some((m, _)) = run.counted() {
            m.fire();
        }
    }
    let has_solution = solved.primal_solution_status() == HighsSolutionStatus::Feasible;
    if has_solution && progress.one_pct.is_none() {
        // A gap first seen when HiGHS returned (a root-node proof fires no MIP callback).
        let objective = solved.objective_value();
        let gap = spec.outer_bound.or(bound).map(|b| super::gap(objective, b));
        if gap.is_some_and(|g| g <= 0.01) {
            progress.one_pct = Some(run.clock.elapsed().as_secs_f64());
        }
    }
    let columns = has_solution.then(|| solved.get_solution().columns().to_vec());
    let assignment = columns.as_ref().map(|c| read_assignment(x, c));
    let fallback = fallback.map(<[usize]>::to_vec);
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
        | HighsModelStatus::ReachedMemoryLimit => match assignment.or(fallback) {
            Some(a) => (ModelStatus::Feasible, Some(a)),
            None => (ModelStatus::Timeout, None),
        },
        // HiGHS failed, but a start that keeps every hard rule is still a plan.
        other => match fallback {
            Some(a) => (
                ModelStatus::Fallback(format!("HiGHS ended with {other:?}")),
                Some(a),
            ),
            None => return Once::failed(size, format!("HiGHS ended with {other:?}")),
        },
    };
    // Measured on the plan itself, exactly (model::excess), not read from the slacks.
    let relaxations = match &assignment {
        Some(a) if spec.relaxed => super::excess::measure(p, a),
        _ => vec![],
    };
    let bound = bound.filter(|_| !matches!(status, ModelStatus::Fallback(_)));
    Once {
        progress,
        status,
        assignment,
        bound,
        size,
        relaxations,
    }
}

/// Building a model costs about this much per candidate pair (measured: 6.45 s for 2.4
/// million pairs on the development machine).
pub const BUILD_SECONDS_PER_PAIR: f64 = 3e-6;

/// When the model could not even be built before the deadline (or the run is cancelled),
/// the start is the plan (no bound) if it keeps every hard rule; otherwise there is none.
fn too_late(
    p: &RegionProblem,
    cands: &[Vec<usize>],
    spec: &Spec,
    start: Option<&[usize]>,
    run: &Run,
    deadline: Until,
) -> Option<Once> {
    let pairs: usize = cands.iter().map(Vec::len).sum();
    // Seconds, or in work mode units of work: the two are counted alike.
    let build = pairs as f64 * BUILD_SECONDS_PER_PAIR;
    if run.left(deadline) > build && !run.cancelled() {
        return None;
    }
    let plan = start
        .filter(|s| spec.relaxed || super::excess::keeps_all(p, s))
        .map(<[usize]>::to_vec);
    let relaxations = match (&plan, spec.relaxed) {
        (Some(a), true) => super::excess::measure(p, a),
        _ => vec![],
    };
    Some(Once {
        progress: ffi::Progress::default(),
        status: if plan.is_some() {
            ModelStatus::Feasible
        } else {
            ModelStatus::Timeout
        },
        assignment: plan,
        bound: None,
        size: Size::default(),
        relaxations,
    })
}

/// Writes the model and its start when the run exports them.
fn export(
    model: &mut highs::Model,
    run: &Run,
    suffix: &str,
    start: Option<&[f64]>,
) -> Result<(), String> {
    let Some(x) = run.export else {
        return Ok(());
    };
    let path = |ext: &str| x.dir.join(format!("{}{suffix}.{ext}", x.name));
    ffi::write_model(model, &path("mps"))?;
    match start {
        Some(cols) => write_start(&path("start"), cols),
        None => Ok(()),
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
                .map_or(0, |&(m, _)| m)
        })
        .collect()
}

/// A complete column vector for a start plan, auxiliaries set to their least feasible value.
/// `None` when the plan uses a pair that has no variable.
pub fn start_columns(p: &RegionProblem, built: &Built, start: &[usize]) -> Option<Vec<f64>> {
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
    super::c8::start(p, &built.balance, &load, &mut cols);
    for x in super::excess::measure(p, start) {
        let col = built
            .slacks
            .iter()
            .find(|s| s.subject == x.subject && !s.inverted)
            .map(|s| s.col);
        if let Some(c) = col {
            cols[c] = x.amount;
        }
    }
    Some(cols)
}

/// One thread (HiGHS keeps a pool per OS thread and fails if the count changes; the
/// watch's callback state also assumes it), the policy's seed, gap and the time left.
pub fn set_options(
    model: &mut highs::Model,
    seed: u32,
    gap: f64,
    time_limit: f64,
) -> Result<(), String> {
    let rejected = |k: &str| format!("HiGHS rejected option {k}");
    model
        .try_set_option("output_flag", false)
        .map_err(|_| rejected("output_flag"))?;
    model
        .try_set_option("threads", 1)
        .map_err(|_| rejected("threads"))?;
    model
        .try_set_option("random_seed", seed.min(i32::MAX as u32) as i32)
        .map_err(|_| rejected("random_seed"))?;
    model
        .try_set_option("time_limit", time_limit)
        .map_err(|_| rejected("time_limit"))?;
    model
        .try_set_option("mip_rel_gap", gap)
        .map_err(|_| rejected("mip_rel_gap"))?;
    model
        .try_set_option("mip_abs_gap", 1e-6)
        .map_err(|_| rejected("mip_abs_gap"))
}

/// Above this many binaries HiGHS's presolve costs seconds and removes almost nothing on
/// these models (measured: 5.6 s for 7 rows of a 96 000-pair region), so it is skipped.
const NO_PRESOLVE_ABOVE: usize = 30_000;

/// Options that depend on the model: presolve off on large ones; the feasibility-jump
/// heuristic off when HiGHS starts from a plan (it only looks for a first plan).
fn tune(model: &mut highs::Model, binaries: usize, has_start: bool) -> Result<(), String> {
    if binaries > NO_PRESOLVE_ABOVE {
        model
            .try_set_option("presolve", "off")
            .map_err(|_| "HiGHS rejected option presolve".to_string())?;
    }
    if has_start {
        model
            .try_set_option("mip_heuristic_run_feasibility_jump", false)
            .map_err(|_| "HiGHS rejected option mip_heuristic_run_feasibility_jump".to_string())?;
    }
    Ok(())
}

/// Builds the region's HiGHS model and drops it: the model-building cost alone, for benchmarks.
pub fn build_only(p: &RegionProblem) -> Size {
    let cands = candidates(p);
    let built = build(p, cands, &Spec::default());
    let size = built.size();
    drop(built.problem.try_into_inner());
    size
}
