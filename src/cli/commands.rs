//! The core commands: solve, check, staff, schema, generate.

use super::io::{load, read_plan, to_json, write};
use super::{exit, summary, Exit, Format, SchemaKind, SolveArgs, TableOrJson};
use crate::engine::SolveOptions;
use crate::format::{convert, InputFile, PlanFile};

/// Checks the solver flags and turns them into engine options.
pub(super) fn solve_options(a: &SolveArgs) -> Result<SolveOptions, i32> {
    if let Some(g) = a.gap.filter(|g| !(0.0..=1.0).contains(g)) {
        eprintln!("error: --gap {g} is outside [0, 1]");
        return Err(exit::USAGE);
    }
    if let Some(t) = a.time_limit.filter(|t| t.is_nan() || *t <= 0.0) {
        eprintln!("error: --time-limit {t} must be above 0");
        return Err(exit::USAGE);
    }
    Ok(SolveOptions {
        threads: a.threads,
        time_limit_seconds: a.time_limit,
        relative_gap: a.gap,
        no_timings: a.no_timings,
        export_mps: None,
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

pub(super) fn solve_file(file: &InputFile, opts: &SolveOptions) -> Result<PlanFile, i32> {
    crate::engine::solve(&convert::to_instance(file), opts).map_err(|e| {
        eprintln!("error: cannot start the worker pool: {e}");
        exit::SOFTWARE
    })
}

pub(super) fn solve(
    input: &str,
    output: &str,
    args: &SolveArgs,
    export: Option<&str>,
    quiet: bool,
    fmt: Format,
) -> Exit {
    let mut opts = solve_options(args)?;
    if let Some(dir) = export {
        std::fs::create_dir_all(dir).map_err(|e| {
            eprintln!("error: cannot create {dir}: {e}");
            exit::CANT_WRITE
        })?;
        opts.export_mps = Some(dir.into());
    }
    let file = load(input, &args.set, fmt)?;
    let plan = solve_file(&file, &opts)?;
    write(output, &to_json(&plan))?;
    if !quiet {
        eprint!("{}", summary::plan_table(&plan));
    }
    Ok(plan_status(&[&plan]))
}

pub(super) fn check(input: &str, plan: &str, json: bool, set: &[String], fmt: Format) -> Exit {
    let file = load(input, set, fmt)?;
    let plan = read_plan(plan)?;
    let violations = crate::checker::check(&file, &plan);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&violations).expect("violations serialise")
        );
    }
    for v in &violations {
        eprintln!(
            "{} {}: {}",
            v.code,
            v.region.as_deref().unwrap_or("-"),
            v.message
        );
    }
    if violations.is_empty() {
        eprintln!(
            "plan is valid: {} regions, {} assignments",
            plan.regions.len(),
            plan.assignments.len()
        );
        Ok(exit::OK)
    } else {
        eprintln!("plan is NOT valid: {} violations", violations.len());
        Ok(exit::VIOLATIONS)
    }
}

pub(super) fn staff(input: &str, format: TableOrJson, fmt: Format) -> Exit {
    let file = load(input, &[], fmt)?;
    let est = crate::engine::staffing::staffing(&convert::to_instance(&file));
    match format {
        TableOrJson::Json => print!("{}", to_json(&est)),
        TableOrJson::Table => print!("{}", summary::staffing_table(&est)),
    }
    Ok(exit::OK)
}

pub(super) fn schema(kind: SchemaKind) -> Exit {
    use crate::format::*;
    let schema = match kind {
        SchemaKind::Input => schemars::schema_for!(InputFile),
        SchemaKind::Output => schemars::schema_for!(PlanFile),
        SchemaKind::Staffing => schemars::schema_for!(staffing::StaffingFile),
        SchemaKind::Scenario => schemars::schema_for!(scenario::ScenarioFile),
        SchemaKind::Whatif => schemars::schema_for!(whatif::WhatIfFile),
        SchemaKind::Diff => schemars::schema_for!(whatif::DiffFile),
        SchemaKind::Assessments => schemars::schema_for!(certify::AssessmentsFile),
        SchemaKind::Certification => schemars::schema_for!(certify::CertificationFile),
        SchemaKind::Criteria => schemars::schema_for!(choice::CriteriaFile),
        SchemaKind::Choice => schemars::schema_for!(choice::ChoiceFile),
    };
    print!("{}", to_json(&schema));
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
        eprintln!("error: need at least one region and one group per region");
        return Err(exit::USAGE);
    }
    write(
        output,
        &to_json(&crate::generate::province(seed, regions, groups, managers)),
    )?;
    Ok(exit::OK)
}
