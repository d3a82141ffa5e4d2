//! The checker rejects deliberately broken plans, each for the right violation code.

mod common;

use common::{load, quick, read, solve_checked};
use starplan::checker::check;
use starplan::format::{InputFile, PlanFile};
use std::collections::BTreeSet;

fn base() -> (InputFile, PlanFile) {
    let file = load(&read("checker-base.json"));
    let plan = solve_checked(&file, &quick());
    (file, plan)
}

fn codes(file: &InputFile, plan: &PlanFile) -> BTreeSet<&'static str> {
    check(file, plan)
        .into_iter()
        .map(|v| v.code.as_str())
        .collect()
}

fn reassign(plan: &mut PlanFile, group: &str, manager: &str) {
    let a = plan
        .assignments
        .iter_mut()
        .find(|a| a.group == group)
        .expect("group in plan");
    a.manager = manager.into();
    a.moved = a.previous_manager.as_deref().is_some_and(|p| p != manager);
}

/// Breaking a hard rule is reported under that rule's code.
fn rule_broken(mutate: impl FnOnce(&mut PlanFile), code: &str) {
    let (file, mut plan) = base();
    mutate(&mut plan);
    let got = codes(&file, &plan);
    assert!(got.contains(code), "expected {code}, got {got:?}");
}

/// Misstating a figure is reported under exactly that code.
fn claim_broken(mutate: impl FnOnce(&mut PlanFile), code: &'static str) {
    let (file, mut plan) = base();
    mutate(&mut plan);
    assert_eq!(codes(&file, &plan), BTreeSet::from([code]));
}

#[test]
fn the_unbroken_plan_is_valid() {
    let (file, plan) = base();
    assert!(check(&file, &plan).is_empty());
}

#[test]
fn c1_missing_assignment() {
    rule_broken(|p| p.assignments.retain(|a| a.group != "G2"), "C1");
}

#[test]
fn c1_group_assigned_twice() {
    rule_broken(
        |p| {
            let dup = p.assignments[0].clone();
            p.assignments.insert(0, dup);
        },
        "C1",
    );
}

#[test]
fn c1_unknown_manager() {
    rule_broken(|p| reassign(p, "G2", "NOPE"), "C1");
}

#[test]
fn c2_pinned_group_moved() {
    rule_broken(|p| reassign(p, "G1", "M2"), "C2");
}

#[test]
fn c3_group_left_frozen_book() {
    rule_broken(|p| reassign(p, "G5", "M2"), "C3");
}

#[test]
fn c3_frozen_manager_received_a_group() {
    rule_broken(|p| reassign(p, "G7", "M3"), "C3");
}

#[test]
fn c4_unavailable_manager_serves() {
    rule_broken(|p| reassign(p, "G6", "M5"), "C4");
}

#[test]
fn c5_forbidden_pair() {
    rule_broken(|p| reassign(p, "G2", "M4"), "C5");
}

#[test]
fn c6_too_many_groups() {
    rule_broken(
        |p| {
            for g in ["G3", "G6", "G7"] {
                reassign(p, g, "M1");
            }
        },
        "C6",
    );
}

#[test]
fn c7_span_maximum() {
    rule_broken(|p| reassign(p, "G3", "M2"), "C7");
}

#[test]
fn t1_objective_misstated() {
    // The gap no longer matches either, so T2 comes with it; and the stated figures now
    // give a gap above the policy's, which an `optimal` status may not claim (T4).
    let (file, mut plan) = base();
    plan.regions[0].objective = plan.regions[0].objective.map(|o| o + 1.0);
    assert_eq!(codes(&file, &plan), BTreeSet::from(["T1", "T2", "T4"]));
}

#[test]
fn t1_term_misstated() {
    claim_broken(|p| p.regions[0].terms[3].raw += 5.0, "T1");
}

#[test]
fn t2_bound_above_objective() {
    claim_broken(
        |p| {
            let o = p.regions[0].objective.unwrap();
            p.regions[0].bound = Some(o + 10.0);
            p.regions[0].gap = Some(0.0);
        },
        "T2",
    );
}

#[test]
fn k1_kpi_misstated() {
    claim_broken(
        |p| p.regions[0].kpis.after.as_mut().unwrap().groups_moved += 1,
        "K1",
    );
}

#[test]
fn k1_before_kpi_misstated() {
    claim_broken(|p| p.regions[0].kpis.before.unserved_groups += 1, "K1");
}

#[test]
fn k2_moved_flag_misstated() {
    claim_broken(|p| p.assignments[1].moved = !p.assignments[1].moved, "K2");
}

#[test]
fn l1_load_misstated() {
    claim_broken(|p| p.managers[0].members += 1, "L1");
}

#[test]
fn s1_region_missing() {
    let (file, mut plan) = base();
    plan.regions.clear();
    assert!(codes(&file, &plan).contains("S1"));
}

#[test]
fn t3_current_baseline_misstated() {
    claim_broken(|p| p.regions[0].baselines.current = Some(-1.0), "T3");
}
