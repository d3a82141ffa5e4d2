//! `starplan whatif` and `solve --baseline`: only the regions an input or scenario changes are solved again, warm from the base plan; the others are carried over.

use super::commands::{plan_status, region_names, solve_options};
use super::error::CliError;
use super::input::load_solving;
use super::io::{note, out, read_plan, read_text, to_json, valid, write, write_folder};
use super::{summary, Exit, SolveArgs, TableOrJson};
use crate::engine::convert;
use crate::engine::jobs::{solve_jobs, Job};
use crate::format::{InputFile, PlanFile};
use crate::validate::scenario::{apply, check_name, load_scenario};
use crate::workflows::reuse::{prepare, prepare_on_base, Prepared};
use std::collections::HashSet;

/// Solves prepared inputs together (one pool) and stamps each plan with its provenance.
fn solve_prepared(
    prepared: &[Prepared],
    opts: &crate::engine::SolveOptions,
) -> Result<Vec<PlanFile>, CliError> {
    let insts: Vec<_> = prepared
        .iter()
        .map(|p| convert::to_instance(&p.input))
        .collect();
    let jobs: Vec<Job> = insts
        .iter()
        .zip(prepared)
        .map(|(inst, p)| Job {
            inst,
            work: p.work.clone(),
        })
        .collect();
    let plans = solve_jobs(&jobs, opts)
        .map_err(|e| CliError::Internal(format!("cannot start the worker pool: {e}")))?;
    Ok(plans
        .into_iter()
        .zip(prepared)
        .map(|(mut plan, p)| {
            plan.provenance = Some(p.provenance.clone());
            plan
        })
        .collect())
}

/// Reads the scenarios and applies each to the base input.
fn scenarios(base: &InputFile, paths: &[String]) -> Result<Vec<(String, InputFile)>, CliError> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for path in paths {
        let sc = valid(path, load_scenario(&read_text(path)?))?;
        if let Some(e) = check_name(&sc.name, &mut seen) {
            return Err(CliError::invalid(path, vec![e]));
        }
        out.push((sc.name.clone(), valid(path, apply(base, &sc))?));
    }
    Ok(out)
}

pub(super) fn whatif(
    input: &str,
    paths: &[String],
    out_dir: &str,
    args: &SolveArgs,
    baseline: Option<&str>,
    format: TableOrJson,
) -> Exit {
    let opts = solve_options(args)?;
    let loaded = load_solving(input, args)?;
    let runs = scenarios(&loaded.file, paths)?;
    let plans = match baseline {
        // The published plan is the base: only the scenarios are solved.
        Some(b) => {
            let base = read_plan(b)?;
            let prepared = runs
                .iter()
                .map(|(name, file)| valid(name, prepare(file, file, &base, true, false)))
                .collect::<Result<Vec<_>, _>>()?;
            let mut plans = vec![base];
            plans.extend(solve_prepared(&prepared, &opts)?);
            plans
        }
        // Base and scenarios in one pool: a scenario's region starts as soon as the base's is solved.
        None => {
            let mut prepared = vec![Prepared {
                input: loaded.file.clone(),
                work: vec![crate::engine::jobs::Work::Solve; loaded.file.regions.len()],
                provenance: loaded.provenance(),
            }];
            prepared.extend(
                runs.iter()
                    .map(|(_, file)| prepare_on_base(file, &loaded.file, 0)),
            );
            solve_prepared(&prepared, &opts)?
        }
    };
    write_runs(out_dir, &loaded.file, &runs, &plans, format)
}

/// Writes every run's input and plan and whatif.json, and prints the comparison.
fn write_runs(
    out_dir: &str,
    base: &InputFile,
    runs: &[(String, InputFile)],
    plans: &[PlanFile],
    format: TableOrJson,
) -> Exit {
    let mut names = vec!["base".to_string()];
    let mut files = vec![base];
    for (name, file) in runs {
        names.push(name.clone());
        files.push(file);
    }
    // File names come from the one safe mapping, whatever a scenario is called; the folder
    // is written all or nothing.
    let file_name =
        |name: &str, suffix: &str| format!("{}{suffix}", crate::format::files::file_stem(name));
    let mut out_files = Vec::new();
    for ((name, file), plan) in names.iter().zip(&files).zip(plans) {
        out_files.push((file_name(name, ".input.json"), to_json(file)));
        out_files.push((file_name(name, ".plan.json"), to_json(plan)));
    }
    let cmp = crate::workflows::compare::whatif(&names, plans);
    out_files.push(("whatif.json".to_string(), to_json(&cmp)));
    write_folder(out_dir, &out_files)?;
    match format {
        TableOrJson::Json => out(&to_json(&cmp))?,
        TableOrJson::Table => out(&summary::whatif_table(&cmp))?,
    }
    note(&format!(
        "wrote {} inputs and plans and whatif.json to {out_dir}\n",
        names.len()
    ));
    Ok(plan_status(&plans.iter().collect::<Vec<_>>()))
}

/// `solve --baseline PLAN`: the published plan's layout is the current layout; regions
/// whose input did not change since it keep its block, unless `force`.
pub(super) fn solve_baseline(
    input: &str,
    output: &str,
    args: &SolveArgs,
    baseline: &str,
    force: bool,
    quiet: bool,
) -> Exit {
    let opts = solve_options(args)?;
    let loaded = load_solving(input, args)?;
    let base = read_plan(baseline)?;
    if base.provenance.is_none() {
        note("note: the baseline plan records no input hashes (written before version 0.3): every region is solved again\n");
    }
    let prepared = valid(
        input,
        prepare(&loaded.raw, &loaded.file, &base, true, force),
    )?;
    let plan = solve_prepared(std::slice::from_ref(&prepared), &opts)?.remove(0);
    write(output, &to_json(&plan))?;
    if !quiet {
        note(&summary::plan_table(&plan, &region_names(&loaded.file)));
        let origin = |o| {
            plan.provenance
                .iter()
                .flat_map(|p| &p.regions)
                .filter(|r| r.origin == o)
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        note(&format!(
            "solved again: {}; carried over from the baseline: {}\n",
            origin(crate::format::output::Origin::WarmStarted),
            origin(crate::format::output::Origin::CarriedOver)
        ));
    }
    Ok(plan_status(&[&plan]))
}
