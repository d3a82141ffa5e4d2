//! A reason for every move (and for a cross-grade pair that stays), from the layouts before and after.

use super::kpi::loads;
use starplan_format::codes::ReasonKind;
use starplan_format::output::Reason;
use starplan_model::balance::{pools, Shape};
use starplan_model::domain::{Goal, Mode};
use starplan_model::rules;
use starplan_model::RegionProblem;

fn reason(kind: ReasonKind, detail: String) -> Reason {
    Reason {
        rule: kind.rule(),
        kind,
        detail,
    }
}

/// What every group's reasons are read from.
struct Layouts<'a> {
    p: &'a RegionProblem<'a>,
    count0: Vec<usize>,
    members0: Vec<u64>,
    load0: Vec<f64>,
    load1: Vec<f64>,
    /// Per manager: the hours at its pool's level in the plan (limited managers only).
    level_hours: Vec<Option<f64>>,
    /// Balance explains a move only when the objective weighs it.
    balance_counts: bool,
}

/// Reasons per group (local order). `assign` is the plan; the current layout is in `p`.
pub fn reasons(p: &RegionProblem, assign: &[usize]) -> Vec<Vec<Reason>> {
    let before: Vec<Option<usize>> = p.groups.iter().map(|g| g.current).collect();
    let after: Vec<Option<usize>> = assign.iter().map(|&m| Some(m)).collect();
    let (count0, members0, load0) = loads(p, &before);
    let (_, _, load1) = loads(p, &after);
    let shape = Shape::of(p);
    let mut level_hours = vec![None; p.managers.len()];
    for (_, ms) in pools(p) {
        let (l, _) = shape.best_level(p, &ms, &load1);
        for m in ms {
            level_hours[m] = Some(l * rules::hours(p, m));
        }
    }
    let ctx = Layouts {
        p,
        count0,
        members0,
        load0,
        load1,
        level_hours,
        balance_counts: match p.policy.mode {
            Mode::Weighted => p.policy.weights.balance > 0.0,
            Mode::Priority => p.policy.priority.iter().any(|s| s.goal == Goal::Balance),
        },
    };
    (0..p.groups.len())
        .map(|g| ctx.group(g, assign[g]))
        .collect()
}

impl Layouts<'_> {
    fn id(&self, m: usize) -> &str {
        self.p.managers[m].id.as_str()
    }

    fn star(&self, m: usize) -> u8 {
        self.p.managers[m].star.number()
    }

    fn pen(&self, m: usize, g: usize) -> Option<f64> {
        self.p
            .policy
            .penalty(self.p.managers[m].star, self.p.groups[g].class)
    }

    fn group(&self, g: usize, m1: usize) -> Vec<Reason> {
        let p = self.p;
        let Some(m0) = p.groups[g].current else {
            let what = format!("new group, placed with {}", self.id(m1));
            return vec![reason(ReasonKind::New, what)];
        };
        if m0 == m1 {
            return self
                .pen(m1, g)
                .filter(|&x| x > 0.0)
                .map(|x| {
                    let what = format!(
                        "stays with {}★ {} at penalty {x}: moving would cost more than it saves",
                        self.star(m1),
                        self.id(m1)
                    );
                    reason(ReasonKind::CrossGradeKept, what)
                })
                .into_iter()
                .collect();
        }
        let mut why = Vec::new();
        if !p.managers[m0].available {
            why.push(reason(
                ReasonKind::Leaving,
                format!("{} is leaving", self.id(m0)),
            ));
        }
        match (self.pen(m0, g), self.pen(m1, g)) {
            (None, _) => why.push(reason(
                ReasonKind::Forbidden,
                format!(
                    "a {}-star manager may not serve class {}",
                    self.star(m0),
                    p.groups[g].class.letter()
                ),
            )),
            (Some(a), Some(b)) if b < a => why.push(reason(
                ReasonKind::CrossGrade,
                format!(
                    "penalty {a} with {}★ {} → {b} with {}★ {}",
                    self.star(m0),
                    self.id(m0),
                    self.star(m1),
                    self.id(m1)
                ),
            )),
            _ => {}
        }
        self.limits(m0, &mut why);
        if self.evens_out(m0, m1) || why.is_empty() {
            why.push(self.balance(m0, m1));
        }
        why
    }

    /// The old manager was over a limit: C6, C7 (maximum, else target) or C13.
    fn limits(&self, m0: usize, why: &mut Vec<Reason>) {
        let p = self.p;
        if !rules::limited(p, m0) {
            return;
        }
        let (count, members, load) = (self.count0[m0], self.members0[m0] as f64, self.load0[m0]);
        let max_groups = rules::c6_max_groups(p, m0);
        if count as f64 > max_groups {
            let what = format!("{} held {count} groups, at most {max_groups}", self.id(m0));
            why.push(reason(ReasonKind::OverCapacity, what));
        }
        if members > rules::c7_span_max(p, m0) {
            let what = format!(
                "{} covered {members} members, at most {}",
                self.id(m0),
                rules::c7_span_max(p, m0)
            );
            why.push(reason(ReasonKind::OverSpanMax, what));
        } else if members > rules::c7_span_target(p, m0) {
            let what = format!(
                "{} covered {members} members, target {}",
                self.id(m0),
                rules::c7_span_target(p, m0)
            );
            why.push(reason(ReasonKind::OverSpanTarget, what));
        }
        let cap = rules::c13_hours_cap(p, m0);
        if load > cap + 1e-9 {
            let what = format!("{} worked {load:.1} hours, at most {cap:.1}", self.id(m0));
            why.push(reason(ReasonKind::OverHours, what));
        }
    }

    /// The move brings load from above its pool's level (in the plan) or to below it.
    fn evens_out(&self, m0: usize, m1: usize) -> bool {
        let above = self.level_hours[m0].is_some_and(|l| self.load0[m0] > l);
        let below = self.level_hours[m1].is_some_and(|l| self.load0[m1] < l);
        self.balance_counts && (above || below)
    }

    fn balance(&self, m0: usize, m1: usize) -> Reason {
        let util = |load: &[f64], m: usize| load[m] / rules::hours(self.p, m);
        let what = format!(
            "utilisation {} {:.2} → {:.2}, {} {:.2} → {:.2}",
            self.id(m0),
            util(&self.load0, m0),
            util(&self.load1, m0),
            self.id(m1),
            util(&self.load0, m1),
            util(&self.load1, m1)
        );
        reason(ReasonKind::Balance, what)
    }
}
