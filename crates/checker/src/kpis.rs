//! KPIs of a layout, computed afresh from the formats, and their comparison with the plan's (K1).

use super::close;
use super::view::{Layout, RegionView};
use starplan_format::output::{Fairness, KpiSet, MinMax, Mismatched, StarFairness, Utilisation};

/// Min, mean, max, spread, max ÷ min and population coefficient of variation.
fn stats(v: &[f64]) -> Utilisation {
    if v.is_empty() {
        return Utilisation {
            min: 0.0,
            mean: 0.0,
            max: 0.0,
            spread: 0.0,
            max_over_min: None,
            cv: 0.0,
        };
    }
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let sd = (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / v.len() as f64).sqrt();
    Utilisation {
        min,
        mean,
        max,
        spread: max - min,
        max_over_min: (min > 0.0).then_some(max / min),
        cv: if mean > 0.0 { sd / mean } else { 0.0 },
    }
}

impl Layout {
    /// The KPIs as the plan format defines them, computed afresh.
    pub fn kpis(&self, view: &RegionView) -> KpiSet {
        let mut k = KpiSet {
            unserved_groups: 0,
            mismatched: Mismatched {
                forbidden: 0,
                under_grade: 0,
                over_grade: 0,
            },
            managers_over_span_target: 0,
            managers_over_span_max: 0,
            managers_over_max_groups: 0,
            member_span: MinMax { min: 0.0, max: 0.0 },
            utilisation: stats(&[]),
            groups_moved: 0,
            members_moved: 0,
            fairness: self.fairness(view),
        };
        self.served(view, &mut k);
        let avail: Vec<usize> = (0..view.managers.len())
            .filter(|&m| view.managers[m].available)
            .collect();
        if avail.is_empty() {
            return k;
        }
        let mut utils = Vec::new();
        let (mut smin, mut smax) = (f64::MAX, f64::MIN);
        for &m in &avail {
            let mgr = view.managers[m];
            let members = self.members[m] as f64;
            k.managers_over_span_target += usize::from(members > view.span(mgr, false) + 1e-9);
            k.managers_over_span_max += usize::from(members > view.span(mgr, true) + 1e-9);
            k.managers_over_max_groups +=
                usize::from(self.count[m] as f64 > view.max_groups(mgr) + 1e-9);
            smin = smin.min(members);
            smax = smax.max(members);
            utils.push(self.hours[m] / view.monthly(mgr));
        }
        k.member_span = MinMax {
            min: smin,
            max: smax,
        };
        k.utilisation = stats(&utils);
        k
    }

    /// Unserved groups, grade mismatches and moves.
    fn served(&self, view: &RegionView, k: &mut KpiSet) {
        for (g, a) in view.groups.iter().zip(&self.assigned) {
            let Some(m) = a.map(|m| view.managers[m]).filter(|m| m.available) else {
                k.unserved_groups += 1;
                continue;
            };
            let home = g.class.home_star();
            if view.penalty(g, m).is_none() {
                k.mismatched.forbidden += 1;
            } else if m.star < home {
                k.mismatched.under_grade += 1;
            } else if m.star > home {
                k.mismatched.over_grade += 1;
            }
            if g.current_manager.as_ref().is_some_and(|c| *c != m.id) {
                k.groups_moved += 1;
                k.members_moved += g.members as u64;
            }
        }
    }

    /// Per star, the utilisation of available, non-frozen managers that have a group.
    fn fairness(&self, view: &RegionView) -> Fairness {
        let util = |m: usize| self.hours[m] / view.monthly(view.managers[m]);
        let managers_over_hours = (0..view.managers.len())
            .filter(|&m| view.managers[m].available && util(m) > 1.0 + 1e-9)
            .count();
        let mut by_star = Vec::new();
        for star in 1..=3u8 {
            let pool: Vec<usize> = (0..view.managers.len())
                .filter(|&m| {
                    view.limited(view.managers[m]) && view.managers[m].star == i64::from(star)
                })
                .collect();
            if pool.is_empty() {
                continue;
            }
            let busy: Vec<f64> = pool
                .iter()
                .filter(|&&m| self.count[m] > 0)
                .map(|&m| util(m))
                .collect();
            let u = stats(&busy);
            by_star.push(StarFairness {
                star,
                managers: pool.len(),
                idle: pool.len() - busy.len(),
                min: u.min,
                mean: u.mean,
                max: u.max,
                max_over_min: u.max_over_min,
                cv: u.cv,
            });
        }
        Fairness {
            managers_over_hours,
            idle_managers: by_star.iter().map(|s| s.idle).sum(),
            by_star,
        }
    }
}

