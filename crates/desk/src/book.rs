//! Which sheet of a workbook holds which list: the mapping's name, a built-in name, else the first visible sheet whose header gives the list's required fields. Hidden sheets are taken only by name. Also the mapping `import --suggest-map` writes.

use crate::headers::{normal, score, List, Mapping};
use crate::import::{PolicySource, Sources};
use crate::locate::locate;
use crate::resemble::guess;
use crate::table::{cell_text, Book, Table};
use serde_json::{json, Map, Value};
use starplan_format::errors::{Code, InputError};
use std::collections::BTreeSet;

/// The sheet a list's name points to: the mapping's, else a built-in name (hidden sheets
/// only when the mapping names them).
fn by_name(book: &Book, map: &Mapping, key: &str, builtin: &[&str]) -> Option<String> {
    let hidden = book.hidden_sheets();
    let names = book.sheet_names();
    if let Some(s) = map.sheets.get(key) {
        return names.iter().find(|n| normal(n) == normal(s)).cloned();
    }
    let wanted: Vec<String> = builtin.iter().map(|s| normal(s)).collect();
    names
        .iter()
        .filter(|n| !hidden.contains(n))
        .find(|n| wanted.contains(&normal(n)))
        .cloned()
}

/// A list's sheet by name, else by content; `loose` (for suggestions) also takes the
/// visible sheet whose best row gives the most fields.
fn sheet_for(
    book: &mut Book,
    map: &Mapping,
    list: List,
    taken: &[String],
    loose: bool,
) -> Option<String> {
    if let Some(s) = by_name(book, map, list.key(), list.sheet_names()) {
        return Some(s);
    }
    if map.sheets.contains_key(list.key()) {
        return None;
    }
    let hidden = book.hidden_sheets();
    let mut best: Option<((usize, usize), String)> = None;
    for s in book.sheet_names() {
        if hidden.contains(&s) || taken.contains(&s) {
            continue;
        }
        let Ok(t) = book.table(&s) else { continue };
        let found = locate(&t, list, map);
        if found.complete {
            return Some(s);
        }
        let sc = score(&found.table.header, list, map);
        if loose && sc.1 > 0 && best.as_ref().is_none_or(|(b, _)| sc > *b) {
            best = Some((sc, s));
        }
    }
    best.map(|(_, s)| s)
}

/// Finds each list's sheet in a workbook (see the module's note); a list without one is E120.
pub fn workbook_sources(mut book: Book, map: &Mapping) -> Result<Sources, Vec<InputError>> {
    let names = book.sheet_names();
    let mut errors = Vec::new();
    let mut taken = Vec::new();
    let mut tables = Vec::new();
    for list in [List::Groups, List::Managers] {
        match sheet_for(&mut book, map, list, &taken, false) {
            Some(s) => match book.table(&s) {
                Ok(t) => {
                    taken.push(s);
                    tables.push(t);
                }
                Err(e) => errors.push(e),
            },
            None => errors.push(InputError::new(
                Code::E120,
                book.file.clone(),
                format!(
                    "no sheet for {} (named {}, or with its headers); the workbook has {}",
                    list.key(),
                    list.sheet_names().join(" or "),
                    names.join(", ")
                ),
            )),
        }
    }
    let (Some(managers), Some(groups)) = (tables.pop(), tables.pop()) else {
        return Err(errors);
    };
    let regions = match by_name(&book, map, "regions", List::Regions.sheet_names()) {
        Some(s) => Some(book.table(&s).map_err(|e| vec![e])?),
        None => None,
    };
    let policy = match by_name(&book, map, "policy", &["policy", "策略", "参数"]) {
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

/// Ids in a managers table, as its best-guess id column gives them.
fn manager_ids(t: &Table, map: &Mapping) -> BTreeSet<String> {
    let found = locate(t, List::Managers, map);
    let col = found
        .table
        .header
        .iter()
        .position(|h| map.field(List::Managers, h) == Some("id"));
    let Some(col) = col else {
        return BTreeSet::new();
    };
    found
        .table
        .rows
        .iter()
        .filter_map(|(_, c)| c.get(col).map(cell_text))
        .filter(|s| !s.is_empty())
        .collect()
}

/// A mapping file with a guess for every column of each list's table (see
/// [`crate::resemble::guess`]), and the sheets taken, for the planner to correct.
pub fn suggest(tables: &[(List, &Table)], map: &Mapping) -> Value {
    let managers = tables
        .iter()
        .find(|(l, _)| *l == List::Managers)
        .map(|(_, t)| manager_ids(t, map))
        .unwrap_or_default();
    let mut doc = Map::new();
    let mut sheets = Map::new();
    for (list, t) in tables {
        let found = locate(t, *list, map);
        let cols: Map<String, Value> = guess(&found.table, *list, map, &managers)
            .into_iter()
            .map(|(h, f)| (h, json!(f)))
            .collect();
        doc.insert(list.key().into(), Value::Object(cols));
        if let Some(s) = &t.sheet {
            sheets.insert(list.key().into(), json!(s));
        }
    }
    if !sheets.is_empty() {
        doc.insert("sheets".into(), Value::Object(sheets));
    }
    Value::Object(doc)
}

/// [`suggest`] for a workbook: each list's sheet by name, content, or the closest sheet.
pub fn suggest_workbook(mut book: Book, map: &Mapping) -> Result<Value, Vec<InputError>> {
    let mut taken = Vec::new();
    let mut tables = Vec::new();
    for list in List::ALL {
        if let Some(s) = sheet_for(&mut book, map, list, &taken, list != List::Regions) {
            tables.push((list, book.table(&s).map_err(|e| vec![e])?));
            taken.push(s);
        }
    }
    let refs: Vec<(List, &Table)> = tables.iter().map(|(l, t)| (*l, t)).collect();
    Ok(suggest(&refs, map))
}
