//! The objective terms of a layout, the objective, and what the plan claims about bound, gap and status (T1, T2, T4).

use super::close;
use super::view::{Layout, RegionView};
use super::Code;
use starplan_format::codes::{Check::*, Rule};
use starplan_format::output::{RegionPlan, Status};

/// The four raw terms of a layout: C5 penalty points, C7 members over target, C8 balance
/// penalty, C9 move cost.
pub fn raw_terms(view: &RegionView, after: &Layout) -> [f64; 4] {
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
    let balance = super::balance::cost(view, after);
    [mismatch, span, balance, moves]
}

/// The weighted objective of a layout.
pub fn weighted(view: &RegionView, raw: &[f64; 4]) -> f64 {
    let w = weights(view);
    raw.iter().zip(w).map(|(a, b)| a * b).sum()
}

/// The weights of C5, C7, C8, C9.
pub fn weights(view: &RegionView) -> [f64; 4] {
    let w = &view.policy.weights;
    [w.eligibility, w.span, w.balance, w.moves]
}

/// T1: the terms and the objective the plan states are the layout's.
pub fn same_terms(
    view: &RegionView,
    after: &Layout,
    rp: &RegionPlan,
    report: &mut dyn FnMut(Code, String),
) {
    let raw = raw_terms(view, after);
    let w = weights(view);
    if rp.terms.len() != Rule::TERMS.len() {
        report(
            T1.into(),
            format!(
                "{} objective terms, expected {}",
                rp.terms.len(),
                Rule::TERMS.len()
            ),
        );
    }
    for (k, rule) in Rule::TERMS.into_iter().enumerate() {
        let (raw, weight) = (raw[k], w[k]);
        match rp.terms.iter().find(|t| t.id == rule) {
            None => report(T1.into(), format!("term {rule} is missing")),
            Some(t) => {
                let same =
                    close(t.raw, raw) && close(t.weight, weight) && close(t.value, raw * weight);
                if !same || t.name != rule.name() {
                    report(
                        T1.into(),
                        format!(
                            "term {rule} ({}): claims raw {} × {} = {}, recomputed {raw} × {weight} = {}",
                            t.name,
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
    let objective = weighted(view, &raw);
    match rp.objective {
        Some(o) if close(o, objective) => {}
        other => report(
            T1.into(),
            format!("objective {other:?}, recomputed {objective}"),
        ),
    }
}

/// T2 and T4: the bound is not above the objective, the gap follows from both, `optimal`
/// means the gap is within the policy's, and the progress times are possible.
pub fn same_claims(rp: &RegionPlan, target_gap: f64, report: &mut dyn FnMut(Code, String)) {
    let gap = match (rp.bound, rp.objective) {
        (Some(b), Some(o)) => {
            if b > o + 1e-6 * o.abs().max(1.0) {
                report(T2.into(), format!("bound {b} is above the objective {o}"));
            }
            let gap = (o - b) / o.abs().max(1.0);
            if rp.gap.is_none_or(|g| !close(g, gap)) {
                report(T2.into(), format!("gap {:?}, recomputed {gap}", rp.gap));
            }
            Some(gap)
        }
        _ => {
            if rp.gap.is_some() {
                report(T2.into(), "a gap without both objective and bound".into());
            }
            None
        }
    };
    if rp.status == Status::Optimal && rp.stages.is_empty() {
        let allowed = target_gap;
        match gap {
            Some(g) if g <= allowed + 1e-6 => {}
            Some(g) => report(
                T4.into(),
                format!("status optimal with a gap of {g}, above the target {allowed}"),
            ),
            None => report(T4.into(), "status optimal without a bound".into()),
        }
    }
    let p = &rp.progress;
    for (name, t) in [
        ("seconds_to_first_plan", p.seconds_to_first_plan),
        ("seconds_to_1pct_gap", p.seconds_to_1pct_gap),
        ("final_plan.seconds", p.final_plan.and_then(|f| f.seconds)),
    ] {
        if t.is_some_and(|t| !(0.0..=rp.seconds + 1e-6).contains(&t)) {
            report(
                T4.into(),
                format!("{name} {t:?} is outside the region's {} s", rp.seconds),
            );
        }
    }
    // The gap never widens during a solve, so a 1 % gap once seen is still there at the end.
    if p.seconds_to_1pct_gap.is_some() && gap.is_none_or(|g| g > 0.01 + 1e-6) {
        report(
            T4.into(),
            format!("a 1 % gap is said to be reached, but the final gap is {gap:?}"),
        );
    }
}
