//! The checker's view of relaxable rules (C5–C7, C10–C12), relaxations, priority stages and the never-worse guarantee.

use super::close;
use super::recompute::{raw_terms, Layout, RegionView};
use crate::format::input::GroupIn;
use crate::format::output::{RegionPlan, Status};
use crate::format::policy::{GoalIn, ModeIn};

/// One hard rule exceeded by `amount` for `subject` (a manager or group id; none = region).
struct Excess {
    rule: &'static str,
    subject: Option<String>,
    unit: &'static str,
    amount: f64,
    what: String,
}

fn recent(view: &RegionView, g: &GroupIn) -> bool {
    let c = &view.policy.change_control;
    let date = crate::format::convert::date;
    match (
        c.min_days_between_moves,
        c.as_of.as_deref().and_then(date),
        g.last_moved.as_deref().and_then(date),
    ) {
        (Some(min), Some(as_of), Some(moved)) => ((as_of - moved).num_days() as f64) < min,
        _ => false,
    }
}

/// The group cannot stay: its manager is unavailable or the pair is forbidden.
fn forced(view: &RegionView, g: &GroupIn) -> bool {
    g.current_manager
        .as_deref()
        .and_then(|c| view.manager(c))
        .is_some_and(|m| !view.managers[m].available || view.penalty(g, view.managers[m]).is_none())
}

fn moved(view: &RegionView, l: &Layout, i: usize) -> bool {
    let g = view.groups[i];
    g.current_manager.is_some()
        && g.current_manager.as_deref() != l.assigned[i].map(|m| view.managers[m].id.as_str())
}

/// Every excess over a relaxable hard rule in a layout.
fn excesses(view: &RegionView, l: &Layout) -> Vec<Excess> {
    let mut out = Vec::new();
    let cc = &view.policy.change_control;
    for (i, g) in view.groups.iter().enumerate() {
        let Some(m) = l.assigned[i].map(|m| view.managers[m]) else {
            continue;
        };
        if view.penalty(g, m).is_none() {
            let what = format!(
                "group {} (class {:?}) on forbidden {}-star manager {}",
                g.id, g.class, m.star, m.id
            );
            out.push(Excess {
                rule: "C5",
                subject: Some(g.id.clone()),
                unit: "groups",
                amount: 1.0,
                what,
            });
        }
        if recent(view, g) && !forced(view, g) && moved(view, l, i) {
            let what = format!(
                "group {} moved on {:?}, too recently to move again",
                g.id, g.last_moved
            );
            out.push(Excess {
                rule: "C12",
                subject: Some(g.id.clone()),
                unit: "groups",
                amount: 1.0,
                what,
            });
        }
    }
    for (m, mgr) in view.managers.iter().enumerate() {
        if mgr.available && !mgr.frozen {
            let (count, members) = (l.count[m] as f64, l.members[m] as f64);
            let max_groups = (view.max_groups(mgr) * mgr.capacity + 1e-9).floor();
            if count > max_groups {
                let what = format!(
                    "manager {} holds {count} groups, at most {max_groups}",
                    mgr.id
                );
                out.push(Excess {
                    rule: "C6",
                    subject: Some(mgr.id.clone()),
                    unit: "groups",
                    amount: count - max_groups,
                    what,
                });
            }
            let span_max = view.span(mgr, true);
            if members > span_max + 1e-6 {
                let what = format!(
                    "manager {} covers {members} members, at most {span_max}",
                    mgr.id
                );
                out.push(Excess {
                    rule: "C7",
                    subject: Some(mgr.id.clone()),
                    unit: "members",
                    amount: members - span_max,
                    what,
                });
            }
        }
        if let (true, Some(share)) = (mgr.available, cc.max_book_change) {
            let book: Vec<usize> = (0..view.groups.len())
                .filter(|&i| view.groups[i].current_manager.as_deref() == Some(mgr.id.as_str()))
                .collect();
            let left = book.iter().filter(|&&i| moved(view, l, i)).count() as f64;
            let limit = (share * book.len() as f64 + 1e-9).floor();
            if left > limit {
                let what = format!(
                    "{left} of manager {}'s {} groups left, at most {limit}",
                    mgr.id,
                    book.len()
                );
                out.push(Excess {
                    rule: "C11",
                    subject: Some(mgr.id.clone()),
                    unit: "groups",
                    amount: left - limit,
                    what,
                });
            }
        }
    }
    let moved_groups: Vec<&GroupIn> = (0..view.groups.len())
        .filter(|&i| moved(view, l, i))
        .map(|i| view.groups[i])
        .collect();
    let n = moved_groups.len() as f64;
    let members: f64 = moved_groups.iter().map(|g| g.members as f64).sum();
    for (budget, value, unit) in [
        (cc.max_moved_groups, n, "groups"),
        (cc.max_moved_members, members, "members"),
    ] {
        if let Some(b) = budget.filter(|&b| value > b + 1e-9) {
            out.push(Excess {
                rule: "C10",
                subject: None,
                unit,
                amount: value - b,
                what: format!("{value} {unit} moved, budget {b}"),
            });
        }
    }
    out
}

