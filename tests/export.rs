//! `solve --export-mps`: the written models load in HiGHS on their own and solve to the plan's objective.

mod common;

use assert_cmd::Command;
use common::{fixture, load};
use starplan::format::PlanFile;
use std::ffi::CString;
use std::path::Path;

/// Reads an MPS file into a fresh HiGHS instance and solves it to optimality.
fn solve_mps(path: &Path) -> f64 {
    let name = CString::new(path.to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a fresh instance, used and destroyed here; the strings are NUL-terminated.
    unsafe {
        let h = highs_sys::Highs_create();
        highs_sys::Highs_setBoolOptionValue(h, c"output_flag".as_ptr(), 0);
        highs_sys::Highs_setDoubleOptionValue(h, c"mip_rel_gap".as_ptr(), 0.0);
        assert_ne!(
            highs_sys::Highs_readModel(h, name.as_ptr()),
            highs_sys::kHighsStatusError
        );
        assert_ne!(highs_sys::Highs_run(h), highs_sys::kHighsStatusError);
        let objective = highs_sys::Highs_getObjectiveValue(h);
        highs_sys::Highs_destroy(h);
        objective
    }
}

fn export_and_compare(input: &Path, region: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("starplan")
        .unwrap()
        .args([
            "solve",
            "-q",
            "--gap",
            "0",
            "--time-limit",
            "60",
            "--export-mps",
        ])
        .arg(dir.path())
        .arg(input)
        .assert()
        .code(0);
    let plan: PlanFile = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let file = load(&std::fs::read_to_string(input).unwrap());
    // The plan's recorded overrides (--gap 0, --time-limit 60) are the policy it is checked with.
    let v = starplan::checker::verdict(&file, &plan, &[]).unwrap();
    assert!(v.valid, "{:?}", v.violations);
    let r = plan.regions.iter().find(|r| r.id == region).unwrap();
    let mps = dir.path().join(format!("{region}.mps"));
    assert!(
        dir.path().join(format!("{region}.start")).exists(),
        "the start is written beside the model"
    );
    let theirs = solve_mps(&mps);
    let ours = r.objective.unwrap();
    assert!(
        (theirs - ours).abs() <= 1e-6 * ours.abs().max(1.0),
        "{region}: HiGHS on the MPS {theirs}, plan {ours}"
    );
}

#[test]
fn a_tiny_region_exports_to_the_same_objective() {
    export_and_compare(&fixture("tiny/c5-eligibility.json"), "T");
}

#[test]
fn a_generated_region_exports_to_the_same_objective() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("p.json");
    Command::cargo_bin("starplan")
        .unwrap()
        .args([
            "generate",
            "--seed",
            "4",
            "--regions",
            "1",
            "--groups",
            "200",
            "-o",
        ])
        .arg(&input)
        .assert()
        .code(0);
    export_and_compare(&input, "HZ");
}

#[test]
fn a_large_region_is_solved_on_priced_candidates_with_a_valid_bound() {
    // 2 000 groups × 200 managers: 380 000 candidate pairs, above the pricing threshold.
    let file = starplan::generate::province(7, 1, 2000, Some(200));
    let opts = starplan::engine::SolveOptions {
        threads: 1,
        time_limit_seconds: Some(30.0),
        ..Default::default()
    };
    let plan = common::solve_checked(&file, &opts);
    let r = &plan.regions[0];
    let full_pairs = 2000 * 199;
    assert!(
        r.model.binaries < full_pairs / 2,
        "{} binaries: the candidates were not restricted",
        r.model.binaries
    );
    let (objective, bound) = (r.objective.unwrap(), r.bound.unwrap());
    assert!(bound <= objective);
    // The bound must be a real one (before pricing this region had none at all). How close
    // it gets in 30 s depends on the machine's load: measured 5.6–10.1 % here on 2 cores
    // shared with the rest of the suite, so the test asks for a bound within 20 %, and the
    // quality figures live in BENCHMARKS.md (the size ladder), not in a timed test.
    assert!(r.gap.unwrap() < 0.20, "gap {:?}", r.gap);
    assert!(objective <= r.baselines.greedy.unwrap());
}
