//! Reasons re-derived (K3): every assignment's reasons, kinds and details, are those the before and after layouts give by the rules of models/priorities.md ("A reason for every move").

use super::view::{Layout, RegionView};
use super::Code;
use starplan_format::codes::{Check::K3, ReasonKind};
use starplan_format::output::Assignment;
use starplan_format::policy::{GoalIn, ModeIn};
use std::collections::HashMap;

/// What the reasons are read from: the layouts before and after, and each limited
/// manager's hours at its grade pool's level in the plan (C8).
struct Context<'a> {
    view: &'a RegionView<'a>,
    before: &'a Layout,
    after: &'a Layout,
    level: Vec<Option<f64>>,
    balance_counts: bool,
}

/// K3: each assignment of the region carries exactly the reasons the layouts give.
pub fn check(
    view: &RegionView,
    before: &Layout,
    after: &Layout,
    given: &HashMap<&str, &Assignment>,
    v: &mut dyn FnMut(Code, String),
) {
    let p = view.policy;
    let ctx = Context {
        view,
        before,
        after,
        level: super::balance::level_hours(view, after),
        // Balance explains a move only when the objective weighs it.
        balance_counts: match p.mode {
            ModeIn::Weighted => p.weights.balance > 0.0,
            ModeIn::Priority => p.priority.iter().any(|s| s.goal == GoalIn::Balance),
        },
    };
    for (i, g) in view.groups.iter().enumerate() {
        let (Some(a), Some(m1)) = (given.get(g.id.as_str()), after.assigned[i]) else {
            continue;
        };
        let want = ctx.reasons(i, m1);
        compare(&g.id, &want, a, v);
    }
}

impl Context<'_> {
    fn id(&self, m: usize) -> &str {
        &self.view.managers[m].id
    }

    fn pen(&self, g: usize, m: usize) -> Option<f64> {
        self.view
            .penalty(self.view.groups[g], self.view.managers[m])
    }

    /// The reasons of group `g` ending with manager `m1`.
    fn reasons(&self, g: usize, m1: usize) -> Vec<(ReasonKind, String)> {
        let (view, grp) = (self.view, self.view.groups[g]);
        let Some(m0) = view.current(grp) else {
            return vec![(
                ReasonKind::New,
                format!("new group, placed with {}", self.id(m1)),
            )];
        };
        let star = |m: usize| view.managers[m].star;
        if m0 == m1 {
            return self
                .pen(g, m1)
                .filter(|&x| x > 0.0)
                .map(|x| {
                    let what = format!(
                        "stays with {}★ {} at penalty {x}: moving would cost more than it saves",
                        star(m1),
                        self.id(m1)
                    );
                    (ReasonKind::CrossGradeKept, what)
                })
                .into_iter()
                .collect();
        }
        let mut why = Vec::new();
        if !view.managers[m0].available {
            why.push((ReasonKind::Leaving, format!("{} is leaving", self.id(m0))));
        }
        match (self.pen(g, m0), self.pen(g, m1)) {
            (None, _) => why.push((
                ReasonKind::Forbidden,
                format!(
                    "a {}-star manager may not serve class {}",
                    star(m0),
                    grp.class.letter()
                ),
            )),
            (Some(a), Some(b)) if b < a => why.push((
                ReasonKind::CrossGrade,
                format!(
                    "penalty {a} with {}★ {} → {b} with {}★ {}",
                    star(m0),
                    self.id(m0),
                    star(m1),
                    self.id(m1)
                ),
            )),
            _ => {}
        }
        self.limits(m0, &mut why);
        // The move brings load from above its pool's level (in the plan) or to below it.
        let above = self.level[m0].is_some_and(|l| self.before.hours[m0] > l);
        let below = self.level[m1].is_some_and(|l| self.before.hours[m1] < l);
        if (self.balance_counts && (above || below)) || why.is_empty() {
            why.push((ReasonKind::Balance, self.balance(m0, m1)));
        }
        why
    }

    /// The old manager, when limited, was over C6, over C7's maximum (else its target), or
    /// over C13.
    fn limits(&self, m0: usize, why: &mut Vec<(ReasonKind, String)>) {
        let mgr = self.view.managers[m0];
        if !self.view.limited(mgr) {
            return;
        }
        let (count, members) = (self.before.count[m0], self.before.members[m0] as f64);
        let most = self.view.max_groups(mgr);
        if count as f64 > most {
            let what = format!("{} held {count} groups, at most {most}", mgr.id);
            why.push((ReasonKind::OverCapacity, what));
        }
        let (max, target) = (self.view.span(mgr, true), self.view.span(mgr, false));
        if members > max {
            let what = format!("{} covered {members} members, at most {max}", mgr.id);
            why.push((ReasonKind::OverSpanMax, what));
        } else if members > target {
            let what = format!("{} covered {members} members, target {target}", mgr.id);
            why.push((ReasonKind::OverSpanTarget, what));
        }
        let (load, cap) = (self.before.hours[m0], self.view.hours_cap(mgr));
        if load > cap + 1e-9 {
            let what = format!("{} worked {load:.1} hours, at most {cap:.1}", mgr.id);
            why.push((ReasonKind::OverHours, what));
        }
    }

    fn balance(&self, m0: usize, m1: usize) -> String {
        let util = |l: &Layout, m: usize| l.hours[m] / self.view.monthly(self.view.managers[m]);
        format!(
            "utilisation {} {:.2} → {:.2}, {} {:.2} → {:.2}",
            self.id(m0),
            util(self.before, m0),
            util(self.after, m0),
            self.id(m1),
            util(self.before, m1),
            util(self.after, m1)
        )
    }
}

/// The given reasons against the derived ones, in kind order; a balance detail's figures may
/// differ by a rounding step (utilisations are rounded to 2 decimals from sums that may be
/// added in another order).
fn compare(
    group: &str,
    want: &[(ReasonKind, String)],
    a: &Assignment,
    v: &mut dyn FnMut(Code, String),
) {
    let mut want: Vec<&(ReasonKind, String)> = want.iter().collect();
    want.sort_by_key(|(k, _)| *k);
    let mut got: Vec<(ReasonKind, &str)> = a
        .reasons
        .iter()
        .map(|r| (r.kind, r.detail.as_str()))
        .collect();
    got.sort_by_key(|(k, _)| *k);
    let kinds = |l: &mut dyn Iterator<Item = ReasonKind>| l.collect::<Vec<_>>();
    let (wk, gk) = (
        kinds(&mut want.iter().map(|(k, _)| *k)),
        kinds(&mut got.iter().map(|(k, _)| *k)),
    );
    if wk != gk {
        v(
            K3.into(),
            format!("group {group}: reasons {gk:?}, the layouts give {wk:?}"),
        );
        return;
    }
    for ((kind, w), (_, g)) in want.iter().zip(&got) {
        let same = w == g || (*kind == ReasonKind::Balance && near(w, g));
        if !same {
            v(
                K3.into(),
                format!("group {group}: {kind:?} says \"{g}\", the layouts give \"{w}\""),
            );
        }
    }
}

/// Two details that differ only in numbers within one rounding step.
fn near(a: &str, b: &str) -> bool {
    let (ta, tb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    ta.len() == tb.len()
        && ta.iter().zip(&tb).all(|(x, y)| {
            let num = |s: &str| s.trim_end_matches(',').parse::<f64>().ok();
            x == y || matches!((num(x), num(y)), (Some(p), Some(q)) if (p - q).abs() <= 0.0101)
        })
}
