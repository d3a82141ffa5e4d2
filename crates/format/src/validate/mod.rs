//! Semantic validation of parsed input: references, ranges, pins and policy consistency, every problem collected.

pub mod assessments;
mod balance;
pub mod criteria;
mod policy;
pub mod scenario;

use crate::errors::{Code, InputError};
use crate::input::{GroupIn, InputFile, ManagerIn};
use crate::parse::{parse_input, parse_value, Broken, Parsed};
use std::collections::{HashMap, HashSet};

pub use policy::{MAX_CAPACITY, MAX_TIME_LIMIT_SECONDS};

/// Reads and validates an input text. Either a valid input or every problem found.
pub fn load_input(text: &str) -> Result<InputFile, Vec<InputError>> {
    finish(parse_input(text))
}

/// Validates an input document that is already JSON (after `--set` or a scenario).
pub fn load_value(value: serde_json::Value) -> Result<InputFile, Vec<InputError>> {
    finish(parse_value(value))
}

fn finish((parsed, mut errors): (Parsed, Vec<InputError>)) -> Result<InputFile, Vec<InputError>> {
    errors.extend(check(&parsed));
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(InputFile {
        schema_version: parsed.schema_version.unwrap_or(crate::SCHEMA_VERSION),
        policy: parsed.policy.unwrap_or_default(),
        regions: parsed.regions.into_iter().map(|(_, r)| r).collect(),
        managers: parsed.managers.into_iter().map(|(_, m)| m).collect(),
        groups: parsed.groups.into_iter().map(|(_, g)| g).collect(),
    })
}

/// What the reference checks look ids up in. An entity that failed to parse still counts
/// as present (its own error is reported), so a group of a manager with a bad field does
/// not also get a false "unknown manager".
struct Known<'a> {
    regions: HashSet<&'a str>,
    managers: HashMap<&'a str, &'a ManagerIn>,
    /// Broken managers: id → region, when readable.
    broken_managers: HashMap<&'a str, Option<&'a str>>,
}

fn check(p: &Parsed) -> Vec<InputError> {
    let mut errs = Vec::new();
    let known = ids(p, &mut errs);
    for (i, m) in &p.managers {
        check_manager(*i, m, &known, &mut errs);
    }
    for (i, g) in &p.groups {
        check_group(*i, g, p, &known, &mut errs);
    }
    if let Some(policy) = &p.policy {
        policy::check_policy(policy, &mut errs);
        let c = &policy.change_control;
        let dated = p.groups.iter().any(|(_, g)| g.last_moved.is_some());
        if c.min_days_between_moves.is_some() && dated && c.as_of.is_none() {
            errs.push(InputError::new(
                Code::E101,
                "$.policy.change_control.as_of",
                "groups carry last_moved but there is no planning date",
            ));
        }
    }
    errs
}

/// Unique, non-empty ids (E010–E013), parsed and broken entities alike, in file order.
fn ids<'a>(p: &'a Parsed, errs: &mut Vec<InputError>) -> Known<'a> {
    let broken = |list: &'static str| {
        p.broken
            .iter()
            .filter(move |b| b.list == list)
            .filter_map(|b: &Broken| b.id.as_deref().map(|id| (b.index, id)))
    };
    let regions = unique_ids(
        p.regions
            .iter()
            .map(|(i, r)| (*i, r.id.as_str()))
            .chain(broken("regions")),
        "regions",
        Code::E010,
        errs,
    );
    unique_ids(
        p.managers
            .iter()
            .map(|(i, m)| (*i, m.id.as_str()))
            .chain(broken("managers")),
        "managers",
        Code::E011,
        errs,
    );
    unique_ids(
        p.groups
            .iter()
            .map(|(i, g)| (*i, g.id.as_str()))
            .chain(broken("groups")),
        "groups",
        Code::E012,
        errs,
    );
    let broken_managers = p
        .broken
        .iter()
        .filter(|b| b.list == "managers")
        .filter_map(|b| Some((b.id.as_deref()?, b.region.as_deref())))
        .collect();
    Known {
        regions,
        managers: p.managers.iter().map(|(_, m)| (m.id.as_str(), m)).collect(),
        broken_managers,
    }
}

fn unique_ids<'a>(
    ids: impl Iterator<Item = (usize, &'a str)>,
    list: &str,
    dup: Code,
    errs: &mut Vec<InputError>,
) -> HashSet<&'a str> {
    let mut ids: Vec<(usize, &str)> = ids.collect();
    ids.sort_by_key(|&(i, _)| i);
    let mut seen = HashSet::new();
    for (i, id) in ids {
        if id.is_empty() {
            errs.push(InputError::new(
                Code::E013,
                format!("$.{list}[{i}].id"),
                "id is empty",
            ));
        } else if !seen.insert(id) {
            errs.push(InputError::new(
                dup,
                format!("$.{list}[{i}].id"),
                format!("id `{id}` appears more than once"),
            ));
        }
    }
    seen
}

