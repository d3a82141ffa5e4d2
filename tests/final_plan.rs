//! Which step produced a region's final plan (issue 22, item 4): `progress.final_plan` says
//! so, its seconds lie within the region's, and the checker refuses seconds outside them.

mod common;

use common::{quick, solve_checked};
use starplan::checker::check;
use starplan::engine::SolveOptions;
use starplan::format::output::{PlanStage, Status};
use starplan::format::{ClassIn, GroupIn, InputFile, ManagerIn, RegionIn};

fn manager(id: &str) -> ManagerIn {
    ManagerIn {
        id: id.into(),
        region: "R".into(),
        star: 2,
        name: None,
        capacity: 1.0,
        available: true,
        frozen: false,
    }
}

fn group(id: &str, current: &str) -> GroupIn {
    GroupIn {
        id: id.into(),
        region: "R".into(),
        class: ClassIn::B,
        members: 100,
        current_manager: Some(current.into()),
        pinned: false,
        last_moved: None,
        name: None,
    }
}

fn input(managers: &[&str], groups: Vec<GroupIn>) -> InputFile {
    InputFile {
        schema_version: 1,
        policy: Default::default(),
        regions: vec![RegionIn {
            id: "R".into(),
            name: None,
        }],
        managers: managers.iter().map(|m| manager(m)).collect(),
        groups,
    }
}

fn timed() -> SolveOptions {
    SolveOptions {
        no_timings: false,
        time_limit_seconds: Some(2.0),
        ..quick()
    }
}

/// One manager and its one group: nothing can change, so the plan is the repaired start,
/// handed on at a second within the region's time.
#[test]
fn an_unchangeable_layout_is_the_start() {
    let file = input(&["M1"], vec![group("G1", "M1")]);
    let plan = solve_checked(&file, &timed());
    let r = &plan.regions[0];
    let f = r
        .progress
        .final_plan
        .expect("a plan says where it came from");
    assert_eq!(f.stage, PlanStage::Start);
    let at = f.seconds.expect("the start's second is recorded");
    assert!(
        (0.0..=r.seconds).contains(&at),
        "{at} outside {}",
        r.seconds
    );
}

/// Twelve groups on one of two equal managers: the balance term moves about half of them,
/// so the final plan is not the start, and under --no-timings it carries no seconds.
#[test]
fn a_lopsided_layout_is_improved_after_the_start() {
    let groups = (1..=12).map(|i| group(&format!("G{i:02}"), "M1")).collect();
    let file = input(&["M1", "M2"], groups);
    let plan = solve_checked(&file, &quick());
    let r = &plan.regions[0];
    assert!(matches!(r.status, Status::Optimal | Status::Feasible));
    let moved = plan
        .assignments
        .iter()
        .filter(|a| a.manager == "M2")
        .count();
    assert!(moved > 0, "the balance term should move groups to M2");
    let f = r
        .progress
        .final_plan
        .expect("a plan says where it came from");
    assert_ne!(f.stage, PlanStage::Start, "{f:?}");
    assert_ne!(f.stage, PlanStage::Current, "{f:?}");
    assert_eq!(f.seconds, None, "no seconds under --no-timings");
}

/// A final-plan second past the region's time is T4, like the other progress times.
#[test]
fn the_checker_refuses_a_second_outside_the_region() {
    let file = input(&["M1"], vec![group("G1", "M1")]);
    let mut plan = solve_checked(&file, &timed());
    let r = &mut plan.regions[0];
    let mut f = r.progress.final_plan.expect("recorded");
    f.seconds = Some(r.seconds + 100.0);
    r.progress.final_plan = Some(f);
    let codes: Vec<String> = check(&file, &plan)
        .iter()
        .map(|v| v.code.to_string())
        .collect();
    assert!(codes.iter().any(|c| c == "T4"), "{codes:?}");
}
