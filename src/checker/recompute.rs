//! The checker's own arithmetic: a region's layout, its KPIs, objective terms and manager loads, from the formats alone.

use super::close;
use crate::format::input::{ClassIn, GroupIn, InputFile, ManagerIn};
use crate::format::output::{KpiSet, PlanFile, RegionPlan};
use crate::format::policy::PolicyIn;
use std::collections::HashMap;

/// A region's entities as the input lists them.
pub struct RegionView<'a> {
    pub policy: &'a PolicyIn,
    pub groups: Vec<&'a GroupIn>,
    pub managers: Vec<&'a ManagerIn>,
    index: HashMap<&'a str, usize>,
}

/// Who serves each group, and each manager's totals.
pub struct Layout {
    pub assigned: Vec<Option<usize>>,
    ids: HashMap<String, usize>,
    pub count: Vec<usize>,
    pub members: Vec<u64>,
    pub hours: Vec<f64>,
}

fn class_ix(c: ClassIn) -> usize {
    match c {
        ClassIn::A => 0,
        ClassIn::B => 1,
        ClassIn::C => 2,
    }
}

impl<'a> RegionView<'a> {
    pub fn new(input: &'a InputFile, region: &str) -> Option<Self> {
        input.regions.iter().find(|r| r.id == region)?;
        let managers: Vec<&ManagerIn> = input
            .managers
            .iter()
            .filter(|m| m.region == region)
            .collect();
        Some(RegionView {
            policy: &input.policy,
            groups: input.groups.iter().filter(|g| g.region == region).collect(),
            index: managers
                .iter()
                .enumerate()
                .map(|(i, m)| (m.id.as_str(), i))
                .collect(),
            managers,
        })
    }

    pub fn manager(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn penalty(&self, g: &GroupIn, m: &ManagerIn) -> Option<f64> {
        self.policy.penalty(g.class, m.star)
    }

    pub fn max_groups(&self, m: &ManagerIn) -> f64 {
        self.policy.max_groups.to_array()[(m.star - 1) as usize]
    }

    /// Span target (or maximum) of a manager, scaled by capacity.
    pub fn span(&self, m: &ManagerIn, max: bool) -> f64 {
        let by_star = if max {
            self.policy.member_span.max
        } else {
            self.policy.member_span.target
        };
        by_star.to_array()[(m.star - 1) as usize] * m.capacity
    }

    pub fn in_frozen_book(&self, g: &GroupIn) -> bool {
        g.current_manager
            .as_deref()
            .and_then(|c| self.manager(c))
            .is_some_and(|m| self.managers[m].frozen)
    }

    pub fn hours_of(&self, g: &GroupIn) -> f64 {
        let s = self.policy.service.to_array()[class_ix(g.class)];
        s.visits_per_month * s.hours_per_visit + s.hours_per_member * g.members as f64
    }

    pub fn move_cost(&self, g: &GroupIn) -> f64 {
        let c = self.policy.move_cost.to_array()[class_ix(g.class)];
        c.fixed + c.per_member * g.members as f64
    }

    fn monthly(&self, m: &ManagerIn) -> f64 {
        self.policy.monthly_hours * m.capacity
    }

    /// The layout given by `who(group)` = manager id (or none).
    pub fn layout<'c>(&self, who: impl Fn(&'a GroupIn) -> Option<&'c str>) -> Layout {
        let n = self.managers.len();
        let mut l = Layout {
            assigned: Vec::new(),
            ids: self
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| (g.id.clone(), i))
                .collect(),
            count: vec![0; n],
            members: vec![0; n],
            hours: vec![0.0; n],
        };
        for &g in &self.groups {
            let m = who(g).and_then(|id| self.manager(id));
            if let Some(m) = m {
                l.count[m] += 1;
                l.members[m] += g.members as u64;
                l.hours[m] += self.hours_of(g);
            }
            l.assigned.push(m);
        }
        l
    }
}

impl Layout {
    pub fn manager_of(&self, group: &str) -> Option<usize> {
        self.assigned[*self.ids.get(group)?]
    }

