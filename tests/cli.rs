//! Integration tests that run the `starplan` binary: exit codes, stdin/stdout, invalid inputs, determinism.

mod common;

use assert_cmd::Command;
use common::{fixture, read};
use predicates::str::contains;
use starplan::errors::Code;
use std::collections::{BTreeMap, BTreeSet};

fn starplan() -> Command {
    Command::cargo_bin("starplan").unwrap()
}

fn expected_codes() -> BTreeMap<String, Vec<String>> {
    serde_json::from_str(&read("invalid/expected.json")).unwrap()
}

/// The command that reads an invalid fixture: its name's prefix says which file kind it is.
fn run_invalid(name: &str, out: &std::path::Path) -> assert_cmd::assert::Assert {
    let file = fixture(&format!("invalid/{name}.json"));
    let mut cmd = starplan();
    cmd.args(["--error-format", "json"]);
    if name.starts_with("import-") {
        // A folder with a workbook, or with groups and managers CSV files.
        let dir = fixture(&format!("invalid/{name}"));
        cmd.arg("import");
        if dir.join("book.xlsx").exists() {
            cmd.arg(dir.join("book.xlsx"));
        } else {
            cmd.arg("--groups").arg(dir.join("groups.csv"));
            cmd.arg("--managers").arg(dir.join("managers.csv"));
        }
        cmd.arg("-o").arg(out);
    } else if name.starts_with("rescore-") {
        cmd.arg("rescore")
            .arg(fixture("tiny/c1-new-group.json"))
            .arg(file)
            .arg("-o")
            .arg(out);
    } else if name.starts_with("scenario-") {
        cmd.arg("whatif")
            .arg(fixture("tiny/c1-new-group.json"))
            .arg(file)
            .arg("-d")
            .arg(out);
    } else if name.starts_with("assessments-") {
        cmd.arg("certify")
            .arg(fixture("certify/input.json"))
            .arg(file)
            .arg("-o")
            .arg(out);
    } else if name.starts_with("criteria-") {
        cmd.arg("choose-model").arg(file);
    } else if name.starts_with("plan-") {
        cmd.arg("check")
            .arg(fixture("tiny/c1-new-group.json"))
            .arg(file);
    } else {
        cmd.arg("solve").arg(file).arg("-o").arg(out);
    }
    cmd.assert()
}

#[test]
fn invalid_inputs_exit_65_with_their_codes_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (name, codes) in expected_codes() {
        let out = dir.path().join(format!("{name}.out"));
        let assert = run_invalid(&name, &out).code(65);
        let errors: serde_json::Value =
            serde_json::from_slice(&assert.get_output().stderr).unwrap();
        let mut got: Vec<String> = errors
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap().to_string())
            .collect();
        got.sort();
        assert_eq!(got, codes, "{name}");
        for e in errors.as_array().unwrap() {
            // Spreadsheet errors name a file, sheet or cell instead of a JSON path.
            let path = e["path"].as_str().unwrap();
            let located =
                path.starts_with('$') || (name.starts_with("import-") && path.contains("invalid/"));
            assert!(located, "{name}: {e}");
            assert!(!e["hint"].as_str().unwrap().is_empty(), "{name}: {e}");
        }
        assert!(!out.exists(), "{name}: an output was written");
    }
}

/// Codes raised by command-line values rather than files; `set_overrides_*` covers them.
const CLI_ONLY: [&str; 2] = ["E070", "E071"];

#[test]
fn every_error_code_has_an_invalid_fixture() {
    let mut covered: BTreeSet<String> = expected_codes().into_values().flatten().collect();
    covered.extend(CLI_ONLY.iter().map(|c| c.to_string()));
    for code in Code::ALL {
        assert!(
            covered.contains(code.as_str()),
            "{code} has no invalid fixture"
        );
    }
}

#[test]
fn every_error_code_is_in_the_readme_table() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for code in Code::ALL {
        assert!(
            readme.contains(&format!("| {code} | {} |", code.title())),
            "{code} is not in README's table"
        );
    }
}

