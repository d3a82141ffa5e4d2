//! Subgradient ascent on C1's multipliers of the whole-group bound (models/assignment.md, "The bound"): from the LP's duals towards the Lagrangian dual's optimum. Every step's L(y) is a valid bound; the best one is the certificate.

use super::balance::pools;
use super::lagrange::{evals, Climb, Fixed};
use super::{rules, Certified};
use std::time::Instant;

/// Level intervals bounded per pool while climbing; the best multipliers are evaluated again
/// with `lagrange::evals()` at the end (more intervals can only raise the figure).
const CLIMB_EVALS: usize = 100;
/// Steps without a better bound before the step size halves.
const PATIENCE: usize = 4;
/// The step size (a share of Polyak's) below which the ascent stops.
const LEAST_THETA: f64 = 1e-3;

/// Climbs from `first` (L at the LP's duals, with `at`: each pool's interval of least
/// bound) by Polyak's steps towards `climb.target`, halving the step after `PATIENCE` steps
/// without a better bound; returns the best certificate seen.
pub(crate) fn ascend(
    fixed: &Fixed,
    first: Certified,
    mut at: Vec<(f64, f64)>,
    climb: &Climb,
    stop: Instant,
) -> Certified {
    let pairs: usize = fixed.pairs.iter().map(Vec::len).sum();
    // Each step prices every pair twice (the subgradient's knapsacks, then L(y)).
    let units = 2.0 * pairs as f64 * crate::work::PER_PAIR_BOUND;
    let mut y = first.y1.clone();
    // Steps are compared at `CLIMB_EVALS` intervals; `first` has the full number.
    let Some((mut best, _)) = fixed.evaluate(&y, stop, CLIMB_EVALS) else {
        return first;
    };
    let mut value = best.value;
    let (mut theta, mut stall, mut steps) = (theta0(), 0, 0);
    let mut improved = false;
    while theta >= LEAST_THETA && climb.run.left(climb.until) > 0.0 && Instant::now() < stop {
        let g = subgradient(fixed, &y, &at);
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm == 0.0 {
            // The relaxation's minimiser is a plan: no multipliers do better.
            break;
        }
        let room = (climb.target - value).max(1e-6 * climb.target.abs().max(1.0));
        let t = theta * room / norm;
        y.iter_mut().zip(&g).for_each(|(yi, gi)| *yi += t * gi);
        climb.run.charge(units);
        steps += 1;
        let Some((cert, next)) = fixed.evaluate(&y, stop, CLIMB_EVALS) else {
            break;
        };
        (value, at) = (cert.value, next);
        if std::env::var_os("STARPLAN_ASCENT_TRACE").is_some() {
            eprintln!("ascent step {steps}: theta {theta} t {t:.5} |g|² {norm} L {value:.4}");
        }
        if value > best.value {
            (best, stall, improved) = (cert, 0, true);
        } else {
            stall += 1;
            if stall >= PATIENCE {
                (theta, stall) = (theta / 2.0, 0);
            }
        }
    }
    if std::env::var_os("STARPLAN_ASCENT_TRACE").is_some() {
        eprintln!(
            "ascent: {steps} steps, best {:.4} (first {:.4}), theta {theta}",
            best.value, first.value
        );
    }
    if !improved {
        return first;
    }
    // The best multipliers with every level interval bounded (more can only raise it).
    if let Some((full, _)) = fixed.evaluate(&best.y1, stop, evals()) {
        if full.value > best.value {
            best = full;
        }
    }
    if best.value >= first.value {
        best
    } else {
        first
    }
}

/// A subgradient of L at `y`: 1 less how many times the relaxation takes each group. Each
/// pool's level is the middle of its interval of least bound; groups outside a manager's
/// core are left out (an approximate direction: the bound stays what `evaluate` gives).
fn subgradient(fixed: &Fixed, y: &[f64], at: &[(f64, f64)]) -> Vec<f64> {
    let p = fixed.p;
    let mut g = vec![1.0; p.groups.len()];
    for m in (0..p.managers.len()).filter(|&m| !rules::limited(p, m)) {
        for &(gi, c) in &fixed.pairs[m] {
            if c - y[gi] < 0.0 {
                g[gi] -= 1.0;
            }
        }
    }
    for ((_, ms), &(a, b)) in pools(p).iter().zip(at) {
        let level = if b.is_finite() { 0.5 * (a + b) } else { a };
        for &m in ms {
            for gi in taken(fixed, m, y, level) {
                g[gi] -= 1.0;
            }
        }
    }
    g
}

/// The core groups manager m's knapsack takes at multipliers `y` when its pool's level is
/// `level`: a 0/1 knapsack over hours that keeps which item set each state, then the state
/// of least cost with its penalty, traced back.
fn taken(fixed: &Fixed, m: usize, y: &[f64], level: f64) -> Vec<usize> {
    let Some(n) = fixed.states(m) else {
        return Vec::new();
    };
    let items = fixed.items(m, y);
    let core = &items.sorted[..items.whole];
    let words = (n + 1).div_ceil(64);
    let mut keep = vec![0u64; core.len() * words];
    let mut v = vec![f64::INFINITY; n + 1];
    v[0] = 0.0;
    for (i, (_, _, it)) in core.iter().enumerate() {
        if it.k > n {
            continue;
        }
        for s in (it.k..=n).rev() {
            let w = v[s - it.k] + it.r;
            if w < v[s] {
                v[s] = w;
                keep[i * words + s / 64] |= 1 << (s % 64);
            }
        }
    }
    let pen = fixed.pen(m);
    let target = level * fixed.shape.hours * fixed.p.managers[m].capacity;
    let cost = |s: usize| v[s] + pen.of(s as f64 * fixed.step - target);
    let Some(mut s) = (0..=n)
        .filter(|&s| v[s].is_finite())
        .min_by(|&a, &b| cost(a).total_cmp(&cost(b)))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, (_, g, it)) in core.iter().enumerate().rev() {
        if keep[i * words + s / 64] & (1 << (s % 64)) != 0 {
            out.push(*g);
            s -= it.k;
        }
    }
    out
}

fn theta0() -> f64 {
    std::env::var("STARPLAN_THETA")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.05)
}
