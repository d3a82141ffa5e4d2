//! Text → format types, collecting every syntax, type and unknown-field problem with its JSON path.

use super::input::{GroupIn, ManagerIn, RegionIn};
use super::policy::{merged_policy_value, PolicyIn};
use crate::errors::{Code, InputError};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What could be read of an input file. Entities keep their index in the file so later
/// checks can name their JSON path; an entity that failed to parse is absent here and
/// has an error in the list returned beside it.
#[derive(Debug, Default)]
pub struct Parsed {
    pub schema_version: Option<u32>,
    pub policy: Option<PolicyIn>,
    pub regions: Vec<(usize, RegionIn)>,
    pub managers: Vec<(usize, ManagerIn)>,
    pub groups: Vec<(usize, GroupIn)>,
    /// Entities that failed to parse, with what could still be read of them, so that a
    /// reference to one is not reported as unknown beside its own error.
    pub broken: Vec<Broken>,
}

/// What is known of an entity that failed to parse.
#[derive(Debug, Clone, PartialEq)]
pub struct Broken {
    /// "regions", "managers" or "groups".
    pub list: &'static str,
    pub index: usize,
    /// Its `id`, when that is a string.
    pub id: Option<String>,
    /// Its `region`, when that is a string.
    pub region: Option<String>,
}

const TOP_FIELDS: [&str; 5] = ["schema_version", "policy", "regions", "managers", "groups"];

