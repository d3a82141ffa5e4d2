//! Workbooks and CSV files to a validated input, every error at its cell: the sheets or files of groups, managers, regions and policy.

use crate::cells::{kind, value};
use crate::headers::{columns, normal, List, Mapping};
use crate::table::{cell_text, Book, Cell, Table};
use serde_json::{json, Map, Value};
use starplan_format::errors::{Code, InputError};
use starplan_format::InputFile;
use std::collections::BTreeMap;

/// Where the policy comes from: a sheet of `key | value` rows (dotted keys, as `--set`
/// takes them), or a JSON policy block.
pub enum PolicySource {
    Sheet(Table),
    Json { file: String, value: Value },
}

/// The tables an input is made of.
pub struct Sources {
    pub groups: Table,
    pub managers: Table,
    pub regions: Option<Table>,
    pub policy: Option<PolicySource>,
}

/// A validated input, and notes for the user (columns that were ignored).
pub struct Imported {
    pub input: InputFile,
    pub notes: Vec<String>,
}

/// JSON path → the place in the files it came from.
#[derive(Default)]
struct Places(BTreeMap<String, String>);

impl Places {
    /// The place of the longest known path that starts the error's path.
    fn of(&self, path: &str) -> Option<&String> {
        let mut p = path.to_string();
        loop {
            if let Some(at) = self.0.get(&p) {
                return Some(at);
            }
            let cut = p.rfind(['.', '['])?;
            p.truncate(cut);
        }
    }
}

/// Finds each list's sheet in a workbook: by the mapping's name, else a built-in name.
pub fn workbook_sources(mut book: Book, map: &Mapping) -> Result<Sources, Vec<InputError>> {
    let names = book.sheet_names();
    let find = |key: &str, builtin: &[&str]| {
        let wanted: Vec<String> = match map.sheets.get(key) {
            Some(s) => vec![normal(s)],
            None => builtin.iter().map(|s| normal(s)).collect(),
        };
        names.iter().find(|n| wanted.contains(&normal(n))).cloned()
    };
    let mut errors = Vec::new();
    let mut need = |list: List, book: &mut Book| match find(list.key(), list.sheet_names()) {
        Some(s) => book.table(&s).map_err(|e| errors.push(e)).ok(),
        None => {
            errors.push(InputError::new(
                Code::E120,
                book.file.clone(),
                format!(
                    "no sheet for {} (named {}); the workbook has {}",
                    list.key(),
                    list.sheet_names().join(" or "),
                    names.join(", ")
                ),
            ));
            None
        }
    };
    let groups = need(List::Groups, &mut book);
    let managers = need(List::Managers, &mut book);
    let (Some(groups), Some(managers)) = (groups, managers) else {
        return Err(errors);
    };
    let regions = match find("regions", List::Regions.sheet_names()) {
        Some(s) => Some(book.table(&s).map_err(|e| vec![e])?),
        None => None,
    };
    let policy = match find("policy", &["policy", "策略", "参数"]) {
        Some(s) => Some(PolicySource::Sheet(book.table(&s).map_err(|e| vec![e])?)),
        None => None,
    };
    Ok(Sources {
        groups,
        managers,
        regions,
        policy,
    })
}

/// Rows of one list to JSON objects, with each object's and cell's place.
fn rows(
    t: &Table,
    list: List,
    map: &Mapping,
    places: &mut Places,
    notes: &mut Vec<String>,
) -> Result<Vec<Map<String, Value>>, Vec<InputError>> {
    let cols = columns(t, list, map)?;
    if !cols.ignored.is_empty() {
        notes.push(format!(
            "{}: ignored columns {}",
            t.whole(),
            cols.ignored.join(", ")
        ));
    }
    let mut out = Vec::new();
    for (i, (row, cells)) in t.rows.iter().enumerate() {
        let at = format!("$.{}[{i}]", list.key());
        places.0.insert(at.clone(), t.row_at(*row));
        let mut obj = Map::new();
        for (&field, &col) in &cols.of {
            let cell = cells.get(col).unwrap_or(&Cell::Empty);
            places.0.insert(format!("{at}.{field}"), t.at(*row, col));
            let v = match value(kind(field), cell) {
                None if field == "id" => Some(json!("")),
                v => v,
            };
            if let Some(v) = v {
                obj.insert(field.to_string(), v);
            }
        }
        out.push(obj);
    }
    Ok(out)
}

