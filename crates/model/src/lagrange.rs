//! The whole-group bound (models/assignment.md, "The bound"): the Lagrangian relaxation of C1, C6 and C7 at the LP's duals, in which each limited manager takes whole groups (model::knapsack).
//!
//! For any multipliers y of the right signs, L(y) = Σ y·b + min over the remaining rows of
//! (c − Aᵀy)·x is a lower bound on every plan (weak duality). The LP's bound is L(y) with
//! each manager's groups taken fractionally; here they are taken whole, which is what the
//! LP relaxation misses: it evens every manager's hours for free by splitting groups.

use super::balance::{pools, Shape};
use super::duals::Duals;
use super::knapsack::{pool, Item, Manager, Pen};
use super::rules;
use super::{Certified, ManagerCertificate, RegionProblem};
use std::time::Instant;

/// Knapsack steps (groups × states) per evaluation of L(y): about 0.1 s on this machine.
/// Each manager solves as many of its groups whole as its share allows.
const WORK: f64 = 1e8;
/// Level intervals evaluated per pool and evaluation.
const EVALS: usize = 400;
/// Hour steps tried, largest first: every group's hours must be a whole number of one.
const STEPS: [f64; 10] = [1.0, 0.5, 0.25, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];
/// The most states of one manager's knapsack.
const MAX_STATES: usize = 400_000;
/// The most candidate pairs the bound is tried on (the ladder's 5 000 × 500 has 2.4 million).
const MAX_PAIRS: usize = 4_000_000;
/// Seconds one pair costs (priced, sorted, its knapsack filled), with a margin over the
/// 0.1 µs measured.
const SECONDS_PER_PAIR: f64 = 5e-7;

/// The largest step of hours that every group's hours are a whole number of.
fn step(p: &RegionProblem) -> Option<f64> {
    STEPS.into_iter().find(|&d| {
        p.groups.iter().all(|g| {
            let k = p.policy.workload(g.class, g.members) / d;
            (k - k.round()).abs() <= 1e-6 * k.abs().max(1.0)
        })
    })
}

/// What L(y) needs besides the C1 multipliers: the other rows' duals (sign-corrected) and
/// their constant part, each pair's cost less those duals.
struct Fixed<'a> {
    p: &'a RegionProblem<'a>,
    constant: f64,
    /// Per manager: the C6 and C7 multipliers (the certificate's).
    mults: Vec<ManagerCertificate>,
    /// Per manager: (group, cost less the C6 and C7 duals).
    pairs: Vec<Vec<(usize, f64)>>,
    /// Per manager: the C8 and C13 rows' price per hour.
    pi: Vec<f64>,
    /// The region's C8 shape (its level is a sum over every group and manager: computed
    /// once, not per manager).
    shape: Shape,
    step: f64,
    core: usize,
}

