//! What a plan claims beyond its own figures: the current baseline (T3), priority stages (P1) and the never-worse guarantee (N1).

use super::close;
use super::rules::excesses;
use super::terms::{raw_terms, weighted};
use super::view::RegionView;
use super::Code;
use starplan_format::codes::Check::*;
use starplan_format::output::{RegionPlan, Status};
use starplan_format::policy::{GoalIn, ModeIn};

/// T3: the current layout's objective, when every group has a manager, is what the plan says.
pub fn baseline(view: &RegionView, rp: &RegionPlan, v: &mut dyn FnMut(Code, String)) {
    let complete = view.groups.iter().all(|g| g.current_manager.is_some());
    let mine = complete.then(|| weighted(view, &raw_terms(view, &view.current_layout())));
    let same = match (mine, rp.baselines.current) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    };
    if !same {
        v(
            T3.into(),
            format!(
                "baselines.current is {:?}, recomputed {mine:?}",
                rp.baselines.current
            ),
        );
    }
}

/// The place of a goal's term among C5, C7, C8, C9 (the checker's own mapping).
fn goal_idx(g: GoalIn) -> usize {
    match g {
        GoalIn::Eligibility => 0,
        GoalIn::Span => 1,
        GoalIn::Balance => 2,
        GoalIn::Moves => 3,
    }
}

/// P1: in priority mode the plan keeps every stage's limit, and the last stage's value is the plan's.
pub fn stages(view: &RegionView, rp: &RegionPlan, raw: &[f64; 4], v: &mut dyn FnMut(Code, String)) {
    let p = view.policy;
    if p.mode != ModeIn::Priority || rp.status == Status::Relaxed {
        if !rp.stages.is_empty() {
            v(P1.into(), "stages reported outside priority mode".into());
        }
        return;
    }
    if rp.stages.is_empty() || rp.stages.len() > p.priority.len() {
        v(
            P1.into(),
            format!(
                "{} stages reported for {} priority goals",
                rp.stages.len(),
                p.priority.len()
            ),
        );
        return;
    }
    for (k, (st, want)) in rp.stages.iter().zip(&p.priority).enumerate() {
        if st.goal != want.goal || st.id != want.goal.rule() {
            v(
                P1.into(),
                format!(
                    "stage {k} is {:?} ({}) but the policy's is {:?}",
                    st.goal, st.id, want.goal
                ),
            );
            continue;
        }
        let actual = raw[goal_idx(want.goal)];
        if let Some(l) = st.limit {
            if actual > l + 1e-6 {
                v(
                    P1.into(),
                    format!(
                        "stage {k} ({:?}): the plan's value {actual} is above the stage limit {l}",
                        st.goal
                    ),
                );
            }
        }
        if let (Some(b), Some(val)) = (st.bound, st.value) {
            if b > val + 1e-6 {
                v(P1.into(), format!("stage {k}: bound {b} above value {val}"));
            }
        }
        let last_with_plan = rp.stages[k + 1..].iter().all(|s| s.value.is_none());
        if let (true, Some(val)) = (last_with_plan, st.value) {
            if !close(val, actual) {
                v(
                    P1.into(),
                    format!(
                        "stage {k} ({:?}) claims {val}, the plan has {actual}",
                        st.goal
                    ),
                );
            }
        }
    }
}

/// N1: when the current layout keeps every hard rule, the plan is not worse than it
/// (weighted: objective; priority: the first goal that differs beyond its tolerance).
pub fn never_worse(view: &RegionView, plan_raw: &[f64; 4], v: &mut dyn FnMut(Code, String)) {
    if view
        .groups
        .iter()
        .any(|g| g.current_manager.is_none() || view.forced(g))
    {
        return;
    }
    let current = view.current_layout();
    if !excesses(view, &current).is_empty() {
        return;
    }
    let cur = raw_terms(view, &current);
    let p = view.policy;
    match p.mode {
        ModeIn::Weighted => {
            let (a, b) = (weighted(view, plan_raw), weighted(view, &cur));
            if a > b + 1e-6 * b.abs().max(1.0) {
                v(N1.into(), format!("objective {a} is worse than the current layout's {b}, which keeps every hard rule"));
            }
        }
        ModeIn::Priority => {
            for st in &p.priority {
                let k = goal_idx(st.goal);
                let slack = st.tolerance * cur[k].abs() + 1e-6;
                if plan_raw[k] > cur[k] + slack {
                    v(
                        N1.into(),
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
