//! The core commands: solve, check, staff, schema, generate.

use super::error::CliError;
use super::io::{load, not_an_input, note, out, read_plan, to_json, write};
use super::{exit, summary, Exit, SchemaKind, SolveArgs, TableOrJson};
use crate::engine::convert;
use crate::engine::SolveOptions;
use crate::format::{InputFile, PlanFile};

/// The most region workers: each is an OS thread with its own HiGHS, and more than the
/// regions of any province only costs memory.
const MAX_THREADS: usize = 1024;
/// The most groups `generate` writes (about 200 MB of JSON), and the most managers.
const MAX_GENERATED: usize = 1_000_000;

/// Checks the solver flags and turns them into engine options.
pub(super) fn solve_options(a: &SolveArgs) -> Result<SolveOptions, CliError> {
    if let Some(g) = a.gap.filter(|g| !(0.0..=1.0).contains(g)) {
        return Err(CliError::Usage(format!("--gap {g} is outside [0, 1]")));
    }
    let most = crate::validate::MAX_TIME_LIMIT_SECONDS;
    if let Some(t) = a.time_limit.filter(|t| !(*t > 0.0 && *t <= most)) {
        return Err(CliError::Usage(format!(
            "--time-limit {t:e} must be above 0 and at most {most:e} seconds"
        )));
    }
    if a.threads > MAX_THREADS {
        return Err(CliError::Usage(format!(
            "--threads {} is above {MAX_THREADS}",
            a.threads
        )));
    }
    Ok(SolveOptions {
        threads: a.threads,
        time_limit_seconds: a.time_limit,
        relative_gap: a.gap,
        no_timings: a.no_timings,
        ..SolveOptions::default()
    })
}

/// Exit code of a finished solve: 3 when some region has no plan, else 4 when some region
/// had to relax a hard rule.
pub(super) fn plan_status(plans: &[&PlanFile]) -> i32 {
    let regions = || plans.iter().flat_map(|p| p.regions.iter());
    if !regions().all(|r| r.status.has_plan()) {
        exit::NO_SOLUTION
    } else if regions().any(|r| r.status == crate::format::output::Status::Relaxed) {
        exit::RELAXED
    } else {
        exit::OK
    }
}

pub(super) fn solve_file(file: &InputFile, opts: &SolveOptions) -> Result<PlanFile, CliError> {
    crate::engine::solve(&convert::to_instance(file), opts)
        .map_err(|e| CliError::Internal(format!("cannot start the worker pool: {e}")))
}

pub(super) fn solve(
    input: &str,
    output: &str,
    args: &SolveArgs,
    export: Option<&str>,
    quiet: bool,
) -> Exit {
    let mut opts = solve_options(args)?;
    let file = load(input, &args.set)?;
    not_an_input(output)?;
    if let Some(dir) = export {
        // Only once the input is known to be valid, so a refused input leaves nothing behind.
        std::fs::create_dir_all(dir).map_err(|e| CliError::write(dir, e))?;
        opts.export_mps = Some(dir.into());
    }
    let plan = solve_file(&file, &opts)?;
    write(output, &to_json(&plan))?;
    if !quiet {
        note(&summary::plan_table(&plan));
    }
    Ok(plan_status(&[&plan]))
}

pub(super) fn check(input: &str, plan: &str, json: bool, set: &[String]) -> Exit {
    let file = load(input, set)?;
    let plan = read_plan(plan)?;
    let violations = crate::checker::check(&file, &plan);
    if json {
        out(&to_json(&violations))?;
    }
    let mut text = String::new();
    for v in &violations {
        let region = v.region.as_deref().unwrap_or("-");
        text.push_str(&format!("{} {region}: {}\n", v.code, v.message));
    }
    if violations.is_empty() {
        text.push_str(&format!(
            "plan is valid: {} regions, {} assignments\n",
            plan.regions.len(),
            plan.assignments.len()
        ));
    } else {
        text.push_str(&format!(
            "plan is NOT valid: {} violations\n",
            violations.len()
        ));
    }
    note(&text);
    Ok(if violations.is_empty() {
        exit::OK
    } else {
        exit::VIOLATIONS
    })
}

pub(super) fn staff(input: &str, format: TableOrJson) -> Exit {
    let file = load(input, &[])?;
    let est = crate::workflows::staffing::staffing(&convert::to_instance(&file));
    match format {
        TableOrJson::Json => out(&to_json(&est))?,
        TableOrJson::Table => out(&summary::staffing_table(&est))?,
    }
    Ok(exit::OK)
}

pub(super) fn schema(kind: SchemaKind) -> Exit {
    use crate::format::schema::{input, plain, scenario};
    use crate::format::*;
    let schema = match kind {
        SchemaKind::Input => input(),
        SchemaKind::Output => plain::<PlanFile>(),
        SchemaKind::Staffing => plain::<staffing::StaffingFile>(),
        SchemaKind::Scenario => scenario(),
        SchemaKind::Whatif => plain::<whatif::WhatIfFile>(),
        SchemaKind::Diff => plain::<whatif::DiffFile>(),
        SchemaKind::Assessments => plain::<certify::AssessmentsFile>(),
        SchemaKind::Certification => plain::<certify::CertificationFile>(),
        SchemaKind::Criteria => plain::<choice::CriteriaFile>(),
        SchemaKind::Choice => plain::<choice::ChoiceFile>(),
    };
    out(&to_json(&schema))?;
    Ok(exit::OK)
}

pub(super) fn generate(
    seed: u64,
    regions: usize,
    groups: usize,
    managers: Option<usize>,
    output: &str,
) -> Exit {
    if regions == 0 || groups < regions {
        return Err(CliError::Usage(
            "need at least one region and one group per region".into(),
        ));
    }
    if groups > MAX_GENERATED || managers.is_some_and(|m| m > MAX_GENERATED) {
        return Err(CliError::Usage(format!(
            "--groups and --managers are at most {MAX_GENERATED}"
        )));
    }
    write(
        output,
        &to_json(&crate::generate::province(seed, regions, groups, managers)),
    )?;
    Ok(exit::OK)
}
