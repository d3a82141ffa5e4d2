//! Workbooks and CSV files to a validated input, every error at its cell: the sheets or files of groups, managers, regions and policy.

use crate::cells::{kind, value};
use crate::headers::{columns, Columns, List, Mapping};
use crate::locate::{classify, locate, Row, SCAN};
use crate::outcome::{ColumnReport, Coverage, ListReport, Report, Skipped};
use crate::resemble::unread;
use crate::table::{cell_text, Cell, Table};
use serde_json::{json, Map, Value};
use starplan_format::errors::{Code, InputError};
use starplan_format::InputFile;
use std::collections::{BTreeMap, BTreeSet};

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

/// A validated input, and what the import did (columns, rows taken and skipped, coverage).
pub struct Imported {
    pub input: InputFile,
    pub report: Report,
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

pub use crate::book::workbook_sources;

/// One row as a JSON object of the input format.
type Object = Map<String, Value>;

/// Rows of one list to JSON objects, with each object's and cell's place: the header
/// found under any title rows, blank, totals and repeated-header rows skipped, columns that
/// look like a missing field refused (E125).
fn rows(
    t: &Table,
    list: List,
    map: &Mapping,
    places: &mut Places,
    managers: &BTreeSet<String>,
) -> Result<(Vec<Object>, ListReport), Vec<InputError>> {
    let found = locate(t, list, map);
    let t = &found.table;
    let cols = columns(t, list, map).map_err(|es| {
        es.into_iter()
            .map(|mut e| {
                if !found.complete && e.code == Code::E005 {
                    e.message += &format!("; no row of the first {SCAN} names every required field, and row {} names the most", t.header_row);
                }
                e
            })
            .collect::<Vec<_>>()
    })?;
    let mut errors = unread(t, list, &cols, map, managers);
    let id_col = cols.of["id"];
    let mut skipped: Vec<Skipped> = t
        .blank_rows()
        .into_iter()
        .map(|row| Skipped {
            row,
            why: "blank".into(),
        })
        .collect();
    let mut out = Vec::new();
    for (row, cells) in &t.rows {
        match classify(t, *row, cells, id_col) {
            Err(e) => errors.push(e),
            Ok(Row::Skip(why)) => skipped.push(Skipped { row: *row, why }),
            Ok(Row::Data) => out.push(object(t, list, &cols, places, out.len(), *row, cells)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    skipped.sort_by_key(|s| s.row);
    let columns = t
        .header
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.trim().is_empty())
        .map(|(i, h)| ColumnReport {
            at: t.at(t.header_row, i),
            header: h.clone(),
            field: cols.of.iter().find(|(_, &c)| c == i).map(|(f, _)| *f),
            ignored_by_map: map.ignores(list, h),
        })
        .collect();
    let report = ListReport {
        list: list.key(),
        source: t.whole(),
        header_rows: found.header_rows.clone(),
        title_rows: found.title_rows.clone(),
        columns,
        rows_taken: out.len(),
        skipped,
    };
    Ok((out, report))
}

/// One data row as a JSON object; its place and each cell's are recorded.
fn object(
    t: &Table,
    list: List,
    cols: &Columns,
    places: &mut Places,
    i: usize,
    row: usize,
    cells: &[Cell],
) -> Map<String, Value> {
    let at = format!("$.{}[{i}]", list.key());
    places.0.insert(at.clone(), t.row_at(row));
    let mut obj = Map::new();
    for (&field, &col) in &cols.of {
        let cell = cells.get(col).unwrap_or(&Cell::Empty);
        places.0.insert(format!("{at}.{field}"), t.at(row, col));
        let v = match value(kind(field), cell) {
            None if field == "id" => Some(json!("")),
            v => v,
        };
        if let Some(v) = v {
            obj.insert(field.to_string(), v);
        }
    }
    obj
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
/// Managers are read first: the groups' columns are compared with their ids (E125), and
/// no current manager for any group is E126 unless the mapping says all groups are new.
pub fn import(src: &Sources, map: &Mapping) -> Result<Imported, Vec<InputError>> {
    let mut places = Places::default();
    let mut report = Report::default();
    let mut errors = Vec::new();
    let none = BTreeSet::new();
    let mut read = |t: &Table, list, places: &mut Places, ids: &BTreeSet<String>| {
        rows(t, list, map, places, ids)
            .map_err(|e| errors.extend(e))
            .map(|(rows, r)| {
                report.lists.push(r);
                rows
            })
            .unwrap_or_default()
    };
    let mut managers = read(&src.managers, List::Managers, &mut places, &none);
    let ids: BTreeSet<String> = managers
        .iter()
        .filter_map(|m| m.get("id").and_then(Value::as_str).map(String::from))
        .collect();
    let mut groups = read(&src.groups, List::Groups, &mut places, &ids);
    let regions = match &src.regions {
        Some(t) => read(t, List::Regions, &mut places, &none),
        None => Vec::new(),
    };
    report.lists.sort_by_key(|l| l.list != "groups");
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
    let input = validated(doc, &places)?;
    report.coverage = Coverage::of(&input);
    let c = &report.coverage;
    if c.groups > 0 && c.managers > 0 && c.with_current_manager == 0 && !map.all_new {
        return Err(vec![InputError::new(
            Code::E126,
            src.groups.whole(),
            format!("none of the {} groups has a current manager, though the managers' list has {} managers: every plan would treat every group as new. Map the column that holds the current managers (--map, see --suggest-map), or say that all groups are new (--all-new)", c.groups, c.managers),
        )]);
    }
    Ok(Imported { input, report })
}

/// Validation of the document, each error moved to the cell its path came from.
fn validated(doc: Value, places: &Places) -> Result<InputFile, Vec<InputError>> {
    let broken = unreadable_managers(&doc);
    starplan_format::validate::load_value(doc).map_err(|es| {
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
    })
}
