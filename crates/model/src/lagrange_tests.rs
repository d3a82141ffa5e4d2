//! The whole-group bound is a bound for any multipliers, not only the LP's: pricing uses
//! it with the duals of an unconverged round. Small regions against every plan.

use super::*;
use crate::balance::tests::policy;
use crate::domain::{Class, Group, Manager, Policy, Star};
use crate::{Limits, Run};

/// A small xorshift stream: the cases are the same on every run.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % 1_000_000) as f64 / 1_000_000.0
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.next() * n as f64) as usize).min(n - 1)
    }
}

/// The least objective of a plan that keeps every hard rule, over every plan.
fn optimum(p: &RegionProblem, cands: &[Vec<usize>]) -> Option<f64> {
    let mut pick = vec![0usize; cands.len()];
    let mut best: Option<f64> = None;
    loop {
        let plan: Vec<usize> = pick.iter().zip(cands).map(|(&i, c)| c[i]).collect();
        if crate::keeps_all(p, &plan) {
            let v = rules::weighted(p, &plan);
            best = Some(best.map_or(v, |b: f64| b.min(v)));
        }
        // The next plan, as an odometer over each group's candidates.
        let mut g = 0;
        loop {
            if g == pick.len() {
                return best;
            }
            pick[g] += 1;
            if pick[g] < cands[g].len() {
                break;
            }
            pick[g] = 0;
            g += 1;
        }
    }
}

fn region<'a>(pol: &'a Policy, draw: &mut Draw) -> RegionProblem<'a> {
    let stars = [Star::One, Star::Two, Star::Three];
    let n = 3 + draw.below(2);
    let managers: Vec<Manager> = (0..n)
        .map(|i| Manager {
            id: format!("M{i}"),
            region: 0,
            star: stars[i % 3],
            capacity: if draw.next() < 0.3 { 0.5 } else { 1.0 },
            available: true,
            // A fourth manager is frozen: not limited, its pairs priced one by one.
            frozen: i == 3,
        })
        .collect();
    let classes = [Class::A, Class::B, Class::C];
    let groups: Vec<Group> = (0..7)
        .map(|i| Group {
            id: format!("G{i}"),
            region: 0,
            class: classes[draw.below(3)],
            members: (draw.next() * 200.0) as u32,
            current: (draw.next() < 0.6).then(|| draw.below(n)),
            pinned: false,
            recent: false,
        })
        .collect();
    RegionProblem::new(managers, groups, pol)
}

/// The LP's duals moved at random (C1's freely, the others scaled and shifted; the bound
/// clamps their signs) never give a bound above the optimum; the LP's own never do either.
#[test]
fn the_bound_holds_for_any_multipliers() {
    let mut pol = policy();
    pol.service = [crate::domain::Service {
        visits_per_month: 1.0,
        hours_per_visit: 1.0,
        hours_per_member: 0.01,
    }; 3];
    pol.monthly_hours = 5.0;
    pol.max_groups = [3.0; 3];
    pol.span_target = [150.0; 3];
    pol.span_max = [400.0; 3];
    pol.penalty = [
        [None, Some(1.0), Some(0.0)],
        [Some(1.0), Some(0.0), Some(1.0)],
        [Some(0.0), Some(1.0), Some(3.0)],
    ];
    let mut draw = Draw(11);
    let mut checked = 0;
    for _ in 0..60 {
        let p = region(&pol, &mut draw);
        let cands = rules::candidates(&p).to_vec();
        if cands.iter().any(Vec::is_empty) {
            continue;
        }
        let Some(best) = optimum(&p, &cands) else {
            continue;
        };
        let run = Run {
            limits: Limits {
                time_limit_seconds: 30.0,
                relative_gap: 0.0,
                seed: 0,
                work_limit: None,
            },
            clock: Instant::now(),
            cancel: None,
            export: None,
            work: None,
        };
        let stop = run.deadline();
        let (lp, duals, offset) = lp_duals(&p, &cands, &run, stop).expect("LP solved");
        assert!(lp <= best + 1e-6, "LP {lp} above the optimum {best}");
        let at_lp = bound(&duals, &cands, offset, stop)
            .expect("hours in steps")
            .value;
        assert!(at_lp <= best + 1e-6, "{at_lp} above the optimum {best}");
        for _ in 0..10 {
            let mut moved = Duals {
                p: &p,
                y: duals.y.clone(),
                map: duals.map.clone(),
            };
            for (r, y) in moved.y.iter_mut().enumerate() {
                *y = if duals.map.c1.contains(&r) {
                    *y + 4.0 * (draw.next() - 0.5)
                } else {
                    *y * 2.0 * draw.next() + (draw.next() - 0.5)
                };
            }
            let got = bound(&moved, &cands, offset, stop)
                .expect("hours in steps")
                .value;
            assert!(got <= best + 1e-6, "{got} above the optimum {best}");
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} regions had a plan");
}
