//! A region's block for an assignment made outside the solver (a planner's edit), written by the same report code as a solved region; and blocks taken from an existing plan.

use crate::region::region_problem;
use crate::report::{region_result, RegionResult};
use starplan_format::output::{PlanFile, RegionPlan, Status};
use starplan_model::domain::Instance;
use starplan_model::{ModelStatus, Outcome, Size};
use std::collections::HashMap;

/// One region's part of a plan: its block, assignments and manager loads.
pub type Block = RegionResult;

/// The block of region `id` as `plan` has it.
pub fn block_of(plan: &PlanFile, id: &str) -> Option<Block> {
    let region = plan.regions.iter().find(|r| r.id == id)?.clone();
    Some(RegionResult {
        plan: region,
        assignments: plan
            .assignments
            .iter()
            .filter(|a| a.region == id)
            .cloned()
            .collect(),
        managers: plan
            .managers
            .iter()
            .filter(|m| m.region == id)
            .cloned()
            .collect(),
    })
}

/// Assembles a plan from blocks (sorted by region id; assignments and loads by id).
pub fn assemble(mut blocks: Vec<Block>) -> PlanFile {
    blocks.sort_by(|a, b| a.plan.id.cmp(&b.plan.id));
    crate::report::plan_file(blocks)
}

/// Region `r`'s block for the planner's assignment `chosen` (group id → manager id; every
/// group of the region must be in it, with a manager of the region, else `Err` names
/// the first that is not). `was` is the optimiser's block: its bound still bounds every
/// plan of the region, so the gap says how far the edit is from the best; its model size,
/// seconds and diagnoses are kept. The status is `feasible`, or `relaxed` (with the
/// edit's own excesses as relaxations) when `was` is relaxed; a hard rule the edit breaks
/// is left for the checker to name.
pub fn rescored(
    inst: &Instance,
    r: usize,
    chosen: &HashMap<&str, &str>,
    was: &RegionPlan,
) -> Result<Block, String> {
    let (p, ids) = region_problem(inst, r);
    let local: HashMap<&str, usize> = p
        .managers
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let assign = p
        .groups
        .iter()
        .map(|g| {
            let m = chosen
                .get(g.id.as_str())
                .ok_or_else(|| format!("group {} has no manager", g.id))?;
            local.get(m).copied().ok_or_else(|| {
                format!(
                    "group {}: {m} is not a manager of region {}",
                    g.id, inst.regions[r].id
                )
            })
        })
        .collect::<Result<Vec<usize>, String>>()?;
    let relaxed = was.status == Status::Relaxed;
    let outcome = Outcome {
        status: if relaxed {
            ModelStatus::Relaxed
        } else {
            ModelStatus::Feasible
        },
        relaxations: if relaxed {
            starplan_model::excesses(&p, &assign)
        } else {
            Vec::new()
        },
        bound: was.bound.filter(|_| !relaxed && was.stages.is_empty()),
        size: Size {
            variables: was.model.variables,
            binaries: was.model.binaries,
            rows: was.model.rows,
        },
        assignment: Some(assign),
        ..Outcome::empty(ModelStatus::Feasible)
    };
    let mut block = region_result(
        inst,
        r,
        &p,
        &ids,
        &outcome,
        was.diagnoses.clone(),
        Some(was.seconds),
    );
    block.plan.message = Some("edited by hand and rescored".into());
    block.plan.stages = restaged(was, &block.plan.terms);
    block.plan.progress = was.progress;
    // The plan is the planner's now, not any step of the solve's.
    block.plan.progress.final_plan = None;
    block.plan.progress.seconds_to_1pct_gap = was
        .progress
        .seconds_to_1pct_gap
        .filter(|_| block.plan.gap.is_some_and(|g| g <= 0.01));
    Ok(block)
}

/// Priority mode: the optimiser's stages with each goal's value in the edited plan. A
/// stage bound above that value no longer bounds it (the edit left the stage's plans) and
/// is dropped; the limits stay, so the checker (P1) names a goal the edit made worse than
/// the optimiser allowed.
fn restaged(
    was: &RegionPlan,
    terms: &[starplan_format::output::Term],
) -> Vec<starplan_format::output::StageResult> {
    was.stages
        .iter()
        .map(|st| {
            let value = terms.iter().find(|t| t.id == st.id).map(|t| t.raw);
            let mut st = st.clone();
            st.value = value.or(st.value);
            st.bound = st.bound.filter(|b| value.is_none_or(|v| *b <= v + 1e-6));
            st
        })
        .collect()
}
