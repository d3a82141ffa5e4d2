//! Relaxed regions that only HiGHS's proof (D000) explains: the checker confirms them with its own proofs where it can (seats over each group's own candidates, seats limited by the members that fit, forced moves against budgets), and otherwise rejects the relaxation as unverified (R1), as models/priorities.md decides.

mod common;

use common::{load, quick, solve_checked};
use serde_json::{json, Value};
use starplan::checker::check;
use starplan::engine::convert::to_instance;
use starplan::format::codes::DiagnosisCode;
use starplan::format::output::Status;

fn province(policy: Value, managers: Value, groups: Value) -> String {
    json!({ "schema_version": 1, "policy": policy, "regions": [{ "id": "R" }],
            "managers": managers, "groups": groups })
    .to_string()
}

fn manager(id: &str, star: u8) -> Value {
    json!({ "id": id, "region": "R", "star": star })
}

fn group(id: &str, class: &str, members: u32, current: Option<&str>) -> Value {
    json!({ "id": id, "region": "R", "class": class, "members": members, "current_manager": current })
}

/// The region is relaxed on D000 alone, and the checker accepts the plan.
fn confirmed(text: &str) {
    let plan = solve_checked(&load(text), &quick());
    let r = &plan.regions[0];
    assert_eq!(r.status, Status::Relaxed);
    let codes: Vec<_> = r.diagnoses.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![DiagnosisCode::D000]);
}

#[test]
fn a_pinned_group_holding_the_only_other_seat_is_proven_by_the_seat_flow() {
    // Class A may go to the 3-star (1 seat) or the 2-star (1 seat), whose seat a pinned
    // class-B group holds; the 1-star's five seats serve B but not A. No class count sees it.
    confirmed(&province(
        json!({ "max_groups": { "1": 5, "2": 1, "3": 1 } }),
        json!([manager("M1", 3), manager("M2", 2), manager("M3", 1)]),
        json!([
            { "id": "GB", "region": "R", "class": "B", "members": 100, "current_manager": "M2", "pinned": true },
            group("GA1", "A", 100, None),
            group("GA2", "A", 100, None)
        ]),
    ));
}

#[test]
fn groups_too_large_to_share_a_manager_are_proven_by_the_fitting_seats() {
    // 1 800 members fit 2 × 1 000 in total, but no manager holds two groups of 600.
    confirmed(&province(
        json!({ "member_span": { "max": { "3": 1000 } } }),
        json!([manager("M1", 3), manager("M2", 3)]),
        json!([
            group("G1", "A", 600, None),
            group("G2", "A", 600, None),
            group("G3", "A", 600, None)
        ]),
    ));
}

#[test]
fn an_overloaded_book_against_a_move_budget_is_proven_by_the_forced_moves() {
    // M1 holds 14 groups and may keep 12; the budget allows 1 move.
    let groups: Vec<Value> = (0..14)
        .map(|i| group(&format!("G{i:02}"), "A", 100, Some("M1")))
        .collect();
    confirmed(&province(
        json!({ "change_control": { "max_moved_groups": 1 } }),
        json!([manager("M1", 3), manager("M2", 3)]),
        json!(groups),
    ));
}

#[test]
fn a_relaxation_no_proof_of_the_checker_confirms_is_r1() {
    // 600 + 600 + 450 + 300 members into two managers of 1 000: every count and both flows
    // fit, yet no split does. HiGHS proves it; the checker cannot, and says so.
    let file = load(&province(
        json!({ "member_span": { "max": { "3": 1000 } } }),
        json!([manager("M1", 3), manager("M2", 3)]),
        json!([
            group("G1", "A", 600, None),
            group("G2", "A", 600, None),
            group("G3", "A", 450, None),
            group("G4", "A", 300, None)
        ]),
    ));
    let plan = starplan::engine::solve(&to_instance(&file), &quick()).unwrap();
    assert_eq!(plan.regions[0].status, Status::Relaxed);
    let codes: Vec<&str> = check(&file, &plan)
        .iter()
        .map(|v| v.code.as_str())
        .collect();
    assert_eq!(codes, vec!["R1"]);
}