#[test]
fn text_errors_name_code_path_and_hint() {
    starplan()
        .args(["staff"])
        .arg(fixture("invalid/ranges.json"))
        .assert()
        .code(65)
        .stderr(contains("E030 $.groups[0].members"))
        .stderr(contains("hint:"))
        .stderr(contains("nothing was written"));
}

#[test]
fn solve_reads_stdin_and_writes_stdout_then_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let input = read("tiny/c5-eligibility.json");
    let out = starplan()
        .args(["solve", "-", "--quiet", "--no-timings"])
        .write_stdin(input)
        .assert()
        .code(0);
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, &out.get_output().stdout).unwrap();
    starplan()
        .arg("check")
        .arg(fixture("tiny/c5-eligibility.json"))
        .arg(&plan_path)
        .assert()
        .code(0)
        .stderr(contains("plan is valid"));
}

#[test]
fn an_infeasible_region_is_relaxed_exits_4_and_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.json");
    starplan()
        .arg("solve")
        .arg(fixture("infeasible-region.json"))
        .arg("-o")
        .arg(&plan_path)
        .assert()
        .code(4)
        .stderr(contains("relaxed"));
    let plan: starplan::format::PlanFile =
        serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();
    assert_eq!(plan.regions[0].id, "BAD");
    assert_eq!(
        plan.regions[0].status,
        starplan::format::output::Status::Relaxed
    );
    assert_eq!(plan.regions[0].diagnoses[0].code.code(), "D001");
    assert_eq!(
        plan.regions[1].status,
        starplan::format::output::Status::Optimal
    );
    assert_eq!(plan.assignments.len(), 14);
    starplan()
        .arg("check")
        .arg(fixture("infeasible-region.json"))
        .arg(&plan_path)
        .assert()
        .code(0);
}

#[test]
fn check_exits_1_on_a_broken_plan() {
    let dir = tempfile::tempdir().unwrap();
    let out = starplan()
        .args(["solve", "--quiet"])
        .arg(fixture("tiny/c4-unavailable.json"))
        .assert()
        .code(0);
    let mut plan: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    plan["assignments"][0]["manager"] = "M2".into();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, plan.to_string()).unwrap();
    starplan()
        .arg("check")
        .arg(fixture("tiny/c4-unavailable.json"))
        .arg(&path)
        .assert()
        .code(1)
        .stderr(contains("C4"));
}

#[test]
fn usage_errors_exit_2() {
    starplan().arg("frobnicate").assert().code(2);
    starplan()
        .args(["solve", "x.json", "--gap", "2"])
        .assert()
        .code(2);
    starplan()
        .args(["solve", "x.json", "--time-limit", "0"])
        .assert()
        .code(2);
}

#[test]
fn unreadable_input_exits_66() {
    starplan()
        .args(["solve", "/nonexistent/input.json"])
        .assert()
        .code(66)
        .stderr(contains("cannot read"));
}

#[test]
fn unwritable_output_exits_73_and_writes_nothing() {
    starplan()
        .arg("solve")
        .arg(fixture("tiny/c1-new-group.json"))
        .args(["-o", "/nonexistent-dir/plan.json"])
        .assert()
        .code(73);
}

#[test]
fn staff_reproduces_the_worked_example() {
    starplan()
        .arg("staff")
        .arg(fixture("worked-example.json"))
        .assert()
        .code(0)
        .stdout(contains("EX     3★     A    412"))
        .stdout(contains("41–52"));
    let out = starplan()
        .args(["staff", "--format", "json"])
        .arg(fixture("worked-example.json"))
        .assert()
        .code(0);
    let est: starplan::format::staffing::StaffingFile =
        serde_json::from_slice(&out.get_output().stdout).unwrap();
    let a = est.rows.iter().find(|l| l.star == 3).unwrap();
    assert_eq!((a.groups, a.avg_members), (412, 210.0));
    assert_eq!((a.groups_rule.min, a.groups_rule.max), (41, 52));
    // The members rule is the article's other requirement: 86 520 members at ~1000 each.
    assert_eq!(a.members_rule.max, 87);
    assert_eq!(a.binding, "members");
    assert_eq!(a.current, 45);
}

