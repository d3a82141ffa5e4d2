//! T5: re-derives a region's certified bound from its certificate, the whole-group Lagrangian bound L(y) of models/assignment.md ("Proofs"), with the checker's own pairs, costs, C8 pieces and knapsack.
//!
//! For multipliers y of the right signs (C1 free, C6 and C7's maximum ≤ 0 on limited
//! managers, C7's target between −weights.span and 0 on available ones) every plan that
//! keeps the hard rules costs at least
//!
//! ```text
//! K + Σ_g y_g + Σ_m (y6·⌊Gmax·cap⌋ + y7·Smax·cap + y7t·St·cap)
//!   + Σ_{m not limited} Σ_g min(0, r_gm)
//!   + Σ_pools min over the level intervals I of
//!       [ Σ_{m in pool} φ_m(I) + ω_bal·α·pen_pool(distance from L to I) ]
//! ```
//!
//! with r_gm = ω_elig·pen(g, m) − [g stays]·ω_mov·c_g − y_g − y6_m − n_g·(y7_m + y7t_m),
//! K = ω_mov·Σ c_g over groups with a current manager, and φ_m(I) the knapsack of
//! `super::knapsack` under ω_bal·pen_m of the hours' distance from I (scaled by H·cap).

use super::balance::{penalty, pieces, region_level};
use super::knapsack::{Knapsack, Pair};
use super::view::RegionView;
use starplan_format::output::{Certificate, ManagerMultipliers};
use std::collections::HashMap;

/// Relative tolerance within which the checker's own L(y) must reach the stated bound.
pub const TOLERANCE: f64 = 1e-6;

/// The checker's L(y) for `cert`, or what makes the certificate unusable.
pub fn evaluate(view: &RegionView, cert: &Certificate) -> Result<f64, String> {
    let step = cert.step_hours;
    if !(step.is_finite() && step > 0.0) {
        return Err(format!("step_hours {step} is not a positive number"));
    }
    for g in &view.groups {
        let k = view.hours_of(g) / step;
        if (k - k.round()).abs() > 1e-6 * k.abs().max(1.0) {
            return Err(format!(
                "group {}'s {} hours are not a whole number of {step}-hour steps",
                g.id,
                view.hours_of(g)
            ));
        }
    }
    let y = multipliers(view, cert)?;
    let mults = manager_multipliers(view, cert)?;
    let w = &view.policy.weights;
    let mut total: f64 = y.iter().sum();
    for grp in view.groups.iter().filter(|g| g.current_manager.is_some()) {
        total += w.moves * view.move_cost(grp);
    }
    for (m, mgr) in view.managers.iter().enumerate() {
        let x = mults[m];
        total += x.c6 * view.max_groups(mgr)
            + x.c7 * view.span(mgr, true)
            + x.c7_target * view.span(mgr, false);
    }
    let pairs = reduced_costs(view, &y, &mults);
    for (m, mgr) in view.managers.iter().enumerate() {
        if !view.limited(mgr) {
            total += pairs[m].iter().map(|&(_, r)| r.min(0.0)).sum::<f64>();
        }
    }
    total += pools(view, cert, &pairs)?;
    if total.is_finite() {
        Ok(total)
    } else {
        Err(format!("L(y) evaluates to {total}"))
    }
}

/// C1's multipliers in view order; unknown ids and non-finite values are errors.
fn multipliers(view: &RegionView, cert: &Certificate) -> Result<Vec<f64>, String> {
    let index: HashMap<&str, usize> = view
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let mut y = vec![0.0; view.groups.len()];
    for (id, &v) in &cert.groups {
        let &g = index
            .get(id.as_str())
            .ok_or_else(|| format!("multiplier for {id}, which is no group of the region"))?;
        if !v.is_finite() {
            return Err(format!("group {id}'s multiplier is not a number"));
        }
        y[g] = v;
    }
    Ok(y)
}

#[derive(Clone, Copy, Default)]
struct Mult {
    c6: f64,
    c7: f64,
    c7_target: f64,
}

