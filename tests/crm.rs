//! Real CRM exports in (issue 23): a workbook and GBK CSV files shaped as CRMs and office tools write them (made here from a generated province, see crm_files), each through import → solve → check. Nothing of the current layout is lost on the way: what cannot be read is a coded error at its cell, and no file is written then.

mod common;
mod crm_files;

use common::{checked, json, load, small, starplan};
use crm_files::{gbk_csv, group_rows, manager_rows, workbook, MANAGER_HEADER};
use serde_json::Value;
use std::path::Path;

/// Groups and managers as the input format reads them (defaults filled in), sorted by id.
fn people(path: &Path) -> Value {
    let file = load(&std::fs::read_to_string(path).unwrap());
    let v = serde_json::to_value(&file).unwrap();
    let sorted = |k: &str| {
        let mut l = v[k].as_array().unwrap().clone();
        l.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        Value::Array(l)
    };
    serde_json::json!({"managers": sorted("managers"), "groups": sorted("groups")})
}

/// Solves the input and has `starplan check` accept the plan.
fn solve_and_check(input: &Path) {
    let plan = input.with_extension("plan.json");
    starplan()
        .arg("solve")
        .arg(input)
        .arg("-o")
        .arg(&plan)
        .args(["--no-timings", "-q", "--time-limit", "20"])
        .assert()
        .success();
    checked(input, &plan);
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

fn with_manager(v: &Value) -> usize {
    let groups = v["groups"].as_array().unwrap();
    groups
        .iter()
        .filter(|g| g["current_manager"].is_string())
        .count()
}

#[test]
fn a_crm_workbook_goes_through_suggest_map_import_solve_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let original = small(dir.path(), 5);
    let v = json(&original);
    let book = dir.path().join("crm.xlsx");
    std::fs::write(&book, workbook(&v)).unwrap();
    let out = dir.path().join("in.json");
    // The current managers sit under 客户经理 / 工号, which no built-in header names.
    let refused = starplan()
        .arg("import")
        .arg(&book)
        .arg("-o")
        .arg(&out)
        .assert()
        .failure();
    let err = stderr(&refused);
    assert!(
        err.contains("E125") && err.contains("]集团客户清单!F4"),
        "{err}"
    );
    assert!(
        err.contains(r#"{"groups": {"客户经理工号": "current_manager"}}"#),
        "the --map line that takes it: {err}"
    );
    assert!(!out.exists(), "no input on an error");
    let map = dir.path().join("map.json");
    starplan()
        .arg("import")
        .arg(&book)
        .arg("--suggest-map")
        .arg(&map)
        .assert()
        .success();
    let m = json(&map);
    assert_eq!(m["groups"]["客户经理工号"], "current_manager", "{m}");
    assert_eq!(m["groups"]["客户经理姓名"], "ignore", "{m}");
    assert_eq!(m["groups"]["集团编号"], "id", "{m}");
    assert_eq!(
        m["sheets"]["groups"], "集团客户清单",
        "the visible sheet, not the hidden 集团"
    );
    let report = dir.path().join("report.json");
    let ok = starplan()
        .arg("import")
        .arg(&book)
        .arg("--map")
        .arg(&map)
        .arg("-o")
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    assert!(
        stderr(&ok).contains("header on row 3, 4"),
        "{}",
        stderr(&ok)
    );
    let r = json(&report);
    let groups = &r["lists"][0];
    assert_eq!(groups["list"], "groups");
    assert_eq!(groups["header_rows"], serde_json::json!([3, 4]));
    assert_eq!(groups["title_rows"], serde_json::json!([1, 2]));
    let n = v["groups"].as_array().unwrap().len();
    assert_eq!(groups["rows_taken"], n);
    let skipped = groups["skipped"].as_array().unwrap();
    let why = |w: &str| skipped.iter().filter(|s| s["why"] == w).count();
    assert_eq!(why("blank"), n / 50);
    assert_eq!(why("totals row (合计)"), 1, "{skipped:?}");
    assert_eq!(r["coverage"]["with_current_manager"], with_manager(&v));
    assert_eq!(r["lists"][1]["title_rows"], serde_json::json!([1]));
    assert_eq!(people(&out), people(&original), "nothing lost on the way");
    solve_and_check(&out);
}

#[test]
fn gbk_csv_from_a_crm_reads_as_the_workbook_does() {
    let dir = tempfile::tempdir().unwrap();
    let original = small(dir.path(), 6);
    let v = json(&original);
    let header = [
        "集团编号",
        "集团名称",
        "区域",
        "集团等级",
        "成员数",
        "客户经理工号",
        "客户经理姓名",
        "锁定",
        "上次调整",
    ];
    let above = ["集团客户清单（导出）", "导出时间：2026-12-01 08:00"];
    let (g, m) = (
        dir.path().join("groups.csv"),
        dir.path().join("managers.csv"),
    );
    std::fs::write(&g, gbk_csv(&above, &header, &group_rows(&v))).unwrap();
    std::fs::write(&m, gbk_csv(&[], &MANAGER_HEADER, &manager_rows(&v))).unwrap();
    let out = dir.path().join("in.json");
    let import = || {
        let mut c = starplan();
        c.arg("import")
            .arg("--groups")
            .arg(&g)
            .arg("--managers")
            .arg(&m);
        c.arg("-o").arg(&out);
        c
    };
    let err = stderr(&import().assert().failure());
    assert!(
        err.contains("groups.csv:3:客户经理工号") && err.contains("manager ids"),
        "{err}"
    );
    assert!(
        err.contains(r#"{"groups": {"上次调整": "last_moved"}}"#),
        "{err}"
    );
    assert!(
        !err.contains("客户经理姓名"),
        "the column of ids is named, not the names: {err}"
    );
    assert!(!out.exists());
    let map = dir.path().join("map.json");
    std::fs::write(
        &map,
        r#"{"groups": {"客户经理工号": "current_manager", "上次调整": "last_moved"}}"#,
    )
    .unwrap();
    let ok = import().arg("--map").arg(&map).assert().success();
    let text = stderr(&ok);
    assert!(
        text.contains("header on row 3 (above it, skipped: row 1, 2)"),
        "{text}"
    );
    assert!(text.contains("totals row (合计)"), "{text}");
    assert_eq!(people(&out), people(&original), "as the workbook reads");
    solve_and_check(&out);
}

#[test]
fn rows_and_coverage_that_would_lose_data_are_coded_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (g, m) = (
        dir.path().join("groups.csv"),
        dir.path().join("managers.csv"),
    );
    let out = dir.path().join("in.json");
    std::fs::write(&m, "工号,区域,星级\nM1,HZ,3星\nM2,HZ,2\n").unwrap();
    let import = |extra: &[&str]| {
        let mut c = starplan();
        c.arg("import")
            .arg("--groups")
            .arg(&g)
            .arg("--managers")
            .arg(&m);
        c.arg("-o").arg(&out).args(extra);
        c.assert()
    };
    std::fs::write(
        &g,
        "集团编号,区域,集团等级,成员数,现客户经理\nG1,HZ,A,10,M1\n,HZ,B,20,M2\n",
    )
    .unwrap();
    let err = stderr(&import(&[]).failure());
    assert!(
        err.contains("E124") && err.contains("groups.csv:3:区域"),
        "{err}"
    );
    std::fs::write(
        &g,
        "集团编号,区域,集团等级,成员数,现客户经理\nG1,HZ,A,10,M1\nG2,HZ,B,20,M2\n小计,,,30,\n",
    )
    .unwrap();
    let map = dir.path().join("map.json");
    std::fs::write(&map, r#"{"groups": {"现客户经理": "ignore"}}"#).unwrap();
    let m_arg = map.to_str().unwrap();
    let err = stderr(&import(&["--map", m_arg]).failure());
    assert!(
        err.contains("E126") && err.contains("none of the 2 groups"),
        "{err}"
    );
    assert!(!out.exists());
    let report = dir.path().join("r.json");
    let r_arg = report.to_str().unwrap();
    import(&["--map", m_arg, "--all-new", "--report", r_arg]).success();
    let r = json(&report);
    assert_eq!(r["coverage"]["new"], 2);
    assert_eq!(r["lists"][0]["columns"][4]["ignored_by_map"], true, "{r}");
    assert_eq!(
        r["lists"][0]["skipped"][0]["why"], "totals row (小计)",
        "{r}"
    );
    solve_and_check(&out);
}
