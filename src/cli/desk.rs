//! The planner's desk commands: import spreadsheets, export and report plans.

use super::commands::input_for;
use super::error::CliError;
use super::input::{is_workbook, read_input};
use super::io::{note, read_bytes, read_plan, read_text, to_json, valid, write, write_bytes};
use super::{exit, Exit};
use crate::desk::headers::List;
use crate::desk::words::Lang;
use crate::desk::{import, Mapping, PolicySource, Sources, Table};
use crate::format::InputFile;

/// The files `import` reads.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// A workbook (.xlsx, .xls, .ods) with sheets groups and managers (集团, 客户经理), optionally regions (区域) and policy (策略).
    pub book: Option<String>,
    /// Groups as CSV (UTF-8, UTF-8 with BOM, or GBK).
    #[arg(long, conflicts_with = "book")]
    pub groups: Option<String>,
    /// Managers as CSV.
    #[arg(long, conflicts_with = "book")]
    pub managers: Option<String>,
    /// Regions as CSV (id, name); without it the regions are the distinct region values.
    #[arg(long, conflicts_with = "book")]
    pub regions: Option<String>,
    /// A policy block (JSON), or key,value rows (CSV) as --set takes them.
    #[arg(long, conflicts_with = "book")]
    pub policy: Option<String>,
    /// A JSON file naming other headers and sheets (see README, "Spreadsheets").
    #[arg(long)]
    pub map: Option<String>,
    /// Write a mapping file with a guess for every column (for a workbook import cannot
    /// read), to correct and give back with --map; no input is written.
    #[arg(long, value_name = "MAP.json")]
    pub suggest_map: Option<String>,
    /// Also write the import report (columns, rows taken and skipped, coverage) as JSON.
    #[arg(long, value_name = "FILE")]
    pub report: Option<String>,
    /// Every group is new (a first plan): no current manager anywhere is not an error (E126).
    #[arg(long)]
    pub all_new: bool,
    /// Where to write the input (JSON); - for stdout.
    #[arg(short, long, default_value = "-")]
    pub output: String,
}

fn csv_table(path: &str) -> Result<Table, CliError> {
    let name = path.to_string();
    valid(
        path,
        crate::desk::table::read_csv(&name, &read_bytes(path)?).map_err(|e| vec![e]),
    )
}

fn mapping(path: Option<&str>) -> Result<Mapping, CliError> {
    match path {
        None => Ok(Mapping::default()),
        Some(p) => valid(p, Mapping::load(&read_text(p)?)),
    }
}

fn policy_source(path: &str) -> Result<PolicySource, CliError> {
    if path.to_lowercase().ends_with(".csv") {
        return Ok(PolicySource::Sheet(csv_table(path)?));
    }
    let text = read_text(path)?;
    let value = valid(
        path,
        crate::format::parse::json_value(&text).map_err(|e| vec![e]),
    )?;
    Ok(PolicySource::Json {
        file: path.to_string(),
        value,
    })
}

/// The sources of `import`'s CSV files.
fn csv_sources(a: &ImportArgs, g: &str, m: &str) -> Result<Sources, CliError> {
    Ok(Sources {
        groups: csv_table(g)?,
        managers: csv_table(m)?,
        regions: a.regions.as_deref().map(csv_table).transpose()?,
        policy: a.policy.as_deref().map(policy_source).transpose()?,
    })
}

/// `import --suggest-map`: the guessed mapping, written for the planner to correct.
fn suggest_cmd(a: &ImportArgs, map: &Mapping, out: &str) -> Exit {
    let doc = match (&a.book, &a.groups, &a.managers) {
        (Some(book), _, _) => {
            let b = valid(
                book,
                crate::desk::Book::open(book, read_bytes(book)?).map_err(|e| vec![e]),
            )?;
            valid(book, crate::desk::book::suggest_workbook(b, map))?
        }
        (None, Some(g), Some(m)) => {
            let src = csv_sources(a, g, m)?;
            let mut tables = vec![(List::Groups, &src.groups), (List::Managers, &src.managers)];
            if let Some(r) = &src.regions {
                tables.push((List::Regions, r));
            }
            crate::desk::book::suggest(&tables, map)
        }
        _ => return Err(usage()),
    };
    write(out, &to_json(&doc))?;
    note(&format!(
        "wrote {out}: check each column's field (\"ignore\" leaves one out), then import with --map {out}\n"
    ));
    Ok(exit::OK)
}