/// The managers' multipliers in view order, their signs checked.
fn manager_multipliers(view: &RegionView, cert: &Certificate) -> Result<Vec<Mult>, String> {
    let mut out = vec![Mult::default(); view.managers.len()];
    let span = view.policy.weights.span;
    for e in &cert.managers {
        let m = view.manager(&e.id).ok_or_else(|| {
            format!(
                "multipliers for {}, which is no manager of the region",
                e.id
            )
        })?;
        let mgr = view.managers[m];
        let finite = [e.c6, e.c7, e.c7_target].iter().all(|v| v.is_finite());
        let limited_ok = view.limited(mgr) || (e.c6 == 0.0 && e.c7 == 0.0);
        let signs = e.c6 <= 0.0 && e.c7 <= 0.0 && (-span..=0.0).contains(&e.c7_target);
        if !finite || !limited_ok || !signs || (!mgr.available && e.c7_target != 0.0) {
            return Err(format!(
                "manager {}'s multipliers (c6 {}, c7 {}, c7_target {}) are not of the signs its rules allow",
                e.id, e.c6, e.c7, e.c7_target
            ));
        }
        out[m] = Mult {
            c6: e.c6,
            c7: e.c7,
            c7_target: e.c7_target,
        };
    }
    Ok(out)
}

/// Per manager: (group, reduced cost) over the pairs a plan that keeps the hard rules may
/// use (the pair rules, and for a limited manager no single group past its C7 maximum or
/// its C13 hours).
fn reduced_costs(view: &RegionView, y: &[f64], mults: &[Mult]) -> Vec<Vec<(usize, f64)>> {
    let w = &view.policy.weights;
    let mut out = vec![Vec::new(); view.managers.len()];
    for (m, mgr) in view.managers.iter().enumerate() {
        let x = mults[m];
        for (g, grp) in view.groups.iter().enumerate() {
            if !view.allowed(g, m) {
                continue;
            }
            let n = grp.members as f64;
            let too_big = view.limited(mgr)
                && (n > view.span(mgr, true) + 1e-9
                    || view.hours_of(grp) > view.hours_cap(mgr) + 1e-9);
            if too_big {
                continue;
            }
            let mut c = w.eligibility * view.penalty(grp, mgr).unwrap_or(0.0);
            if view.current(grp) == Some(m) {
                c -= w.moves * view.move_cost(grp);
            }
            out[m].push((g, c - y[g] - x.c6 - n * (x.c7 + x.c7_target)));
        }
    }
    out
}

/// Σ over pools of the least, over the certificate's level intervals, of the managers'
/// knapsacks and the pool's own deviation.
fn pools(
    view: &RegionView,
    cert: &Certificate,
    pairs: &[Vec<(usize, f64)>],
) -> Result<f64, String> {
    let level = region_level(view);
    let pcs = pieces(view, level);
    let h = view.policy.monthly_hours;
    let (wb, across) = (
        view.policy.weights.balance,
        view.policy.balance.across_grades,
    );
    let fixed = view.policy.balance.levels == starplan_format::policy::LevelsIn::Region;
    let cores = cores(view, &cert.managers);
    let mut total = 0.0;
    for star in 1..=3i64 {
        let pool: Vec<usize> = (0..view.managers.len())
            .filter(|&m| view.limited(view.managers[m]) && view.managers[m].star == star)
            .collect();
        if pool.is_empty() {
            continue;
        }
        let entry = cert
            .levels
            .iter()
            .find(|p| i64::from(p.star) == star)
            .ok_or_else(|| format!("no level intervals for the {star}-star pool"))?;
        covers(&entry.intervals, fixed.then_some(level))
            .map_err(|e| format!("the {star}-star pool's intervals {e}"))?;
        let (knaps, free) = knapsacks(view, cert.step_hours, pairs, &cores, &pool);
        let cap_s: f64 = pool.iter().map(|&m| view.managers[m].capacity).sum();
        // Each manager's kinks, worked out once rather than once per interval.
        let kinks: Vec<Vec<f64>> = pool
            .iter()
            .map(|&m| {
                let c = view.managers[m].capacity;
                pcs.iter()
                    .map(|p| p.0 * c)
                    .filter(|e| e.is_finite())
                    .collect()
            })
            .collect();
        // One interval's total: the pool's own deviation and each manager's knapsack, by
        // `least` (exact) or `floor` (a lower bound without the scan).
        let sum = |(a, b): (f64, Option<f64>), exact: bool| {
            let b = b.unwrap_or(f64::INFINITY);
            let mut v =
                wb * across * penalty(&pcs, (a - level).max(level - b).max(0.0) * h * cap_s, cap_s);
            for ((k, &m), kinks) in knaps.iter().zip(&pool).zip(&kinks) {
                let c = view.managers[m].capacity;
                let pen = |d: f64| wb * penalty(&pcs, d, c);
                let (lo, hi) = (a * h * c, b * h * c);
                v += if exact {
                    k.least(lo, hi, &pen, kinks)
                } else {
                    k.floor(lo, hi, &pen, kinks)
                };
            }
            v
        };
        // Intervals by their floors: once a floor is above the least exact total found (with
        // a margin for rounding), that interval and every later one cost more.
        let mut order: Vec<(f64, usize)> = (entry.intervals.iter().enumerate())
            .map(|(i, &iv)| (sum(iv, false), i))
            .collect();
        order.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut best = f64::INFINITY;
        for (floor, i) in order {
            if floor >= best + 1e-9 * best.abs().max(1.0) {
                break;
            }
            best = best.min(sum(entry.intervals[i], true));
        }
        total += best + free;
    }
    Ok(total)
}

