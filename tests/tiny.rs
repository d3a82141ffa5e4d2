//! Each tiny fixture makes one constraint family bind; its optimum is written down beside it.

mod common;

use common::{load, quick, read, solve_checked};
use starplan::format::output::Status;
use std::collections::BTreeMap;

fn run(name: &str) {
    let file = load(&read(&format!("tiny/{name}.json")));
    let expected: serde_json::Value =
        serde_json::from_str(&read(&format!("tiny/{name}.expected.json"))).unwrap();
    let plan = solve_checked(&file, &quick());
    let region = &plan.regions[0];
    assert_eq!(region.status, Status::Optimal, "{name}");
    let objective = region.objective.expect("a plan has an objective");
    let want = expected["objective"].as_f64().unwrap();
    assert!(
        (objective - want).abs() < 1e-6,
        "{name}: objective {objective}, expected {want} ({})",
        expected["why"]
    );
    let got: BTreeMap<String, String> = plan
        .assignments
        .iter()
        .map(|a| (a.group.clone(), a.manager.clone()))
        .collect();
    let want: BTreeMap<String, String> =
        serde_json::from_value(expected["assignments"].clone()).unwrap();
    assert_eq!(got, want, "{name}: {}", expected["why"]);
    assert_eq!(
        region.gap,
        Some(0.0),
        "{name}: a tiny region is proven optimal"
    );
}

#[test]
fn c1_new_group_gets_exactly_one_manager() {
    run("c1-new-group");
}

#[test]
fn c2_pinned_group_stays_despite_penalty() {
    run("c2-pinned");
}

#[test]
fn c3_frozen_manager_keeps_exactly_its_book() {
    run("c3-frozen");
}

#[test]
fn c4_unavailable_manager_ends_empty() {
    run("c4-unavailable");
}

#[test]
fn c5_forbidden_pair_is_cleared_and_penalty_outweighs_move() {
    run("c5-eligibility");
}

#[test]
fn c6_max_groups_forces_cheapest_move() {
    run("c6-max-groups");
}

#[test]
fn c7_span_maximum_forces_a_split() {
    run("c7-span-max");
}

#[test]
fn c7_span_target_is_a_soft_penalty() {
    run("c7-span-target");
}

#[test]
fn c8_balance_band_moves_the_cheapest_groups() {
    run("c8-balance");
}

#[test]
fn c9_move_cost_keeps_a_cheap_mismatch() {
    run("c9-moves");
}

#[test]
fn c10_move_budget_allows_only_the_best_move() {
    run("c10-move-budget");
}

#[test]
fn c11_book_change_share_caps_what_leaves_a_manager() {
    run("c11-book-change");
}

#[test]
fn c12_recently_moved_group_stays_unless_forced() {
    run("c12-recent-move");
}

#[test]
fn c13_hours_cap_moves_the_cheapest_group_off_an_overworked_manager() {
    run("c13-hours");
}