/// Relaxable rules, relaxations, stages and never-worse for one region with a plan.
pub fn check(
    view: &RegionView,
    after: &Layout,
    rp: &RegionPlan,
    v: &mut dyn FnMut(&'static str, String),
) {
    let relaxed = rp.status == Status::Relaxed;
    if !relaxed && !rp.relaxations.is_empty() {
        v(
            "S1",
            format!("status {:?} with relaxations listed", rp.status),
        );
    }
    for e in excesses(view, after) {
        let allowed: f64 = rp
            .relaxations
            .iter()
            .filter(|x| relaxed && x.rule == e.rule && x.unit == e.unit && x.subject == e.subject)
            .map(|x| x.amount)
            .sum();
        if e.amount > allowed + 1e-6 {
            v(e.rule, e.what);
        }
    }
    let plan_raw = raw_terms(view, after);
    baseline(view, rp, v);
    stages(view, rp, &plan_raw, v);
    if !relaxed {
        never_worse(view, &plan_raw, v);
    }
}

/// T3: the current layout's objective, when every group has a manager, is what the plan says.
fn baseline(view: &RegionView, rp: &RegionPlan, v: &mut dyn FnMut(&'static str, String)) {
    let complete = view.groups.iter().all(|g| g.current_manager.is_some());
    let p = view.policy;
    let w = [
        p.weights.mismatch,
        p.weights.span,
        p.weights.balance,
        p.weights.moves,
    ];
    let mine = complete.then(|| {
        let t = raw_terms(view, &view.layout(|g| g.current_manager.as_deref()));
        t.iter().zip(w).map(|(a, b)| a * b).sum::<f64>()
    });
    let same = match (mine, rp.baselines.current) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    };
    if !same {
        v(
            "T3",
            format!(
                "baselines.current is {:?}, recomputed {mine:?}",
                rp.baselines.current
            ),
        );
    }
}

fn goal_idx(g: GoalIn) -> usize {
    match g {
        GoalIn::Eligibility => 0,
        GoalIn::Span => 1,
        GoalIn::Balance => 2,
        GoalIn::Moves => 3,
    }
}

/// P1: in priority mode the plan keeps every stage's limit, and the last stage's value is the plan's.
fn stages(
    view: &RegionView,
    rp: &RegionPlan,
    raw: &[f64; 4],
    v: &mut dyn FnMut(&'static str, String),
) {
    let p = view.policy;
    if p.mode != ModeIn::Priority || rp.status == Status::Relaxed {
        if !rp.stages.is_empty() {
            v("P1", "stages reported outside priority mode".into());
        }
        return;
    }
    if rp.stages.is_empty() || rp.stages.len() > p.priority.len() {
        v(
            "P1",
            format!(
                "{} stages reported for {} priority goals",
                rp.stages.len(),
                p.priority.len()
            ),
        );
        return;
    }
    for (k, (st, want)) in rp.stages.iter().zip(&p.priority).enumerate() {
        let name = serde_json::to_value(want.goal).expect("goal serialises");
        if Some(st.goal.as_str()) != name.as_str() {
            v(
                "P1",
                format!("stage {k} is {} but the policy's is {name}", st.goal),
            );
            continue;
        }
        let actual = raw[goal_idx(want.goal)];
        if let Some(l) = st.limit {
            if actual > l + 1e-6 {
                v(
                    "P1",
                    format!(
                        "stage {k} ({}): the plan's value {actual} is above the stage limit {l}",
                        st.goal
                    ),
                );
            }
        }
        if let (Some(b), Some(val)) = (st.bound, st.value) {
            if b > val + 1e-6 {
                v("P1", format!("stage {k}: bound {b} above value {val}"));
            }
        }
        let last_with_plan = rp.stages[k + 1..].iter().all(|s| s.value.is_none());
        if let (true, Some(val)) = (last_with_plan, st.value) {
            if !close(val, actual) {
                v(
                    "P1",
                    format!(
                        "stage {k} ({}) claims {val}, the plan has {actual}",
                        st.goal
                    ),
                );
            }
        }
    }
}

/// N1: when the current layout keeps every hard rule, the plan is not worse than it
/// (weighted: objective; priority: the first goal that differs beyond its tolerance).
fn never_worse(view: &RegionView, plan_raw: &[f64; 4], v: &mut dyn FnMut(&'static str, String)) {
    if view
        .groups
        .iter()
        .any(|g| g.current_manager.is_none() || forced(view, g))
    {
        return;
    }
    let current = view.layout(|g| g.current_manager.as_deref());
    if !excesses(view, &current).is_empty() {
        return;
    }
    let cur = raw_terms(view, &current);
    let p = view.policy;
    match p.mode {
        ModeIn::Weighted => {
            let w = [
                p.weights.mismatch,
                p.weights.span,
                p.weights.balance,
                p.weights.moves,
            ];
            let cost = |t: &[f64; 4]| t.iter().zip(w).map(|(a, b)| a * b).sum::<f64>();
            let (a, b) = (cost(plan_raw), cost(&cur));
            if a > b + 1e-6 * b.abs().max(1.0) {
                v("N1", format!("objective {a} is worse than the current layout's {b}, which keeps every hard rule"));
            }
        }
        ModeIn::Priority => {
            for st in &p.priority {
                let k = goal_idx(st.goal);
                let slack = st.tolerance * cur[k].abs() + 1e-6;
                if plan_raw[k] > cur[k] + slack {
                    v(
                        "N1",
                        format!(
                            "goal {:?}: {} is worse than the current layout's {}",
                            st.goal, plan_raw[k], cur[k]
                        ),
                    );
                    return;
                }
                if plan_raw[k] < cur[k] - slack {
                    return;
                }
            }
        }
    }
}