fn check_manager(i: usize, m: &ManagerIn, known: &Known, errs: &mut Vec<InputError>) {
    let at = format!("$.managers[{i}]");
    if !known.regions.contains(m.region.as_str()) {
        errs.push(InputError::new(
            Code::E020,
            format!("{at}.region"),
            format!("region `{}` is not in $.regions", m.region),
        ));
    }
    if !(1..=3).contains(&m.star) {
        errs.push(InputError::new(
            Code::E032,
            format!("{at}.star"),
            format!("star {} is not 1, 2 or 3", m.star),
        ));
    }
    if !(m.capacity > 0.0 && m.capacity <= MAX_CAPACITY) {
        errs.push(InputError::new(
            Code::E033,
            format!("{at}.capacity"),
            format!(
                "capacity {} is not above 0 and at most {MAX_CAPACITY}",
                m.capacity
            ),
        ));
    }
    if m.frozen && !m.available {
        errs.push(InputError::new(
            Code::E042,
            format!("{at}.frozen"),
            format!("manager `{}` is frozen and unavailable", m.id),
        ));
    }
}

fn check_group(i: usize, g: &GroupIn, p: &Parsed, known: &Known, errs: &mut Vec<InputError>) {
    let at = format!("$.groups[{i}]");
    if !known.regions.contains(g.region.as_str()) {
        errs.push(InputError::new(
            Code::E020,
            format!("{at}.region"),
            format!("region `{}` is not in $.regions", g.region),
        ));
    }
    if g.members < 0 || g.members > i64::from(u32::MAX) {
        errs.push(InputError::new(
            Code::E030,
            format!("{at}.members"),
            format!("members {} is out of range", g.members),
        ));
    }
    let current = current_manager(&at, g, known, errs);
    if let Some(d) = g.last_moved.as_deref().filter(|d| !is_date(d)) {
        errs.push(InputError::new(
            Code::E100,
            format!("{at}.last_moved"),
            format!("`{d}` is not a YYYY-MM-DD date"),
        ));
    }
    check_pins(&at, g, current, p, errs);
}

/// The group's current manager (E021, E022); `None` when it has none or it is unknown.
fn current_manager<'a>(
    at: &str,
    g: &GroupIn,
    known: &Known<'a>,
    errs: &mut Vec<InputError>,
) -> Option<&'a ManagerIn> {
    let id = g.current_manager.as_deref()?;
    let region = match (known.managers.get(id), known.broken_managers.get(id)) {
        (Some(m), _) => Some(m.region.as_str()),
        (None, Some(region)) => *region,
        (None, None) => {
            errs.push(InputError::new(
                Code::E021,
                format!("{at}.current_manager"),
                format!("manager `{id}` is not in $.managers"),
            ));
            return None;
        }
    };
    if let Some(r) = region.filter(|r| *r != g.region) {
        errs.push(InputError::new(
            Code::E022,
            format!("{at}.current_manager"),
            format!(
                "manager `{id}` is in region `{r}`, the group in `{}`",
                g.region
            ),
        ));
    }
    known.managers.get(id).copied()
}

/// Pins on a group (E040, E041) and pinned or frozen pairs the policy forbids (E043).
fn check_pins(
    at: &str,
    g: &GroupIn,
    current: Option<&ManagerIn>,
    p: &Parsed,
    errs: &mut Vec<InputError>,
) {
    if g.pinned {
        match current {
            None if g.current_manager.is_none() => errs.push(InputError::new(
                Code::E040,
                format!("{at}.pinned"),
                format!("group `{}` is pinned but has no current manager", g.id),
            )),
            Some(m) if !m.available => errs.push(InputError::new(
                Code::E041,
                format!("{at}.pinned"),
                format!(
                    "group `{}` is pinned to `{}`, who is unavailable",
                    g.id, m.id
                ),
            )),
            _ => {}
        }
    }
    let (Some(m), Some(policy)) = (current, &p.policy) else {
        return;
    };
    if (g.pinned || m.frozen)
        && (1..=3).contains(&m.star)
        && policy.penalty(g.class, m.star).is_none()
    {
        let why = if g.pinned {
            "pinned to"
        } else {
            "in the frozen book of"
        };
        errs.push(InputError::new(
            Code::E043,
            format!("{at}.current_manager"),
            format!(
                "group `{}` (class {:?}) is {why} {}-star manager `{}`, a forbidden pair",
                g.id, g.class, m.star, m.id
            ),
        ));
    }
}

/// A `YYYY-MM-DD` calendar date (E100).
pub fn is_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}
