//! `starplan rescore`: a plan edited by hand (in its JSON, or in an exported sheet) recomputed, checked, and compared with the optimiser's plan.

use super::commands::input_for;
use super::error::CliError;
use super::io::{note, out, read_bytes, read_plan, to_json, valid, write};
use super::{exit, Exit, TableOrJson};
use crate::desk::rescore::{edits_of, rescore, Edit};
use crate::format::output::PlanFile;
use crate::format::InputFile;

/// Sheets of an exported workbook that a planner edits.
const EDITED: [&str; 4] = ["assignments", "分配", "moves", "调整清单"];

/// The edits in a workbook or CSV file: only rows whose manager differs from the plan.
fn read_edits(path: &str, input: &InputFile, plan: &PlanFile) -> Result<Vec<Edit>, CliError> {
    let tables = if super::input::is_workbook(path) {
        let mut book = valid(
            path,
            crate::desk::Book::open(path, read_bytes(path)?).map_err(|e| vec![e]),
        )?;
        let names = book.sheet_names();
        let mut ts = Vec::new();
        for n in names
            .iter()
            .filter(|n| EDITED.contains(&n.to_lowercase().as_str()))
        {
            ts.push(valid(path, book.table(n).map_err(|e| vec![e]))?);
        }
        ts
    } else {
        vec![valid(
            path,
            crate::desk::table::read_csv(path, &read_bytes(path)?).map_err(|e| vec![e]),
        )?]
    };
    let now: std::collections::HashMap<&str, &str> = plan
        .assignments
        .iter()
        .map(|a| (a.group.as_str(), a.manager.as_str()))
        .collect();
    let mut edits = Vec::new();
    for t in &tables {
        let e = valid(path, edits_of(t, input).map_err(|e| vec![e]))?;
        edits.extend(
            e.into_iter()
                .filter(|e| now.get(e.group.as_str()) != Some(&e.manager.as_str())),
        );
    }
    Ok(edits)
}

fn table(before: &PlanFile, after: &PlanFile, changed: &[String]) -> String {
    let mut t = super::table::Table::new(&[
        "region",
        "status",
        "optimiser",
        "edited",
        "Δ",
        "moved",
        "cross-grade",
        "over-target",
    ]);
    for id in changed {
        let (Some(a), Some(b)) = (
            before.regions.iter().find(|r| &r.id == id),
            after.regions.iter().find(|r| &r.id == id),
        ) else {
            continue;
        };
        let k = |r: &crate::format::output::RegionPlan,
                 f: &dyn Fn(&crate::format::output::KpiSet) -> usize| {
            r.kpis
                .after
                .as_ref()
                .map_or("-".into(), |x| f(x).to_string())
        };
        let mism = |x: &crate::format::output::KpiSet| {
            x.mismatched.forbidden + x.mismatched.under_grade + x.mismatched.over_grade
        };
        t.row(vec![
            id.clone(),
            super::summary::status_word(b.status).into(),
            a.objective.map_or("-".into(), |o| format!("{o:.1}")),
            b.objective.map_or("-".into(), |o| format!("{o:.1}")),
            a.objective
                .zip(b.objective)
                .map_or("-".into(), |(x, y)| format!("{:+.1}", y - x)),
            format!(
                "{}→{}",
                k(a, &|x| x.groups_moved),
                k(b, &|x| x.groups_moved)
            ),
            format!("{}→{}", k(a, &mism), k(b, &mism)),
            format!(
                "{}→{}",
                k(a, &|x| x.managers_over_span_target),
                k(b, &|x| x.managers_over_span_target)
            ),
        ]);
    }
    t.render()
}

pub(super) fn rescore_cmd(
    input: &str,
    plan: &str,
    edits: Option<&str>,
    output: Option<&str>,
    format: TableOrJson,
) -> Exit {
    let was = read_plan(plan)?;
    let file = input_for(input, &was, &[], false)?;
    let edits = match edits {
        Some(p) => read_edits(p, &file, &was)?,
        None => Vec::new(),
    };
    let (now, changed) = valid(
        edits.first().map_or(plan, |e| e.at.as_str()),
        rescore(&file, &was, &edits),
    )?;
    let violations = crate::checker::check(&file, &now);
    match format {
        TableOrJson::Json => out(&to_json(&violations))?,
        TableOrJson::Table => {
            out(&format!(
                "regions rescored: {}\n",
                if changed.is_empty() {
                    "none".into()
                } else {
                    changed.join(", ")
                }
            ))?;
            out(&table(&was, &now, &changed))?;
        }
    }
    if !violations.is_empty() {
        let mut text = String::new();
        for v in &violations {
            text.push_str(&format!(
                "{} {}: {}\n",
                v.code,
                v.region.as_deref().unwrap_or("-"),
                v.message
            ));
        }
        text.push_str(&format!(
            "the edited plan breaks {} rule(s); nothing was written\n",
            violations.len()
        ));
        note(&text);
        return Ok(exit::VIOLATIONS);
    }
    if let Some(o) = output {
        write(o, &to_json(&now))?;
    }
    note("the edited plan keeps every hard rule\n");
    Ok(exit::OK)
}
