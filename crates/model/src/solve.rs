//! Solves one region: picks the path (relaxed, priority, priced candidates, the full model) and returns an honest status and bound.

use super::build::Spec;
use super::highs_solve::{solve_once, Once};
use super::pricing;
use super::priority::priority;
use super::rules::{self, candidates, candidates_relaxed};
use super::{ModelStatus, Outcome, Pass, RegionProblem, Run};
use crate::domain::Mode;

/// Above this many candidate pairs a region is solved on priced candidates (model::pricing).
const PRICE_ABOVE: usize = 150_000;

/// Solves a region. `start`, when given, is a complete plan (local manager per group) that
/// keeps every hard rule; it seeds HiGHS and is the plan if HiGHS finds nothing better.
/// With [`Pass::Relaxed`], C5–C7 and C10–C12 may be broken at the policy's relaxation
/// penalty (status `Relaxed`).
pub fn solve_region(p: &RegionProblem, start: Option<&[usize]>, pass: Pass, run: &Run) -> Outcome {
    let cands = match pass {
        Pass::Strict => candidates(p),
        Pass::Relaxed => candidates_relaxed(p),
    };
    if let Some(g) = cands.iter().position(Vec::is_empty) {
        return Outcome::empty(ModelStatus::Infeasible(format!(
            "group {} (class {}) has no manager it may end with",
            p.groups[g].id,
            p.groups[g].class.letter()
        )));
    }
    if p.groups.is_empty() {
        return Outcome {
            assignment: Some(vec![]),
            bound: Some(0.0),
            ..Outcome::empty(ModelStatus::Optimal)
        };
    }
    if pass == Pass::Relaxed {
        return relaxed(p, &cands, run);
    }
    if p.policy.mode == Mode::Priority {
        return priority(p, &cands, start, run);
    }
    let pairs: usize = cands.iter().map(Vec::len).sum();
    let budgets = p.policy.change;
    let plain = budgets.max_moved_groups.is_none()
        && budgets.max_moved_members.is_none()
        && budgets.max_book_change.is_none();
    if pairs > PRICE_ABOVE && plain {
        if let Some((kept, lp)) = pricing::priced_candidates(p, &cands, start, run) {
            return restricted(p, &kept, lp, start, run);
        }
    }
    let once = solve_once(p, &cands, &Spec::default(), start, run, run.deadline(), "");
    outcome(once)
}

fn outcome(once: Once) -> Outcome {
    Outcome {
        status: once.status,
        assignment: once.assignment,
        bound: once.bound,
        size: once.size,
        stages: vec![],
        relaxations: once.relaxations,
        progress: (once.progress.first_plan, once.progress.one_pct),
    }
}

/// The relaxed model: every plan exists (C2–C4 permitting); its bound is not reported,
/// because the relaxed objective is not the plan's.
fn relaxed(p: &RegionProblem, cands: &[Vec<usize>], run: &Run) -> Outcome {
    let spec = Spec {
        relaxed: true,
        ..Spec::default()
    };
    let once = solve_once(p, cands, &spec, None, run, run.deadline(), ".relaxed");
    let status = if once.assignment.is_some() {
        ModelStatus::Relaxed
    } else {
        once.status.clone()
    };
    Outcome {
        status,
        bound: None,
        progress: (None, None),
        ..outcome(once)
    }
}

/// The MIP on a priced candidate set. Its plans are plans of the full model; its own bound
/// is not, so the bound is the priced LP optimum, valid for every plan of the full model.
fn restricted(
    p: &RegionProblem,
    kept: &[Vec<usize>],
    lp: f64,
    start: Option<&[usize]>,
    run: &Run,
) -> Outcome {
    let spec = Spec {
        outer_bound: Some(lp),
        ..Spec::default()
    };
    let once = solve_once(p, kept, &spec, start, run, run.deadline(), "");
    let status = match (&once.status, &once.assignment) {
        (ModelStatus::Optimal | ModelStatus::Feasible, Some(a)) => {
            let objective = rules::weighted(p, a);
            if (objective - lp) / objective.abs().max(1.0) <= run.limits.relative_gap {
                ModelStatus::Optimal
            } else {
                ModelStatus::Feasible
            }
        }
        (other, _) => other.clone(),
    };
    Outcome {
        status,
        bound: Some(lp),
        ..outcome(once)
    }
}
