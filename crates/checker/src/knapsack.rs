//! The checker's own knapsack for one limited manager of a certificate (T5): whole core groups over hours in exact steps, the other groups fractionally at their least cost per hour, and the least cost when the manager's hours may sit anywhere in an interval of its pool's level.
//!
//! Written from models/assignment.md ("Proofs"), not from the solver's code: the states
//! are scanned outward from the cheapest hours of the penalty, with running minima of the
//! state costs as the stopping test.

/// One group a manager may take: its reduced cost and monthly hours.
pub struct Pair {
    pub r: f64,
    pub hours: f64,
}

/// A manager's knapsack, ready to be asked for the least cost on any level interval.
pub struct Knapsack {
    /// Hours of each reachable state, ascending.
    hours: Vec<f64>,
    /// Per state: least cost of core groups with those hours, less `price` × hours.
    cost: Vec<f64>,
    /// Running minimum of `cost` from the first state, and from the last.
    from_low: Vec<f64>,
    from_high: Vec<f64>,
    /// Price per hour of the groups outside the core; `None` when every group is in it.
    price: Option<f64>,
    /// C13: the most hours.
    most: f64,
}

/// Least cost of whole `core` groups per number of `step`s of hours, 0 to `n` (infinite
/// where no choice reaches it).
///
/// Each group's pass reads the old states and writes the new ones into a second buffer (a
/// 0/1 knapsack must not take a group twice), then the buffers swap; the pass is a plain element-wise minimum
/// the compiler vectorises; states above the hours reached so far are still infinite and
/// are skipped. At national scale this loop is most of a check (models/assignment.md).
fn states(core: &[Pair], step: f64, n: usize) -> Vec<f64> {
    let mut v = vec![f64::INFINITY; n + 1];
    v[0] = 0.0;
    let mut next = v.clone();
    let mut reach = 0;
    for p in core {
        let k = (p.hours / step).round() as usize;
        if k > n {
            continue;
        }
        let top = (reach + k).min(n);
        let (old, out) = (&v[..=top], &mut next[k..=top]);
        for ((o, &keep), &from) in out.iter_mut().zip(&old[k..]).zip(old) {
            let with = from + p.r;
            *o = if with < keep { with } else { keep };
        }
        // The states below k are unchanged; above `top` both buffers are still infinite.
        next[..k].copy_from_slice(&v[..k]);
        std::mem::swap(&mut v, &mut next);
        reach = top;
    }
    v
}

impl Knapsack {
    /// `core` is taken whole, `rest` fractionally; `step` hours per state, `most` hours at
    /// most. A zero-hour group of the rest is free to take: its cost counts only if negative,
    /// which the caller adds (`free`).
    pub fn new(core: &[Pair], rest: &[Pair], step: f64, most: f64) -> (Knapsack, f64) {
        let n = (most / step + 1e-9).floor().max(0.0) as usize;
        let v = states(core, step, n);
        let free: f64 = rest
            .iter()
            .filter(|p| p.hours <= 0.0)
            .map(|p| p.r.min(0.0))
            .sum();
        let price = rest
            .iter()
            .filter(|p| p.hours > 0.0)
            .map(|p| p.r / p.hours)
            .fold(None, |a: Option<f64>, x| Some(a.map_or(x, |a| a.min(x))));
        let pr = price.unwrap_or(0.0);
        let (mut hours, mut cost) = (Vec::new(), Vec::new());
        for (s, &c) in v.iter().enumerate() {
            if c.is_finite() {
                let h = s as f64 * step;
                hours.push(h);
                cost.push(c - pr * h);
            }
        }
        let mut from_low = cost.clone();
        for i in 1..from_low.len() {
            from_low[i] = from_low[i].min(from_low[i - 1]);
        }
        let mut from_high = cost.clone();
        for i in (0..from_high.len().saturating_sub(1)).rev() {
            from_high[i] = from_high[i].min(from_high[i + 1]);
        }
        let k = Knapsack {
            hours,
            cost,
            from_low,
            from_high,
            price,
            most,
        };
        (k, free)
    }

