//! Hostile and unlucky inputs (issue 13, items 5, 6 and 11): extreme numbers, repeated keys, bytes that are not UTF-8, entities with one bad field, and standard output closed or full. Each ends in a coded error or a quiet exit, never a panic.

mod common;

use assert_cmd::Command;
use common::{fixture, read};
use serde_json::{json, Value};
use std::process::Stdio;

fn starplan() -> Command {
    Command::cargo_bin("starplan").unwrap()
}

/// The codes and paths of an input refused with exit 65 (`--error-format json`).
fn refused(cmd: &mut Command) -> Vec<(String, String)> {
    let out = cmd.args(["--error-format", "json"]).assert().code(65);
    let errors: Value = serde_json::from_slice(&out.get_output().stderr).unwrap();
    errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap().into(),
                e["path"].as_str().unwrap().into(),
            )
        })
        .collect()
}

/// Solving `text` is refused; its codes and paths.
fn solve_refused(text: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.json");
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("plan.json");
    let got = refused(starplan().arg("solve").arg(&input).arg("-o").arg(&out));
    assert!(!out.exists(), "a refused input wrote a plan");
    got
}

fn pair(code: &str, path: &str) -> (String, String) {
    (code.into(), path.into())
}

fn tiny() -> Value {
    serde_json::from_str(&read("tiny/c1-new-group.json")).unwrap()
}

