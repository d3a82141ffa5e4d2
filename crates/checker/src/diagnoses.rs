//! Relaxed regions justified (R1): the counting diagnoses D001–D007 re-derived from the input alone, written again from models/priorities.md, and the claims a plan makes with them.

use super::proofs;
use super::view::RegionView;
use super::Code;
use starplan_format::codes::{Check::R1, DiagnosisCode, Rule};
use starplan_format::input::ClassIn;
use starplan_format::output::{RegionPlan, Status};

/// A diagnosis as the checker re-derives it: its code and the rule at fault.
pub type Found = (DiagnosisCode, Option<Rule>);

/// Every counting diagnosis of the region, D001–D007.
pub fn derive(view: &RegionView) -> Vec<Found> {
    let mut out = short_sets(view);
    budgets(view, &mut out);
    stuck(view, &mut out);
    for g in 0..view.groups.len() {
        if !(0..view.managers.len()).any(|m| view.allowed(g, m)) {
            out.push((DiagnosisCode::D006, Some(Rule::C1)));
        }
    }
    out
}

/// D001 / D002 / D007: for each set of classes (A, B, C, AB, AC, BC, ABC, skipping supersets
/// of a set already short), the groups outside frozen books against the seats ⌊max_groups ×
/// capacity⌋, then their members against the span maxima, then their monthly hours against
/// the hours caps (C13), of the limited managers whose star may serve any class of the set.
fn short_sets(view: &RegionView) -> Vec<Found> {
    use ClassIn::*;
    let sets: [&[ClassIn]; 7] = [&[A], &[B], &[C], &[A, B], &[A, C], &[B, C], &[A, B, C]];
    let mut short: Vec<&[ClassIn]> = Vec::new();
    let mut out = Vec::new();
    for set in sets {
        if short.iter().any(|s| s.iter().all(|c| set.contains(c))) {
            continue;
        }
        let serving: Vec<usize> = (0..view.managers.len())
            .filter(|&m| {
                let mgr = view.managers[m];
                view.limited(mgr)
                    && set
                        .iter()
                        .any(|&k| view.policy.penalty(k, mgr.star).is_some())
            })
            .collect();
        let groups: Vec<usize> = (0..view.groups.len())
            .filter(|&g| {
                set.contains(&view.groups[g].class) && !view.in_frozen_book(view.groups[g])
            })
            .collect();
        let seats: f64 = serving
            .iter()
            .map(|&m| view.max_groups(view.managers[m]))
            .sum();
        let members: f64 = groups.iter().map(|&g| view.groups[g].members as f64).sum();
        let room: f64 = serving
            .iter()
            .map(|&m| view.span(view.managers[m], true))
            .sum();
        let hours: f64 = groups.iter().map(|&g| view.hours_of(view.groups[g])).sum();
        let hours_room: f64 = serving
            .iter()
            .map(|&m| view.hours_cap(view.managers[m]))
            .sum();
        if groups.len() as f64 > seats {
            out.push((DiagnosisCode::D001, Some(Rule::C6)));
        } else if members > room {
            out.push((DiagnosisCode::D002, Some(Rule::C7)));
        } else if hours > hours_room + 1e-9 {
            out.push((DiagnosisCode::D007, Some(Rule::C13)));
        } else {
            continue;
        }
        short.push(set);
    }
    out
}

/// D003: the groups (members) that must move, because their manager is unavailable or
/// their pair forbidden, exceed the move budget. D004: those out of one available
/// manager's book exceed ⌊max_book_change × book⌋.
fn budgets(view: &RegionView, out: &mut Vec<Found>) {
    let cc = &view.policy.change_control;
    let forced: Vec<usize> = (0..view.groups.len())
        .filter(|&g| view.forced(view.groups[g]))
        .collect();
    let members: f64 = forced.iter().map(|&g| view.groups[g].members as f64).sum();
    for (budget, value) in [
        (cc.max_moved_groups, forced.len() as f64),
        (cc.max_moved_members, members),
    ] {
        if budget.is_some_and(|b| value > b) {
            out.push((DiagnosisCode::D003, Some(Rule::C10)));
        }
    }
    let Some(share) = cc.max_book_change else {
        return;
    };
    for (m, mgr) in view.managers.iter().enumerate() {
        if !mgr.available {
            continue;
        }
        let book: Vec<usize> = (0..view.groups.len())
            .filter(|&g| view.current(view.groups[g]) == Some(m))
            .collect();
        let must = book
            .iter()
            .filter(|&&g| view.forced(view.groups[g]))
            .count();
        if must as f64 > (share * book.len() as f64 + 1e-9).floor() {
            out.push((DiagnosisCode::D004, Some(Rule::C11)));
        }
    }
}