    /// The least cost over every choice of groups whose hours z keep C13, of the groups'
    /// cost plus `pen(distance from z to [lo, hi])`, where `pen` is convex, rising and
    /// piecewise linear with kinks at `kinks` (distances).
    pub fn least(&self, lo: f64, hi: f64, pen: &impl Fn(f64) -> f64, kinks: &[f64]) -> f64 {
        let p = self.price.unwrap_or(0.0);
        let dist = |z: f64| (lo - z).max(z - hi).max(0.0);
        let q = |z: f64| p * z + pen(dist(z));
        let (zs, qs) = self.lowest_q(lo, hi, pen, kinks);
        let split = self.hours.partition_point(|&h| h <= zs);
        let mut best = f64::INFINITY;
        if self.price.is_some() {
            // Below zs, the fractional groups top the hours up to zs.
            if split > 0 {
                best = self.from_low[split - 1] + qs;
            }
        } else {
            for i in (0..split).rev() {
                let qi = q(self.hours[i]);
                if qi + self.from_low[i] >= best {
                    break;
                }
                best = best.min(self.cost[i] + qi);
            }
        }
        // Above zs, q is linear between consecutive points of `ends` (lo, hi and the kinks
        // on either side): each state's q is interpolated between the ends of its piece,
        // not worked out through the penalty's pieces (hundreds of states per call at
        // national scale).
        let kinked = kinks.iter().flat_map(|&k| [lo - k, hi + k]);
        let mut ends: Vec<f64> = [lo, hi]
            .into_iter()
            .chain(kinked)
            .filter(|&z| z.is_finite() && z > zs && z < self.most)
            .collect();
        ends.push(self.most);
        ends.sort_by(f64::total_cmp);
        let (mut i, mut za, mut qa) = (split, zs, qs);
        let pieces = ends.len();
        for (e, zb) in ends.into_iter().enumerate() {
            let qb = q(zb);
            let slope = if zb > za { (qb - qa) / (zb - za) } else { 0.0 };
            // The last piece takes every state left (the top state may pass `most` by a
            // rounding of the step).
            let last = e + 1 == pieces;
            while i < self.hours.len() && (last || self.hours[i] <= zb) {
                let qi = qa + slope * (self.hours[i] - za);
                if qi + self.from_high[i] >= best {
                    return best;
                }
                best = best.min(self.cost[i] + qi);
                i += 1;
            }
            (za, qa) = (zb, qb);
        }
        best
    }

    /// A lower bound on [`Knapsack::least`] without its scan of the states: the cheapest
    /// state's cost plus the penalty's least value (each part is at most its share of any
    /// state's total). Intervals whose floor is above the best total so far need no scan.
    pub fn floor(&self, lo: f64, hi: f64, pen: &impl Fn(f64) -> f64, kinks: &[f64]) -> f64 {
        let cheapest = self.from_low.last().copied().unwrap_or(f64::INFINITY);
        cheapest + self.lowest_q(lo, hi, pen, kinks).1
    }

    /// Where the cost of the hours z alone (the rest's price and the penalty of z's
    /// distance from [lo, hi]) is least on [0, most], and that cost.
    fn lowest_q(&self, lo: f64, hi: f64, pen: &impl Fn(f64) -> f64, kinks: &[f64]) -> (f64, f64) {
        let p = self.price.unwrap_or(0.0);
        let q = |z: f64| p * z + pen((lo - z).max(z - hi).max(0.0));
        // q is convex: its least value on [0, most] is at 0, most, lo, hi or a kink.
        let kinked = kinks.iter().flat_map(|&k| [lo - k, hi + k]);
        let points = [0.0, self.most, lo, hi].into_iter().chain(kinked);
        let mut zs = 0.0;
        let mut qs = q(0.0);
        for z in points.filter(|z| z.is_finite()) {
            let z = z.clamp(0.0, self.most);
            let v = q(z);
            if v < qs {
                (zs, qs) = (z, v);
            }
        }
        (zs, qs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subset of whole groups, by brute force.
    fn brute(items: &[Pair], most: f64, lo: f64, hi: f64, pen: &dyn Fn(f64) -> f64) -> f64 {
        let mut best = f64::INFINITY;
        for mask in 0u32..(1 << items.len()) {
            let (mut r, mut h) = (0.0, 0.0);
            for (i, it) in items.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    r += it.r;
                    h += it.hours;
                }
            }
            if h <= most + 1e-9 {
                best = best.min(r + pen((lo - h).max(h - lo.max(hi)).max(0.0)));
            }
        }
        best
    }

