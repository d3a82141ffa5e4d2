//! Solves one region: picks the path (relaxed, priority, priced candidates, the full model) and returns an honest status and bound.

use super::build::Spec;
use super::highs_solve::{solve_once, Once};
use super::lagrange;
use super::lns::lns;
use super::pricing::{self, Priced};
use super::priority::priority;
use super::rules::{self, candidates, candidates_relaxed};
use super::{Certified, ModelStatus, Outcome, Pass, RegionProblem, Run};
use crate::domain::Mode;
use crate::work::{self, Since, Until};

/// Above this many candidate pairs a region is solved on priced candidates (model::pricing).
const PRICE_ABOVE: usize = 150_000;

/// Bytes one candidate pair costs while a model is built (good_lp's expressions and
/// HiGHS's copy), measured on the ladder's regions (models/assignment.md, "Memory").
const BYTES_PER_PAIR: u64 = 600;

/// The most candidate pairs a full model may have: a quarter of the memory available now
/// (regions run side by side), at `BYTES_PER_PAIR`. Above it the full model is never built.
pub fn pair_budget() -> usize {
    let available = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemAvailable:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(8 << 30, |kb| kb * 1024);
    usize::try_from(available / 4 / BYTES_PER_PAIR).unwrap_or(usize::MAX)
}

/// The share of the region's time left when the model starts at which each step hands over
/// to the next. Pricing stops at 60 % of it: on a 3 000-group region with 2 regions on 2
/// cores it needed about 5 s, and at 35 % it was cut off with only the unconverged
/// Lagrangian bound (gap 65 %). The restricted MIP stops at 85 %, the full MIP at 80 %.
const PRICING_SHARE: f64 = 0.6;
/// The whole-group bound from pricing's last duals stops by 70 % (model::lagrange).
const BOUND_SHARE: f64 = 0.7;
const RESTRICTED_SHARE: f64 = 0.85;
const MIP_SHARE: f64 = 0.8;
/// The full model's LP and whole-group bound stop by 30 % (they take well under it).
const WHOLE_SHARE: f64 = 0.3;

/// `share` of the way from `from` (when the model's part of the region's time, or work,
/// began: the engine's local search comes first) to the run's end.
fn at(run: &Run, from: Since, share: f64) -> Until {
    run.until(from, share)
}

/// Solves a region. `start`, when given, is a complete plan (local manager per group) that
/// keeps every hard rule; it seeds HiGHS and is the plan if HiGHS finds nothing better.
/// With [`Pass::Relaxed`], C5–C7 and C10–C12 may be broken at the policy's relaxation
/// penalty (status `Relaxed`).
pub fn solve_region(p: &RegionProblem, start: Option<&[usize]>, pass: Pass, run: &Run) -> Outcome {
    let from = run.since();
    let relaxed_cands;
    let cands: &[Vec<usize>] = match pass {
        Pass::Strict => candidates(p),
        Pass::Relaxed => {
            relaxed_cands = candidates_relaxed(p);
            &relaxed_cands
        }
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
        return relaxed(p, cands, start, run);
    }
    if p.policy.mode == Mode::Priority {
        return priority(p, cands, start, run);
    }
    let pairs: usize = cands.iter().map(Vec::len).sum();
    let budgets = p.policy.change;
    let plain = budgets.max_moved_groups.is_none()
        && budgets.max_moved_members.is_none()
        && budgets.max_book_change.is_none();
    let mut out = if (pairs > PRICE_ABOVE && plain) || pairs > pair_budget() {
        let priced = pricing::priced_candidates(
            p,
            cands,
            start,
            run,
            (at(run, from, PRICING_SHARE), at(run, from, BOUND_SHARE)),
        );
        if priced.bound.is_none() && priced.certified.is_none() && pairs <= pair_budget() {
            outcome(solve_once(
                p,
                cands,
                &Spec::default(),
                start,
                run,
                at(run, from, MIP_SHARE),
                "",
            ))
        } else {
            restricted(p, &priced, start, run, from)
        }
    } else {
        full(p, cands, start, run, from, plain)
    };
    polish(p, cands, run, &mut out);
    out
}

/// The rest of the region's time goes to large-neighbourhood search when the plan is not
/// yet within the gap; the bound stays what HiGHS (or pricing) proved.
fn polish(p: &RegionProblem, cands: &[Vec<usize>], run: &Run, out: &mut Outcome) {
    let gap = run.limits.relative_gap;
    let (Some(plan), ModelStatus::Feasible) = (&out.assignment, &out.status) else {
        return;
    };
    if run.cancelled() {
        return;
    }
    let best = out.best_bound();
    let target = best.map_or(f64::NEG_INFINITY, |b| b + gap * b.abs().max(1.0));
    let better = lns(p, cands, plan.clone(), run, run.end(), target);
    let objective = rules::weighted(p, &better);
    let final_gap = best.map(|b| super::gap(objective, b));
    if final_gap.is_some_and(|g| g <= gap) {
        out.status = ModelStatus::Optimal;
    }
    if final_gap.is_some_and(|g| g <= 0.01) && out.progress.1.is_none() {
        // First seen when the search ended.
        out.progress.1 = Some(run.clock.elapsed().as_secs_f64());
    }
    out.assignment = Some(better);
}

