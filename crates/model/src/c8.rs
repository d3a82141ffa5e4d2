//! C8 in the MIP: each pool's level as a free column, each limited manager's deviation from it (and each pool's from the region's level) split into pieces of rising cost.
//!
//! hours(m) − ℓ_s·H·cap_m = Σ_k (up_mk − down_mk), 0 ≤ up_mk, down_mk ≤ width_k·cap_m;
//! (ℓ_s − L)·H·cap_s = Σ_k (up_sk − down_sk). The cost Σ slope_k (up + down) is convex
//! because the slopes rise, so the LP fills the pieces in order and the term equals
//! `balance::cost` at the best levels (models/assignment.md, C8).

use super::balance::{pools, Shape};
use super::build::{Columns, Rows};
use super::RegionProblem;
use crate::domain::Star;
use good_lp::{variable, Expression, Variable};

/// The up and down columns of one deviation, piece by piece.
pub type Split = Vec<(usize, usize)>;

/// Where the C8 columns sit.
#[derive(Debug, Clone, Default)]
pub struct BalanceCols {
    /// Per pool: its star, managers, level column and its deviation from the region's level.
    pub pools: Vec<(Star, Vec<usize>, usize, Split)>,
    /// Per manager: its deviation from its pool's level (limited managers only).
    pub managers: Vec<Option<Split>>,
}

fn split(cols: &mut Columns, shape: &Shape, cap: f64) -> Split {
    shape
        .widths(cap)
        .into_iter()
        .map(|w| {
            let def = || match w {
                Some(w) => variable().min(0.0).max(w),
                None => variable().min(0.0),
            };
            (cols.add(def()), cols.add(def()))
        })
        .collect()
}

/// Creates the C8 columns.
pub fn columns(p: &RegionProblem, cols: &mut Columns) -> BalanceCols {
    let shape = Shape::of(p);
    let mut out = BalanceCols {
        pools: Vec::new(),
        managers: vec![None; p.managers.len()],
    };
    for (star, ms) in pools(p) {
        // With `balance.levels = region` the level is the region's, fixed.
        let level = match shape.fixed {
            true => cols.add(variable().min(shape.level).max(shape.level)),
            false => cols.add(variable().min(0.0)),
        };
        let cap: f64 = ms.iter().map(|&m| p.managers[m].capacity).sum();
        let across = split(cols, &shape, cap);
        for &m in &ms {
            out.managers[m] = Some(split(cols, &shape, p.managers[m].capacity));
        }
        out.pools.push((star, ms, level, across));
    }
    out
}

fn signed(s: &Split, v: &[Variable]) -> Expression {
    let mut e = Expression::with_capacity(2 * s.len());
    for &(up, down) in s {
        e.add_mul(1.0, v[up]);
        e.add_mul(-1.0, v[down]);
    }
    e
}

/// The C8 rows: one per limited manager and one per pool. Returns each manager's row.
pub fn rows(
    rows: &mut Rows,
    p: &RegionProblem,
    bc: &BalanceCols,
    by_manager: &[Vec<(usize, usize)>],
    v: &[Variable],
) -> Vec<Option<usize>> {
    let shape = Shape::of(p);
    let h = p.policy.monthly_hours;
    let mut at = vec![None; p.managers.len()];
    for (_, ms, level, across) in &bc.pools {
        for &m in ms {
            let Some(dev) = &bc.managers[m] else { continue };
            let mut load = Expression::with_capacity(by_manager[m].len());
            for &(g, c) in &by_manager[m] {
                let grp = &p.groups[g];
                load.add_mul(p.policy.workload(grp.class, grp.members), v[c]);
            }
            load.add_mul(-h * p.managers[m].capacity, v[*level]);
            at[m] = Some(rows.add((load - signed(dev, v)).eq(0.0)));
        }
        let cap: f64 = ms.iter().map(|&m| p.managers[m].capacity).sum();
        let mut pool = Expression::with_capacity(1 + 2 * across.len());
        pool.add_mul(h * cap, v[*level]);
        rows.add((pool - signed(across, v)).eq(shape.level * h * cap));
    }
    at
}

/// The C8 cost: Σ slope × (up + down) over every split, the pools' times `across_grades`.
pub fn cost(p: &RegionProblem, bc: &BalanceCols, v: &[Variable]) -> Expression {
    let shape = Shape::of(p);
    let mut e = Expression::default();
    let mut add = |s: &Split, factor: f64| {
        for (&(up, down), slope) in s.iter().zip(&shape.slopes) {
            if slope * factor != 0.0 {
                e.add_mul(slope * factor, v[up]);
                e.add_mul(slope * factor, v[down]);
            }
        }
    };
    for (_, _, _, across) in &bc.pools {
        add(across, shape.across);
    }
    for s in bc.managers.iter().flatten() {
        add(s, 1.0);
    }
    e
}

/// Start values of the C8 columns for a plan whose managers have hours `load`: the best
/// levels, and each deviation split over the pieces in order.
pub fn start(p: &RegionProblem, bc: &BalanceCols, load: &[f64], cols: &mut [f64]) {
    let shape = Shape::of(p);
    let h = p.policy.monthly_hours;
    let fill = |cols: &mut [f64], s: &Split, dev: f64, cap: f64| {
        for (&(up, down), part) in s.iter().zip(shape.split(dev, cap)) {
            cols[if dev >= 0.0 { up } else { down }] = part;
        }
    };
    for (_, ms, level, across) in &bc.pools {
        let (l, _) = shape.best_level(p, ms, load);
        cols[*level] = l;
        let cap: f64 = ms.iter().map(|&m| p.managers[m].capacity).sum();
        fill(cols, across, (l - shape.level) * h * cap, cap);
        for &m in ms {
            if let Some(s) = &bc.managers[m] {
                let c = p.managers[m].capacity;
                fill(cols, s, load[m] - l * h * c, c);
            }
        }
    }
}