#[test]
fn a_repeated_key_is_refused_not_silently_the_last() {
    // The second "groups" would plan zero groups and `check` would agree.
    let mut text = tiny().to_string();
    text.pop();
    text.push_str(r#", "groups": []}"#);
    assert_eq!(solve_refused(&text), vec![pair("E007", "$.groups")]);
    let plan =
        r#"{"schema_version": 1, "regions": [], "assignments": [], "managers": [], "regions": []}"#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.json"), plan).unwrap();
    let got = refused(
        starplan()
            .arg("check")
            .arg(fixture("tiny/c1-new-group.json"))
            .arg(dir.path().join("plan.json")),
    );
    assert_eq!(got, vec![pair("E007", "$.regions")]);
}

#[test]
fn a_number_too_small_for_a_double_is_refused() {
    let mut v = tiny();
    v["policy"]["weights"]["span"] = json!(0);
    let text = v.to_string().replace(r#""span":0"#, r#""span":1e-400"#);
    assert_eq!(
        solve_refused(&text),
        vec![pair("E008", "$.policy.weights.span")]
    );
    let got = refused(
        starplan()
            .arg("solve")
            .arg(fixture("tiny/c1-new-group.json"))
            .args(["--set", "weights.balance=1e-400"]),
    );
    assert_eq!(got[0].0, "E008");
}

#[test]
fn invalid_utf8_inside_a_string_is_e006_not_an_unreadable_file() {
    let mut bytes = br#"{"schema_version": 1, "regions": [{"id": "H"#.to_vec();
    bytes.extend([0xff, 0xfe]);
    bytes.extend(br#""}], "managers": [], "groups": []}"#);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.json");
    std::fs::write(&input, &bytes).unwrap();
    let got = refused(starplan().arg("solve").arg(&input));
    assert_eq!(got, vec![pair("E006", "$")]);
    let got = refused(
        starplan()
            .arg("check")
            .arg(fixture("tiny/c1-new-group.json"))
            .arg(&input),
    );
    assert_eq!(got, vec![pair("E006", "$")]);
}

#[test]
fn one_bad_field_reports_that_field_only_not_false_unknown_managers() {
    let mut v = tiny();
    v["managers"][0]["star"] = json!(2.5);
    v["managers"][1]["nickname"] = json!("Li");
    v["groups"][0]["current_manager"] = json!("M1");
    v["groups"].as_array_mut().unwrap().push(
        json!({ "id": "G2", "region": "T", "class": "B", "members": 5, "current_manager": "M2" }),
    );
    assert_eq!(
        solve_refused(&v.to_string()),
        vec![
            pair("E032", "$.managers[0].star"),
            pair("E003", "$.managers[1].nickname")
        ]
    );
}

#[test]
fn extreme_solver_numbers_are_coded_errors() {
    for t in ["1e308", "inf", "1e19", "NaN", "0"] {
        starplan()
            .arg("solve")
            .arg(fixture("tiny/c1-new-group.json"))
            .args(["--time-limit", t])
            .assert()
            .code(2);
    }
    let got = refused(
        starplan()
            .arg("solve")
            .arg(fixture("tiny/c1-new-group.json"))
            .args(["--set", "solver.time_limit_seconds=1e308"]),
    );
    assert_eq!(
        got,
        vec![pair("E053", "$.policy.solver.time_limit_seconds")]
    );
    let mut v = tiny();
    v["policy"]["weights"]["balance"] = json!(1e300);
    v["policy"]["relaxation_penalty"] = json!(1e10);
    v["managers"][0]["capacity"] = json!(1e7);
    assert_eq!(
        solve_refused(&v.to_string()),
        vec![
            pair("E033", "$.managers[0].capacity"),
            pair("E034", "$.policy.weights.balance"),
            pair("E034", "$.policy.relaxation_penalty")
        ]
    );
    assert_eq!(
        starplan::model::MAX_SECONDS,
        starplan::validate::MAX_TIME_LIMIT_SECONDS
    );
}

#[test]
fn extreme_counts_on_the_command_line_are_usage_errors() {
    starplan()
        .arg("solve")
        .arg(fixture("tiny/c1-new-group.json"))
        .args(["--threads", "100000000"])
        .assert()
        .code(2);
    for args in [
        ["--groups", "1000000000000", "--regions", "1"],
        ["--groups", "10", "--managers", "99999999999"],
    ] {
        starplan().arg("generate").args(args).assert().code(2);
    }
}

/// Every command that prints, with the files it needs.
fn printing_commands(plan: &std::path::Path, dir: &std::path::Path) -> Vec<Vec<String>> {
    let f = |rel: &str| fixture(rel).to_string_lossy().into_owned();
    let scenario = dir.join("m2-leaves.json");
    std::fs::write(
        &scenario,
        r#"{"schema_version": 1, "name": "m2-leaves", "unavailable_managers": ["M2"]}"#,
    )
    .unwrap();
    let (plan, scenario) = (plan.to_string_lossy(), scenario.to_string_lossy());
    let whatif = dir.join("whatif").to_string_lossy().into_owned();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        s(&["schema", "output"]),
        s(&["solve", &f("tiny/c1-new-group.json"), "-q"]),
        s(&["check", &f("tiny/c1-new-group.json"), &plan, "--json"]),
        s(&["staff", &f("demo-province.json")]),
        s(&["staff", &f("demo-province.json"), "--format", "json"]),
        s(&["generate", "--groups", "3000"]),
        s(&["choose-model", &f("criteria.json")]),
        s(&["diff", &f("tiny/c1-new-group.json"), &plan]),
        s(&[
            "certify",
            &f("certify/input.json"),
            &f("certify/assessments.json"),
        ]),
        s(&[
            "whatif",
            &f("tiny/c1-new-group.json"),
            &scenario,
            "-d",
            &whatif,
        ]),
        s(&["--help"]),
    ]
}

#[test]
fn closed_or_full_standard_output_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    starplan()
        .arg("solve")
        .arg(fixture("tiny/c1-new-group.json"))
        .arg("-o")
        .arg(&plan)
        .assert()
        .code(0);
    common::checked(&fixture("tiny/c1-new-group.json"), &plan);
    for args in printing_commands(&plan, dir.path()) {
        // A reader that has gone away: the command ends quietly with its own code.
        let (ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
        drop(theirs);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("starplan"))
            .args(&args)
            .stdout(Stdio::from(std::os::fd::OwnedFd::from(ours)))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?} into a closed pipe: {err}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("error"),
            "{args:?}: {err}"
        );
        if args[0] == "--help" {
            continue;
        }
        // A full disk: exit 73, said on stderr.
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("starplan"))
            .args(&args)
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(73),
            "{args:?} into /dev/full: {err}"
        );
        assert!(err.contains("cannot write stdout"), "{args:?}: {err}");
    }
}

#[test]
fn a_diagnosis_never_says_minus_zero() {
    // Class A with only a 1-star manager, who may not serve it: no seats at all (D001).
    let text = json!({
        "schema_version": 1,
        "regions": [{ "id": "T" }],
        "managers": [{ "id": "M1", "region": "T", "star": 1 }],
        "groups": [{ "id": "G1", "region": "T", "class": "A", "members": 10 }]
    });
    let file = common::load(&text.to_string());
    let plan = common::solve_checked(&file, &common::quick());
    let said: Vec<&str> = plan.regions[0]
        .diagnoses
        .iter()
        .flat_map(|d| [d.message.as_str(), d.action.as_str()])
        .collect();
    assert!(!said.is_empty(), "the region is diagnosed");
    assert!(said.iter().all(|s| !s.contains("-0")), "{said:?}");
    assert!(said.iter().any(|s| s.contains("at most 0")), "{said:?}");
}