fn same_ratio(name: &str, a: Option<f64>, b: Option<f64>, report: &mut dyn FnMut(String)) {
    let same = match (a, b) {
        (Some(x), Some(y)) => close(x, y),
        (None, None) => true,
        _ => false,
    };
    if !same {
        report(format!("{name} is {b:?}, recomputed {a:?}"));
    }
}

fn same_utilisation(
    name: &str,
    mine: &Utilisation,
    claimed: &Utilisation,
    report: &mut dyn FnMut(String),
) {
    for (field, a, b) in [
        ("min", mine.min, claimed.min),
        ("mean", mine.mean, claimed.mean),
        ("max", mine.max, claimed.max),
        ("spread", mine.spread, claimed.spread),
        ("cv", mine.cv, claimed.cv),
    ] {
        if !close(a, b) {
            report(format!("{name}.{field} is {b}, recomputed {a}"));
        }
    }
    same_ratio(
        &format!("{name}.max_over_min"),
        mine.max_over_min,
        claimed.max_over_min,
        report,
    );
}

fn same_fairness(mine: &Fairness, claimed: &Fairness, report: &mut dyn FnMut(String)) {
    for (name, a, b) in [
        (
            "fairness.managers_over_hours",
            mine.managers_over_hours,
            claimed.managers_over_hours,
        ),
        (
            "fairness.idle_managers",
            mine.idle_managers,
            claimed.idle_managers,
        ),
    ] {
        if a != b {
            report(format!("{name} is {b}, recomputed {a}"));
        }
    }
    let stars = |f: &Fairness| {
        f.by_star
            .iter()
            .map(|s| (s.star, s.managers, s.idle))
            .collect::<Vec<_>>()
    };
    if stars(mine) != stars(claimed) {
        let what = format!(
            "fairness.by_star (star, managers, idle) is {:?}, recomputed {:?}",
            stars(claimed),
            stars(mine)
        );
        report(what);
        return;
    }
    for (a, b) in mine.by_star.iter().zip(&claimed.by_star) {
        let as_util = |s: &StarFairness| Utilisation {
            min: s.min,
            mean: s.mean,
            max: s.max,
            spread: s.max - s.min,
            max_over_min: s.max_over_min,
            cv: s.cv,
        };
        same_utilisation(
            &format!("fairness.by_star[{}★]", a.star),
            &as_util(a),
            &as_util(b),
            report,
        );
    }
}

/// Compares recomputed KPIs with claimed ones; reports each difference.
pub fn same_kpis(mine: &KpiSet, claimed: &KpiSet, report: &mut dyn FnMut(String)) {
    let ints = [
        (
            "unserved_groups",
            mine.unserved_groups,
            claimed.unserved_groups,
        ),
        (
            "mismatched.forbidden",
            mine.mismatched.forbidden,
            claimed.mismatched.forbidden,
        ),
        (
            "mismatched.under_grade",
            mine.mismatched.under_grade,
            claimed.mismatched.under_grade,
        ),
        (
            "mismatched.over_grade",
            mine.mismatched.over_grade,
            claimed.mismatched.over_grade,
        ),
        (
            "managers_over_span_target",
            mine.managers_over_span_target,
            claimed.managers_over_span_target,
        ),
        (
            "managers_over_span_max",
            mine.managers_over_span_max,
            claimed.managers_over_span_max,
        ),
        (
            "managers_over_max_groups",
            mine.managers_over_max_groups,
            claimed.managers_over_max_groups,
        ),
        ("groups_moved", mine.groups_moved, claimed.groups_moved),
        (
            "members_moved",
            mine.members_moved as usize,
            claimed.members_moved as usize,
        ),
    ];
    for (name, a, b) in ints {
        if a != b {
            report(format!("{name} is {b}, recomputed {a}"));
        }
    }
    for (name, a, b) in [
        (
            "member_span.min",
            mine.member_span.min,
            claimed.member_span.min,
        ),
        (
            "member_span.max",
            mine.member_span.max,
            claimed.member_span.max,
        ),
    ] {
        if !close(a, b) {
            report(format!("{name} is {b}, recomputed {a}"));
        }
    }
    same_utilisation(
        "utilisation",
        &mine.utilisation,
        &claimed.utilisation,
        report,
    );
    same_fairness(&mine.fairness, &claimed.fairness, report);
}
