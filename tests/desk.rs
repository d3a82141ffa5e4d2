//! The planner's desk (issue 10): spreadsheets in and out, report, rescore, provenance and a published baseline. Every plan passes `starplan check`.

mod common;

use common::{checked, fixture, json, small, starplan};
use serde_json::Value;
use std::path::Path;

/// The entities of an input, each list sorted by id.
fn entities(v: &Value) -> Value {
    let sorted = |k: &str| {
        let mut l = v[k].as_array().unwrap().clone();
        l.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        Value::Array(l)
    };
    serde_json::json!({"regions": sorted("regions"), "managers": sorted("managers"), "groups": sorted("groups"), "policy": v["policy"]})
}

fn solve(input: &Path, plan: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    starplan()
        .arg("solve")
        .arg(input)
        .arg("-o")
        .arg(plan)
        .args(["--no-timings", "-q"])
        .args(extra)
        .assert()
}

#[test]
fn demo_round_trips_through_chinese_xlsx_and_gbk_csv() {
    let dir = tempfile::tempdir().unwrap();
    let demo = fixture("demo-province.json");
    let want = entities(&json(&demo));
    let book = dir.path().join("demo.xlsx");
    starplan()
        .arg("export")
        .arg(&demo)
        .arg("-o")
        .arg(&book)
        .args(["--lang", "zh"])
        .assert()
        .success();
    let back = dir.path().join("back.json");
    starplan()
        .arg("import")
        .arg(&book)
        .arg("-o")
        .arg(&back)
        .assert()
        .success();
    assert_eq!(entities(&json(&back)), want, "xlsx round trip");
    starplan()
        .arg("export")
        .arg(&demo)
        .arg("-o")
        .arg(dir.path().join("demo.csv"))
        .args(["--lang", "zh"])
        .assert()
        .success();
    for list in ["groups", "managers", "regions"] {
        let utf8 = std::fs::read(dir.path().join(format!("demo.{list}.csv"))).unwrap();
        assert!(utf8.starts_with(b"\xEF\xBB\xBF"), "CSV for Excel has a BOM");
        let text = String::from_utf8(utf8[3..].to_vec()).unwrap();
        assert!(text.starts_with(
            ["集团编号", "客户经理编号", "区域编号"][["groups", "managers", "regions"]
                .iter()
                .position(|l| *l == list)
                .unwrap()]
        ));
        let (gbk, _, bad) = encoding_rs::GBK.encode(&text);
        assert!(!bad);
        std::fs::write(dir.path().join(format!("gbk.{list}.csv")), gbk).unwrap();
    }
    let back2 = dir.path().join("back2.json");
    let d = dir.path();
    starplan()
        .arg("import")
        .arg("--groups")
        .arg(d.join("gbk.groups.csv"))
        .arg("--managers")
        .arg(d.join("gbk.managers.csv"))
        .arg("--regions")
        .arg(d.join("gbk.regions.csv"))
        .arg("-o")
        .arg(&back2)
        .assert()
        .success();
    assert_eq!(entities(&json(&back2)), want, "GBK CSV round trip");
}

#[test]
fn solve_on_a_workbook_gives_the_plan_of_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let input = small(dir.path(), 7);
    let book = dir.path().join("small.xlsx");
    starplan()
        .arg("export")
        .arg(&input)
        .arg("-o")
        .arg(&book)
        .assert()
        .success();
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    // Work mode: the two runs end on counted work, so a loaded machine gives equal plans too.
    solve(&input, &a, &["--work-limit", "5"]).success();
    solve(&book, &b, &["--work-limit", "5"]).success();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    checked(&input, &b);
    // A JSON input with a byte-order mark reads like one without.
    let bom = dir.path().join("bom.json");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(&input).unwrap());
    std::fs::write(&bom, bytes).unwrap();
    starplan().arg("staff").arg(&bom).assert().success();
}

#[test]
fn import_errors_name_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("groups.csv");
    let m = dir.path().join("managers.csv");
    std::fs::write(
        &g,
        "集团编号,区域,集团等级,成员数,现客户经理\n007,HZ,A,120,M1\n008,HZ,B,abc,M1\n",
    )
    .unwrap();
    std::fs::write(
        &m,
        "工号,姓名,区域,星级,在岗\nM1,张三,HZ,3星,是\nM2,李四,HZ,五星,否\n",
    )
    .unwrap();
    let out = dir.path().join("in.json");
    starplan()
        .arg("import")
        .arg("--groups")
        .arg(&g)
        .arg("--managers")
        .arg(&m)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(65)
        .stderr(
            predicates::str::contains("E030 ")
                .and(predicates::str::contains("groups.csv:3:成员数")),
        )
        .stderr(predicates::str::contains("managers.csv:3:星级"));
    assert!(!out.exists());
    std::fs::write(
        &g,
        "集团编号,区域,集团等级,成员数,现客户经理\n007,HZ,A,120,M1\n",
    )
    .unwrap();
    std::fs::write(
        &m,
        "工号,姓名,区域,星级,在岗\nM1,张三,HZ,3星,是\nM2,李四,HZ,二星,否\n",
    )
    .unwrap();
    starplan()
        .arg("import")
        .arg("--groups")
        .arg(&g)
        .arg("--managers")
        .arg(&m)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let v = json(&out);
    assert_eq!(
        v["groups"][0]["id"], "007",
        "ids are text: leading zeros stay"
    );
    assert_eq!(v["managers"][1]["available"], false);
}

