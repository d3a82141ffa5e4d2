//! A published plan as the current layout (`--baseline`): the layout entries a plan records, and the input they make.

use crate::errors::{Code, InputError};
use crate::input::InputFile;
use crate::output::{LayoutEntry, PlanFile};
use std::collections::HashMap;

/// The groups of the regions `wanted` accepts whose manager in `plan` differs from the
/// input's current manager. A pinned group keeps its current manager (the pin wins), and
/// a plan manager the input no longer has in the group's region is ignored (the input
/// knows better), so every entry fits the input.
pub fn published_layout(
    input: &InputFile,
    plan: &PlanFile,
    wanted: &dyn Fn(&str) -> bool,
) -> Vec<LayoutEntry> {
    let region_of: HashMap<&str, &str> = input
        .managers
        .iter()
        .map(|m| (m.id.as_str(), m.region.as_str()))
        .collect();
    let published: HashMap<&str, &str> = plan
        .assignments
        .iter()
        .map(|a| (a.group.as_str(), a.manager.as_str()))
        .collect();
    let mut out: Vec<LayoutEntry> = input
        .groups
        .iter()
        .filter(|g| !g.pinned && wanted(&g.region))
        .filter_map(|g| {
            let m = *published.get(g.id.as_str())?;
            let fits = region_of.get(m) == Some(&g.region.as_str());
            (fits && g.current_manager.as_deref() != Some(m)).then(|| LayoutEntry {
                group: g.id.clone(),
                manager: m.to_string(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.group.cmp(&b.group));
    out
}

/// The input with each entry's manager as the group's current manager. An entry for a
/// group the input lacks or pins, or with a manager outside the group's region, is E111
/// at its path in the plan (`$.provenance.layout[3]`).
pub fn apply_layout(
    input: &InputFile,
    layout: &[LayoutEntry],
) -> Result<InputFile, Vec<InputError>> {
    let mut out = input.clone();
    let region_of: HashMap<&str, &str> = input
        .managers
        .iter()
        .map(|m| (m.id.as_str(), m.region.as_str()))
        .collect();
    let index: HashMap<String, usize> = input
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.clone(), i))
        .collect();
    let mut errors = Vec::new();
    for (k, e) in layout.iter().enumerate() {
        let at = format!("$.provenance.layout[{k}]");
        let Some(&i) = index.get(&e.group) else {
            errors.push(InputError::new(
                Code::E111,
                at,
                format!("group `{}` is not in the input", e.group),
            ));
            continue;
        };
        let g = &mut out.groups[i];
        if g.pinned {
            errors.push(InputError::new(
                Code::E111,
                at,
                format!("group `{}` is pinned in the input", e.group),
            ));
        } else if region_of.get(e.manager.as_str()) != Some(&g.region.as_str()) {
            errors.push(InputError::new(
                Code::E111,
                at,
                format!(
                    "manager `{}` is not a manager of region {}",
                    e.manager, g.region
                ),
            ));
        } else {
            g.current_manager = Some(e.manager.clone());
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
