//! KPIs of a layout (the current one or a plan) in one region, from domain data.

use starplan_format::output::{round6, KpiSet, MinMax, Mismatched, Utilisation};
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
    let (umin, umax) = min_max(&util);
    let (smin, smax) = min_max(&span);
    let mean = if util.is_empty() {
        0.0
    } else {
        util.iter().sum::<f64>() / util.len() as f64
    };
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
        utilisation: Utilisation {
            min: round6(umin),
            mean: round6(mean),
            max: round6(umax),
            spread: round6(umax - umin),
        },
        groups_moved: moved,
        members_moved,
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
