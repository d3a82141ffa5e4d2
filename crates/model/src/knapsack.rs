//! One manager's and one pool's part of the whole-group bound (model::lagrange): a knapsack over hours of whole groups under the convex C8 penalty and the C13 cap, and branch and bound over the pool's level.

use super::balance::Shape;

/// The convex C8 penalty for one capacity: each piece's width (`INFINITY` for the last)
/// and slope, times the weight.
pub(crate) struct Pen(Vec<(f64, f64)>);

impl Pen {
    pub fn new(shape: &Shape, cap: f64, weight: f64) -> Pen {
        let pieces = shape.widths(cap).into_iter().zip(&shape.slopes);
        Pen(pieces
            .map(|(w, s)| (w.unwrap_or(f64::INFINITY), s * weight))
            .collect())
    }
    fn of(&self, dev: f64) -> f64 {
        let (mut left, mut cost) = (dev.abs(), 0.0);
        for &(w, s) in &self.0 {
            if left <= 0.0 {
                break;
            }
            let part = left.min(w);
            cost += part * s;
            left -= part;
        }
        cost
    }
    /// The deviations (from 0) at which the finite pieces end.
    fn ends(&self) -> impl Iterator<Item = f64> + '_ {
        self.0
            .iter()
            .scan(0.0, |end, &(w, _)| {
                *end += w;
                Some(*end)
            })
            .filter(|e| e.is_finite())
    }
}

/// Distance from `z` to the interval [lo, hi].
fn dist(z: f64, lo: f64, hi: f64) -> f64 {
    (lo - z).max(z - hi).max(0.0)
}

/// One of a manager's groups in the knapsack: its cost less the priced rows' duals and its
/// hours in steps.
pub(crate) struct Item {
    pub r: f64,
    pub k: usize,
}

/// Takes one whole group of `k` steps costing `r` into the states `v` (each state at most
/// once), where no state above `reach` is reachable yet; returns the new reach.
///
/// The states are updated from the top down in blocks of at most `k`: a block reads only
/// states below itself, not yet updated in this pass, so each block is a plain element-wise
/// minimum the compiler vectorises (the same values as the state-by-state loop).
fn take(v: &mut [f64], k: usize, r: f64, reach: usize) -> usize {
    let top = (reach + k).min(v.len() - 1);
    if k == 0 {
        if r < 0.0 {
            v[..=top].iter_mut().for_each(|x| *x += r);
        }
        return top;
    }
    let mut end = top + 1;
    while end > k {
        let start = (end - k).max(k);
        let (below, block) = v.split_at_mut(start);
        for (d, &s) in block[..end - start]
            .iter_mut()
            .zip(&below[start - k..end - k])
        {
            let w = s + r;
            *d = if w < *d { w } else { *d };
        }
        end = start;
    }
    top
}

/// One limited manager's part of L(y): whole core groups (a knapsack over hours), the rest
/// fractionally at no less than `pi` per hour, the C8 penalty on the total.
pub(crate) struct Manager {
    /// The price per hour of the groups not in the core (any price when there are none).
    pi: f64,
    /// Whether some groups are not in the core (hours may be topped up fractionally).
    topup: bool,
    /// Reachable states: (hours, least cost of core groups with these hours − pi × hours),
    /// by hours; the running minimum of the cost from each end.
    states: Vec<(f64, f64)>,
    prefix: Vec<f64>,
    suffix: Vec<f64>,
    pub full_time: f64,
    /// C13: the most hours.
    most: f64,
    pen: Pen,
}

impl Manager {
    /// `items[..whole]` are solved whole; `pi` is the price per hour of the rest; `n` states
    /// of `step` hours.
    pub fn new(
        items: Vec<Item>,
        whole: usize,
        pi: f64,
        (n, step): (usize, f64),
        full_time: f64,
        most: f64,
        pen: Pen,
    ) -> Manager {
        let mut v = vec![f64::INFINITY; n + 1];
        v[0] = 0.0;
        let mut reach = 0;
        for it in &items[..whole] {
            reach = take(&mut v, it.k, it.r, reach);
        }
        let states: Vec<(f64, f64)> = (0..=n)
            .filter(|&s| v[s].is_finite())
            .map(|s| (s as f64 * step, v[s] - pi * s as f64 * step))
            .collect();
        let run = |a: &mut f64, s: &(f64, f64)| {
            *a = a.min(s.1);
            Some(*a)
        };
        let prefix = states.iter().scan(f64::INFINITY, run).collect();
        let mut suffix: Vec<f64> = states.iter().rev().scan(f64::INFINITY, run).collect();
        suffix.reverse();
        Manager {
            pi,
            topup: whole < items.len(),
            states,
            prefix,
            suffix,
            full_time,
            most,
            pen,
        }
    }

