//! KPIs of a layout, computed afresh from the formats, and their comparison with the plan's (K1).

use super::close;
use super::view::{Layout, RegionView};
use starplan_format::output::KpiSet;

impl Layout {
    /// The KPIs as the plan format defines them, computed afresh.
    pub fn kpis(&self, view: &RegionView) -> KpiSet {
        let mut k = KpiSet {
            unserved_groups: 0,
            mismatched: starplan_format::output::Mismatched {
                forbidden: 0,
                under_grade: 0,
                over_grade: 0,
            },
            managers_over_span_target: 0,
            managers_over_span_max: 0,
            managers_over_max_groups: 0,
            member_span: starplan_format::output::MinMax { min: 0.0, max: 0.0 },
            utilisation: starplan_format::output::Utilisation {
                min: 0.0,
                mean: 0.0,
                max: 0.0,
                spread: 0.0,
            },
            groups_moved: 0,
            members_moved: 0,
        };
        for (g, a) in view.groups.iter().zip(&self.assigned) {
            let Some(m) = a.map(|m| view.managers[m]).filter(|m| m.available) else {
                k.unserved_groups += 1;
                continue;
            };
            // The home star of class A is 3, of B 2, of C 1.
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
        let umin = utils.iter().cloned().fold(f64::MAX, f64::min);
        let umax = utils.iter().cloned().fold(f64::MIN, f64::max);
        k.member_span = starplan_format::output::MinMax {
            min: smin,
            max: smax,
        };
        k.utilisation = starplan_format::output::Utilisation {
            min: umin,
            mean: utils.iter().sum::<f64>() / utils.len() as f64,
            max: umax,
            spread: umax - umin,
        };
        k
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
    let floats = [
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
        (
            "utilisation.min",
            mine.utilisation.min,
            claimed.utilisation.min,
        ),
        (
            "utilisation.mean",
            mine.utilisation.mean,
            claimed.utilisation.mean,
        ),
        (
            "utilisation.max",
            mine.utilisation.max,
            claimed.utilisation.max,
        ),
        (
            "utilisation.spread",
            mine.utilisation.spread,
            claimed.utilisation.spread,
        ),
    ];
    for (name, a, b) in floats {
        if !close(a, b) {
            report(format!("{name} is {b}, recomputed {a}"));
        }
    }
}