/// The text of a file: UTF-8, with a leading byte-order mark (as Excel and Notepad write
/// it) dropped. Invalid UTF-8 is E006 at its line and column.
pub fn text(bytes: &[u8]) -> Result<&str, InputError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = good.len() - good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        InputError::new(
            Code::E006,
            "$",
            format!(
                "invalid UTF-8 at line {line} column {column} (byte {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Reads JSON text: a syntax error (E001), a repeated key (E007) or a number that would
/// read as 0 (E008), every such problem with its place (`crate::json`).
pub fn json_document(text: &str) -> Result<Value, Vec<InputError>> {
    crate::json::document(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// As [`json_document`], with the first problem only.
pub fn json_value(text: &str) -> Result<Value, InputError> {
    json_document(text).map_err(|mut e| e.swap_remove(0))
}

/// Reads a workflow file (scenario, assessments, criteria): JSON syntax (E001), the schema
/// version (E004), then its type, with the first type or field problem at its path.
pub fn typed_file<T: DeserializeOwned>(text: &str) -> Result<T, Vec<InputError>> {
    let value = json_document(text)?;
    if let Some(v) = value
        .get("schema_version")
        .filter(|v| v.as_u64() != Some(u64::from(super::SCHEMA_VERSION)))
    {
        return Err(vec![InputError::new(
            Code::E004,
            "$.schema_version",
            format!("schema_version {v} is not supported; this build reads version 1"),
        )]);
    }
    let mut errors = Vec::new();
    typed(&value, "$", &mut errors).ok_or(errors)
}

/// Reads a plan file: syntax (E001), then its type, with the first problem at its JSON path
/// (E110).
pub fn plan_file(text: &str) -> Result<crate::PlanFile, Vec<InputError>> {
    let value = json_document(text)?;
    serde_path_to_error::deserialize(&value).map_err(|e| {
        vec![InputError::new(
            Code::E110,
            json_path("$", e.path()),
            e.inner().to_string(),
        )]
    })
}

/// `base` followed by a serde path, in the JSON-path form the errors use.
fn json_path(base: &str, p: &serde_path_to_error::Path) -> String {
    let mut path = base.to_string();
    for seg in p.iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => {
                path.push('.');
                path.push_str(key);
            }
            _ => {}
        }
    }
    path
}

/// Parses the whole text, never stopping at the first problem past the JSON syntax.
pub fn parse_input(text: &str) -> (Parsed, Vec<InputError>) {
    match json_document(text) {
        Ok(value) => parse_value(value),
        Err(e) => (Parsed::default(), e),
    }
}

/// Parses an input document that is already JSON.
pub fn parse_value(value: Value) -> (Parsed, Vec<InputError>) {
    let mut errors = Vec::new();
    let mut parsed = Parsed::default();
    let Value::Object(top) = value else {
        errors.push(InputError::new(
            Code::E002,
            "$",
            format!("expected an object, found {}", kind(&value)),
        ));
        return (parsed, errors);
    };
    for key in top.keys() {
        if !TOP_FIELDS.contains(&key.as_str()) {
            errors.push(InputError::new(
                Code::E003,
                format!("$.{key}"),
                format!(
                    "unknown field `{key}`, expected one of {}",
                    TOP_FIELDS.join(", ")
                ),
            ));
        }
    }
    match top.get("schema_version") {
        None => errors.push(missing("$", "schema_version")),
        Some(v) if v.as_u64() == Some(u64::from(super::SCHEMA_VERSION)) => {
            parsed.schema_version = Some(super::SCHEMA_VERSION)
        }
        Some(v) => errors.push(InputError::new(
            Code::E004,
            "$.schema_version",
            format!("schema_version {v} is not supported; this build reads version 1"),
        )),
    }
    match top.get("policy") {
        None | Some(Value::Null) => {
            parsed.policy = typed(&merged_policy_value(None), "$.policy", &mut errors)
        }
        Some(p @ Value::Object(_)) => {
            parsed.policy = typed(&merged_policy_value(Some(p)), "$.policy", &mut errors)
        }
        Some(other) => errors.push(InputError::new(
            Code::E002,
            "$.policy",
            format!("expected an object, found {}", kind(other)),
        )),
    }
    let mut broken = Vec::new();
    parsed.regions = list(&top, "regions", &mut errors, &mut broken);
    parsed.managers = list(&top, "managers", &mut errors, &mut broken);
    parsed.groups = list(&top, "groups", &mut errors, &mut broken);
    parsed.broken = broken;
    (parsed, errors)
}

fn list<T: DeserializeOwned>(
    top: &serde_json::Map<String, Value>,
    key: &'static str,
    errors: &mut Vec<InputError>,
    broken: &mut Vec<Broken>,
) -> Vec<(usize, T)> {
    match top.get(key) {
        None => {
            errors.push(missing("$", key));
            Vec::new()
        }
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let t = typed(item, &format!("$.{key}[{i}]"), errors);
                if t.is_none() {
                    let text = |f: &str| item.get(f).and_then(Value::as_str).map(str::to_string);
                    broken.push(Broken {
                        list: key,
                        index: i,
                        id: text("id"),
                        region: text("region"),
                    });
                }
                t.map(|t| (i, t))
            })
            .collect(),
        Some(other) => {
            errors.push(InputError::new(
                Code::E002,
                format!("$.{key}"),
                format!("expected an array, found {}", kind(other)),
            ));
            Vec::new()
        }
    }
}

/// Deserialises one value, turning a failure into a coded error at its JSON path.
pub(crate) fn typed<T: DeserializeOwned>(
    value: &Value,
    base: &str,
    errors: &mut Vec<InputError>,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(t) => Some(t),
        Err(e) => {
            let last = e
                .path()
                .iter()
                .filter_map(|seg| match seg {
                    serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                    _ => None,
                })
                .next_back()
                .unwrap_or_default();
            let path = json_path(base, e.path());
            errors.push(classify(path, &last, &e.inner().to_string()));
            None
        }
    }
}

fn classify(mut path: String, last: &str, msg: &str) -> InputError {
    let field_in_msg = msg.split('`').nth(1).unwrap_or("").to_string();
    if msg.starts_with("unknown field") {
        if last != field_in_msg {
            path = format!("{path}.{field_in_msg}");
        }
        return InputError::new(Code::E003, path, msg);
    }
    if msg.starts_with("missing field") {
        return InputError::new(Code::E005, path, msg);
    }
    let code = match last {
        "members" => Code::E030,
        "class" => Code::E031,
        "star" => Code::E032,
        "capacity" => Code::E033,
        _ => Code::E002,
    };
    InputError::new(code, path, msg)
}

fn missing(path: &str, field: &str) -> InputError {
    InputError::new(Code::E005, path, format!("missing field `{field}`"))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
