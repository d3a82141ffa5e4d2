//! Columns no header names but that look like a field: by their header (工号, 经理, part of a built-in header) or their values (mostly manager ids of this file). Import refuses them (E125) unless the mapping takes or ignores them; `--suggest-map` guesses from the same signs and weaker ones.

use crate::cells::{kind, value, Kind};
use crate::headers::{normal, Columns, List, Mapping};
use crate::table::{cell_text, Cell, Table};
use starplan_format::errors::{Code, InputError};
use std::collections::BTreeSet;

/// Header words that mean a field beyond its built-in headers, strong enough to refuse a
/// column over (an unread current manager loses the whole current layout).
fn strong(list: List, field: &str) -> &'static [&'static str] {
    match (list, field) {
        (List::Groups, "current_manager") => &["工号", "经理", "manager"],
        _ => &[],
    }
}

/// Weaker words, for guesses only (`--suggest-map`).
fn weak(list: List, field: &str) -> &'static [&'static str] {
    match (list, field) {
        (_, "id") => &[
            "编号",
            "编码",
            "代码",
            "号码",
            "客户号",
            "集团号",
            "id",
            "code",
        ],
        (_, "name") => &["名称", "姓名", "名字", "name"],
        (_, "region") => &["区域", "地市", "分公司", "区县", "地区", "region", "city"],
        (List::Groups, "class") => &["等级", "级别", "分级", "类别", "class", "level"],
        (List::Groups, "members") => &["成员", "人数", "规模", "members", "size"],
        (List::Groups, "pinned") => &["锁定", "固定", "pin"],
        (List::Groups, "last_moved") => &["调整", "日期", "date"],
        (List::Managers, "star") => &["星", "star", "grade"],
        (List::Managers, "capacity") => &["系数", "产能", "capacity"],
        (List::Managers, "available") => &["在岗", "状态", "available"],
        (List::Managers, "frozen") => &["冻结", "frozen"],
        _ => &[],
    }
}

/// The non-empty values of a column, as text.
pub fn values(t: &Table, col: usize) -> Vec<Cell> {
    t.rows
        .iter()
        .filter_map(|(_, cells)| cells.get(col).filter(|c| **c != Cell::Empty).cloned())
        .collect()
}

/// Why a column looks like `field`, if it does: its values (most are manager ids of the
/// managers' list), else its header (holds or is held in a built-in header, or a strong word).
fn looks_like(
    list: List,
    header: &str,
    vals: &[Cell],
    free: &[&'static str],
    managers: &BTreeSet<String>,
) -> Option<(&'static str, String)> {
    if list == List::Groups && free.contains(&"current_manager") && !vals.is_empty() {
        let hits = vals
            .iter()
            .filter(|c| managers.contains(&cell_text(c)))
            .count();
        if hits * 2 > vals.len() {
            let why = format!("{hits} of its {} values are manager ids", vals.len());
            return Some(("current_manager", why));
        }
    }
    let h = normal(header);
    for &f in free {
        let aliases = list.fields().iter().find(|(n, _)| *n == f).map(|(_, a)| *a);
        let words = aliases
            .unwrap_or(&[])
            .iter()
            .chain(strong(list, f))
            .chain([&f]);
        for w in words {
            let w = normal(w);
            let near = h.contains(&w) || (h.chars().count() >= 2 && w.contains(&h));
            if near && !w.is_empty() {
                return Some((f, format!("its header is like `{w}`")));
            }
        }
    }
    None
}

fn free_fields(list: List, cols: &Columns) -> Vec<&'static str> {
    list.fields()
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| !cols.of.contains_key(f))
        .collect()
}

/// E125 for each column no field takes that looks like one the list lacks, unless the
/// mapping ignores it. When some columns look like the current manager by their values,
/// only they are named for it.
pub fn unread(
    t: &Table,
    list: List,
    cols: &Columns,
    map: &Mapping,
    managers: &BTreeSet<String>,
) -> Vec<InputError> {
    let free = free_fields(list, cols);
    let found: Vec<(usize, &String, &'static str, String)> = cols
        .ignored
        .iter()
        .filter(|(_, h)| !map.ignores(list, h))
        .filter_map(|(i, h)| {
            let (f, why) = looks_like(list, h, &values(t, *i), &free, managers)?;
            Some((*i, h, f, why))
        })
        .collect();
    let by_values = |f: &str| found.iter().any(|x| x.2 == f && x.3.contains("values"));
    found
        .iter()
        .filter(|(_, _, f, why)| !by_values(f) || why.contains("values"))
        .map(|(i, h, f, why)| {
            let key = list.key();
            InputError::new(
                Code::E125,
                t.at(t.header_row, *i),
                format!(
                    "column `{h}` looks like {f} ({why}), but no field takes it, so nothing in it would be read; take it with --map MAP.json holding {{\"{key}\": {{\"{h}\": \"{f}\"}}}}, or leave it out with {{\"{key}\": {{\"{h}\": \"ignore\"}}}}"
                ),
            )
        })
        .collect()
}

/// Whether nine in ten values read as the field's kind (a class, a star, a whole number).
fn values_fit(field: &str, vals: &[Cell]) -> bool {
    let k = kind(field);
    let fits = |c: &Cell| match (k, value(k, c)) {
        (Kind::Class, Some(v)) => ["A", "B", "C"].contains(&v.as_str().unwrap_or("")),
        (Kind::Star, Some(v)) => (1..=3).contains(&v.as_i64().unwrap_or(0)),
        (Kind::Whole, Some(v)) => v.is_i64(),
        _ => false,
    };
    !vals.is_empty() && vals.iter().filter(|c| fits(c)).count() * 10 >= vals.len() * 9
}

/// The best guess for every column of a table: the header's field, else a field it looks
/// like, else one its header words or values suggest, else `ignore`. Each field once.
pub fn guess(
    t: &Table,
    list: List,
    map: &Mapping,
    managers: &BTreeSet<String>,
) -> Vec<(String, String)> {
    let mut taken: BTreeSet<&'static str> =
        t.header.iter().filter_map(|h| map.field(list, h)).collect();
    let mut out = Vec::new();
    for (i, h) in t.header.iter().enumerate() {
        if h.trim().is_empty() {
            continue;
        }
        let vals = values(t, i);
        let field = map.field(list, h).or_else(|| {
            let free: Vec<&'static str> = list
                .fields()
                .iter()
                .map(|(f, _)| *f)
                .filter(|f| !taken.contains(f))
                .collect();
            let hn = normal(h);
            let f = looks_like(list, h, &vals, &free, managers)
                .map(|(f, _)| f)
                .or_else(|| {
                    free.iter()
                        .copied()
                        .find(|f| weak(list, f).iter().any(|w| hn.contains(&normal(w))))
                })
                .or_else(|| free.iter().copied().find(|f| values_fit(f, &vals)))?;
            taken.insert(f);
            Some(f)
        });
        out.push((
            h.clone(),
            field.unwrap_or(crate::headers::IGNORE).to_string(),
        ));
    }
    out
}
