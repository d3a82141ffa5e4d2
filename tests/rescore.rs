//! Rescoring plans edited by hand (issue 10): a valid edit passes `rescore` and the rescored plan passes `check`; a broken hard rule is named with its code.

mod common;

use common::{json, small, starplan};
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

/// Moves `n` groups of the plan to another manager of the same grade that has room, away
/// from frozen, pinned, leaving and recently moved groups, so that every hard rule holds.
fn hand_moves(input: &Value, plan: &mut Value, n: usize) -> Vec<String> {
    let pol = plan["provenance"]["policy"].clone();
    let mgr = |id: &str| {
        input["managers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()
            .clone()
    };
    let grp = |id: &str| {
        input["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id)
            .unwrap()
            .clone()
    };
    let free =
        |m: &Value| m["frozen"] != true && m["available"] != false && m.get("capacity").is_none();
    let mut loads: std::collections::HashMap<String, (u64, u64)> = plan["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap().to_string(),
                (
                    l["groups"].as_u64().unwrap(),
                    l["members"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    let mut moved = Vec::new();
    let assignments = plan["assignments"].as_array().unwrap().clone();
    for (i, a) in assignments.iter().enumerate() {
        let g = grp(a["group"].as_str().unwrap());
        let from = mgr(a["manager"].as_str().unwrap());
        if moved.len() == n
            || g["pinned"] == true
            || g.get("last_moved").is_some()
            || !free(&from)
            || a["moved"] == true
        {
            continue;
        }
        let star = from["star"].to_string();
        let target = input["managers"].as_array().unwrap().iter().find(|m| {
            let (c, mm) = loads[m["id"].as_str().unwrap()];
            m["region"] == a["region"]
                && m["star"] == from["star"]
                && m["id"] != from["id"]
                && free(m)
                && (c + 1) as f64 <= pol["max_groups"][&star].as_f64().unwrap()
                && (mm + g["members"].as_u64().unwrap()) as f64
                    <= pol["member_span"]["max"][&star].as_f64().unwrap()
        });
        if let Some(t) = target {
            let tid = t["id"].as_str().unwrap().to_string();
            let e = loads.get_mut(&tid).unwrap();
            *e = (e.0 + 1, e.1 + g["members"].as_u64().unwrap());
            plan["assignments"][i]["manager"] = Value::String(tid);
            moved.push(a["group"].as_str().unwrap().to_string());
        }
    }
    moved
}

#[test]
fn an_edited_plan_is_rescored_and_a_broken_rule_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = small(dir.path(), 7);
    let plan = dir.path().join("plan.json");
    starplan()
        .arg("solve")
        .arg(&input)
        .arg("-o")
        .arg(&plan)
        .args(["--no-timings", "-q"])
        .assert()
        .success();
    let inp = json(&input);
    let mut edited = json(&plan);
    let moved = hand_moves(&inp, &mut edited, 3);
    assert_eq!(moved.len(), 3);
    let e = dir.path().join("edited.json");
    std::fs::write(&e, serde_json::to_string(&edited).unwrap()).unwrap();
    let out = dir.path().join("rescored.json");
    starplan()
        .arg("rescore")
        .arg(&input)
        .arg(&e)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("regions rescored"));
    starplan()
        .arg("check")
        .arg(&input)
        .arg(&out)
        .assert()
        .success();
    let r = json(&out);
    for g in &moved {
        let a = r["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["group"] == g.as_str())
            .unwrap();
        assert_eq!(a["moved"], true, "{g} is a move after rescoring");
        assert!(!a["reasons"].as_array().unwrap().is_empty());
    }
    edits_as_a_sheet(dir.path(), &input, &plan, &edited, &moved, &r);
    a_broken_rule_is_named(dir.path(), &input, &plan, &inp);
}

/// The same edits as a sheet (group, new manager), as an exported workbook has them.
fn edits_as_a_sheet(
    dir: &Path,
    input: &Path,
    plan: &Path,
    edited: &Value,
    moved: &[String],
    r: &Value,
) {
    let sheet = dir.join("edits.csv");
    let rows: String = moved
        .iter()
        .map(|g| {
            let a = edited["assignments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["group"] == g.as_str())
                .unwrap();
            format!("{g},x ({})\n", a["manager"].as_str().unwrap())
        })
        .collect();
    std::fs::write(&sheet, format!("集团编号,新客户经理\n{rows}")).unwrap();
    let out2 = dir.join("rescored2.json");
    starplan()
        .arg("rescore")
        .arg(input)
        .arg(plan)
        .arg("--edits")
        .arg(&sheet)
        .arg("-o")
        .arg(&out2)
        .assert()
        .success();
    common::checked(input, &out2);
    assert_eq!(json(&out2)["assignments"], r["assignments"]);
}

/// A class A group on a 1-star manager breaks C5: named, nothing written.
fn a_broken_rule_is_named(dir: &Path, input: &Path, plan: &Path, inp: &Value) {
    let mut broken = json(plan);
    let a = broken["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .position(|a| {
            inp["groups"]
                .as_array()
                .unwrap()
                .iter()
                .any(|g| g["id"] == a["group"] && g["class"] == "A")
        })
        .unwrap();
    let region = broken["assignments"][a]["region"].clone();
    let one = inp["managers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["region"] == region && m["star"] == 1)
        .unwrap();
    broken["assignments"][a]["manager"] = one["id"].clone();
    let b = dir.join("broken.json");
    std::fs::write(&b, serde_json::to_string(&broken).unwrap()).unwrap();
    let out3 = dir.join("no.json");
    starplan()
        .arg("rescore")
        .arg(input)
        .arg(&b)
        .arg("-o")
        .arg(&out3)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("C5 ").and(predicates::str::contains("forbidden")));
    assert!(!out3.exists());
}
