//! The planner's workflows: what-if scenarios, plan diffs, certification and the management-model choice.

use super::commands::{plan_status, solve_file, solve_options};
use super::io::{invalid, load, read_text, to_json, write};
use super::{exit, summary, Exit, Format, SolveArgs, TableOrJson};
use crate::engine::compare::{self, Side};
use crate::errors::{Code, InputError};
use crate::format::{convert, InputFile, PlanFile};
use crate::validate::scenario::{apply, load_scenario};
use std::collections::HashSet;
use std::path::Path;

fn scenario_name_error(name: &str, seen: &mut HashSet<String>) -> Option<InputError> {
    let bad = name.is_empty()
        || name == "base"
        || name.starts_with('.')
        || name.contains(['/', '\\'])
        || !seen.insert(name.to_string());
    bad.then(|| {
        InputError::new(
            Code::E063,
            "$.name",
            format!("scenario name `{name}` is empty, \"base\", repeated or not a file name"),
        )
    })
}

pub(super) fn whatif(
    input: &str,
    scenarios: &[String],
    out_dir: &str,
    args: &SolveArgs,
    format: TableOrJson,
    fmt: Format,
) -> Exit {
    let opts = solve_options(args)?;
    let base = load(input, &args.set, fmt)?;
    let mut names = vec!["base".to_string()];
    let mut files: Vec<InputFile> = vec![base.clone()];
    let mut seen = HashSet::new();
    for path in scenarios {
        let sc = invalid(path, load_scenario(&read_text(path)?), fmt)?;
        if let Some(e) = scenario_name_error(&sc.name, &mut seen) {
            return invalid(path, Err(vec![e]), fmt);
        }
        files.push(invalid(path, apply(&base, &sc), fmt)?);
        names.push(sc.name);
    }
    let insts: Vec<_> = files.iter().map(convert::to_instance).collect();
    let plans =
        crate::engine::solve_many(&insts.iter().collect::<Vec<_>>(), &opts).map_err(|e| {
            eprintln!("error: cannot start the worker pool: {e}");
            exit::SOFTWARE
        })?;
    std::fs::create_dir_all(out_dir).map_err(|e| {
        eprintln!("error: cannot create {out_dir}: {e}");
        exit::CANT_WRITE
    })?;
    let dir = Path::new(out_dir);
    for ((name, file), plan) in names.iter().zip(&files).zip(&plans) {
        write(
            &dir.join(format!("{name}.input.json")).to_string_lossy(),
            &to_json(file),
        )?;
        write(
            &dir.join(format!("{name}.plan.json")).to_string_lossy(),
            &to_json(plan),
        )?;
    }
    let cmp = compare::whatif(&names, &plans);
    write(&dir.join("whatif.json").to_string_lossy(), &to_json(&cmp))?;
    match format {
        TableOrJson::Json => print!("{}", to_json(&cmp)),
        TableOrJson::Table => print!("{}", summary::whatif_table(&cmp)),
    }
    eprintln!(
        "wrote {} inputs and plans and whatif.json to {out_dir}",
        names.len()
    );
    Ok(plan_status(&plans.iter().collect::<Vec<_>>()))
}

/// A plan file, or an input file (its current layout).
enum Layout {
    Plan(PlanFile),
    Input(Box<InputFile>),
}

fn read_layout(path: &str, fmt: Format) -> Result<Layout, i32> {
    let text = read_text(path)?;
    let is_plan = serde_json::from_str::<serde_json::Value>(&text)
        .is_ok_and(|v| v.get("assignments").is_some());
    if is_plan {
        super::io::read_plan(path).map(Layout::Plan)
    } else {
        invalid(path, crate::validate::load_input(&text), fmt).map(|i| Layout::Input(Box::new(i)))
    }
}

pub(super) fn diff(a: &str, b: &str, format: TableOrJson, fmt: Format) -> Exit {
    let (la, lb) = (read_layout(a, fmt)?, read_layout(b, fmt)?);
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
        TableOrJson::Json => print!("{}", to_json(&d)),
        TableOrJson::Table => print!("{}", summary::diff_table(&d)),
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
    fmt: Format,
) -> Exit {
    let opts = solve_options(args)?;
    let base = load(input, &args.set, fmt)?;
    let a = invalid(
        assessments,
        crate::validate::assessments::load_assessments(&read_text(assessments)?, &base),
        fmt,
    )?;
    let mut c = crate::engine::certify::certify(&base, &a);
    // The re-solve input is made by starplan itself; validating it catches a frozen or pinned
    // pair that the new grades forbid before any solve.
    let next = invalid(
        "the re-graded input",
        crate::validate::load_value(serde_json::to_value(&c.input).expect("serialises")),
        fmt,
    )?;
    let plan = solve_file(&next, &opts)?;
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
        TableOrJson::Json => print!("{}", to_json(&c.report)),
        TableOrJson::Table => {
            print!("{}", summary::certification_table(&c.report));
            eprint!("{}", summary::plan_table(&plan));
        }
    }
    Ok(plan_status(&[&plan]))
}

pub(super) fn choose_model(criteria: &str, format: TableOrJson, fmt: Format) -> Exit {
    let c = invalid(
        criteria,
        crate::validate::criteria::load_criteria(&read_text(criteria)?),
        fmt,
    )?;
    let out = crate::engine::choice::choose(&c);
    match format {
        TableOrJson::Json => print!("{}", to_json(&out)),
        TableOrJson::Table => print!("{}", summary::choice_table(&c, &out)),
    }
    Ok(exit::OK)
}