/// D005: the pinned or recently moved groups a limited manager must keep exceed its own
/// C6 limit (rule C6), else its C7 maximum (rule C7), else its C13 hours cap (rule C13).
fn stuck(view: &RegionView, out: &mut Vec<Found>) {
    for (m, mgr) in view.managers.iter().enumerate() {
        if !view.limited(mgr) {
            continue;
        }
        let kept: Vec<usize> = (0..view.groups.len())
            .filter(|&g| {
                let grp = view.groups[g];
                view.current(grp) == Some(m)
                    && !view.forced(grp)
                    && (grp.pinned || view.recent(grp))
            })
            .collect();
        let members: f64 = kept.iter().map(|&g| view.groups[g].members as f64).sum();
        let hours: f64 = kept.iter().map(|&g| view.hours_of(view.groups[g])).sum();
        if kept.len() as f64 > view.max_groups(mgr) {
            out.push((DiagnosisCode::D005, Some(Rule::C6)));
        } else if members > view.span(mgr, true) {
            out.push((DiagnosisCode::D005, Some(Rule::C7)));
        } else if hours > view.hours_cap(mgr) + 1e-9 {
            out.push((DiagnosisCode::D005, Some(Rule::C13)));
        }
    }
}

/// R1: every diagnosis a region lists is one the checker finds (code and rule, each found
/// one used once); a plan that keeps every rule lists none; and a `relaxed` region is
/// justified: by a counting diagnosis the checker finds, or, where the plan lists only
/// D000 (HiGHS's proof), by one of the checker's own proofs (`proofs.rs`).
pub fn relaxed_claims(view: &RegionView, rp: &RegionPlan, v: &mut dyn FnMut(Code, String)) {
    if rp.diagnoses.is_empty() && rp.status != Status::Relaxed {
        return;
    }
    let mut found = derive(view);
    for d in &rp.diagnoses {
        if d.rule != d.code.rule() && d.code != DiagnosisCode::D005 {
            v(
                R1.into(),
                format!("diagnosis {} names rule {:?}", d.code, d.rule),
            );
        }
        if d.code == DiagnosisCode::D000 {
            continue;
        }
        match found.iter().position(|f| *f == (d.code, d.rule)) {
            Some(i) => {
                found.swap_remove(i);
            }
            None => v(
                R1.into(),
                format!(
                    "diagnosis {} ({:?}) is not true of the input: {}",
                    d.code, d.rule, d.message
                ),
            ),
        }
    }
    if matches!(rp.status, Status::Optimal | Status::Feasible) {
        v(
            R1.into(),
            format!("status {:?} with diagnoses listed", rp.status),
        );
    }
    if rp.status != Status::Relaxed {
        return;
    }
    let counted = rp.diagnoses.iter().any(|d| d.code != DiagnosisCode::D000);
    let solver = rp.diagnoses.iter().any(|d| d.code == DiagnosisCode::D000);
    if counted || !derive(view).is_empty() {
        if rp.diagnoses.is_empty() {
            let what = "relaxed without a diagnosis, though the checker finds one";
            v(R1.into(), what.into());
        }
        return;
    }
    match (solver, proofs::infeasible(view)) {
        (true, Some(_)) => {}
        (true, None) => v(
            R1.into(),
            "relaxed on HiGHS's proof alone (D000), which none of the checker's own proofs confirms".into(),
        ),
        (false, _) => v(
            R1.into(),
            "relaxed without a diagnosis: nothing shows the hard rules cannot all hold".into(),
        ),
    }
}
