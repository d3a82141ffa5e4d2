//! The balance term (C8) as plain arithmetic: grade pools, the region's level, the convex piecewise-linear penalty and each pool's best level.
//!
//! Every available, non-frozen manager belongs to the pool of its star. A pool has a level
//! ℓ (hours per full-time manager ÷ monthly hours, i.e. a utilisation); a manager's
//! deviation is its hours minus ℓ × H × capacity, and costs the sum over the pieces of its
//! slope times the part of |deviation| inside the piece. Piece ends are shares of the
//! region's level L, in hours per full-time manager, scaled by capacity. Each pool's level
//! is compared with L the same way (as one manager of the pool's total capacity), times
//! `across_grades`. The pool's level is whatever makes this cheapest, so the term is the
//! minimum over the levels; the model has the levels as free variables.

use super::rules;
use super::RegionProblem;
use crate::domain::Star;

/// The penalty's pieces for a region: upper ends (hours per full-time manager, the last
/// infinite) and slopes.
#[derive(Debug, Clone)]
pub struct Shape {
    pub ends: Vec<f64>,
    pub slopes: Vec<f64>,
    /// The region's level L (utilisation).
    pub level: f64,
    pub hours: f64,
    pub across: f64,
    /// Levels are fixed at the region's (policy `balance.levels = region`).
    pub fixed: bool,
}

/// The limited managers of each star that has any, in star order.
pub fn pools(p: &RegionProblem) -> Vec<(Star, Vec<usize>)> {
    Star::ALL
        .into_iter()
        .map(|s| {
            let ms: Vec<usize> = (0..p.managers.len())
                .filter(|&m| rules::limited(p, m) && p.managers[m].star == s)
                .collect();
            (s, ms)
        })
        .filter(|(_, ms)| !ms.is_empty())
        .collect()
}

impl Shape {
    pub fn of(p: &RegionProblem) -> Shape {
        let level = rules::region_level(p);
        let h = p.policy.monthly_hours;
        Shape {
            ends: p
                .policy
                .balance
                .pieces
                .iter()
                .map(|x| x.0 * level * h)
                .collect(),
            slopes: p.policy.balance.pieces.iter().map(|x| x.1).collect(),
            level,
            hours: h,
            across: p.policy.balance.across_grades,
            fixed: p.policy.balance.region_level,
        }
    }

    /// Width of each piece for capacity `cap` (`None` = open).
    pub fn widths(&self, cap: f64) -> Vec<Option<f64>> {
        let mut start = 0.0;
        self.ends
            .iter()
            .map(|&e| {
                let w = e.is_finite().then_some((e - start) * cap);
                start = e;
                w
            })
            .collect()
    }

    /// The cost of a deviation of `dev` hours for capacity `cap`.
    pub fn penalty(&self, dev: f64, cap: f64) -> f64 {
        let (mut left, mut cost) = (dev.abs(), 0.0);
        for (w, s) in self.widths(cap).into_iter().zip(&self.slopes) {
            let part = w.map_or(left, |w| left.min(w));
            cost += part * s;
            left -= part;
            if left <= 0.0 {
                break;
            }
        }
        cost
    }

    /// How a deviation fills the pieces: the amount in each, in order.
    pub fn split(&self, dev: f64, cap: f64) -> Vec<f64> {
        let mut left = dev.abs();
        self.widths(cap)
            .into_iter()
            .map(|w| {
                let part = w.map_or(left, |w| left.min(w));
                left -= part;
                part
            })
            .collect()
    }

    /// A pool's cost at level `l`, given each manager's hours.
    pub fn pool_cost(&self, p: &RegionProblem, pool: &[usize], load: &[f64], l: f64) -> f64 {
        let mut cap_total = 0.0;
        let mut cost = 0.0;
        for &m in pool {
            let c = p.managers[m].capacity;
            cap_total += c;
            cost += self.penalty(load[m] - l * self.hours * c, c);
        }
        cost + self.across * self.penalty((l - self.level) * self.hours * cap_total, cap_total)
    }

