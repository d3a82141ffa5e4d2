//! Rescoring a plan a planner edited by hand: edits from a sheet or from the plan's own assignments, every figure recomputed by the engine's report code.

use crate::headers::normal;
use crate::table::{cell_text, Table};
use starplan_engine::convert::to_instance;
use starplan_engine::given::{assemble, block_of, rescored};
use starplan_format::errors::{Code, InputError};
use starplan_format::output::{Origin, PlanFile};
use starplan_format::InputFile;
use std::collections::HashMap;

/// One edit: a group to a manager, and where it was written.
#[derive(Debug, Clone)]
pub struct Edit {
    pub group: String,
    pub manager: String,
    pub at: String,
}

/// Headers of the group and of its (new) manager in an edited sheet.
const GROUP: [&str; 3] = ["group", "集团编号", "id"];
const MANAGER: [&str; 4] = ["new manager", "新客户经理", "manager", "客户经理编号"];

/// A manager cell as exported (`张三 (M0012)`) or typed (`M0012`, or a name unique in the input).
fn manager_id(text: &str, input: &InputFile) -> String {
    let t = text.trim();
    if let Some(inner) = t
        .strip_suffix(')')
        .and_then(|x| x.rsplit_once('('))
        .map(|(_, id)| id.trim())
    {
        if input.managers.iter().any(|m| m.id == inner) {
            return inner.to_string();
        }
    }
    let by_name: Vec<_> = input
        .managers
        .iter()
        .filter(|m| m.name.as_deref() == Some(t))
        .collect();
    match by_name.as_slice() {
        [one] if !input.managers.iter().any(|m| m.id == t) => one.id.clone(),
        _ => t.to_string(),
    }
}

/// The edits of a sheet: its group and manager columns (as `export` writes them).
pub fn edits_of(t: &Table, input: &InputFile) -> Result<Vec<Edit>, InputError> {
    let find = |names: &[&str]| {
        t.header
            .iter()
            .position(|h| names.iter().any(|n| normal(n) == normal(h)))
    };
    let (Some(g), Some(m)) = (find(&GROUP), find(&MANAGER)) else {
        return Err(InputError::new(Code::E005, t.row_at(t.header_row), "an edited sheet needs a group column (group, 集团编号) and a manager column (new manager, 新客户经理)"));
    };
    Ok(t.rows
        .iter()
        .filter_map(|(row, cells)| {
            let group = cells.get(g).map(cell_text).filter(|s| !s.is_empty())?;
            let manager = manager_id(&cells.get(m).map(cell_text).unwrap_or_default(), input);
            Some(Edit {
                group,
                manager,
                at: t.at(*row, m),
            })
        })
        .collect())
}

/// Group → manager after the edits. An edit naming a group the plan does not assign, or a
/// manager outside the group's region (in the edits or in the plan's own assignments), is
/// E123 at its place.
fn chosen<'a>(
    input: &'a InputFile,
    plan: &'a PlanFile,
    edits: &'a [Edit],
) -> Result<HashMap<&'a str, &'a str>, Vec<InputError>> {
    let region_of: HashMap<&str, &str> = input
        .managers
        .iter()
        .map(|m| (m.id.as_str(), m.region.as_str()))
        .collect();
    let check = |group: &str, manager: &str, region: &str, at: String| {
        (region_of.get(manager) != Some(&region)).then(|| {
            InputError::new(
                Code::E123,
                at,
                format!("`{manager}` is not a manager of region {region} (group {group})"),
            )
        })
    };
    let mut chosen = HashMap::new();
    let mut errors = Vec::new();
    for (i, a) in plan.assignments.iter().enumerate() {
        errors.extend(check(
            &a.group,
            &a.manager,
            &a.region,
            format!("$.assignments[{i}].manager"),
        ));
        chosen.insert(a.group.as_str(), a.manager.as_str());
    }
    let region_of_group: HashMap<&str, &str> = plan
        .assignments
        .iter()
        .map(|a| (a.group.as_str(), a.region.as_str()))
        .collect();
    for e in edits {
        match region_of_group.get(e.group.as_str()) {
            None => errors.push(InputError::new(
                Code::E123,
                e.at.clone(),
                format!("group `{}` has no assignment in the plan", e.group),
            )),
            Some(r) => {
                errors.extend(check(&e.group, &e.manager, r, e.at.clone()));
                chosen.insert(e.group.as_str(), e.manager.as_str());
            }
        }
    }
    if errors.is_empty() {
        Ok(chosen)
    } else {
        Err(errors)
    }
}

/// The plan with the edits applied: every region whose assignment changed is rescored
/// (origin `edited`), the others are kept as they were. Returns the rescored regions too.
pub fn rescore(
    input: &InputFile,
    plan: &PlanFile,
    edits: &[Edit],
) -> Result<(PlanFile, Vec<String>), Vec<InputError>> {
    let chosen = chosen(input, plan, edits)?;
    let inst = to_instance(input);
    let mut blocks = Vec::new();
    let mut changed = Vec::new();
    for rp in &plan.regions {
        let Some(was) = block_of(plan, &rp.id) else {
            continue;
        };
        let r = inst.regions.iter().position(|x| x.id == rp.id);
        let now =
            match r.filter(|_| rp.status.has_plan()) {
                Some(r) => Some(rescored(&inst, r, &chosen, rp).map_err(|m| {
                    vec![InputError::new(Code::E123, format!("region {}", rp.id), m)]
                })?),
                None => None,
            };
        // A region whose recomputed figures are the ones it states was not edited.
        match now.filter(|b| {
            b.assignments != was.assignments
                || b.managers != was.managers
                || b.plan.terms != was.plan.terms
        }) {
            Some(b) => {
                changed.push(rp.id.clone());
                blocks.push(b);
            }
            None => blocks.push(was),
        }
    }
    let mut out = assemble(blocks);
    out.provenance = plan.provenance.clone().map(|mut p| {
        for r in p.regions.iter_mut().filter(|r| changed.contains(&r.id)) {
            r.origin = Origin::Edited;
        }
        p
    });
    Ok((out, changed))
}
