//! The start HiGHS gets: the repaired (or warm) layout improved by descent, annealing and descent again, within a share of the region's time.
//!
//! On these regions HiGHS proves bounds well but finds good plans slowly; the annealer finds
//! in a few seconds plans that HiGHS does not reach in minutes (models/assignment.md,
//! "Local search"). HiGHS then starts from that plan, with the rest of the time for its
//! bound and for plans better still.

use crate::anneal::anneal;
use crate::improve::{improve, searchable};
use starplan_model::work::{self, Until};
use starplan_model::{RegionProblem, Run};

/// The share of the region's time the start may take (descent, annealing, descent). At 40 %
/// a 3 000-group region's pricing (which comes after) did not converge and its gap was 19 %;
/// at 30 % it converged (5 %) and its plan was 1.5 % worse.
const SHARE: f64 = 0.3;
/// The share the first descent may take.
const DESCENT_SHARE: f64 = 0.1;
/// Annealing steps per group: beyond about this many the plans of the ladder's 500- to
/// 2 000-group regions stop improving (models/assignment.md, "Local search").
const STEPS_PER_GROUP: u64 = 20_000;
/// Steps per second of the start's share the annealing plans for: under what this
/// workplace's 2-core machine does (3–4 million a second), so that the step count, not the
/// clock, ends it and equal inputs give equal plans; on a slower or busier machine the
/// clock ends it, and the schedule cools on the clock instead.
const STEPS_PER_SECOND: f64 = 3.0e6;
/// At most this many candidate pairs, HiGHS solves the region's MIP outright in
/// milliseconds, and annealing (20 000 steps per group, whatever the size) only costs time:
/// it was over a third of the time of a province of 2–8-group regions (perf; BENCHMARKS.md,
/// "Many small regions"). Such regions get descent alone.
const ANNEAL_ABOVE_PAIRS: usize = 64;

/// `plan` (complete, every hard rule kept) improved by descent alone, within the first
/// descent's share: for a warm start, which a base solve annealed already (annealing it
/// again took 30 % of each re-solved region's time, and what-if 1.44× → 1.87× the base).
pub fn descended_start(p: &RegionProblem, plan: Vec<usize>, run: &Run) -> Vec<usize> {
    let until = run.within(run.budget() * DESCENT_SHARE, run.end());
    descend(p, plan, run, until)
}

/// Descent until `until`; in work mode each group it looks at is counted (its candidates,
/// and the swaps with their books). The candidates are computed here when no step before
/// did: counting none would leave descent to the safety stop.
fn descend(p: &RegionProblem, plan: Vec<usize>, run: &Run, until: Until) -> Vec<usize> {
    let pairs: usize = starplan_model::rules::candidates(p)
        .iter()
        .map(Vec::len)
        .sum();
    // Per group: its candidates for a move, and for a swap every group of each candidate's
    // book (about groups / managers of them).
    let (groups, managers) = (p.groups.len().max(1) as f64, p.managers.len().max(1) as f64);
    let per_pair = work::PER_PAIR_LOOKED + groups / managers * work::PER_SWAP_LOOKED;
    let per_group = pairs as f64 / groups * per_pair;
    improve(p, plan, &|| {
        run.charge(per_group);
        run.passed(until)
    })
}

/// `plan` (complete, every hard rule kept) improved by local search; never worse.
pub fn improved_start(p: &RegionProblem, plan: Vec<usize>, run: &Run) -> Vec<usize> {
    if !searchable(p) {
        return plan;
    }
    let limit = run.budget();
    let from = run.since();
    let by = |share: f64| after(run, from, limit * share);
    let until = by(SHARE);
    let plan = descended_start(p, plan, run);
    let pairs: usize = starplan_model::rules::candidates(p)
        .iter()
        .map(Vec::len)
        .sum();
    if pairs <= ANNEAL_ABOVE_PAIRS {
        return plan;
    }
    let groups = u64::try_from(p.groups.len()).unwrap_or(u64::MAX);
    // Whole steps: the product of two finite, non-negative numbers, truncated.
    let by_clock = (limit * SHARE * STEPS_PER_SECOND) as u64;
    let steps = groups.saturating_mul(STEPS_PER_GROUP).min(by_clock);
    let seed = u64::from(run.limits.seed);
    // In work mode the steps alone end it (the clock only as the safety stop) and they
    // are counted.
    let counted = run.counted().is_some();
    let plan = anneal(p, plan, steps, seed, until.clock, !counted, &|| {
        run.cancelled()
    });
    run.charge(steps as f64 * work::PER_STEP);
    let _ = run.left(run.end());
    // The annealer's plan is a local optimum at levels a step behind; descent with fresh
    // levels finishes it, with a little time of its own.
    let last = by(SHARE + 0.05);
    descend(p, plan, run, last)
}

/// `amount` (seconds, or in work mode units of work) after `from`, never past the region's
/// end.
fn after(run: &Run, from: work::Since, amount: f64) -> Until {
    let end = run.end();
    match run.counted() {
        Some(_) => Until {
            clock: end.clock,
            work: (from.work + amount).min(end.work),
        },
        None => Until {
            clock: (from.clock + std::time::Duration::from_secs_f64(amount)).min(end.clock),
            work: f64::INFINITY,
        },
    }
}