    /// Reproducible pseudo-random numbers below `m` (a linear congruential generator).
    fn numbers(mut seed: u64) -> impl FnMut(u64) -> u64 {
        move |m| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        }
    }

    /// The state-by-state 0/1 loop `states` replaces, on many small random knapsacks
    /// (zero-hour groups, groups past the most hours and ties included).
    #[test]
    fn states_equal_the_plain_loop() {
        let mut next = numbers(12345);
        for _ in 0..300 {
            let n = next(60) as usize;
            let items: Vec<Pair> = (0..next(12))
                .map(|_| Pair {
                    r: next(21) as f64 - 10.0,
                    hours: next(25) as f64 * 0.5,
                })
                .collect();
            let mut plain = vec![f64::INFINITY; n + 1];
            plain[0] = 0.0;
            for p in &items {
                let k = (p.hours / 0.5).round() as usize;
                for s in (k..=n).rev().filter(|_| k <= n) {
                    plain[s] = plain[s].min(plain[s - k] + p.r);
                }
            }
            assert_eq!(states(&items, 0.5, n), plain);
        }
    }

    /// `least` against every state evaluated in full (the states below the cheapest hours
    /// topped up at the rest's price), on random knapsacks, intervals and prices.
    #[test]
    fn least_equals_every_state_evaluated() {
        let mut next = numbers(777);
        let pen = |d: f64| {
            if d <= 1.0 {
                0.1 * d
            } else if d <= 3.0 {
                0.1 + 2.0 * (d - 1.0)
            } else {
                4.1 + 9.0 * (d - 3.0)
            }
        };
        let kinks = [1.0, 3.0];
        for _ in 0..400 {
            let items: Vec<Pair> = (0..1 + next(10))
                .map(|_| Pair {
                    r: next(41) as f64 / 4.0 - 5.0,
                    hours: next(13) as f64 * 0.5,
                })
                .collect();
            let cut = next(items.len() as u64 + 1) as usize;
            let (core, rest) = items.split_at(cut);
            let most = 2.0 + next(30) as f64 * 0.5;
            let (k, _) = Knapsack::new(core, rest, 0.5, most);
            let lo = next(40) as f64 * 0.4;
            let hi = if next(5) == 0 {
                f64::INFINITY
            } else {
                lo + next(10) as f64 * 0.3
            };
            let p = k.price.unwrap_or(0.0);
            let q = |z: f64| p * z + pen((lo - z).max(z - hi).max(0.0));
            let (zs, qs) = k.lowest_q(lo, hi, &pen, &kinks);
            let full = (0..k.hours.len())
                .map(|i| {
                    if k.price.is_some() && k.hours[i] <= zs {
                        k.cost[i] + qs
                    } else {
                        k.cost[i] + q(k.hours[i])
                    }
                })
                .fold(f64::INFINITY, f64::min);
            let got = k.least(lo, hi, &pen, &kinks);
            assert!(
                (got - full).abs() <= 1e-9 * full.abs().max(1.0),
                "[{lo}, {hi}] most {most}: least {got}, every state {full}"
            );
        }
    }

    #[test]
    fn all_whole_is_the_exact_optimum_and_a_fractional_rest_never_exceeds_it() {
        let pen = |d: f64| {
            if d <= 2.0 {
                0.5 * d
            } else {
                1.0 + 3.0 * (d - 2.0)
            }
        };
        let items: Vec<Pair> = [
            (-3.0, 2.0),
            (1.0, 3.0),
            (-0.5, 1.5),
            (2.0, 4.0),
            (-1.0, 2.5),
        ]
        .into_iter()
        .map(|(r, hours)| Pair { r, hours })
        .collect();
        for (lo, hi) in [(0.0, 0.0), (4.0, 5.0), (6.0, 6.0), (9.0, f64::INFINITY)] {
            let exact = brute(&items, 10.0, lo, hi, &pen);
            let (k, free) = Knapsack::new(&items, &[], 0.5, 10.0);
            let whole = k.least(lo, hi, &pen, &[2.0]) + free;
            assert!(
                (whole - exact).abs() < 1e-9,
                "{lo}-{hi}: {whole} vs {exact}"
            );
            let (core, rest) = items.split_at(2);
            let (k, free) = Knapsack::new(core, rest, 0.5, 10.0);
            let relaxed = k.least(lo, hi, &pen, &[2.0]) + free;
            let floor = k.floor(lo, hi, &pen, &[2.0]) + free;
            assert!(
                floor <= relaxed + 1e-12,
                "{lo}-{hi}: floor {floor} above {relaxed}"
            );
            assert!(
                relaxed <= exact + 1e-9,
                "{lo}-{hi}: {relaxed} above {exact}"
            );
        }
    }
}
