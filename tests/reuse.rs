//! Re-solving only what changed (issue 14) and a published baseline (issue 10): carried regions equal the base, changed regions are solved warm, every plan passes `check`.

mod common;

use common::{checked, fixture, json, small, starplan};
use serde_json::Value;

/// A region's block, assignments and loads.
fn block(plan: &Value, id: &str) -> Value {
    let of = |k: &str| {
        Value::Array(
            plan[k]
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| x["region"] == id)
                .cloned()
                .collect(),
        )
    };
    let region = plan["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap()
        .clone();
    serde_json::json!({"region": region, "assignments": of("assignments"), "managers": of("managers")})
}

fn origin(plan: &Value, id: &str) -> String {
    let r = plan["provenance"]["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap();
    r["origin"].as_str().unwrap().to_string()
}

#[test]
fn solve_baseline_solves_again_only_the_region_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let input = small(dir.path(), 11);
    let base = dir.path().join("base.json");
    starplan()
        .arg("solve")
        .arg(&input)
        .arg("-o")
        .arg(&base)
        .args(["--no-timings", "-q"])
        .assert()
        .success();
    let mut changed = json(&input);
    let regions: Vec<String> = changed["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let target = regions[1].clone();
    let m = changed["managers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|m| m["region"] == target.as_str())
        .unwrap();
    m["capacity"] = 0.8.into();
    let today = dir.path().join("today.json");
    std::fs::write(&today, changed.to_string()).unwrap();
    let tonight = dir.path().join("tonight.json");
    starplan()
        .arg("solve")
        .arg(&today)
        .arg("--baseline")
        .arg(&base)
        .arg("-o")
        .arg(&tonight)
        .arg("--no-timings")
        .assert()
        .success()
        .stderr(predicates::str::contains("carried over"));
    checked(&today, &tonight);
    let (b, t) = (json(&base), json(&tonight));
    for id in &regions {
        if *id == target {
            assert_eq!(origin(&t, id), "warm_started");
        } else {
            assert_eq!(origin(&t, id), "carried_over");
            assert_eq!(block(&t, id), block(&b, id), "{id} is the baseline's block");
        }
    }
    // --force solves every region again.
    let forced = dir.path().join("forced.json");
    starplan()
        .arg("solve")
        .arg(&today)
        .arg("--baseline")
        .arg(&base)
        .arg("--force")
        .arg("-o")
        .arg(&forced)
        .args(["--no-timings", "-q"])
        .assert()
        .success();
    assert!(regions
        .iter()
        .all(|id| origin(&json(&forced), id) == "warm_started"));
    checked(&today, &forced);
}

#[test]
fn whatif_carries_the_regions_a_scenario_does_not_touch() {
    let dir = tempfile::tempdir().unwrap();
    let input = small(dir.path(), 11);
    let inp = json(&input);
    // A manager without pinned groups leaves.
    let m = inp["managers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| {
            m["frozen"] != true
                && m["available"] != false
                && !inp["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|g| g["pinned"] == true && g["current_manager"] == m["id"])
        })
        .unwrap();
    let leaving = m["id"].as_str().unwrap().to_string();
    let touched = m["region"].as_str().unwrap().to_string();
    let sc = dir.path().join("leave.json");
    std::fs::write(&sc, serde_json::json!({"schema_version": 1, "name": "leave", "unavailable_managers": [leaving]}).to_string()).unwrap();
    let out = dir.path().join("w");
    starplan()
        .arg("whatif")
        .arg(&input)
        .arg(&sc)
        .arg("-d")
        .arg(&out)
        .arg("--no-timings")
        .assert()
        .success()
        .stdout(predicates::str::contains("carried"));
    let (base, leave) = (
        json(&out.join("base.plan.json")),
        json(&out.join("leave.plan.json")),
    );
    checked(&out.join("leave.input.json"), &out.join("leave.plan.json"));
    let w = json(&out.join("whatif.json"));
    for r in w["regions"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let carried = r["runs"][1]["carried_over"] == true;
        assert_eq!(carried, id != touched, "{id}");
        if carried {
            assert_eq!(
                block(&leave, id),
                block(&base, id),
                "{id} is the base's block"
            );
        }
    }
    // With the base published, it is not solved: base.plan.json is the published plan.
    let out2 = dir.path().join("w2");
    starplan()
        .arg("whatif")
        .arg(&input)
        .arg(&sc)
        .arg("-d")
        .arg(&out2)
        .arg("--baseline")
        .arg(out.join("base.plan.json"))
        .arg("--no-timings")
        .assert()
        .success();
    assert_eq!(json(&out2.join("base.plan.json")), base);
    checked(
        &out2.join("leave.input.json"),
        &out2.join("leave.plan.json"),
    );
}

#[test]
fn three_leavers_against_the_published_plan_move_only_their_groups_and_what_must_follow() {
    let dir = tempfile::tempdir().unwrap();
    let demo = fixture("demo-province.json");
    let published = dir.path().join("published.json");
    starplan()
        .arg("solve")
        .arg(&demo)
        .arg("-o")
        .arg(&published)
        .args(["--time-limit", "2", "-q"])
        .assert()
        .success();
    let out = dir.path().join("w");
    starplan()
        .arg("whatif")
        .arg(&demo)
        .arg(fixture("scenarios/three-leave.json"))
        .arg("--baseline")
        .arg(&published)
        .arg("-d")
        .arg(&out)
        .args(["--time-limit", "10"])
        .assert()
        .success();
    checked(
        &out.join("three-leave.input.json"),
        &out.join("three-leave.plan.json"),
    );
    let (p, s) = (json(&published), json(&out.join("three-leave.plan.json")));
    let before: std::collections::HashMap<&str, &str> = p["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["group"].as_str().unwrap(), a["manager"].as_str().unwrap()))
        .collect();
    let leavers = ["M0002", "M0003", "M0020"];
    let theirs = before.values().filter(|m| leavers.contains(m)).count();
    let changed: Vec<&Value> = s["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| before[a["group"].as_str().unwrap()] != a["manager"])
        .collect();
    assert!(
        changed.iter().all(|a| a["region"] == "HZ"),
        "only Hangzhou changes"
    );
    let extra = changed
        .iter()
        .filter(|a| !leavers.contains(&before[a["group"].as_str().unwrap()]))
        .count();
    assert_eq!(
        changed.len() - extra,
        theirs,
        "every group of a leaver moves"
    );
    // The leavers' groups land on the others, so a few more may move to even out the
    // load (C8), each with its reason; measured 0–5 here (the published plan has 2 s,
    // so how far from optimal it is depends on the machine's load). A re-solve from
    // scratch moves hundreds.
    assert!(
        extra * 5 <= theirs,
        "{extra} other groups move besides the leavers' {theirs}"
    );
    assert!(changed
        .iter()
        .all(|a| !a["reasons"].as_array().unwrap().is_empty()));
    // Moves count from the published plan: the scenario's moved KPI is what changed.
    let hz = s["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "HZ")
        .unwrap();
    assert_eq!(
        hz["kpis"]["after"]["groups_moved"].as_u64().unwrap() as usize,
        changed.len()
    );
}
