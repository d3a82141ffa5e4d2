//! KPIs of a layout (the current one or a plan) in one region, from domain data.

use starplan_format::output::{
    round6, Fairness, KpiSet, MinMax, Mismatched, StarFairness, Utilisation,
};
use starplan_model::domain::Star;
use starplan_model::rules;
use starplan_model::RegionProblem;

/// Per-manager totals of a layout: groups, members, workload hours.
pub fn loads(p: &RegionProblem, assign: &[Option<usize>]) -> (Vec<usize>, Vec<u64>, Vec<f64>) {
    let n = p.managers.len();
    let (mut count, mut members, mut load) = (vec![0usize; n], vec![0u64; n], vec![0.0; n]);
    for (g, a) in assign.iter().enumerate() {
        if let Some(m) = *a {
            count[m] += 1;
            members[m] += u64::from(p.groups[g].members);
            load[m] += p.policy.workload(p.groups[g].class, p.groups[g].members);
        }
    }
    (count, members, load)
}

/// KPIs of a layout; `assign[g]` is the group's manager, `None` when it has none.
pub fn kpis(p: &RegionProblem, assign: &[Option<usize>]) -> KpiSet {
    let (count, members, load) = loads(p, assign);
    let mut mismatched = Mismatched {
        forbidden: 0,
        under_grade: 0,
        over_grade: 0,
    };
    let (mut unserved, mut moved, mut members_moved) = (0, 0, 0u64);
    for (g, a) in assign.iter().enumerate() {
        let grp = &p.groups[g];
        let Some(m) = a.filter(|&m| p.managers[m].available) else {
            unserved += 1;
            continue;
        };
        let star = p.managers[m].star;
        if p.policy.penalty(star, grp.class).is_none() {
            mismatched.forbidden += 1;
        } else if star < grp.class.home_star() {
            mismatched.under_grade += 1;
        } else if star > grp.class.home_star() {
            mismatched.over_grade += 1;
        }
        if grp.current.is_some_and(|c| c != m) {
            moved += 1;
            members_moved += u64::from(grp.members);
        }
    }
    let avail: Vec<usize> = (0..p.managers.len())
        .filter(|&m| p.managers[m].available)
        .collect();
    let over = |limit: &dyn Fn(usize) -> f64, value: &dyn Fn(usize) -> f64| {
        avail
            .iter()
            .filter(|&&m| value(m) > limit(m) + 1e-9)
            .count()
    };
    let util: Vec<f64> = avail
        .iter()
        .map(|&m| load[m] / rules::hours(p, m))
        .collect();
    let span: Vec<f64> = avail.iter().map(|&m| members[m] as f64).collect();
    let (smin, smax) = min_max(&span);
    KpiSet {
        unserved_groups: unserved,
        mismatched,
        managers_over_span_target: over(&|m| rules::c7_span_target(p, m), &|m| members[m] as f64),
        managers_over_span_max: over(&|m| rules::c7_span_max(p, m), &|m| members[m] as f64),
        managers_over_max_groups: over(&|m| rules::c6_max_groups(p, m), &|m| count[m] as f64),
        member_span: MinMax {
            min: smin,
            max: smax,
        },
        utilisation: utilisation(&util),
        groups_moved: moved,
        members_moved,
        fairness: fairness(p, &count, &load),
    }
}

/// Min, mean, max, spread, max ÷ min and coefficient of variation of some utilisations.
fn utilisation(util: &[f64]) -> Utilisation {
    let (min, max) = min_max(util);
    let (mean, cv) = mean_cv(util);
    Utilisation {
        min: round6(min),
        mean: round6(mean),
        max: round6(max),
        spread: round6(max - min),
        max_over_min: (min > 0.0).then(|| round6(max / min)),
        cv: round6(cv),
    }
}

fn mean_cv(v: &[f64]) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let cv = if mean > 0.0 { var.sqrt() / mean } else { 0.0 };
    (mean, cv)
}

/// Utilisation per star among available, non-frozen managers (those with a group), the
/// idle ones, and the available managers above their monthly hours.
fn fairness(p: &RegionProblem, count: &[usize], load: &[f64]) -> Fairness {
    let util = |m: usize| load[m] / rules::hours(p, m);
    let over = (0..p.managers.len())
        .filter(|&m| p.managers[m].available && util(m) > 1.0 + 1e-9)
        .count();
    let mut by_star = Vec::new();
    let mut idle_total = 0;
    for star in Star::ALL {
        let pool: Vec<usize> = (0..p.managers.len())
            .filter(|&m| rules::limited(p, m) && p.managers[m].star == star)
            .collect();
        if pool.is_empty() {
            continue;
        }
        let busy: Vec<f64> = pool
            .iter()
            .filter(|&&m| count[m] > 0)
            .map(|&m| util(m))
            .collect();
        let idle = pool.len() - busy.len();
        idle_total += idle;
        let u = utilisation(&busy);
        by_star.push(StarFairness {
            star: star.number(),
            managers: pool.len(),
            idle,
            min: u.min,
            mean: u.mean,
            max: u.max,
            max_over_min: u.max_over_min,
            cv: u.cv,
        });
    }
    Fairness {
        managers_over_hours: over,
        idle_managers: idle_total,
        by_star,
    }
}

fn min_max(v: &[f64]) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        })
}