impl<'a> Fixed<'a> {
    fn new(d: &'a Duals, full: &[Vec<usize>], offset: f64) -> Option<Fixed<'a>> {
        let p = d.p;
        let step = step(p)?;
        let span = p.policy.weights.span;
        // Duals of ≤ rows must be ≤ 0; the excess column's reduced cost (the span weight
        // plus its row's dual) must not be negative.
        let y6 = |m: usize| d.dual(d.map.c6[m]).min(0.0);
        let y7 = |m: usize| d.dual(d.map.c7_max[m]).min(0.0);
        let y7e = |m: usize| d.dual(d.map.c7_excess[m]).clamp(-span, 0.0);
        let mut constant = offset;
        let mut mults = Vec::with_capacity(p.managers.len());
        for m in 0..p.managers.len() {
            let row = |r: Option<usize>, v: f64| if r.is_some() { v } else { 0.0 };
            constant += row(d.map.c6[m], y6(m) * rules::c6_max_groups(p, m))
                + row(d.map.c7_max[m], y7(m) * rules::c7_span_max(p, m))
                + row(d.map.c7_excess[m], y7e(m) * rules::c7_span_target(p, m));
            // The multipliers as the pairs' costs below use them (0 where no row is).
            mults.push(ManagerCertificate {
                c6: y6(m),
                c7: y7(m),
                c7_target: y7e(m),
                core: Vec::new(),
            });
        }
        let mut pairs: Vec<Vec<(usize, f64)>> = vec![Vec::new(); p.managers.len()];
        for (g, ms) in full.iter().enumerate() {
            let n = f64::from(p.groups[g].members);
            for &m in ms {
                pairs[m].push((g, d.cost(g, m) - y6(m) - n * (y7(m) + y7e(m))));
            }
        }
        let pi = (0..p.managers.len())
            .map(|m| d.dual(d.map.c8[m]) + d.dual(d.map.c13[m]))
            .collect();
        let limited = (0..p.managers.len())
            .filter(|&m| rules::limited(p, m))
            .count();
        let hours = p.policy.monthly_hours * (1.0 + p.policy.overtime_allowance);
        let core = (WORK / (hours / step).max(1.0) / limited.max(1) as f64) as usize;
        Some(Fixed {
            p,
            constant,
            mults,
            pairs,
            pi,
            shape: Shape::of(p),
            step,
            core,
        })
    }

    /// Manager m's knapsack at C1 multipliers `y1`, and the groups it takes whole.
    fn manager(&self, m: usize, y1: &[f64]) -> Option<(Manager, Vec<usize>)> {
        let p = self.p;
        let most = rules::c13_hours_cap(p, m);
        let n = (most / self.step + 1e-9).floor() as usize;
        if n > MAX_STATES {
            return None;
        }
        let pi = self.pi[m];
        let mut items: Vec<(f64, usize, Item)> = self.pairs[m]
            .iter()
            .map(|&(g, c)| {
                let hours = p.policy.workload(p.groups[g].class, p.groups[g].members);
                let r = c - y1[g];
                let k = (hours / self.step).round() as usize;
                ((r - pi * hours) / hours.max(1e-9), g, Item { r, k })
            })
            .collect();
        // The core: every group with a negative reduced cost, then the others by reduced
        // cost per hour, as many as `core` allows. The rest join fractionally, each hour at
        // no less than pi plus the least reduced cost per hour among them.
        items.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let negative = items.partition_point(|x| x.0 < 0.0);
        let whole = items.len().min(negative.max(self.core));
        let price = items.get(whole).map_or(pi, |x| pi + x.0.max(0.0));
        let shape = &self.shape;
        let c = p.managers[m].capacity;
        let pen = Pen::new(shape, c, p.policy.weights.balance);
        let mut core: Vec<usize> = items[..whole].iter().map(|x| x.1).collect();
        core.sort_unstable();
        let items = items.into_iter().map(|x| x.2).collect();
        let knap = Manager::new(
            items,
            whole,
            price,
            (n, self.step),
            shape.hours * c,
            most,
            pen,
        );
        Some((knap, core))
    }

    /// L(y) at C1 multipliers `y1`, with the certificate that proves it.
    fn evaluate(&self, y1: &[f64], stop: Instant) -> Option<Certified> {
        let p = self.p;
        let mut cert = Certified {
            value: 0.0,
            step: self.step,
            y1: y1.to_vec(),
            managers: self.mults.clone(),
            pools: Vec::new(),
        };
        let mut total = self.constant + y1.iter().sum::<f64>();
        for m in (0..p.managers.len()).filter(|&m| !rules::limited(p, m)) {
            for &(g, c) in &self.pairs[m] {
                total += (c - y1[g]).min(0.0);
            }
        }
        let shape = &self.shape;
        for (star, ms) in pools(p) {
            let mut knaps: Vec<Manager> = Vec::with_capacity(ms.len());
            for &m in &ms {
                let (knap, core) = (Instant::now() < stop)
                    .then(|| self.manager(m, y1))
                    .flatten()?;
                knaps.push(knap);
                cert.managers[m].core = core;
            }
            let cap: f64 = ms.iter().map(|&m| p.managers[m].capacity).sum();
            let across = Pen::new(shape, cap, p.policy.weights.balance * shape.across);
            let (least, intervals) = pool(shape, &knaps, &across, EVALS, stop);
            total += least;
            cert.pools.push((star, intervals));
        }
        cert.value = total;
        total.is_finite().then_some(cert)
    }
}

/// L(y) at the LP's duals `d` over every pair in `full` (left-out pairs priced too);
/// `offset` is the model's constant. `None` when the groups' hours have no common step.
pub(crate) fn bound(
    d: &Duals,
    full: &[Vec<usize>],
    offset: f64,
    stop: Instant,
) -> Option<Certified> {
    // Each pair is priced and sorted, each manager's knapsack filled: on a region too large
    // for the time left the bound is not tried (the LP's stands).
    let pairs: usize = full.iter().map(Vec::len).sum();
    let left = stop.saturating_duration_since(Instant::now()).as_secs_f64();
    if pairs > MAX_PAIRS || left < 0.2 + pairs as f64 * SECONDS_PER_PAIR {
        return None;
    }
    let fixed = Fixed::new(d, full, offset)?;
    let y1: Vec<f64> = d.map.c1.iter().map(|&r| d.y[r]).collect();
    fixed.evaluate(&y1, stop)
}

/// The full model's LP relaxation (every C6 row in, so that its duals price them): its
/// optimum, duals and constant. `None` when the LP is not solved by `stop`.
fn lp_duals<'a>(
    p: &'a RegionProblem,
    cands: &[Vec<usize>],
    run: &super::Run,
    stop: Instant,
) -> Option<(f64, Duals<'a>, f64)> {
    let spec = super::build::Spec {
        all_rows: true,
        ..super::build::Spec::default()
    };
    let built = super::build::build(p, cands, &spec);
    let (map, offset) = (built.rowmap.clone(), built.offset);
    let remaining = stop.saturating_duration_since(Instant::now()).as_secs_f64();
    let (solved, _) = super::pricing::lp(built, run, stop, offset, remaining)?;
    if solved.status() != highs::HighsModelStatus::Optimal {
        return None;
    }
    let y = solved.get_solution().dual_rows().to_vec();
    Some((solved.objective_value(), Duals { p, y, map }, offset))
}

/// The full model's LP relaxation, then the whole-group bound from its duals: the LP's
/// optimum (solver-reported) and the certified bound. `None` when the LP is not solved by
/// `stop`.
pub(crate) fn lp_bound(
    p: &RegionProblem,
    cands: &[Vec<usize>],
    run: &super::Run,
    stop: Instant,
) -> Option<(f64, Option<Certified>)> {
    let (lp, duals, offset) = lp_duals(p, cands, run, stop)?;
    let whole = bound(&duals, cands, offset, stop);
    Some((lp, whole))
}

#[cfg(test)]
#[path = "lagrange_tests.rs"]
mod tests;
