//! The schemas carry the defaults starplan really applies (issue 13, item 10): every value of the bundled policy at its place in the input schema, the entities' serde defaults, and none for a scenario's partial policy.

use assert_cmd::Command;
use serde_json::{json, Map, Value};
use starplan::format::input::{GroupIn, ManagerIn};
use starplan::format::policy::default_policy_value;
use starplan::format::schema;

/// Every leaf of a JSON value with its dotted path (`policy.weights.span`).
fn leaves(v: &Value, path: &str, out: &mut Map<String, Value>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                leaves(x, &format!("{path}.{k}"), out);
            }
        }
        other => {
            out.insert(path.to_string(), other.clone());
        }
    }
}

/// The default the schema names at `path`.
fn schema_default<'a>(defaults: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    defaults.get(path)
}

/// Numbers compare by value (1 and 1.0 are the same default).
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[test]
fn the_input_schema_carries_every_value_of_the_bundled_policy() {
    // The binary prints exactly the library's schema.
    let out = Command::cargo_bin("starplan")
        .unwrap()
        .args(["schema", "input"])
        .assert()
        .code(0);
    let printed: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(printed, schema::input());
    let defaults = schema::defaults(&printed);
    let mut policy = Map::new();
    leaves(&default_policy_value(), "policy", &mut policy);
    assert!(policy.len() > 50, "the bundled policy has its leaves");
    for (path, want) in &policy {
        let got = schema_default(&defaults, path);
        assert!(
            got.is_some_and(|g| same(g, want)),
            "{path}: the schema says {got:?}, the bundled policy {want}"
        );
    }
    // No other default inside the policy contradicts it.
    let whole = &default_policy_value();
    for (path, got) in defaults.iter().filter(|(p, _)| p.starts_with("policy")) {
        // Within a list's items, what serde fills for a field left out of one item.
        let item = match path.as_str() {
            "policy.priority[].tolerance" => Some(json!(0.0)),
            "policy.staffing_table[].max_avg_members" => Some(Value::Null),
            // A piece left without an upper end is the open last piece.
            "policy.balance.pieces[].up_to" => Some(Value::Null),
            _ => None,
        };
        if let Some(want) = item {
            assert_eq!(got, &want, "{path}");
            continue;
        }
        let pointer = path.trim_start_matches("policy").replace('.', "/");
        let want = whole.pointer(&pointer);
        // An optional setting whose default is "absent" (solver.work_limit) is left out of
        // the bundled policy; the schema says null.
        if got.is_null() && want.is_none() {
            continue;
        }
        assert!(
            want.is_some_and(|w| same(w, got)),
            "{path}: the schema says {got}, the bundled policy {want:?}"
        );
    }
}

#[test]
fn entity_defaults_are_what_serde_fills_in() {
    let defaults = schema::defaults(&schema::input());
    let m: ManagerIn =
        serde_json::from_value(json!({ "id": "M", "region": "R", "star": 1 })).unwrap();
    assert_eq!(defaults["managers[].capacity"], json!(m.capacity));
    assert_eq!(defaults["managers[].available"], json!(m.available));
    assert_eq!(defaults["managers[].frozen"], json!(m.frozen));
    let g: GroupIn =
        serde_json::from_value(json!({ "id": "G", "region": "R", "class": "A", "members": 1 }))
            .unwrap();
    assert_eq!(defaults["groups[].pinned"], json!(g.pinned));
    assert_eq!(
        defaults["groups[].current_manager"],
        json!(g.current_manager)
    );
    assert_eq!(defaults["groups[].last_moved"], json!(g.last_moved));
}

#[test]
fn a_scenario_policy_has_no_defaults_and_its_entities_have_the_inputs() {
    let defaults = schema::defaults(&schema::scenario());
    let in_policy: Vec<_> = defaults
        .keys()
        .filter(|p| p.starts_with("policy"))
        .collect();
    assert_eq!(
        in_policy,
        Vec::<&String>::new(),
        "left out keeps the base's value"
    );
    assert_eq!(defaults["add_managers[].capacity"], json!(1.0));
    assert_eq!(defaults["remove_groups"], json!([]));
}

#[test]
fn output_and_workflow_defaults_are_empty_lists_or_null_where_serde_reads_them_so() {
    use starplan::format::*;
    let plan = schema::defaults(&schema::plain::<PlanFile>());
    assert_eq!(plan["regions[].stages"], json!([]));
    assert_eq!(plan["regions[].message"], Value::Null);
    assert_eq!(plan["assignments[].reasons"], json!([]));
    let a = schema::defaults(&schema::plain::<certify::AssessmentsFile>());
    assert_eq!(a["rules.2.promote_min_months"], json!(0.0));
    assert_eq!(a["quotas.from_staffing"], json!(false));
    // No zero stands in for a policy value in any format.
    for (kind, s) in [
        ("staffing", schema::plain::<staffing::StaffingFile>()),
        ("whatif", schema::plain::<whatif::WhatIfFile>()),
        ("criteria", schema::plain::<choice::CriteriaFile>()),
        ("choice", schema::plain::<choice::ChoiceFile>()),
        (
            "certification",
            schema::plain::<certify::CertificationFile>(),
        ),
    ] {
        let d = schema::defaults(&s);
        assert!(d.keys().all(|p| !p.contains("policy")), "{kind}: {d:?}");
    }
}