use predicates::prelude::*;

#[test]
fn export_and_report_work_on_optimal_relaxed_and_infeasible_plans() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (small(dir.path(), 7), 0),
        (fixture("relaxed/province.json"), 4),
        (fixture("no-managers-region.json"), 3),
    ];
    for (i, (input, code)) in cases.iter().enumerate() {
        export_and_report(dir.path(), i, input, *code);
    }
}

/// Solves, checks, exports (XLSX and CSV) and reports one case.
#[allow(
    clippy::too_many_lines,
    reason = "one end-to-end case, step after step, each asserted"
)]
fn export_and_report(dir: &Path, i: usize, input: &Path, code: i32) {
    {
        let plan = dir.join(format!("p{i}.json"));
        solve(input, &plan, &["--time-limit", "5"]).code(code);
        checked(input, &plan);
        let book = dir.join(format!("p{i}.xlsx"));
        starplan()
            .arg("export")
            .arg(input)
            .arg(&plan)
            .arg("-o")
            .arg(&book)
            .args(["--lang", "zh"])
            .assert()
            .success();
        let mut wb = starplan::desk::Book::open("p.xlsx", std::fs::read(&book).unwrap()).unwrap();
        let names = wb.sheet_names();
        assert_eq!(
            names,
            [
                "汇总",
                "调整清单",
                "分配",
                "客户经理负荷",
                "诊断",
                "人员配置"
            ]
        );
        let p = json(&plan);
        let moved = p["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["moved"] == true)
            .count();
        assert_eq!(
            wb.table("调整清单").unwrap().rows.len(),
            moved,
            "one row per move"
        );
        assert_eq!(
            wb.table("汇总").unwrap().rows.len(),
            p["regions"].as_array().unwrap().len()
        );
        starplan()
            .arg("export")
            .arg(input)
            .arg(&plan)
            .arg("-o")
            .arg(dir.join(format!("p{i}.csv")))
            .assert()
            .success();
        let html = dir.join(format!("p{i}.html"));
        starplan()
            .arg("report")
            .arg(input)
            .arg(&plan)
            .arg("-o")
            .arg(&html)
            .args(["--lang", "zh"])
            .assert()
            .success();
        let text = std::fs::read_to_string(&html).unwrap();
        // Nothing the page would load from the network, http or https (a plain link is fine).
        for load in [
            "src=\"http",
            "src='http",
            "url(http",
            "url(\"http",
            "url('http",
            "@import",
        ] {
            assert!(!text.contains(load), "no network: {load}");
        }
        assert!(
            !text.split("<link").skip(1).any(|l| l
                .split('>')
                .next()
                .unwrap_or("")
                .contains("http")),
            "no network: <link> to http"
        );
        for r in p["regions"].as_array().unwrap() {
            let tag = format!(
                "data-region=\"{}\" data-status=\"{}\"",
                r["id"].as_str().unwrap(),
                r["status"].as_str().unwrap()
            );
            assert!(text.contains(&tag), "{tag}");
        }
        if code == 4 {
            assert!(
                text.contains("诊断与建议"),
                "a relaxed plan shows its diagnoses"
            );
        }
    }
}

#[test]
fn check_uses_the_policy_the_plan_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let input = small(dir.path(), 7);
    let plan = dir.path().join("plan.json");
    solve(
        &input,
        &plan,
        &["--set", "member_span.target.3=700", "--time-limit", "30"],
    )
    .success();
    let p = json(&plan);
    assert_eq!(
        p["provenance"]["policy"]["member_span"]["target"]["3"],
        700.0
    );
    assert_eq!(
        p["provenance"]["policy"]["solver"]["time_limit_seconds"],
        30.0
    );
    starplan()
        .arg("check")
        .arg(&input)
        .arg(&plan)
        .assert()
        .success()
        .stderr(
            predicates::str::contains("the plan's overrides")
                .and(predicates::str::contains("member_span.target.3=700")),
        );
    // Asked about another policy on top of the recorded one, the check sees the stale figures.
    starplan()
        .arg("check")
        .arg(&input)
        .arg(&plan)
        .args(["--set", "member_span.target.3=900"])
        .assert()
        .code(1);
}

/// Display columns of a line (a CJK character takes two).
fn columns(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

#[test]
fn tables_fit_100_columns_with_region_names_totals_and_cjk_alignment() {
    let dir = tempfile::tempdir().unwrap();
    let input = small(dir.path(), 7);
    let plan = dir.path().join("plan.json");
    let out = starplan()
        .arg("solve")
        .arg(&input)
        .arg("-o")
        .arg(&plan)
        .arg("--no-timings")
        .assert()
        .success();
    checked(&input, &plan);
    let table = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("HZ 杭州")), "{table}");
    assert!(lines.iter().any(|l| l.starts_with("total")), "{table}");
    let width = columns(lines[0]);
    assert!(width <= 100, "{table}");
    for l in lines.iter().filter(|l| !l.contains(':')) {
        assert_eq!(columns(l), width, "every row ends in the same column: {l}");
    }
    let staff = starplan()
        .arg("staff")
        .arg(fixture("demo-province.json"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&staff.get_output().stdout).to_string();
    assert!(text.lines().all(|l| columns(l) <= 100), "{text}");
    for (cmd, word) in [
        ("solve", "cross-grade"),
        ("staff", "binding"),
        ("whatif", "carried"),
    ] {
        starplan()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicates::str::contains(word));
    }
}
