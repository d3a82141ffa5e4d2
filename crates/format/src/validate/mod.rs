//! Semantic validation of parsed input: references, ranges, pins and policy consistency, every problem collected.

pub mod assessments;
mod balance;
pub mod criteria;
pub mod scenario;

use crate::errors::{Code, InputError};
use crate::input::InputFile;
use crate::parse::{parse_input, parse_value, Parsed};
use crate::policy::PolicyIn;
use std::collections::{HashMap, HashSet};

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

fn check(p: &Parsed) -> Vec<InputError> {
    let mut errs = Vec::new();
    let regions = unique_ids(
        p.regions.iter().map(|(i, r)| (*i, r.id.as_str())),
        "regions",
        Code::E010,
        &mut errs,
    );
    unique_ids(
        p.managers.iter().map(|(i, m)| (*i, m.id.as_str())),
        "managers",
        Code::E011,
        &mut errs,
    );
    unique_ids(
        p.groups.iter().map(|(i, g)| (*i, g.id.as_str())),
        "groups",
        Code::E012,
        &mut errs,
    );
    let managers: HashMap<&str, &crate::ManagerIn> =
        p.managers.iter().map(|(_, m)| (m.id.as_str(), m)).collect();

    for (i, m) in &p.managers {
        let at = format!("$.managers[{i}]");
        if !regions.contains(m.region.as_str()) {
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
        if !(m.capacity > 0.0 && m.capacity.is_finite()) {
            errs.push(InputError::new(
                Code::E033,
                format!("{at}.capacity"),
                format!("capacity {} is not above 0", m.capacity),
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

    for (i, g) in &p.groups {
        let at = format!("$.groups[{i}]");
        if !regions.contains(g.region.as_str()) {
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
        let current = match &g.current_manager {
            None => None,
            Some(id) => match managers.get(id.as_str()) {
                None => {
                    errs.push(InputError::new(
                        Code::E021,
                        format!("{at}.current_manager"),
                        format!("manager `{id}` is not in $.managers"),
                    ));
                    None
                }
                Some(m) => {
                    if m.region != g.region {
                        errs.push(InputError::new(
                            Code::E022,
                            format!("{at}.current_manager"),
                            format!(
                                "manager `{id}` is in region `{}`, the group in `{}`",
                                m.region, g.region
                            ),
                        ));
                    }
                    Some(*m)
                }
            },
        };
        if let Some(d) = g.last_moved.as_deref().filter(|d| !is_date(d)) {
            errs.push(InputError::new(
                Code::E100,
                format!("{at}.last_moved"),
                format!("`{d}` is not a YYYY-MM-DD date"),
            ));
        }
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
        if let (Some(m), Some(policy)) = (current, &p.policy) {
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
    }
    if let Some(policy) = &p.policy {
        check_policy(policy, &mut errs);
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

fn unique_ids<'a>(
    ids: impl Iterator<Item = (usize, &'a str)>,
    list: &str,
    dup: Code,
    errs: &mut Vec<InputError>,
) -> HashSet<&'a str> {
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

fn check_policy(p: &PolicyIn, errs: &mut Vec<InputError>) {
    let mut non_negative = |path: String, v: f64| {
        if v < 0.0 {
            errs.push(InputError::new(
                Code::E050,
                path,
                format!("{v} is negative"),
            ));
        }
    };
    let classes = [("A", 0usize), ("B", 1), ("C", 2)];
    let stars = ["1", "2", "3"];
    let elig = p.eligibility.to_array();
    let service = p.service.to_array();
    let moves = p.move_cost.to_array();
    for (c, ci) in classes {
        for (si, s) in stars.iter().enumerate() {
            if let Some(v) = elig[ci].to_array()[si] {
                non_negative(format!("$.policy.eligibility.{c}.{s}"), v);
            }
        }
        non_negative(
            format!("$.policy.service.{c}.visits_per_month"),
            service[ci].visits_per_month,
        );
        non_negative(
            format!("$.policy.service.{c}.hours_per_visit"),
            service[ci].hours_per_visit,
        );
        non_negative(
            format!("$.policy.service.{c}.hours_per_member"),
            service[ci].hours_per_member,
        );
        non_negative(format!("$.policy.move_cost.{c}.fixed"), moves[ci].fixed);
        non_negative(
            format!("$.policy.move_cost.{c}.per_member"),
            moves[ci].per_member,
        );
    }
    let w = p.weights;
    for (name, v) in [
        ("eligibility", w.eligibility),
        ("span", w.span),
        ("balance", w.balance),
        ("moves", w.moves),
    ] {
        non_negative(format!("$.policy.weights.{name}"), v);
    }
    let c = &p.change_control;
    for (name, v) in [
        ("max_moved_groups", c.max_moved_groups),
        ("max_moved_members", c.max_moved_members),
        ("min_days_between_moves", c.min_days_between_moves),
    ] {
        if let Some(v) = v {
            non_negative(format!("$.policy.change_control.{name}"), v);
        }
    }
    non_negative("$.policy.relaxation_penalty".into(), p.relaxation_penalty);
    for (i, st) in p.priority.iter().enumerate() {
        non_negative(format!("$.policy.priority[{i}].tolerance"), st.tolerance);
    }
    for (c, ci) in classes {
        if elig[ci].to_array().iter().all(Option::is_none) {
            errs.push(InputError::new(
                Code::E055,
                format!("$.policy.eligibility.{c}"),
                format!("no star may serve class {c}"),
            ));
        }
    }
    let goals: Vec<_> = p.priority.iter().map(|s| s.goal).collect();
    let repeated = goals
        .iter()
        .enumerate()
        .any(|(i, g)| goals[..i].contains(g));
    if repeated || (p.mode == crate::policy::ModeIn::Priority && goals.is_empty()) {
        errs.push(InputError::new(
            Code::E102,
            "$.policy.priority",
            "the priority list is empty or names a goal twice",
        ));
    }
    if let Some(share) = c.max_book_change.filter(|s| !(0.0..=1.0).contains(s)) {
        errs.push(InputError::new(
            Code::E103,
            "$.policy.change_control.max_book_change",
            format!("{share} is outside [0, 1]"),
        ));
    }
    if let Some(d) = c.as_of.as_deref().filter(|d| !is_date(d)) {
        errs.push(InputError::new(
            Code::E100,
            "$.policy.change_control.as_of",
            format!("`{d}` is not a YYYY-MM-DD date"),
        ));
    }
    let gap = p.solver.relative_gap;
    if !(0.0..=1.0).contains(&gap) {
        errs.push(InputError::new(
            Code::E051,
            "$.policy.solver.relative_gap",
            format!("{gap} is outside [0, 1]"),
        ));
    }
    if p.solver.time_limit_seconds <= 0.0 {
        errs.push(InputError::new(
            Code::E053,
            "$.policy.solver.time_limit_seconds",
            format!("{} is not above 0", p.solver.time_limit_seconds),
        ));
    }
    if p.solver.seed > i32::MAX as u32 {
        errs.push(InputError::new(
            Code::E053,
            "$.policy.solver.seed",
            format!("seed {} is above 2147483647", p.solver.seed),
        ));
    }
    balance::check(p, errs);
    let mut positive = |path: String, v: f64| {
        if v <= 0.0 {
            errs.push(InputError::new(
                Code::E056,
                path,
                format!("{v} is not above 0"),
            ));
        }
    };
    positive("$.policy.monthly_hours".into(), p.monthly_hours);
    let (targets, maxes, groups) = (
        p.member_span.target.to_array(),
        p.member_span.max.to_array(),
        p.max_groups.to_array(),
    );
    for (si, s) in stars.iter().enumerate() {
        positive(format!("$.policy.max_groups.{s}"), groups[si]);
        positive(format!("$.policy.member_span.target.{s}"), targets[si]);
        positive(format!("$.policy.member_span.max.{s}"), maxes[si]);
    }
    for (si, s) in stars.iter().enumerate() {
        if maxes[si] < targets[si] {
            errs.push(InputError::new(
                Code::E052,
                format!("$.policy.member_span.max.{s}"),
                format!("maximum {} is below target {}", maxes[si], targets[si]),
            ));
        }
    }
    let rows = &p.staffing_table;
    let mut prev = f64::NEG_INFINITY;
    for (i, r) in rows.iter().enumerate() {
        let at = format!("$.policy.staffing_table[{i}]");
        let last = i + 1 == rows.len();
        let bad = match r.max_avg_members {
            None if !last => Some("only the last row may have max_avg_members null".to_string()),
            Some(_) if last => Some("the last row must have max_avg_members null".to_string()),
            Some(m) if m <= prev => Some(format!(
                "max_avg_members {m} is not above the previous row's"
            )),
            _ if !(r.groups_min > 0.0 && r.groups_min <= r.groups_max) => Some(format!(
                "groups_min {} and groups_max {} need 0 < min <= max",
                r.groups_min, r.groups_max
            )),
            _ => None,
        };
        if let Some(msg) = bad {
            errs.push(InputError::new(Code::E054, at, msg));
        }
        prev = r.max_avg_members.unwrap_or(f64::INFINITY);
    }
    if rows.is_empty() {
        errs.push(InputError::new(
            Code::E054,
            "$.policy.staffing_table",
            "the table is empty",
        ));
    }
}

/// A `YYYY-MM-DD` calendar date (E100).
pub fn is_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}