/// Region values may be ids or names of the regions sheet; names become ids.
fn region_ids(regions: &[Map<String, Value>], rows: &mut [Map<String, Value>]) {
    let text = |o: &Map<String, Value>, k: &str| o.get(k).and_then(Value::as_str).map(String::from);
    let ids: Vec<String> = regions.iter().filter_map(|r| text(r, "id")).collect();
    let by_name: BTreeMap<String, String> = regions
        .iter()
        .filter_map(|r| Some((text(r, "name")?, text(r, "id")?)))
        .collect();
    for row in rows {
        if let Some(v) = text(row, "region").filter(|v| !ids.contains(v)) {
            if let Some(id) = by_name.get(&v) {
                row.insert("region".into(), json!(id));
            }
        }
    }
}

/// Without a regions sheet: the distinct region values of groups and managers.
fn derived_regions(
    groups: &[Map<String, Value>],
    managers: &[Map<String, Value>],
    places: &mut Places,
) -> Vec<Map<String, Value>> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (list, rows) in [("groups", groups), ("managers", managers)] {
        for (i, r) in rows.iter().enumerate() {
            if let Some(v) = r.get("region").and_then(Value::as_str) {
                let at = format!("$.{list}[{i}].region");
                let place = places.of(&at).cloned().unwrap_or(at);
                seen.entry(v.to_string()).or_insert(place);
            }
        }
    }
    seen.into_iter()
        .enumerate()
        .map(|(i, (id, place))| {
            places.0.insert(format!("$.regions[{i}]"), place);
            let mut m = Map::new();
            m.insert("id".into(), json!(id));
            m
        })
        .collect()
}

/// Applies the policy rows (`key | value`) or JSON block to the input document.
fn policy(src: &PolicySource, doc: &mut Value, places: &mut Places) -> Vec<InputError> {
    match src {
        PolicySource::Json { file, value } => {
            doc["policy"] = value.clone();
            places.0.insert("$.policy".into(), file.clone());
            Vec::new()
        }
        PolicySource::Sheet(t) => {
            let mut errors = Vec::new();
            for (row, cells) in &t.rows {
                let key = cells.first().map(cell_text).unwrap_or_default();
                let val = cells.get(1).map(cell_text).unwrap_or_default();
                if key.trim().is_empty() || key.trim_start().starts_with('#') {
                    continue;
                }
                places
                    .0
                    .insert(format!("$.policy.{}", key.trim()), t.at(*row, 1));
                let set = format!("{}={val}", key.trim());
                if let Err(mut e) = starplan_format::overrides::apply_set(doc, &set) {
                    e.path = t.at(*row, 0);
                    errors.push(e);
                }
            }
            errors
        }
    }
}

/// Ids of manager rows validation cannot read (a bad star, capacity or flag): groups that
/// name them would only repeat that error as E021.
fn unreadable_managers(doc: &Value) -> Vec<String> {
    let rows = doc["managers"].as_array().cloned().unwrap_or_default();
    rows.iter()
        .filter(|m| serde_json::from_value::<starplan_format::ManagerIn>((*m).clone()).is_err())
        .filter_map(|m| m["id"].as_str().map(String::from))
        .collect()
}

/// Builds and validates the input. Every error names the cell, row or file it came from.
pub fn import(src: &Sources, map: &Mapping) -> Result<Imported, Vec<InputError>> {
    let mut places = Places::default();
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    let mut read = |t: &Table, list, places: &mut Places, notes: &mut Vec<String>| {
        rows(t, list, map, places, notes)
            .map_err(|e| errors.extend(e))
            .unwrap_or_default()
    };
    let mut groups = read(&src.groups, List::Groups, &mut places, &mut notes);
    let mut managers = read(&src.managers, List::Managers, &mut places, &mut notes);
    let regions = match &src.regions {
        Some(t) => read(t, List::Regions, &mut places, &mut notes),
        None => Vec::new(),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let regions = if src.regions.is_some() {
        region_ids(&regions, &mut groups);
        region_ids(&regions, &mut managers);
        regions
    } else {
        derived_regions(&groups, &managers, &mut places)
    };
    let mut doc = json!({
        "schema_version": starplan_format::SCHEMA_VERSION,
        "regions": regions,
        "managers": managers,
        "groups": groups,
    });
    if let Some(p) = &src.policy {
        errors.extend(policy(p, &mut doc, &mut places));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let broken = unreadable_managers(&doc);
    let input = starplan_format::validate::load_value(doc).map_err(|es| {
        es.into_iter()
            .filter(|e| {
                !(e.code == Code::E021
                    && broken
                        .iter()
                        .any(|id| e.message.contains(&format!("`{id}`"))))
            })
            .map(|mut e| {
                if let Some(at) = places.of(&e.path) {
                    e.message = format!("{} ({})", e.message, e.path);
                    e.path = at.clone();
                }
                e
            })
            .collect::<Vec<_>>()
    })?;
    Ok(Imported { input, notes })
}