    /// The KPIs as the plan format defines them, computed afresh.
    pub fn kpis(&self, view: &RegionView) -> KpiSet {
        let mut k = KpiSet {
            unserved_groups: 0,
            mismatched: crate::format::output::Mismatched {
                forbidden: 0,
                under_grade: 0,
                over_grade: 0,
            },
            managers_over_span_target: 0,
            managers_over_span_max: 0,
            managers_over_max_groups: 0,
            member_span: crate::format::output::MinMax { min: 0.0, max: 0.0 },
            utilisation: crate::format::output::Utilisation {
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
            let home = 3 - class_ix(g.class) as i64;
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
            k.managers_over_max_groups += usize::from(
                self.count[m] as f64 > (view.max_groups(mgr) * mgr.capacity + 1e-9).floor() + 1e-9,
            );
            smin = smin.min(members);
            smax = smax.max(members);
            utils.push(self.hours[m] / view.monthly(mgr));
        }
        let umin = utils.iter().cloned().fold(f64::MAX, f64::min);
        let umax = utils.iter().cloned().fold(f64::MIN, f64::max);
        k.member_span = crate::format::output::MinMax {
            min: smin,
            max: smax,
        };
        k.utilisation = crate::format::output::Utilisation {
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

/// The four raw terms of a layout: C5 penalty points, C7 members over target, C8 hours
/// outside the band, C9 move cost.
pub fn raw_terms(view: &RegionView, after: &Layout) -> [f64; 4] {
    let p = view.policy;
    let (mut mismatch, mut moves) = (0.0, 0.0);
    for (g, a) in view.groups.iter().zip(&after.assigned) {
        let Some(m) = a.map(|m| view.managers[m]) else {
            continue;
        };
        mismatch += view.penalty(g, m).unwrap_or(0.0);
        if g.current_manager.as_ref().is_some_and(|c| *c != m.id) {
            moves += view.move_cost(g);
        }
    }
    let mut span = 0.0;
    for (m, mgr) in view.managers.iter().enumerate() {
        if mgr.available {
            span += (after.members[m] as f64 - view.span(mgr, false)).max(0.0);
        }
    }
    // C8: the band is ±tolerance around (hours of groups outside frozen books) ÷ (hours of
    // available, non-frozen managers), scaled by each such manager's capacity.
    let balanced: Vec<usize> = (0..view.managers.len())
        .filter(|&m| view.managers[m].available && !view.managers[m].frozen)
        .collect();
    let free_hours: f64 = view
        .groups
        .iter()
        .filter(|g| !view.in_frozen_book(g))
        .map(|g| view.hours_of(g))
        .sum();
    let capacity: f64 = balanced
        .iter()
        .map(|&m| view.monthly(view.managers[m]))
        .sum();
    let level = if capacity > 0.0 {
        free_hours / capacity
    } else {
        0.0
    };
    let mut balance = 0.0;
    for &m in &balanced {
        let cap = view.monthly(view.managers[m]);
        let (lo, hi) = (
            (1.0 - p.balance_tolerance) * level * cap,
            (1.0 + p.balance_tolerance) * level * cap,
        );
        balance += (after.hours[m] - hi).max(lo - after.hours[m]).max(0.0);
    }
    [mismatch, span, balance, moves]
}

/// Recomputes the four objective terms, the objective, and the bound/gap relation.
pub fn same_terms(
    view: &RegionView,
    after: &Layout,
    rp: &RegionPlan,
    report: &mut dyn FnMut(&'static str, String),
) {
    let p = view.policy;
    let [mismatch, span, balance, moves] = raw_terms(view, after);
    let expected = [
        ("C5", mismatch, p.weights.mismatch),
        ("C7", span, p.weights.span),
        ("C8", balance, p.weights.balance),
        ("C9", moves, p.weights.moves),
    ];
    if rp.terms.len() != expected.len() {
        report(
            "T1",
            format!(
                "{} objective terms, expected {}",
                rp.terms.len(),
                expected.len()
            ),
        );
    }
    let mut objective = 0.0;
    for (id, raw, weight) in expected {
        objective += raw * weight;
        match rp.terms.iter().find(|t| t.id == id) {
            None => report("T1", format!("term {id} is missing")),
            Some(t) => {
                if !close(t.raw, raw) || !close(t.weight, weight) || !close(t.value, raw * weight) {
                    report(
                        "T1",
                        format!(
                            "term {id}: claims raw {} × {} = {}, recomputed {raw} × {weight} = {}",
                            t.raw,
                            t.weight,
                            t.value,
                            raw * weight
                        ),
                    );
                }
            }
        }
    }
    match rp.objective {
        Some(o) if close(o, objective) => {}
        other => report("T1", format!("objective {other:?}, recomputed {objective}")),
    }
    if let (Some(b), Some(o)) = (rp.bound, rp.objective) {
        if b > o + 1e-6 * o.abs().max(1.0) {
            report("T2", format!("bound {b} is above the objective {o}"));
        }
        let gap = (o - b).max(0.0) / o.abs().max(1.0);
        if rp.gap.is_none_or(|g| !close(g, gap)) {
            report("T2", format!("gap {:?}, recomputed {gap}", rp.gap));
        }
    } else if rp.gap.is_some() {
        report("T2", "a gap without both objective and bound".into());
    }
}

/// Compares the plan's per-manager loads with recomputed ones.
pub fn same_loads(
    view: &RegionView,
    after: &Layout,
    plan: &PlanFile,
    report: &mut dyn FnMut(String),
) {
    let loads: HashMap<&str, &crate::format::output::ManagerLoad> =
        plan.managers.iter().map(|l| (l.id.as_str(), l)).collect();
    for (m, mgr) in view.managers.iter().enumerate() {
        let Some(l) = loads.get(mgr.id.as_str()) else {
            report(format!("manager {} has no load entry", mgr.id));
            continue;
        };
        let util = after.hours[m] / view.monthly(mgr);
        if l.region != mgr.region
            || i64::from(l.star) != mgr.star
            || l.groups != after.count[m]
            || l.members != after.members[m]
            || !close(l.workload, after.hours[m])
            || !close(l.utilisation, util)
        {
            report(format!(
                "manager {}: claims {} groups, {} members, {} h, util {}; recomputed {}, {}, {}, {}",
                mgr.id, l.groups, l.members, l.workload, l.utilisation, after.count[m], after.members[m], after.hours[m], util
            ));
        }
    }
}