/// The knapsack of each manager of a pool, and the sum of what its free (zero-hour,
/// negative) groups add.
fn knapsacks(
    view: &RegionView,
    step: f64,
    pairs: &[Vec<(usize, f64)>],
    cores: &HashMap<usize, Vec<usize>>,
    pool: &[usize],
) -> (Vec<Knapsack>, f64) {
    let mut knaps = Vec::new();
    let mut free = 0.0;
    for &m in pool {
        let in_core = |g: usize| cores.get(&m).is_some_and(|c| c.binary_search(&g).is_ok());
        let pair = |&(g, r): &(usize, f64)| Pair {
            r,
            hours: view.hours_of(view.groups[g]),
        };
        let core: Vec<Pair> = pairs[m].iter().filter(|p| in_core(p.0)).map(pair).collect();
        let rest: Vec<Pair> = pairs[m]
            .iter()
            .filter(|p| !in_core(p.0))
            .map(pair)
            .collect();
        let (k, f) = Knapsack::new(&core, &rest, step, view.hours_cap(view.managers[m]));
        knaps.push(k);
        free += f;
    }
    (knaps, free)
}

/// Each manager's core groups, as view positions.
fn cores(view: &RegionView, managers: &[ManagerMultipliers]) -> HashMap<usize, Vec<usize>> {
    let index: HashMap<&str, usize> = view
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    managers
        .iter()
        .filter_map(|e| {
            let m = view.manager(&e.id)?;
            let mut c: Vec<usize> = e
                .core
                .iter()
                .filter_map(|g| index.get(g.as_str()).copied())
                .collect();
            c.sort_unstable();
            Some((m, c))
        })
        .collect()
}

/// The intervals cover every level a pool may take: [0, ∞) in ascending order without
/// holes, or the region's level when levels are fixed.
fn covers(iv: &[(f64, Option<f64>)], fixed: Option<f64>) -> Result<(), String> {
    if let Some(l) = fixed {
        let hit = iv.iter().any(|&(a, b)| a <= l && b.is_none_or(|b| l <= b));
        return if hit {
            Ok(())
        } else {
            Err(format!("do not contain the region's level {l}"))
        };
    }
    let mut at = 0.0;
    for &(a, b) in iv {
        if !(a.is_finite() && a <= at) {
            return Err(format!("leave the levels from {at} to {a} uncovered"));
        }
        match b {
            None => return Ok(()),
            Some(b) if b.is_finite() && b >= a => at = at.max(b),
            Some(b) => return Err(format!("have an interval [{a}, {b}]")),
        }
    }
    Err(format!("end at {at}, not at infinity"))
}
