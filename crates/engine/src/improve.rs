//! A primal layer: local search (single moves, then swaps) on a complete plan, with exact objective deltas at fixed pool levels, before HiGHS starts.

use crate::totals::{work, State};
use starplan_model::domain::Mode;
use starplan_model::rules::candidates;
use starplan_model::RegionProblem;

/// Improves a complete plan that keeps every hard rule by moving one group at a time, then
/// swapping pairs, while the weighted objective falls and C2–C7, C12 and C13 hold, until no
/// step helps or `stop` says so (the time is up, or the run was cancelled). HiGHS then starts from a far better plan: on large regions
/// it spends its time on the LP and cuts and finds better plans only slowly.
///
/// Weighted mode without move budgets only (C10/C11 couple all groups; priority mode has
/// its own stages): otherwise the plan is returned unchanged.
pub fn improve(p: &RegionProblem, mut plan: Vec<usize>, stop: &dyn Fn() -> bool) -> Vec<usize> {
    if !searchable(p) {
        return plan;
    }
    let cands = candidates(p);
    let mut s = State::new(p, &plan);
    loop {
        let moved = moves(&mut s, cands, &mut plan, stop);
        let swapped = swaps(&mut s, cands, &mut plan, stop);
        s.refresh_levels();
        if !(moved || swapped) || stop() {
            return plan;
        }
    }
}

/// Local search applies: weighted mode, no move budgets (C10/C11 couple all groups, and
/// priority mode has its own stages).
pub fn searchable(p: &RegionProblem) -> bool {
    let c = p.policy.change;
    p.policy.mode == Mode::Weighted
        && c.max_moved_groups.is_none()
        && c.max_moved_members.is_none()
        && c.max_book_change.is_none()
}

/// One pass of single moves, each to the candidate that lowers the objective most.
fn moves(s: &mut State, cands: &[Vec<usize>], plan: &mut [usize], stop: &dyn Fn() -> bool) -> bool {
    let p = s.p;
    let mut improved = false;
    for g in 0..plan.len() {
        if stop() {
            return improved;
        }
        let a = plan[g];
        let (ng, wg) = (f64::from(p.groups[g].members), work(p, g));
        let leave = s.shift(a, -ng, -wg) - s.own(g, a);
        let mut best = (-1e-7, a);
        for &b in cands[g]
            .iter()
            .filter(|&&b| b != a && s.fits(b, 1.0, ng, wg))
        {
            let delta = s.own(g, b) + leave + s.shift(b, ng, wg);
            if delta < best.0 {
                best = (delta, b);
            }
        }
        let b = best.1;
        if b != a {
            plan[g] = b;
            s.shift_totals(a, -1.0, -ng, -wg);
            s.shift_totals(b, 1.0, ng, wg);
            improved = true;
        }
    }
    improved
}

/// One pass of swaps: two groups of two managers trade places, which single moves cannot
/// do when a manager is at a C6, C7 or C13 limit.
fn swaps(s: &mut State, cands: &[Vec<usize>], plan: &mut [usize], stop: &dyn Fn() -> bool) -> bool {
    let p = s.p;
    let mut book: Vec<Vec<usize>> = vec![Vec::new(); p.managers.len()];
    for (g, &m) in plan.iter().enumerate() {
        book[m].push(g);
    }
    let mut improved = false;
    for g1 in 0..plan.len() {
        if stop() {
            return improved;
        }
        let a = plan[g1];
        let mut best: (f64, usize, usize) = (-1e-7, usize::MAX, 0);
        for &b in cands[g1].iter().filter(|&&b| b != a) {
            for (k, &g2) in book[b].iter().enumerate() {
                if cands[g2].binary_search(&a).is_err() {
                    continue;
                }
                if let Some(delta) = s.swap_delta(g1, a, g2, b) {
                    if delta < best.0 {
                        best = (delta, b, k);
                    }
                }
            }
        }
        if best.1 != usize::MAX {
            let (b, k) = (best.1, best.2);
            let g2 = book[b][k];
            let (n1, w1) = (f64::from(p.groups[g1].members), work(p, g1));
            let (n2, w2) = (f64::from(p.groups[g2].members), work(p, g2));
            plan[g1] = b;
            plan[g2] = a;
            book[b][k] = g1;
            if let Some(i) = book[a].iter().position(|&x| x == g1) {
                book[a][i] = g2;
            }
            s.shift_totals(a, 0.0, n2 - n1, w2 - w1);
            s.shift_totals(b, 0.0, n1 - n2, w1 - w2);
            improved = true;
        }
    }
    improved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::to_instance;
    use crate::totals::assert_keeps_limits;
    use crate::{region_problem, repaired_start};
    use starplan_model::rules;
    use std::time::Instant;

    #[test]
    fn never_worsens_and_keeps_the_hard_limits() {
        for seed in [1, 2, 3] {
            let inst = to_instance(&starplan_format::generate::province(seed, 1, 400, Some(40)));
            let (p, _) = region_problem(&inst, 0);
            let Some(start) = repaired_start(&p) else {
                continue;
            };
            let cost = |a: &[usize]| rules::weighted(&p, a);
            let until = Instant::now() + std::time::Duration::from_secs(5);
            let better = improve(&p, start.clone(), &|| Instant::now() >= until);
            assert!(cost(&better) <= cost(&start) + 1e-9, "seed {seed}");
            assert_keeps_limits(&p, &better, &format!("seed {seed}"));
        }
    }
}
