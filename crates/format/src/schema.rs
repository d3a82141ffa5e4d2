//! JSON Schemas of the formats, generated from the types, whose `default`s are the values starplan really applies when a field is left out.
//!
//! schemars takes a default from a type's `Default`, which for the policy's parts is zero
//! (the real values come from models/default-policy.json, merged under the user's block), and
//! it omits a default that `skip_serializing_if` would skip (a manager's capacity 1). A tool
//! that fills defaults from the schema would then plan with another policy. So subschemas are
//! inlined, one per place (the same type has different defaults in different places:
//! `member_span.target` and `member_span.max`), and the defaults are set from the bundled
//! policy and the entities' serde defaults. A scenario's `policy` has no defaults: what it
//! leaves out keeps the base input's value.

use crate::policy::default_policy_value;
use schemars::gen::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

/// The schema of any format, every subschema inlined; a field that may be left out and
/// reads as an empty list or null says so.
pub fn plain<T: JsonSchema>() -> Value {
    let gen = SchemaSettings::draft07()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let mut s = serde_json::to_value(gen.into_root_schema_for::<T>()).expect("a schema is JSON");
    fill_optional(&mut s);
    s
}

/// The input format, with the bundled policy's values and the entities' defaults.
pub fn input() -> Value {
    let mut s = plain::<crate::InputFile>();
    if let Some(policy) = property(&mut s, "policy") {
        set_defaults(policy, &default_policy_value());
    }
    entity_defaults(&mut s, ["regions", "managers", "groups"]);
    s
}

/// Defaults of a manager's and a group's optional fields, which schemars leaves out because
/// a written file leaves them out (`skip_serializing_if`). tests/schemas.rs compares them with
/// what serde fills in.
fn entity_defaults(schema: &mut Value, lists: [&str; 3]) {
    let defaults = [
        json!({ "name": null }),
        json!({ "capacity": 1.0, "available": true, "frozen": false, "name": null }),
        json!({ "current_manager": null, "pinned": false, "last_moved": null, "name": null }),
    ];
    for (list, defaults) in lists.into_iter().zip(defaults) {
        let items = property(schema, list).and_then(|l| l.get_mut("items"));
        if let (Some(items), Value::Object(d)) = (items, defaults) {
            for (field, v) in d {
                if let Some(p) = property(items, &field) {
                    p["default"] = v;
                }
            }
        }
    }
}

/// A scenario: its partial policy keeps the base input's values, so it carries no defaults.
pub fn scenario() -> Value {
    let mut s = plain::<crate::scenario::ScenarioFile>();
    entity_defaults(&mut s, ["", "add_managers", "add_groups"]);
    if let Some(policy) = property(&mut s, "policy") {
        strip_defaults(policy);
        policy["description"] = json!(
            "Policy values laid over the base input's policy, key by key; what is left out keeps the base input's value."
        );
    }
    s
}

/// The subschema of an object's property, looking through `allOf` / `anyOf` wrappers.
pub fn property<'a>(schema: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    let pointer = locate(schema, name)?;
    schema.pointer_mut(&pointer)
}

/// The JSON pointer of a property's subschema within `schema`.
fn locate(schema: &Value, name: &str) -> Option<String> {
    let escaped = name.replace('~', "~0").replace('/', "~1");
    if schema
        .get("properties")
        .is_some_and(|p| p.get(name).is_some())
    {
        return Some(format!("/properties/{escaped}"));
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        let Some(Value::Array(parts)) = schema.get(key) else {
            continue;
        };
        for (i, part) in parts.iter().enumerate() {
            if let Some(p) = locate(part, name) {
                return Some(format!("/{key}/{i}{p}"));
            }
        }
    }
    None
}

/// Sets `default` on `schema` and, through object properties, on every part of it.
fn set_defaults(schema: &mut Value, default: &Value) {
    schema["default"] = default.clone();
    if let Value::Object(fields) = default {
        for (k, v) in fields {
            if let Some(p) = property(schema, k) {
                set_defaults(p, v);
            }
        }
    }
}

/// At any depth: a property that is not required and has no default is a list that reads
/// as empty, or a value that reads as null (serde's `default` and `Option`).
fn fill_optional(schema: &mut Value) {
    let Value::Object(m) = schema else {
        if let Value::Array(a) = schema {
            a.iter_mut().for_each(fill_optional);
        }
        return;
    };
    let required: Vec<String> = m
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if let Some(Value::Object(props)) = m.get_mut("properties") {
        for (name, p) in props.iter_mut() {
            if required.contains(name) || p.get("default").is_some() {
                continue;
            }
            if type_has(p, "array") {
                p["default"] = json!([]);
            } else if type_has(p, "null") {
                p["default"] = Value::Null;
            }
        }
    }
    m.values_mut().for_each(fill_optional);
}

/// The schema's `type` is or includes `t`.
fn type_has(schema: &Value, t: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|x| x == t),
        _ => ["anyOf", "oneOf"].iter().any(|k| {
            schema
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|parts| parts.iter().any(|p| type_has(p, t)))
        }),
    }
}

/// Removes every `default` at any depth.
fn strip_defaults(schema: &mut Value) {
    match schema {
        Value::Object(m) => {
            m.remove("default");
            m.values_mut().for_each(strip_defaults);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_defaults),
        _ => {}
    }
}

/// Every `default` of a schema with the path of properties that leads to it
/// (`policy.weights.span`), for tests and tools.
pub fn defaults(schema: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    collect(schema, "", &mut out);
    out
}

fn collect(schema: &Value, path: &str, out: &mut Map<String, Value>) {
    let Value::Object(m) = schema else {
        return;
    };
    if let (Some(d), false) = (m.get("default"), path.is_empty()) {
        out.insert(path.to_string(), d.clone());
    }
    for (k, v) in m {
        match (k.as_str(), v) {
            ("properties", Value::Object(props)) => {
                for (name, sub) in props {
                    let p = if path.is_empty() {
                        name.clone()
                    } else {
                        format!("{path}.{name}")
                    };
                    collect(sub, &p, out);
                }
            }
            ("items", sub) => collect(sub, &format!("{path}[]"), out),
            ("allOf" | "anyOf" | "oneOf", Value::Array(parts)) => {
                parts.iter().for_each(|sub| collect(sub, path, out));
            }
            _ => {}
        }
    }
}
