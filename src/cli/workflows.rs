//! The planner's workflows: what-if scenarios, plan diffs, certification and the management-model choice.

use super::commands::{plan_status, solve_file, solve_options};
use super::error::CliError;
use super::input::load_solving;
use super::io::{not_an_input, note, out, read_text, to_json, valid, write};
use super::{exit, summary, Exit, SolveArgs, TableOrJson};
use crate::format::{InputFile, PlanFile};
use crate::workflows::compare::{self, Side};

/// A plan file, or an input file (its current layout).
enum Layout {
    Plan(Box<PlanFile>),
    Input(Box<InputFile>),
}

fn read_layout(path: &str) -> Result<Layout, CliError> {
    let text = read_text(path)?;
    let is_plan = serde_json::from_str::<serde_json::Value>(&text)
        .is_ok_and(|v| v.get("assignments").is_some());
    if is_plan {
        valid(path, crate::format::parse::plan_file(&text)).map(|p| Layout::Plan(Box::new(p)))
    } else {
        valid(path, crate::validate::load_input(&text)).map(|i| Layout::Input(Box::new(i)))
    }
}

pub(super) fn diff(a: &str, b: &str, format: TableOrJson) -> Exit {
    let (la, lb) = (read_layout(a)?, read_layout(b)?);
    let side = |name: &str, l: &Layout, other: &Layout| match l {
        Layout::Plan(p) => Side::plan(name, p),
        // An input's KPIs are the `before` KPIs of a plan made from it.
        Layout::Input(i) => Side::current(
            name,
            i,
            if let Layout::Plan(p) = other {
                Some(p)
            } else {
                None
            },
        ),
    };
    let d = compare::diff(&side(a, &la, &lb), &side(b, &lb, &la));
    match format {
        TableOrJson::Json => out(&to_json(&d))?,
        TableOrJson::Table => out(&summary::diff_table(&d))?,
    }
    Ok(exit::OK)
}

pub(super) fn certify(
    input: &str,
    assessments: &str,
    output: Option<&str>,
    new_input: Option<&str>,
    args: &SolveArgs,
    format: TableOrJson,
) -> Exit {
    let opts = solve_options(args)?;
    let base = load_solving(input, args)?.file;
    let a = valid(
        assessments,
        crate::validate::assessments::load_assessments(&read_text(assessments)?, &base),
    )?;
    for path in output.iter().chain(&new_input) {
        not_an_input(path)?;
    }
    let mut c = crate::workflows::certify::certify(&base, &a);
    // The re-solve input is made by starplan itself; validating it catches a frozen or pinned
    // pair that the new grades forbid before any solve.
    let value = serde_json::to_value(&c.input).map_err(|e| CliError::Internal(e.to_string()))?;
    let next = valid("the re-graded input", crate::validate::load_value(value))?;
    let mut plan = solve_file(&next, &opts)?;
    plan.provenance = Some(crate::format::hash::provenance(&next, &next));
    c.report.resolve = Some(crate::format::certify::Resolve {
        freed_groups: c.freed.clone(),
        moved_groups: plan
            .assignments
            .iter()
            .filter(|x| x.moved)
            .map(|x| x.group.clone())
            .collect(),
    });
    if let Some(path) = new_input {
        write(path, &to_json(&next))?;
    }
    if let Some(path) = output {
        write(path, &to_json(&plan))?;
    }
    match format {
        TableOrJson::Json => out(&to_json(&c.report))?,
        TableOrJson::Table => {
            out(&super::workflow_tables::certification_table(&c.report))?;
            note(&summary::plan_table(
                &plan,
                &super::commands::region_names(&next),
            ));
        }
    }
    Ok(plan_status(&[&plan]))
}

pub(super) fn choose_model(criteria: &str, format: TableOrJson) -> Exit {
    let c = valid(
        criteria,
        crate::validate::criteria::load_criteria(&read_text(criteria)?),
    )?;
    let choice = crate::workflows::choice::choose(&c);
    match format {
        TableOrJson::Json => out(&to_json(&choice))?,
        TableOrJson::Table => out(&super::workflow_tables::choice_table(&c, &choice))?,
    }
    Ok(exit::OK)
}
