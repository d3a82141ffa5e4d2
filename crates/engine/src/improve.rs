//! A primal layer: local search (single moves, then swaps) on a complete plan, with exact objective deltas, before HiGHS starts.

use starplan_model::rules::{self, candidates};
use starplan_model::RegionProblem;
use std::time::Instant;

/// Improves a complete plan that keeps every hard rule by moving one group at a time to the
/// candidate manager that lowers the weighted objective most, while C6 and C7 hold, until no
/// move helps or `until` passes. HiGHS then starts from a far better plan: on large regions
/// it spends its time on the LP and cuts and finds better plans only slowly.
///
/// Weighted mode without move budgets only (C10/C11 couple all groups; priority mode has
/// its own stages): otherwise the plan is returned unchanged.
pub fn improve(p: &RegionProblem, mut plan: Vec<usize>, until: Instant) -> Vec<usize> {
    let c = p.policy.change;
    if p.policy.mode != starplan_model::domain::Mode::Weighted
        || c.max_moved_groups.is_some()
        || c.max_moved_members.is_some()
        || c.max_book_change.is_some()
    {
        return plan;
    }
    let cands = candidates(p);
    let n = p.managers.len();
    let w = p.policy.weights;
    let band = rules::c8_band(p);
    let (mut count, mut members, mut load) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for (g, &m) in plan.iter().enumerate() {
        count[m] += 1.0;
        members[m] += f64::from(p.groups[g].members);
        load[m] += p.policy.workload(p.groups[g].class, p.groups[g].members);
    }
    let limits: Vec<(bool, f64, f64, f64)> = (0..n)
        .map(|m| {
            (
                rules::limited(p, m),
                rules::c6_max_groups(p, m),
                rules::c7_span_max(p, m),
                rules::c7_span_target(p, m),
            )
        })
        .collect();
    let excess = |m: usize, x: f64| {
        if p.managers[m].available {
            (x - limits[m].3).max(0.0)
        } else {
            0.0
        }
    };
    let dev = |m: usize, x: f64| band[m].map_or(0.0, |(lo, hi)| (x - hi).max(lo - x).max(0.0));
    let own = |g: usize, m: usize| {
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
        w.eligibility * pen + w.moves * moved
    };
    loop {
        let mut improved = false;
        for g in 0..plan.len() {
            if Instant::now() >= until {
                return plan;
            }
            let a = plan[g];
            let (ng, wg) = (
                f64::from(p.groups[g].members),
                p.policy.workload(p.groups[g].class, p.groups[g].members),
            );
            let leave = w.span * (excess(a, members[a] - ng) - excess(a, members[a]))
                + w.balance * (dev(a, load[a] - wg) - dev(a, load[a]));
            let mut best = (-1e-7, a);
            for &b in &cands[g] {
                if b == a
                    || (limits[b].0
                        && (count[b] + 1.0 > limits[b].1 || members[b] + ng > limits[b].2 + 1e-9))
                {
                    continue;
                }
                let join = w.span * (excess(b, members[b] + ng) - excess(b, members[b]))
                    + w.balance * (dev(b, load[b] + wg) - dev(b, load[b]));
                let delta = own(g, b) - own(g, a) + leave + join;
                if delta < best.0 {
                    best = (delta, b);
                }
            }
            let b = best.1;
            if b != a {
                plan[g] = b;
                count[a] -= 1.0;
                count[b] += 1.0;
                members[a] -= ng;
                members[b] += ng;
                load[a] -= wg;
                load[b] += wg;
                improved = true;
            }
        }
        // Swaps: two groups of two managers trade places, which single moves cannot do when
        // a manager is at its C6 or C7 limit.
        let mut book: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (g, &m) in plan.iter().enumerate() {
            book[m].push(g);
        }
        for g1 in 0..plan.len() {
            if Instant::now() >= until {
                return plan;
            }
            let a = plan[g1];
            let (n1, w1) = (
                f64::from(p.groups[g1].members),
                p.policy.workload(p.groups[g1].class, p.groups[g1].members),
            );
            let mut best: (f64, usize, usize) = (-1e-7, usize::MAX, 0);
            for &b in cands[g1].iter().filter(|&&b| b != a) {
                for (k, &g2) in book[b].iter().enumerate() {
                    if cands[g2].binary_search(&a).is_err() {
                        continue;
                    }
                    let (n2, w2) = (
                        f64::from(p.groups[g2].members),
                        p.policy.workload(p.groups[g2].class, p.groups[g2].members),
                    );
                    let (ma, mb) = (members[a] - n1 + n2, members[b] - n2 + n1);
                    if (limits[a].0 && ma > limits[a].2 + 1e-9)
                        || (limits[b].0 && mb > limits[b].2 + 1e-9)
                    {
                        continue;
                    }
                    let (la, lb) = (load[a] - w1 + w2, load[b] - w2 + w1);
                    let delta = own(g1, b) + own(g2, a) - own(g1, a) - own(g2, b)
                        + w.span
                            * (excess(a, ma) - excess(a, members[a]) + excess(b, mb)
                                - excess(b, members[b]))
                        + w.balance * (dev(a, la) - dev(a, load[a]) + dev(b, lb) - dev(b, load[b]));
                    if delta < best.0 {
                        best = (delta, b, k);
                    }
                }
            }
            if best.1 != usize::MAX {
                let (b, k) = (best.1, best.2);
                let g2 = book[b][k];
                let (n2, w2) = (
                    f64::from(p.groups[g2].members),
                    p.policy.workload(p.groups[g2].class, p.groups[g2].members),
                );
                plan[g1] = b;
                plan[g2] = a;
                book[b][k] = g1;
                let i = book[a]
                    .iter()
                    .position(|&x| x == g1)
                    .expect("g1 is in its manager's book");
                book[a][i] = g2;
                members[a] += n2 - n1;
                members[b] += n1 - n2;
                load[a] += w2 - w1;
                load[b] += w1 - w2;
                improved = true;
            }
        }
        if !improved {
            return plan;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::to_instance;
    use crate::{region_problem, repaired_start};

    #[test]
    fn never_worsens_and_keeps_the_hard_limits() {
        for seed in [1, 2, 3] {
            let inst = to_instance(&starplan_format::generate::province(seed, 1, 400, Some(40)));
            let (p, _) = region_problem(&inst, 0);
            let Some(start) = repaired_start(&p) else {
                continue;
            };
            let cost = |a: &[usize]| rules::weighted(&p, a);
            let better = improve(
                &p,
                start.clone(),
                Instant::now() + std::time::Duration::from_secs(5),
            );
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
                assert!(
                    mine.len() as f64 <= rules::c6_max_groups(&p, m),
                    "seed {seed}: C6 at {m}"
                );
                assert!(
                    members <= rules::c7_span_max(&p, m) + 1e-9,
                    "seed {seed}: C7 at {m}"
                );
            }
        }
    }
}