    /// The least cost when the manager's hours may sit anywhere in [lo, hi] for free (a
    /// lower bound for every level in it).
    pub fn least(&self, lo: f64, hi: f64) -> f64 {
        let q = |z: f64| self.pi * z + self.pen.of(dist(z, lo, hi));
        // q is convex and piecewise linear: its least value on [0, most] is at a breakpoint.
        let ends: Vec<f64> = self.pen.ends().collect();
        let points = [0.0, self.most, lo, hi]
            .into_iter()
            .chain(ends.iter().map(|e| lo - e))
            .chain(ends.iter().map(|e| hi + e));
        let (mut zs, mut qs) = (0.0, q(0.0));
        for z in points
            .filter(|z| z.is_finite())
            .map(|z| z.clamp(0.0, self.most))
        {
            let v = q(z);
            if v < qs || (v == qs && z < zs) {
                (zs, qs) = (z, v);
            }
        }
        // Below zs q falls as hours rise, above it q rises. With groups outside the core,
        // core hours below zs are topped up to zs fractionally.
        let k = self.states.partition_point(|s| s.0 <= zs);
        let mut best = f64::INFINITY;
        if self.topup {
            if k > 0 {
                best = self.prefix[k - 1] + qs;
            }
        } else {
            for i in (0..k).rev() {
                let qw = q(self.states[i].0);
                if qw + self.prefix[i] >= best {
                    break;
                }
                best = best.min(self.states[i].1 + qw);
            }
        }
        for i in k..self.states.len() {
            let qw = q(self.states[i].0);
            if qw + self.suffix[i] >= best {
                break;
            }
            best = best.min(self.states[i].1 + qw);
        }
        best
    }
}

/// The least cost of one pool over every level: branch and bound over intervals of the
/// level, each bounded by letting every manager's hours sit anywhere in it for free. When
/// `evals` or `stop` ends the search, the least bound of the open intervals stands. Also
/// the open intervals, ascending: they cover every level, which the certificate needs.
pub(crate) fn pool(
    shape: &Shape,
    ms: &[Manager],
    across: &Pen,
    evals: usize,
    stop: std::time::Instant,
) -> (f64, Vec<(f64, f64)>) {
    let cap_s: f64 = ms.iter().map(|m| m.full_time).sum();
    let lb = |a: f64, b: f64| -> f64 {
        let own: f64 = ms
            .iter()
            .map(|m| m.least(a * m.full_time, b * m.full_time))
            .sum();
        own + across.of(dist(shape.level, a, b) * cap_s)
    };
    if shape.fixed {
        return (
            lb(shape.level, shape.level),
            vec![(shape.level, shape.level)],
        );
    }
    let top = 2.0 * shape.level.max(0.5);
    let mut open: Vec<(f64, f64, f64)> = (0..32)
        .map(|i| (top * f64::from(i) / 32.0, top * f64::from(i + 1) / 32.0))
        .chain([(top, f64::INFINITY)])
        .map(|(a, b)| (lb(a, b), a, b))
        .collect();
    let fine = 1e-4 / shape.hours.max(1.0);
    let lowest = |open: &[(f64, f64, f64)]| {
        (0..open.len())
            .min_by(|&i, &j| open[i].0.total_cmp(&open[j].0))
            .unwrap_or(0)
    };
    for _ in 0..evals / 2 {
        let i = lowest(&open);
        let (_, a, b) = open[i];
        if b - a <= fine || std::time::Instant::now() >= stop {
            break;
        }
        let mid = if b.is_finite() {
            (a + b) / 2.0
        } else {
            2.0 * a
        };
        open.swap_remove(i);
        open.push((lb(a, mid), a, mid));
        open.push((lb(mid, b), mid, b));
    }
    let least = open[lowest(&open)].0;
    let mut intervals: Vec<(f64, f64)> = open.into_iter().map(|(_, a, b)| (a, b)).collect();
    intervals.sort_by(|x, y| x.0.total_cmp(&y.0));
    (least, intervals)
}
