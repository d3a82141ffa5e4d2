//! Shared test helpers: every solve goes through the independent checker.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]

use assert_cmd::Command;
use serde_json::Value;
use starplan::checker::check;
use starplan::engine::convert::to_instance;
use starplan::engine::{solve, SolveOptions};
use starplan::format::{InputFile, PlanFile};
use starplan::validate::load_input;
use std::path::{Path, PathBuf};

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(fixture(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn load(text: &str) -> InputFile {
    load_input(text).unwrap_or_else(|e| panic!("fixture is invalid: {e:?}"))
}

/// Solves with the library and asserts the checker accepts the plan.
pub fn solve_checked(file: &InputFile, opts: &SolveOptions) -> PlanFile {
    let plan = solve(&to_instance(file), opts).expect("worker pool");
    let violations = check(file, &plan);
    assert!(
        violations.is_empty(),
        "checker rejected the plan: {violations:#?}"
    );
    plan
}

pub fn quick() -> SolveOptions {
    SolveOptions {
        threads: 2,
        no_timings: true,
        ..Default::default()
    }
}

/// The starplan binary of this build.
pub fn starplan() -> Command {
    Command::cargo_bin("starplan").unwrap()
}

/// A JSON file's value.
pub fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `starplan check INPUT PLAN` accepts the plan.
pub fn checked(input: &Path, plan: &Path) {
    starplan()
        .arg("check")
        .arg(input)
        .arg(plan)
        .assert()
        .success();
}

/// A small generated province (3 regions, 240 groups) that solves to proven optimality in
/// seconds, written into `dir`.
pub fn small(dir: &Path, seed: u64) -> PathBuf {
    let p = dir.join("small.json");
    starplan()
        .args([
            "generate",
            "--seed",
            &seed.to_string(),
            "--regions",
            "3",
            "--groups",
            "240",
            "-o",
        ])
        .arg(&p)
        .assert()
        .success();
    p
}

/// Runs `starplan solve INPUT -o PLAN ARGS…` (from `dir`), asserts it succeeds and that
/// `starplan check` accepts the plan, and returns the plan's JSON: the CLI twin of
/// [`solve_checked`].
pub fn solve_cli_checked(dir: &Path, input: &Path, plan: &Path, args: &[&str]) -> Value {
    starplan()
        .current_dir(dir)
        .arg("solve")
        .arg(input)
        .arg("-o")
        .arg(plan)
        .args(args)
        .assert()
        .success();
    let (input, plan) = (dir.join(input), dir.join(plan));
    checked(&input, &plan);
    json(&plan)
}

/// `starplan check INPUT` accepts the plan `bytes` (a plan written to stdout or a pipe).
pub fn checked_bytes(input: &Path, bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(&plan, bytes).unwrap();
    checked(input, &plan);
}
