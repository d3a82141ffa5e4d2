//! A plan's per-manager totals (groups, members, hours) and the exact weighted change of moving groups, at fixed C8 pool levels: the arithmetic every local search shares.

use starplan_model::balance::{pools, Shape};
use starplan_model::rules;
use starplan_model::RegionProblem;

/// The plan's per-manager totals and what a move may change, with C8's pool levels held
/// fixed between passes. At fixed levels every delta is exact, and re-optimising the levels
/// afterwards can only lower C8, so the search never makes the plan worse.
pub(crate) struct State<'a> {
    pub(crate) p: &'a RegionProblem<'a>,
    pub(crate) shape: Shape,
    pub(crate) count: Vec<f64>,
    pub(crate) members: Vec<f64>,
    pub(crate) load: Vec<f64>,
    /// Per manager: its pool (an index of `pools`), when it is limited.
    pub(crate) pool_of: Vec<Option<usize>>,
    pub(crate) pools: Vec<Vec<usize>>,
    pub(crate) levels: Vec<f64>,
}

impl<'a> State<'a> {
    pub(crate) fn new(p: &'a RegionProblem<'a>, plan: &[usize]) -> State<'a> {
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

    pub(crate) fn refresh_levels(&mut self) {
        self.levels = self
            .pools
            .iter()
            .map(|ms| self.shape.best_level(self.p, ms, &self.load).0)
            .collect();
    }

    /// C7's soft part for `m` holding `x` members.
    pub(crate) fn excess(&self, m: usize, x: f64) -> f64 {
        if self.p.managers[m].available {
            (x - rules::c7_span_target(self.p, m)).max(0.0)
        } else {
            0.0
        }
    }

    /// C8's cost of `m` working `x` hours, at its pool's current level.
    pub(crate) fn dev(&self, m: usize, x: f64) -> f64 {
        self.pool_of[m].map_or(0.0, |k| {
            let c = self.p.managers[m].capacity;
            self.shape
                .penalty(x - self.levels[k] * self.shape.hours * c, c)
        })
    }

    /// The change of C7 and C8 (weighted) when `m`'s members and hours change by `dn`, `dw`.
    pub(crate) fn shift(&self, m: usize, dn: f64, dw: f64) -> f64 {
        let w = self.p.policy.weights;
        w.span * (self.excess(m, self.members[m] + dn) - self.excess(m, self.members[m]))
            + w.balance * (self.dev(m, self.load[m] + dw) - self.dev(m, self.load[m]))
    }

    /// C5 and C9 (weighted) of group `g` on manager `m`.
    pub(crate) fn own(&self, g: usize, m: usize) -> f64 {
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
    pub(crate) fn fits(&self, m: usize, dc: f64, dn: f64, dw: f64) -> bool {
        let p = self.p;
        !rules::limited(p, m)
            || (self.count[m] + dc <= rules::c6_max_groups(p, m)
                && self.members[m] + dn <= rules::c7_span_max(p, m) + 1e-9
                && self.load[m] + dw <= rules::c13_hours_cap(p, m) + 1e-9)
    }

    /// The weighted change of moving `g` from `from` to `to`, or `None` when `to` would
    /// break C6, C7 or C13.
    pub(crate) fn move_delta(&self, g: usize, from: usize, to: usize) -> Option<f64> {
        let (n, w) = (f64::from(self.p.groups[g].members), work(self.p, g));
        self.fits(to, 1.0, n, w).then(|| {
            self.own(g, to) - self.own(g, from) + self.shift(from, -n, -w) + self.shift(to, n, w)
        })
    }

    /// The weighted change of `g1` (on `a`) and `g2` (on `b`) trading managers, or `None`
    /// when either manager would break C6, C7 or C13.
    pub(crate) fn swap_delta(&self, g1: usize, a: usize, g2: usize, b: usize) -> Option<f64> {
        let p = self.p;
        let (n1, w1) = (f64::from(p.groups[g1].members), work(p, g1));
        let (n2, w2) = (f64::from(p.groups[g2].members), work(p, g2));
        if !self.fits(a, 0.0, n2 - n1, w2 - w1) || !self.fits(b, 0.0, n1 - n2, w1 - w2) {
            return None;
        }
        Some(
            self.own(g1, b) + self.own(g2, a) - self.own(g1, a) - self.own(g2, b)
                + self.shift(a, n2 - n1, w2 - w1)
                + self.shift(b, n1 - n2, w1 - w2),
        )
    }

    pub(crate) fn shift_totals(&mut self, m: usize, dc: f64, dn: f64, dw: f64) {
        self.count[m] += dc;
        self.members[m] += dn;
        self.load[m] += dw;
    }
}

pub(crate) fn work(p: &RegionProblem, g: usize) -> f64 {
    p.policy.workload(p.groups[g].class, p.groups[g].members)
}

/// Test support: `plan` uses allowed pairs only and keeps every manager within C6, C7 and C13.
#[cfg(test)]
pub(crate) fn assert_keeps_limits(p: &RegionProblem, plan: &[usize], label: &str) {
    let cands = rules::candidates(p);
    for (g, &m) in plan.iter().enumerate() {
        assert!(
            cands[g].contains(&m),
            "{label}: group {g} on a pair that is not allowed"
        );
    }
    for m in (0..p.managers.len()).filter(|&m| rules::limited(p, m)) {
        let mine: Vec<usize> = (0..plan.len()).filter(|&g| plan[g] == m).collect();
        let members: f64 = mine.iter().map(|&g| f64::from(p.groups[g].members)).sum();
        let hours: f64 = mine.iter().map(|&g| work(p, g)).sum();
        assert!(
            mine.len() as f64 <= rules::c6_max_groups(p, m),
            "{label}: C6 at {m}"
        );
        assert!(
            members <= rules::c7_span_max(p, m) + 1e-9,
            "{label}: C7 at {m}"
        );
        assert!(
            hours <= rules::c13_hours_cap(p, m) + 1e-9,
            "{label}: C13 at {m}"
        );
    }
}