#[test]
fn schemas_are_json_schema_documents() {
    for kind in [
        "input",
        "output",
        "staffing",
        "scenario",
        "whatif",
        "diff",
        "assessments",
        "certification",
        "criteria",
        "choice",
    ] {
        let out = starplan().args(["schema", kind]).assert().code(0);
        let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert!(
            v["$schema"].as_str().unwrap().contains("json-schema"),
            "{kind}"
        );
        assert!(v["properties"].is_object(), "{kind}");
    }
}

#[test]
fn generate_is_a_function_of_its_seed() {
    let generate = |seed: &str| {
        let out = starplan()
            .args([
                "generate",
                "--seed",
                seed,
                "--regions",
                "3",
                "--groups",
                "400",
            ])
            .assert()
            .code(0);
        out.get_output().stdout.clone()
    };
    let (a, b, c) = (generate("9"), generate("9"), generate("10"));
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn same_input_gives_byte_identical_plans_whatever_the_worker_count() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("p.json");
    starplan()
        .args([
            "generate",
            "--seed",
            "3",
            "--regions",
            "3",
            "--groups",
            "700",
            "-o",
        ])
        .arg(&input)
        .assert()
        .code(0);
    let run = |threads: &str| {
        let out = starplan()
            .args([
                "solve",
                "--quiet",
                "--no-timings",
                // Work mode: equal plans on a loaded machine too (models/assignment.md).
                "--work-limit",
                "15",
                "--threads",
                threads,
            ])
            .arg(&input)
            .assert()
            .code(0);
        out.get_output().stdout.clone()
    };
    let first = run("2");
    assert_eq!(first, run("2"));
    assert_eq!(first, run("1"));
    let path = dir.path().join("plan.json");
    std::fs::write(&path, &first).unwrap();
    starplan()
        .arg("check")
        .arg(&input)
        .arg(&path)
        .assert()
        .code(0);
}

#[test]
fn demo_province_solves_within_default_limits_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.json");
    starplan()
        .arg("solve")
        .arg(fixture("demo-province.json"))
        .arg("-o")
        .arg(&plan_path)
        .assert()
        .code(0)
        .stderr(contains("HZ"));
    starplan()
        .arg("check")
        .arg(fixture("demo-province.json"))
        .arg(&plan_path)
        .assert()
        .code(0);
    let plan: starplan::format::PlanFile =
        serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();
    assert_eq!(plan.regions.len(), 8);
    for r in &plan.regions {
        let (before, after) = (&r.kpis.before, r.kpis.after.as_ref().unwrap());
        assert_eq!(after.unserved_groups, 0, "{}", r.id);
        assert_eq!(after.mismatched.forbidden, 0, "{}", r.id);
        assert!(
            after.utilisation.spread <= before.utilisation.spread,
            "{}",
            r.id
        );
    }
}

/// The staff table's columns are described once (summary::STAFF_LEGEND): `staff --help`
/// explains exactly the columns the table prints, in its order, and README quotes both the
/// legend and the table the binary prints for the worked example (issue 22, item 6).
#[test]
fn the_staff_legend_readme_and_table_agree() {
    let help = starplan().args(["staff", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&help.get_output().stdout).into_owned();
    let legend = &help[help
        .find("One row per region")
        .expect("the legend in --help")..];
    let legend = legend.trim_end();
    // Each legend line is `  NAME  meaning`, NAME separated from the meaning by 2+ spaces.
    let named: Vec<&str> = legend
        .lines()
        .skip(1)
        .map(|l| l.trim_start().split("  ").next().unwrap())
        .collect();
    let table = starplan()
        .arg("staff")
        .arg(common::fixture("worked-example.json"))
        .assert()
        .success();
    let table = String::from_utf8_lossy(&table.get_output().stdout).into_owned();
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    let words: Vec<&str> = named.iter().flat_map(|n| n.split(' ')).collect();
    assert_eq!(
        header, words,
        "the legend names the printed columns, in order"
    );
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(legend),
        "README quotes staff --help's legend"
    );
    let example = format!("$ starplan staff fixtures/worked-example.json\n{table}");
    assert!(
        readme.contains(&example),
        "README's example is what the binary prints:\n{table}"
    );
}
