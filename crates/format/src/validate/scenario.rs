//! Applies a what-if scenario to a validated base input and validates the result, with errors at scenario paths.

use crate::errors::{Code, InputError};
use crate::parse::typed_file;
use crate::policy::merge;
use crate::scenario::ScenarioFile;
use crate::InputFile;
use std::collections::HashSet;

/// Reads a scenario file: syntax, types and unknown fields, each with its path in the file.
pub fn load_scenario(text: &str) -> Result<ScenarioFile, Vec<InputError>> {
    typed_file(text)
}

/// The longest scenario name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// E063: a scenario's name is non-empty, at most 100 characters, not "base", unique among
/// the scenarios (`seen`), and has no control character, `/`, `\\` or leading `.`. Files
/// are named through `crate::files` whatever the name; this keeps names a planner can read.
pub fn check_name(name: &str, seen: &mut HashSet<String>) -> Option<InputError> {
    let bad = name.is_empty()
        || name == "base"
        || name.starts_with('.')
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
        || name.chars().count() > MAX_NAME_CHARS
        || !seen.insert(name.to_string());
    bad.then(|| {
        InputError::new(
            Code::E063,
            "$.name",
            format!(
                "scenario name {name:?} is empty, \"base\", repeated, longer than {MAX_NAME_CHARS} characters or not a file name"
            ),
        )
    })
}

/// The base input with the scenario applied, validated like any input. Errors in what the
/// scenario names or adds carry the scenario's own paths (`$.add_groups[2].members`).
/// Ids the scenario names must exist in the base (E060, E061); ids it adds must not (E062).
fn reference_errors(base: &InputFile, sc: &ScenarioFile) -> Vec<InputError> {
    let mut errs = Vec::new();
    let managers: HashSet<&str> = base.managers.iter().map(|m| m.id.as_str()).collect();
    let groups: HashSet<&str> = base.groups.iter().map(|g| g.id.as_str()).collect();
    // `list` is the JSON path of the list up to the index, `field` what follows it.
    let known = |set: &HashSet<&str>,
                 ids: &[String],
                 list: &str,
                 field: &str,
                 code: Code,
                 errs: &mut Vec<InputError>| {
        for (i, id) in ids.iter().enumerate() {
            if !set.contains(id.as_str()) {
                errs.push(InputError::new(
                    code,
                    format!("$.{list}[{i}]{field}"),
                    format!("`{id}` is not in the base input"),
                ));
            }
        }
    };
    known(
        &managers,
        &sc.remove_managers,
        "remove_managers",
        "",
        Code::E060,
        &mut errs,
    );
    known(
        &managers,
        &sc.unavailable_managers,
        "unavailable_managers",
        "",
        Code::E060,
        &mut errs,
    );
    let updated: Vec<String> = sc.update_managers.iter().map(|u| u.id.clone()).collect();
    known(
        &managers,
        &updated,
        "update_managers",
        ".id",
        Code::E060,
        &mut errs,
    );
    known(
        &groups,
        &sc.remove_groups,
        "remove_groups",
        "",
        Code::E061,
        &mut errs,
    );
    known(&groups, &sc.pin, "pin", "", Code::E061, &mut errs);
    known(&groups, &sc.unpin, "unpin", "", Code::E061, &mut errs);
    for (i, m) in sc.add_managers.iter().enumerate() {
        if managers.contains(m.id.as_str()) {
            errs.push(InputError::new(
                Code::E062,
                format!("$.add_managers[{i}].id"),
                format!("manager `{}` already exists", m.id),
            ));
        }
    }
    for (i, g) in sc.add_groups.iter().enumerate() {
        if groups.contains(g.id.as_str()) {
            errs.push(InputError::new(
                Code::E062,
                format!("$.add_groups[{i}].id"),
                format!("group `{}` already exists", g.id),
            ));
        }
    }
    errs
}

