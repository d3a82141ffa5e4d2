//! `--set key=value` overrides of the policy for one-off what-if questions.

use super::policy::default_policy_value;
use crate::errors::{Code, InputError};
use serde_json::{Map, Value};

/// Applies `key=value` to an input document's policy. `key` is a dotted path inside the
/// policy (`member_span.target.3`); `value` is JSON, and a bare word is a string. A scalar
/// set on a per-star or per-class table (`member_span.target=1100`) sets every entry.
pub fn apply_set(input: &mut Value, assignment: &str) -> Result<(), InputError> {
    let at = format!("--set {assignment}");
    let Some((key, raw)) = assignment
        .split_once('=')
        .filter(|(k, _)| !k.trim().is_empty())
    else {
        return Err(InputError::new(Code::E070, at, "expected key=value"));
    };
    // A value that is JSON but would read wrong (a repeated key, 1e-400) is an error; one
    // that is not JSON at all is a bare word.
    let value = match crate::json::document(raw.trim()) {
        Ok(v) => v,
        Err(mut errs) if errs[0].code != Code::E001 => {
            let e = errs.swap_remove(0);
            return Err(InputError::new(e.code, at, e.message));
        }
        Err(_) => Value::String(raw.trim().into()),
    };
    // The name C5's weight had before version 0.2.
    let key = match key.trim() {
        "weights.mismatch" => "weights.eligibility",
        k => k,
    };
    let keys: Vec<&str> = key.split('.').collect();
    let mut default = default_policy_value();
    // Keys the default leaves out because their default is "absent".
    if let Some(solver) = default.get_mut("solver").and_then(Value::as_object_mut) {
        solver.entry("work_limit").or_insert(Value::Null);
    }
    let mut shape = &mut default;
    for k in &keys {
        shape = match shape.get_mut(*k) {
            Some(v) => v,
            None => {
                return Err(InputError::new(
                    Code::E071,
                    format!("$.policy.{}", key.trim()),
                    format!("the policy has no `{k}` here"),
                ))
            }
        };
    }
    let value = match (&*shape, &value) {
        (Value::Object(table), v) if !v.is_object() && table.values().all(|x| !x.is_object()) => {
            Value::Object(table.keys().map(|k| (k.clone(), v.clone())).collect())
        }
        _ => value,
    };
    let Value::Object(top) = input else {
        return Err(InputError::new(
            Code::E002,
            "$",
            "the input is not an object",
        ));
    };
    let mut slot = top
        .entry("policy")
        .or_insert_with(|| Value::Object(Map::new()));
    for k in &keys[..keys.len() - 1] {
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        slot = slot
            .as_object_mut()
            .expect("made an object")
            .entry(*k)
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    let last = keys[keys.len() - 1];
    let obj = slot.as_object_mut().expect("made an object");
    match (obj.get_mut(last), value) {
        (Some(existing @ Value::Object(_)), v @ Value::Object(_)) => {
            super::policy::merge(existing, &v)
        }
        (_, v) => {
            obj.insert(last.to_string(), v);
        }
    }
    Ok(())
}

/// The overrides a plan records (Provenance::overrides): each `--set` as given, then the
/// solver limits as the policy keys they set.
/// A work limit of 0 (the clock decides) is recorded as `solver.work_limit=null`.
pub fn recorded(
    sets: &[String],
    time_limit: Option<f64>,
    gap: Option<f64>,
    work_limit: Option<f64>,
) -> Vec<String> {
    let mut out: Vec<String> = sets.to_vec();
    if let Some(t) = time_limit {
        out.push(format!("solver.time_limit_seconds={t}"));
    }
    if let Some(g) = gap {
        out.push(format!("solver.relative_gap={g}"));
    }
    match work_limit {
        Some(w) if w > 0.0 => out.push(format!("solver.work_limit={w}")),
        Some(_) => out.push("solver.work_limit=null".into()),
        None => {}
    }
    out
}

/// The dotted keys (as `--set` takes them) whose values differ between two policies.
pub fn changed_keys(from: &crate::PolicyIn, to: &crate::PolicyIn) -> Vec<String> {
    fn walk(prefix: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(
                        &p,
                        x.get(k).unwrap_or(&Value::Null),
                        y.get(k).unwrap_or(&Value::Null),
                        out,
                    );
                }
            }
            _ if a != b => out.push(prefix.to_string()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let (a, b) = (serde_json::to_value(from), serde_json::to_value(to));
    if let (Ok(a), Ok(b)) = (a, b) {
        walk("", &a, &b, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sets_a_leaf_and_fans_a_scalar_over_a_table() {
        let mut v = json!({ "schema_version": 1 });
        apply_set(&mut v, "weights.moves=2.5").unwrap();
        apply_set(&mut v, "member_span.target=1100").unwrap();
        assert_eq!(v["policy"]["weights"]["moves"], json!(2.5));
        assert_eq!(
            v["policy"]["member_span"]["target"],
            json!({ "1": 1100, "2": 1100, "3": 1100 })
        );
    }

    #[test]
    fn keeps_user_siblings_and_reports_unknown_keys() {
        let mut v = json!({ "policy": { "member_span": { "target": { "2": 1500 } } } });
        apply_set(&mut v, "member_span.target.3=1100").unwrap();
        assert_eq!(
            v["policy"]["member_span"]["target"],
            json!({ "2": 1500, "3": 1100 })
        );
        assert_eq!(
            apply_set(&mut v, "weights.speed=1").unwrap_err().code,
            Code::E071
        );
        assert_eq!(apply_set(&mut v, "weights").unwrap_err().code, Code::E070);
    }
}
