//! Helpers of the batch tests: the binary, a small province, one reference run.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_starplan"))
}

pub fn starplan() -> Command {
    Command::cargo_bin("starplan").unwrap()
}

pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Five small regions, each solved to its gap in well under a second.
pub fn small_province(dir: &Path) -> PathBuf {
    let input = dir.join("input.json");
    starplan()
        .args([
            "generate",
            "--seed",
            "3",
            "--regions",
            "5",
            "--groups",
            "300",
            "-o",
        ])
        .arg(&input)
        .assert()
        .success();
    input
}

/// One run of the whole input in the work mode shards use by default (W = the policy's time
/// limit), so that merged shards can equal it byte for byte.
pub fn one_run(input: &Path, dir: &Path) -> Vec<u8> {
    let single = dir.join("single.json");
    let work = time_limit(input).to_string();
    starplan()
        .arg("solve")
        .arg(input)
        .args(["--no-timings", "-q", "--work-limit", &work, "-o"])
        .arg(&single)
        .assert()
        .code(0);
    // The reference run's plan is one the independent checker accepts.
    checked(input, &single);
    std::fs::read(single).unwrap()
}

pub fn region_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".plan.json"))
        .collect();
    v.sort();
    v
}

/// Merges `out` against `input` into `plan` (exit 0 expected) and checks the merged plan with
/// the independent checker.
pub fn merged_and_checked(out: &Path, input: &Path, plan: &Path) {
    starplan()
        .arg("merge")
        .arg(out)
        .arg("--input")
        .arg(input)
        .arg("-o")
        .arg(plan)
        .assert()
        .code(0);
    checked(input, plan);
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

/// The input's policy time limit, or the default policy's.
pub fn time_limit(input: &Path) -> f64 {
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let at = |v: &serde_json::Value| v["policy"]["solver"]["time_limit_seconds"].as_f64();
    at(&read(input))
        .or_else(|| {
            read(&repo("models/default-policy.json"))["solver"]["time_limit_seconds"].as_f64()
        })
        .expect("a time limit")
}