pub fn apply(base: &InputFile, sc: &ScenarioFile) -> Result<InputFile, Vec<InputError>> {
    let mut errs = reference_errors(base, sc);
    let mut out = base.clone();
    errs.extend(assign_errors(base, sc));
    if !errs.is_empty() {
        return Err(errs);
    }

    let removed: HashSet<&str> = sc.remove_managers.iter().map(String::as_str).collect();
    out.managers.retain(|m| !removed.contains(m.id.as_str()));
    for g in out.groups.iter_mut() {
        if g.current_manager
            .as_deref()
            .is_some_and(|c| removed.contains(c))
        {
            g.current_manager = None;
            g.pinned = false;
        }
    }
    for m in out.managers.iter_mut() {
        if sc.unavailable_managers.contains(&m.id) {
            m.available = false;
            m.frozen = false;
        }
        for u in sc.update_managers.iter().filter(|u| u.id == m.id) {
            m.star = u.star.unwrap_or(m.star);
            m.capacity = u.capacity.unwrap_or(m.capacity);
            m.available = u.available.unwrap_or(m.available);
            m.frozen = u.frozen.unwrap_or(m.frozen);
        }
    }
    let dropped: HashSet<&str> = sc.remove_groups.iter().map(String::as_str).collect();
    out.groups.retain(|g| !dropped.contains(g.id.as_str()));
    let (kept_managers, kept_groups) = (out.managers.len(), out.groups.len());
    out.managers.extend(sc.add_managers.iter().cloned());
    out.groups.extend(sc.add_groups.iter().cloned());
    for g in out.groups.iter_mut() {
        if sc.pin.contains(&g.id) {
            g.pinned = true;
        }
        if sc.unpin.contains(&g.id) {
            g.pinned = false;
        }
        if let Some(a) = sc.assign.iter().find(|a| a.group == g.id) {
            g.current_manager = Some(a.manager.clone());
            g.pinned = true;
        }
    }
    let mut value = serde_json::to_value(&out).expect("input types serialise");
    if let Some(p) = &sc.policy {
        let mut policy = serde_json::to_value(&base.policy).expect("policy serialises");
        merge(&mut policy, p);
        value["policy"] = policy;
    }
    crate::validate::load_value(value).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| relocate(e, kept_managers, kept_groups))
            .collect()
    })
}

/// `assign` names a group of the base (E061) and a manager of the base or added by the
/// scenario (E060) in the group's region (E064).
fn assign_errors(base: &InputFile, sc: &ScenarioFile) -> Vec<InputError> {
    let region: std::collections::HashMap<&str, &str> = base
        .managers
        .iter()
        .chain(&sc.add_managers)
        .map(|m| (m.id.as_str(), m.region.as_str()))
        .collect();
    let mut errs = Vec::new();
    for (i, a) in sc.assign.iter().enumerate() {
        let Some(g) = base.groups.iter().find(|g| g.id == a.group) else {
            errs.push(InputError::new(
                Code::E061,
                format!("$.assign[{i}].group"),
                format!("`{}` is not in the base input", a.group),
            ));
            continue;
        };
        match region.get(a.manager.as_str()) {
            None => errs.push(InputError::new(
                Code::E060,
                format!("$.assign[{i}].manager"),
                format!("`{}` is not in the base input", a.manager),
            )),
            Some(r) if *r != g.region => errs.push(InputError::new(
                Code::E064,
                format!("$.assign[{i}].manager"),
                format!(
                    "manager `{}` is in region {r}, group `{}` in {}",
                    a.manager, g.id, g.region
                ),
            )),
            Some(_) => {}
        }
    }
    errs
}

/// Moves an error about an added entity to its path in the scenario file; other errors keep
/// their path in the combined input and say so.
fn relocate(mut e: InputError, kept_managers: usize, kept_groups: usize) -> InputError {
    for (list, kept, added) in [
        ("managers", kept_managers, "add_managers"),
        ("groups", kept_groups, "add_groups"),
    ] {
        let prefix = format!("$.{list}[");
        if let Some(rest) = e.path.strip_prefix(&prefix) {
            if let Some((n, tail)) = rest.split_once(']') {
                if let Ok(i) = n.parse::<usize>() {
                    if i >= kept {
                        e.path = format!("$.{added}[{}]{tail}", i - kept);
                        return e;
                    }
                }
            }
        }
    }
    if !e.path.starts_with("$.policy") {
        e.message = format!("in the input after the scenario: {}", e.message);
    }
    e
}
