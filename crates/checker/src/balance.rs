//! The checker's own C8: grade pools, the region's level, the piecewise penalty and each pool's cheapest level, computed from models/assignment.md.
//!
//! The solver finds a pool's best level by bisection over sorted breakpoints; the checker
//! evaluates every breakpoint instead, so the two share neither code nor method.

use super::view::{Layout, RegionView};

/// The region's level: hours of the groups outside frozen books over the monthly hours of
/// the available, non-frozen managers.
pub fn region_level(view: &RegionView) -> f64 {
    let free: f64 = view
        .groups
        .iter()
        .filter(|g| !view.in_frozen_book(g))
        .map(|g| view.hours_of(g))
        .sum();
    let cap: f64 = view
        .managers
        .iter()
        .filter(|m| view.limited(m))
        .map(|m| view.monthly(m))
        .sum();
    if cap > 0.0 {
        free / cap
    } else {
        0.0
    }
}

/// The pieces: (upper end in hours for a full-time manager, slope), the last end infinite.
pub(crate) fn pieces(view: &RegionView, level: f64) -> Vec<(f64, f64)> {
    let h = view.policy.monthly_hours;
    view.policy
        .balance
        .pieces
        .iter()
        .map(|x| (x.up_to.map_or(f64::INFINITY, |u| u * level * h), x.slope))
        .collect()
}

/// Cost of `dev` hours for a capacity `cap`: each piece's slope times the part of |dev|
/// between its start and its end (both scaled by `cap`).
pub(crate) fn penalty(pieces: &[(f64, f64)], dev: f64, cap: f64) -> f64 {
    let d = dev.abs();
    let mut start = 0.0;
    let mut cost = 0.0;
    for &(end, slope) in pieces {
        let (lo, hi) = (start * cap, end * cap);
        if d > lo {
            cost += slope * (d.min(hi) - lo);
        }
        start = end;
    }
    cost
}

/// The limited managers of a star.
fn pool(view: &RegionView, star: i64) -> Vec<usize> {
    (0..view.managers.len())
        .filter(|&m| view.limited(view.managers[m]) && view.managers[m].star == star)
        .collect()
}

/// A pool's cheapest level and its cost: every breakpoint is evaluated, and among the
/// cheapest (within rounding) the lowest level is taken.
fn best(view: &RegionView, l: &Layout, pool: &[usize]) -> (f64, f64) {
    let level = region_level(view);
    let pieces = pieces(view, level);
    let h = view.policy.monthly_hours;
    let across = view.policy.balance.across_grades;
    let cap_total: f64 = pool.iter().map(|&m| view.managers[m].capacity).sum();
    let at = |x: f64| {
        let own: f64 = pool
            .iter()
            .map(|&m| {
                let c = view.managers[m].capacity;
                penalty(&pieces, l.hours[m] - x * h * c, c)
            })
            .sum();
        own + across * penalty(&pieces, (x - level) * h * cap_total, cap_total)
    };
    // The cost is convex and piecewise linear in the level; its minimum is at a point where
    // some deviation crosses a piece end (or zero).
    let mut points = vec![level];
    let fixed = view.policy.balance.levels == starplan_format::policy::LevelsIn::Region;
    for &(end, _) in pieces.iter().filter(|p| p.0.is_finite()) {
        points.push(level + end / h);
        points.push(level - end / h);
        for &m in pool {
            let c = view.managers[m].capacity;
            points.push((l.hours[m] + end * c) / (h * c));
            points.push((l.hours[m] - end * c) / (h * c));
        }
    }
    for &m in pool {
        points.push(l.hours[m] / (h * view.managers[m].capacity));
    }
    // With `levels = region` every pool sits at the region's level.
    if fixed {
        points.truncate(1);
    }
    let costs: Vec<(f64, f64)> = points
        .into_iter()
        .filter(|x| x.is_finite())
        .map(|x| (x, at(x)))
        .collect();
    let least = costs.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
    costs
        .into_iter()
        .filter(|c| c.1 <= least + 1e-9 * least.abs().max(1.0))
        .fold((f64::INFINITY, least), |a, c| {
            if c.0 < a.0 {
                (c.0, a.1)
            } else {
                a
            }
        })
}

/// C8 of a layout: for each star, the cheapest level's cost of its limited managers'
/// deviations plus `across_grades` times the pool's own deviation from the region's level.
pub fn cost(view: &RegionView, l: &Layout) -> f64 {
    (1..=3)
        .map(|star| pool(view, star))
        .filter(|p| !p.is_empty())
        .map(|p| best(view, l, &p).1)
        .sum()
}

/// Each limited manager's hours at its pool's cheapest level in a layout.
pub fn level_hours(view: &RegionView, l: &Layout) -> Vec<Option<f64>> {
    let mut out = vec![None; view.managers.len()];
    for star in 1..=3 {
        let p = pool(view, star);
        if p.is_empty() {
            continue;
        }
        let (x, _) = best(view, l, &p);
        for m in p {
            out[m] = Some(x * view.monthly(view.managers[m]));
        }
    }
    out
}