fn usage() -> CliError {
    CliError::Usage("give a workbook, or --groups and --managers CSV files".into())
}

pub(super) fn import_cmd(a: &ImportArgs) -> Exit {
    let mut map = mapping(a.map.as_deref())?;
    map.all_new |= a.all_new;
    if let Some(book) = a.book.as_deref().filter(|b| !is_workbook(b)) {
        return Err(CliError::Usage(format!("{book}: give a workbook (.xlsx, .xls, .ods), or CSV files with --groups and --managers")));
    }
    if let Some(out) = &a.suggest_map {
        return suggest_cmd(a, &map, out);
    }
    let imported = match (&a.book, &a.groups, &a.managers) {
        (Some(book), _, _) => super::input::imported_workbook(book, &map)?,
        (None, Some(g), Some(m)) => valid("the CSV files", import(&csv_sources(a, g, m)?, &map))?,
        _ => return Err(usage()),
    };
    let input = &imported.input;
    // The report first: no file is written unless both can be.
    let report = match &a.report {
        Some(_) => Some(to_json(&imported.report)),
        None => None,
    };
    write(&a.output, &to_json(input))?;
    if let (Some(path), Some(text)) = (&a.report, report) {
        write(path, &text)?;
    }
    note(&imported.report.text());
    note(&format!(
        "imported {} regions, {} managers, {} groups\n",
        input.regions.len(),
        input.managers.len(),
        input.groups.len()
    ));
    Ok(exit::OK)
}

/// Writes sheets as one workbook, or as one CSV file per sheet (`OUT.csv` → `OUT.<sheet>.csv`).
fn write_sheets(output: &str, sheets: &[crate::desk::sheets::Sheet]) -> Result<(), CliError> {
    let lower = output.to_lowercase();
    if let Some(stem) = lower
        .strip_suffix(".csv")
        .map(|_| &output[..output.len() - 4])
    {
        for s in sheets {
            let path = format!("{stem}.{}.csv", s.key);
            write_bytes(&path, &crate::desk::sheets::to_csv(s))?;
            note(&format!("wrote {path}\n"));
        }
        return Ok(());
    }
    if !lower.ends_with(".xlsx") {
        return Err(CliError::Usage(format!(
            "{output}: the output must end in .xlsx or .csv"
        )));
    }
    let bytes =
        crate::desk::sheets::to_xlsx(sheets).map_err(|e| CliError::Internal(e.to_string()))?;
    write_bytes(output, &bytes)
}

pub(super) fn export(input: &str, plan: Option<&str>, output: &str, lang: Lang) -> Exit {
    let sheets = match plan {
        None => crate::desk::export::input_sheets(&read_input(input)?, lang),
        Some(p) => {
            let plan = read_plan(p)?;
            let file: InputFile = input_for(input, &plan, &[], false)?;
            let staffing =
                crate::workflows::staffing::staffing(&crate::engine::convert::to_instance(&file));
            let view = crate::desk::view::View::new(&file, &plan);
            crate::desk::export::plan_sheets(&view, Some(&staffing), lang)
        }
    };
    write_sheets(output, &sheets)?;
    Ok(exit::OK)
}

pub(super) fn report(input: &str, plan: &str, output: &str, lang: Lang) -> Exit {
    let plan = read_plan(plan)?;
    let file = input_for(input, &plan, &[], false)?;
    let view = crate::desk::view::View::new(&file, &plan);
    write(output, &crate::desk::report::html(&view, lang))?;
    Ok(exit::OK)
}
