//! A primal layer: local search (single moves, then swaps) on a complete plan, with exact objective deltas at fixed pool levels, before HiGHS starts.

use starplan_model::balance::{pools, Shape};
use starplan_model::domain::Mode;
use starplan_model::rules::{self, candidates};
use starplan_model::RegionProblem;

/// The plan's per-manager totals and what a move may change, with C8's pool levels held
/// fixed between passes. At fixed levels every delta is exact, and re-optimising the levels
/// afterwards can only lower C8, so the search never makes the plan worse.
struct State<'a> {
    p: &'a RegionProblem<'a>,
    shape: Shape,
    count: Vec<f64>,
    members: Vec<f64>,
    load: Vec<f64>,
    /// Per manager: its pool (an index of `pools`), when it is limited.
    pool_of: Vec<Option<usize>>,
    pools: Vec<Vec<usize>>,
    levels: Vec<f64>,
}

impl<'a> State<'a> {
    fn new(p: &'a RegionProblem<'a>, plan: &[usize]) -> State<'a> {
        let n = p.managers.len();
        let (mut count, mut members, mut load) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        for (g, &m) in plan.iter().enumerate() {
            count[m] += 1.0;
            members[m] += f64::from(p.groups[g].members);
            load[m] += work(p, g);
        }
        let pools: Vec<Vec<usize>> = pools(p).into_iter().map(|(_, ms)| ms).collect();
        let mut pool_of = vec![None; n];
        for (k, ms) in pools.iter().enumerate() {
            for &m in ms {
                pool_of[m] = Some(k);
            }
        }
        let mut s = State {
            p,
            shape: Shape::of(p),
            count,
            members,
            load,
            pool_of,
            pools,
            levels: Vec::new(),
        };
        s.refresh_levels();
        s
    }

    fn refresh_levels(&mut self) {
        self.levels = self
            .pools
            .iter()
            .map(|ms| self.shape.best_level(self.p, ms, &self.load).0)
            .collect();
    }

    /// C7's soft part for `m` holding `x` members.
    fn excess(&self, m: usize, x: f64) -> f64 {
        if self.p.managers[m].available {
            (x - rules::c7_span_target(self.p, m)).max(0.0)
        } else {
            0.0
        }
    }

    /// C8's cost of `m` working `x` hours, at its pool's current level.
    fn dev(&self, m: usize, x: f64) -> f64 {
        self.pool_of[m].map_or(0.0, |k| {
            let c = self.p.managers[m].capacity;
            self.shape
                .penalty(x - self.levels[k] * self.shape.hours * c, c)
        })
    }

    /// The change of C7 and C8 (weighted) when `m`'s members and hours change by `dn`, `dw`.
    fn shift(&self, m: usize, dn: f64, dw: f64) -> f64 {
        let w = self.p.policy.weights;
        w.span * (self.excess(m, self.members[m] + dn) - self.excess(m, self.members[m]))
            + w.balance * (self.dev(m, self.load[m] + dw) - self.dev(m, self.load[m]))
    }

    /// C5 and C9 (weighted) of group `g` on manager `m`.
    fn own(&self, g: usize, m: usize) -> f64 {
        let p = self.p;
        let grp = &p.groups[g];
        let pen = p
            .policy
            .penalty(p.managers[m].star, grp.class)
            .unwrap_or(0.0);
        let moved = if grp.current.is_some_and(|c| c != m) {
            p.policy.move_cost(grp.class, grp.members)
        } else {
            0.0
        };
        p.policy.weights.eligibility * pen + p.policy.weights.moves * moved
    }

    /// C6, C7 and C13 still hold for `m` after the change.
    fn fits(&self, m: usize, dc: f64, dn: f64, dw: f64) -> bool {
        let p = self.p;
        !rules::limited(p, m)
            || (self.count[m] + dc <= rules::c6_max_groups(p, m)
                && self.members[m] + dn <= rules::c7_span_max(p, m) + 1e-9
                && self.load[m] + dw <= rules::c13_hours_cap(p, m) + 1e-9)
    }

    fn shift_totals(&mut self, m: usize, dc: f64, dn: f64, dw: f64) {
        self.count[m] += dc;
        self.members[m] += dn;
        self.load[m] += dw;
    }
}

fn work(p: &RegionProblem, g: usize) -> f64 {
    p.policy.workload(p.groups[g].class, p.groups[g].members)
}

/// Improves a complete plan that keeps every hard rule by moving one group at a time, then
/// swapping pairs, while the weighted objective falls and C2–C7, C12 and C13 hold, until no
/// step helps or `stop` says so (the time is up, or the run was cancelled). HiGHS then starts from a far better plan: on large regions
/// it spends its time on the LP and cuts and finds better plans only slowly.
///
/// Weighted mode without move budgets only (C10/C11 couple all groups; priority mode has
/// its own stages): otherwise the plan is returned unchanged.
pub fn improve(p: &RegionProblem, mut plan: Vec<usize>, stop: &dyn Fn() -> bool) -> Vec<usize> {
    let c = p.policy.change;
    if p.policy.mode != Mode::Weighted
        || c.max_moved_groups.is_some()
        || c.max_moved_members.is_some()
        || c.max_book_change.is_some()
    {
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
        let (n1, w1) = (f64::from(p.groups[g1].members), work(p, g1));
        let mut best: (f64, usize, usize) = (-1e-7, usize::MAX, 0);
        for &b in cands[g1].iter().filter(|&&b| b != a) {
            for (k, &g2) in book[b].iter().enumerate() {
                if cands[g2].binary_search(&a).is_err() {
                    continue;
                }
                let (n2, w2) = (f64::from(p.groups[g2].members), work(p, g2));
                if !s.fits(a, 0.0, n2 - n1, w2 - w1) || !s.fits(b, 0.0, n1 - n2, w1 - w2) {
                    continue;
                }
                let delta = s.own(g1, b) + s.own(g2, a) - s.own(g1, a) - s.own(g2, b)
                    + s.shift(a, n2 - n1, w2 - w1)
                    + s.shift(b, n1 - n2, w1 - w2);
                if delta < best.0 {
                    best = (delta, b, k);
                }
            }
        }
        if best.1 != usize::MAX {
            let (b, k) = (best.1, best.2);
            let g2 = book[b][k];
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
    use crate::{region_problem, repaired_start};
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
            let cands = candidates(&p);
            for (g, &m) in better.iter().enumerate() {
                assert!(
                    cands[g].contains(&m),
                    "seed {seed}: group {g} on a pair that is not allowed"
                );
            }
            for m in (0..p.managers.len()).filter(|&m| rules::limited(&p, m)) {
                let mine: Vec<usize> = (0..better.len()).filter(|&g| better[g] == m).collect();
                let members: f64 = mine.iter().map(|&g| f64::from(p.groups[g].members)).sum();
                let hours: f64 = mine.iter().map(|&g| work(&p, g)).sum();
                assert!(
                    mine.len() as f64 <= rules::c6_max_groups(&p, m),
                    "seed {seed}: C6 at {m}"
                );
                assert!(
                    members <= rules::c7_span_max(&p, m) + 1e-9,
                    "seed {seed}: C7 at {m}"
                );
                assert!(
                    hours <= rules::c13_hours_cap(&p, m) + 1e-9,
                    "seed {seed}: C13 at {m}"
                );
            }
        }
    }
}
