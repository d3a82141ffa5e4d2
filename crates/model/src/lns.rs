//! Large-neighbourhood search with HiGHS: free the groups of a few managers, fix every other group where the plan has it, solve that small MIP from the plan, keep what is better; until the deadline.
//!
//! HiGHS proves bounds well on these models but finds better plans slowly on large ones; a
//! sub-MIP over a few managers is solved to optimality in a fraction of a second, so many
//! neighbourhoods fit in the time a region has left. The bound of the region does not come
//! from here: a neighbourhood's bound says nothing about the whole region.

use super::balance::pools;
use super::build::Spec;
use super::highs_solve::solve_once;
use super::rules;
use super::work::Until;
use super::{RegionProblem, Run};

/// Managers freed at once, and the time (in work mode the work) one neighbourhood may take.
const FREE_MANAGERS: usize = 6;
const SLICE: f64 = 1.5;
/// No neighbourhood is started with less than this left.
const LEAST: f64 = 0.1;

/// A small deterministic generator (xorshift), seeded from the policy's seed, so that the
/// same run picks the same neighbourhoods.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Improves `plan` (which keeps every hard rule) until `deadline`, `target` (an objective
/// at which to stop, e.g. bound × (1 + gap)) or a run of neighbourhoods without gain.
pub fn lns(
    p: &RegionProblem,
    cands: &[Vec<usize>],
    mut plan: Vec<usize>,
    run: &Run,
    deadline: Until,
    target: f64,
) -> Vec<usize> {
    let n = p.managers.len();
    let movable: Vec<usize> = (0..n).filter(|&m| rules::limited(p, m)).collect();
    if movable.len() < 2 {
        return plan;
    }
    // Neighbourhoods are not the region's model: nothing of them is exported.
    let run = &Run {
        export: None,
        ..*run
    };
    let mut best = rules::weighted(p, &plan);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ u64::from(run.limits.seed));
    let mut idle = 0;
    let mut round = 0usize;
    while run.left(deadline) > LEAST && best > target && idle < 4 * movable.len() {
        round += 1;
        let free = neighbourhood(p, &plan, &movable, &mut rng, round);
        let sub: Vec<Vec<usize>> = (0..plan.len())
            .map(|g| {
                if free.contains(&plan[g]) {
                    cands[g]
                        .iter()
                        .copied()
                        .filter(|m| free.contains(m))
                        .collect()
                } else {
                    vec![plan[g]]
                }
            })
            .collect();
        let until = run.within(SLICE, deadline);
        let once = solve_once(p, &sub, &Spec::default(), Some(&plan), run, until, "");
        if let Some(a) = once.assignment {
            let cost = rules::weighted(p, &a);
            if cost < best - 1e-7 * best.abs().max(1.0) {
                best = cost;
                plan = a;
                idle = 0;
                continue;
            }
        }
        idle += 1;
    }
    plan
}

/// A few managers whose groups may be exchanged: alternately the most and least loaded
/// managers of one grade pool (where evening out pays), and a random manager with the
/// managers its groups could also go to (where grades and moves trade).
fn neighbourhood(
    p: &RegionProblem,
    plan: &[usize],
    movable: &[usize],
    rng: &mut Rng,
    round: usize,
) -> Vec<usize> {
    let n = p.managers.len();
    let mut load = vec![0.0; n];
    for (g, &m) in plan.iter().enumerate() {
        load[m] += p.policy.workload(p.groups[g].class, p.groups[g].members);
    }
    let util = |m: usize| load[m] / rules::hours(p, m);
    let mut free: Vec<usize> = Vec::new();
    if round % 2 == 1 {
        let ps = pools(p);
        let (_, pool) = &ps[rng.next(ps.len())];
        let mut sorted = pool.clone();
        sorted.sort_by(|&a, &b| util(a).total_cmp(&util(b)).then(a.cmp(&b)));
        let k = (FREE_MANAGERS / 2).min(sorted.len() / 2).max(1);
        free.extend(&sorted[..k]);
        free.extend(&sorted[sorted.len() - k..]);
    }
    while free.len() < FREE_MANAGERS.min(movable.len()) {
        let m = movable[rng.next(movable.len())];
        if !free.contains(&m) {
            free.push(m);
        }
    }
    free.sort_unstable();
    free.dedup();
    free
}