/// The full model. On a plain weighted region its LP relaxation comes first, for the
/// whole-group bound (model::lagrange), which HiGHS's search may not reach in its time.
fn full(
    p: &RegionProblem,
    cands: &[Vec<usize>],
    start: Option<&[usize]>,
    run: &Run,
    from: Since,
    plain: bool,
) -> Outcome {
    let (lp, certified) = plain
        .then(|| whole_bound(p, cands, run, from))
        .flatten()
        .map_or((None, None), |(lp, c)| (Some(lp), c));
    let whole = super::larger(lp, certified.as_ref().map(|c| c.value));
    let spec = Spec {
        outer_bound: whole,
        ..Spec::default()
    };
    let once = solve_once(p, cands, &spec, start, run, at(run, from, MIP_SHARE), "");
    let mut out = outcome(once);
    // The LP's optimum is solver-reported like HiGHS's; the whole-group bound is certified.
    out.bound = super::larger(out.bound, lp);
    out.certified = certified;
    if let (Some(w), Some(a)) = (whole, &out.assignment) {
        let objective = rules::weighted(p, a);
        let within = super::gap(objective, w) <= run.limits.relative_gap;
        if within && out.status == ModelStatus::Feasible {
            out.status = ModelStatus::Optimal;
        }
    }
    out
}

/// The full model's LP and whole-group bound, by `WHOLE_SHARE`. In work mode the LP runs to
/// its end (it is exact, so a rerun repeats it) under the safety stop, and what it and the
/// bound did is counted.
fn whole_bound(
    p: &RegionProblem,
    cands: &[Vec<usize>],
    run: &Run,
    from: Since,
) -> Option<(f64, Option<Certified>)> {
    let until = at(run, from, WHOLE_SHARE);
    let pairs: usize = cands.iter().map(Vec::len).sum();
    let whole = lagrange::lp_bound(p, cands, run, until.clock);
    run.charge(pairs as f64 * (work::PER_PAIR_BUILT + work::PER_PAIR_BOUND));
    // Records a safety stop that cut the LP or the bound short (work mode).
    let _ = run.left(run.end());
    whole
}

fn outcome(once: Once) -> Outcome {
    Outcome {
        status: once.status,
        assignment: once.assignment,
        bound: once.bound,
        certified: None,
        size: once.size,
        stages: vec![],
        relaxations: once.relaxations,
        progress: (once.progress.first_plan, once.progress.one_pct),
    }
}

/// The relaxed model: every plan exists (C2–C4 permitting); its bound is not reported,
/// because the relaxed objective is not the plan's.
fn relaxed(p: &RegionProblem, cands: &[Vec<usize>], start: Option<&[usize]>, run: &Run) -> Outcome {
    let spec = Spec {
        relaxed: true,
        ..Spec::default()
    };
    let once = solve_once(p, cands, &spec, start, run, run.end(), ".relaxed");
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
/// is not, so the region's bound is what pricing proved, raised by the restricted MIP's
/// bound where every left-out pair is too costly to matter: a plan of the full model either
/// uses only kept pairs (then it costs at least the restricted MIP's bound) or uses a
/// left-out pair (then at least the LP optimum plus that pair's reduced cost).
fn restricted(
    p: &RegionProblem,
    priced: &Priced,
    start: Option<&[usize]>,
    run: &Run,
    from: Since,
) -> Outcome {
    let spec = Spec {
        outer_bound: super::larger(priced.bound, priced.certified.as_ref().map(|c| c.value)),
        ..Spec::default()
    };
    let once = solve_once(
        p,
        &priced.kept,
        &spec,
        start,
        run,
        at(run, from, RESTRICTED_SHARE),
        "",
    );
    let raised = match (priced.converged, &once.status, once.bound) {
        (Some((lp, least)), ModelStatus::Optimal | ModelStatus::Feasible, Some(b)) => {
            Some(b.min(lp + least))
        }
        _ => None,
    };
    let bound = super::larger(priced.bound, raised);
    let best = super::larger(bound, priced.certified.as_ref().map(|c| c.value));
    let status = match (&once.status, &once.assignment) {
        (ModelStatus::Optimal | ModelStatus::Feasible, Some(a)) => {
            let objective = rules::weighted(p, a);
            let within = best.is_some_and(|b| super::gap(objective, b) <= run.limits.relative_gap);
            if within {
                ModelStatus::Optimal
            } else {
                ModelStatus::Feasible
            }
        }
        (other, _) => other.clone(),
    };
    Outcome {
        status,
        bound,
        certified: priced.certified.clone(),
        ..outcome(once)
    }
}
