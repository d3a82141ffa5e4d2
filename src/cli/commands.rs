//! The core commands: solve, check, staff, schema, generate.

use super::error::CliError;
use super::input::{load_solving, read_input};
use super::io::{note, out, read_plan, to_json, valid, write};
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
    if let Some(w) = a.work_limit.filter(|w| !(*w >= 0.0 && *w <= most)) {
        return Err(CliError::Usage(format!(
            "--work-limit {w:e} must be 0 (stop on the clock) or above, and at most {most:e}"
        )));
    }
    if a.threads > MAX_THREADS {
        return Err(CliError::Usage(format!(
            "--threads {} is above {MAX_THREADS}",
            a.threads
        )));
    }
    super::arenas::bound(a.threads);
    Ok(SolveOptions {
        threads: a.threads,
        time_limit_seconds: a.time_limit,
        relative_gap: a.gap,
        work_limit: a.work_limit.filter(|w| *w > 0.0),
        no_timings: a.no_timings,
        ..SolveOptions::default()
    })
}

/// Region id → name, for tables.
pub(super) fn region_names(file: &InputFile) -> std::collections::HashMap<String, String> {
    file.regions
        .iter()
        .filter_map(|r| Some((r.id.clone(), r.name.clone()?)))
        .collect()
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

/// The input a plan is checked (or rescored) against: the input's policy with the
/// overrides the plan recorded, then `set` (`starplan_checker::checked_input`, the one rule
/// `check`, `merge` and the service share). A layout the plan was measured against
/// (`--baseline`) replaces the input's current managers. What was used is said on stderr
/// (`say`: always, else only where the plan recorded overrides); a recorded policy that is
/// not the input's with its overrides is said too (`check` reports it as V1).
pub(super) fn input_for(
    input: &str,
    plan: &PlanFile,
    set: &[String],
    say: bool,
) -> Result<InputFile, CliError> {
    let raw = read_input(input)?;
    let found = valid(input, crate::checker::checked_input(&raw, plan, set))?;
    let overridden = plan
        .provenance
        .as_ref()
        .is_some_and(|p| !p.overrides.is_empty());
    if say || overridden || !set.is_empty() {
        for n in &found.notes {
            super::io::remark(&format!("{n}\n"));
        }
    }
    for v in &found.violations {
        super::io::remark(&format!("{} {}\n", v.code, v.message));
    }
    Ok(found.input)
}

pub(super) fn check(input: &str, plan: &str, json: bool, set: &[String]) -> Exit {
    let (plan, raw) = super::io::both(|| read_plan(plan), || read_input(input));
    let (plan, raw) = (plan?, raw?);
    let verdict = valid(input, crate::checker::verdict(&raw, &plan, set))?;
    for n in &verdict.policy {
        super::io::remark(&format!("{n}\n"));
    }
    if json {
        out(&to_json(&verdict))?;
    }
    note(&verdict_text(&verdict, &plan));
    Ok(if verdict.valid {
        exit::OK
    } else {
        exit::VIOLATIONS
    })
}

/// The verdict for a person: each violation, each region's status and proof in words, the
/// total.
pub(super) fn verdict_text(verdict: &crate::checker::Verdict, plan: &PlanFile) -> String {
    let mut text = String::new();
    for v in &verdict.violations {
        let region = v.region.as_deref().unwrap_or("-");
        text.push_str(&format!("{} {region}: {}\n", v.code, v.message));
    }
    for r in &verdict.regions {
        text.push_str(&format!("{}: {}\n", r.id, r.verdict));
    }
    if verdict.valid {
        text.push_str(&format!(
            "plan is valid: {} regions, {} assignments\n",
            plan.regions.len(),
            plan.assignments.len()
        ));
    } else {
        text.push_str(&format!(
            "plan is NOT valid: {} violations\n",
            verdict.violations.len()
        ));
    }
    text
}

pub(super) fn staff(input: &str, format: TableOrJson, exact: bool, args: &SolveArgs) -> Exit {
    let opts = solve_options(args)?;
    // Workbooks too, with --set applied.
    let file = load_solving(input, args)?.file;
    let mut est = crate::workflows::staffing::staffing(&convert::to_instance(&file));
    if exact {
        est.exact = crate::workflows::staffing_exact::exact(&file, &opts);
    }
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