    /// The level that makes a pool cheapest (the smallest such), and its cost. The cost is
    /// convex and piecewise linear in the level, so a minimum lies on a breakpoint: where
    /// a manager's or the pool's deviation crosses a piece end.
    pub fn best_level(&self, p: &RegionProblem, pool: &[usize], load: &[f64]) -> (f64, f64) {
        if self.fixed {
            return (self.level, self.pool_cost(p, pool, load, self.level));
        }
        let h = self.hours;
        let mut cands = vec![self.level];
        let finite: Vec<f64> = self
            .ends
            .iter()
            .copied()
            .filter(|e| e.is_finite())
            .collect();
        for &m in pool {
            let c = p.managers[m].capacity;
            cands.push(load[m] / (h * c));
            for &e in &finite {
                cands.push((load[m] - e * c) / (h * c));
                cands.push((load[m] + e * c) / (h * c));
            }
        }
        for &e in &finite {
            cands.push(self.level - e / h);
            cands.push(self.level + e / h);
        }
        cands.retain(|x| x.is_finite());
        cands.sort_by(f64::total_cmp);
        // Points a rounding apart (one manager's breakpoint computed two ways) are one point:
        // between them the cost cannot be told apart from rounding noise.
        cands.dedup_by(|b, a| *b - *a <= 1e-12 * a.abs().max(1.0));
        // The cost is convex: the first point whose segment to its successor does not fall
        // is a cheapest one. The sign is read from the segment's slope at its midpoint, not
        // from two costs, whose difference on a short segment is rounding noise (a sum of
        // hundreds of managers' penalties).
        let (mut lo, mut hi) = (0, cands.len() - 1);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let x = 0.5 * (cands[mid] + cands[mid + 1]);
            if self.pool_slope(p, pool, load, x) >= 0.0 {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        // Within rounding the cheapest levels form an interval; the lowest of them is the
        // pool's level (the checker takes the same one, and reasons compare hours with it).
        let f = |i: usize| self.pool_cost(p, pool, load, cands[i]);
        let least = f(lo);
        let tol = 1e-9 * least.abs().max(1.0);
        while lo > 0 && f(lo - 1) <= least + tol {
            lo -= 1;
        }
        (cands[lo], f(lo))
    }

    /// The slope of the penalty at a deviation of `dev` hours for capacity `cap`, as the
    /// deviation grows in size: the slope of the piece that |dev| lies in.
    fn slope_at(&self, dev: f64, cap: f64) -> f64 {
        let d = dev.abs();
        self.ends
            .iter()
            .zip(&self.slopes)
            .find(|(e, _)| d < *e * cap)
            .map_or(0.0, |(_, s)| *s)
    }

    /// The derivative of a pool's cost in its level `l`, away from any breakpoint.
    fn pool_slope(&self, p: &RegionProblem, pool: &[usize], load: &[f64], l: f64) -> f64 {
        let h = self.hours;
        let mut cap_total = 0.0;
        let mut slope = 0.0;
        for &m in pool {
            let c = p.managers[m].capacity;
            cap_total += c;
            // dev = load − l·H·c falls as l grows.
            let dev = load[m] - l * h * c;
            slope -= h * c * dev.signum() * self.slope_at(dev, c);
        }
        let dev = (l - self.level) * h * cap_total;
        slope + self.across * h * cap_total * dev.signum() * self.slope_at(dev, cap_total)
    }

    /// The best level of each pool (in `pools` order) for the managers' hours `load`.
    pub fn levels(
        &self,
        p: &RegionProblem,
        pools: &[(Star, Vec<usize>)],
        load: &[f64],
    ) -> Vec<f64> {
        pools
            .iter()
            .map(|(_, ms)| self.best_level(p, ms, load).0)
            .collect()
    }
}

/// The C8 term of a layout given each manager's hours: the sum over pools of their cheapest cost.
pub fn cost(p: &RegionProblem, load: &[f64]) -> f64 {
    let shape = Shape::of(p);
    pools(p)
        .iter()
        .map(|(_, ms)| shape.best_level(p, ms, load).1)
        .sum()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::{
        Balance, Class, Group, Manager, MoveCost, Policy, Service, SolverLimits, Weights,
    };

    pub(crate) fn policy() -> Policy {
        Policy {
            penalty: [[Some(0.0); 3]; 3],
            service: [Service {
                visits_per_month: 1.0,
                hours_per_visit: 1.0,
                hours_per_member: 0.0,
            }; 3],
            monthly_hours: 160.0,
            span_target: [1e9; 3],
            span_max: [1e9; 3],
            max_groups: [1e9; 3],
            balance: Balance {
                pieces: vec![
                    (0.05, 0.001),
                    (0.1, 0.005),
                    (0.15, 0.05),
                    (0.2, 1.0),
                    (0.3, 2.0),
                    (0.4, 4.0),
                    (f64::INFINITY, 8.0),
                ],
                across_grades: 1.0,
                region_level: false,
            },
            overtime_allowance: 0.1,
            target_utilisation: 0.85,
            staffing_table: vec![],
            weights: Weights {
                eligibility: 1.0,
                span: 1.0,
                balance: 1.0,
                moves: 1.0,
            },
            move_cost: [MoveCost {
                fixed: 1.0,
                per_member: 0.0,
            }; 3],
            mode: crate::domain::Mode::Weighted,
            priority: vec![],
            change: Default::default(),
            relaxation_penalty: 1e4,
            solver: SolverLimits {
                time_limit_seconds: 1.0,
                relative_gap: 0.0,
                seed: 0,
                work_limit: None,
            },
        }
    }

    /// The bisection finds the same minimum as evaluating every breakpoint, on small pools
    /// and on pools of hundreds of managers, whose loads (multiples of 0.03 h) make many
    /// breakpoints a rounding apart.
    #[test]
    fn best_level_is_the_minimum_over_every_breakpoint() {
        let pol = policy();
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 10_000) as f64 / 10_000.0
        };
        for case in 0..220 {
            let n = if case < 200 {
                2 + (next() * 40.0) as usize
            } else {
                300 + (next() * 500.0) as usize
            };
            let managers: Vec<Manager> = (0..n)
                .map(|i| Manager {
                    id: format!("M{i}"),
                    region: 0,
                    star: crate::domain::Star::One,
                    capacity: if next() < 0.2 { 0.5 } else { 1.0 },
                    available: true,
                    frozen: false,
                })
                .collect();
            let groups: Vec<Group> = (0..3 * n)
                .map(|i| Group {
                    id: format!("G{i}"),
                    region: 0,
                    class: Class::C,
                    members: 0,
                    current: None,
                    pinned: false,
                    recent: false,
                })
                .collect();
            let p = RegionProblem::new(managers, groups, &pol);
            let load: Vec<f64> = (0..n).map(|_| next() * 300.0).collect();
            let shape = Shape::of(&p);
            let pool: Vec<usize> = (0..n).collect();
            let (_, got) = shape.best_level(&p, &pool, &load);
            let mut points = vec![shape.level];
            for &e in shape.ends.iter().filter(|e| e.is_finite()) {
                points.push(shape.level + e / shape.hours);
                points.push(shape.level - e / shape.hours);
                for (mgr, w) in p.managers.iter().zip(&load) {
                    let c = mgr.capacity;
                    points.push((w + e * c) / (shape.hours * c));
                    points.push((w - e * c) / (shape.hours * c));
                }
            }
            for (mgr, w) in p.managers.iter().zip(&load) {
                points.push(w / (shape.hours * mgr.capacity));
            }
            let want = points
                .into_iter()
                .map(|x| shape.pool_cost(&p, &pool, &load, x))
                .fold(f64::INFINITY, f64::min);
            assert!(
                (got - want).abs() <= 1e-9 * want.abs().max(1.0),
                "case {case}: {got} vs {want}"
            );
        }
    }
}
