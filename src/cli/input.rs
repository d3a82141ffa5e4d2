//! The input of a solving command: a JSON file or a workbook, `--set` overrides, the solver limits folded into the policy, and the plan's provenance.

use super::error::CliError;
use super::io::{read_bytes, read_text, valid};
use crate::errors::InputError;
use crate::format::output::{PlanFile, Provenance};
use crate::format::InputFile;

/// Extensions read as workbooks rather than JSON.
const WORKBOOK: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

fn extension(path: &str) -> String {
    std::path::Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

pub fn is_workbook(path: &str) -> bool {
    WORKBOOK.contains(&extension(path).as_str())
}

/// A workbook imported through the mapping, with its import report.
pub fn imported_workbook(
    path: &str,
    map: &crate::desk::Mapping,
) -> Result<crate::desk::Imported, CliError> {
    let book = valid(
        path,
        crate::desk::Book::open(path, read_bytes(path)?).map_err(|e| vec![e]),
    )?;
    let src = valid(path, crate::desk::import::workbook_sources(book, map))?;
    valid(path, crate::desk::import(&src, map))
}

/// A workbook read with the built-in headers (`solve BOOK.xlsx`): its coverage line is
/// noted on stderr, so that a plan made from it says how much current layout it had.
pub fn import_workbook(path: &str, map: &crate::desk::Mapping) -> Result<InputFile, CliError> {
    let imported = imported_workbook(path, map)?;
    let text = imported.report.text();
    if let Some(line) = text.lines().find(|l| l.starts_with("coverage:")) {
        super::io::note(&format!("{path}: {line}\n"));
    }
    Ok(imported.input)
}

/// The input as read: JSON (a byte-order mark allowed) or a workbook. A CSV file holds
/// one list only, so it is refused with the command that imports it.
pub fn read_input(path: &str) -> Result<InputFile, CliError> {
    if is_workbook(path) {
        return import_workbook(path, &crate::desk::Mapping::default());
    }
    if extension(path) == "csv" {
        return Err(CliError::Usage(format!(
            "{path} is one list; make an input with `starplan import --groups G.csv --managers M.csv -o input.json`"
        )));
    }
    valid(path, crate::validate::load_input(&read_text(path)?))
}

/// The input with `--set` overrides applied, validated again.
pub fn with_sets(path: &str, raw: &InputFile, sets: &[String]) -> Result<InputFile, CliError> {
    if sets.is_empty() {
        return Ok(raw.clone());
    }
    let mut v = serde_json::to_value(raw).map_err(|e| CliError::Internal(e.to_string()))?;
    let errs: Vec<InputError> = sets
        .iter()
        .filter_map(|s| crate::format::overrides::apply_set(&mut v, s).err())
        .collect();
    if !errs.is_empty() {
        return Err(CliError::invalid(path, errs));
    }
    valid(path, crate::validate::load_value(v))
}

/// What a solving command reads: the input as read, and the effective input (with `--set`,
/// `--time-limit` and `--gap` in its policy).
pub struct Loaded {
    pub raw: InputFile,
    pub file: InputFile,
    /// `--set`, `--time-limit` and `--gap` as the plan records them.
    pub overrides: Vec<String>,
}

impl Loaded {
    pub fn provenance(&self) -> Provenance {
        crate::format::hash::provenance_with(&self.raw, &self.file, self.overrides.clone())
    }

    /// The plan with this run's provenance.
    pub fn stamp(&self, mut plan: PlanFile) -> PlanFile {
        plan.provenance = Some(self.provenance());
        plan
    }
}

pub fn load_solving(path: &str, args: &super::SolveArgs) -> Result<Loaded, CliError> {
    let raw = read_input(path)?;
    let mut file = with_sets(path, &raw, &args.set)?;
    let args = work_defaults(args, &file, false);
    fold_limits(&mut file, &args);
    let overrides = recorded_overrides(&args);
    Ok(Loaded {
        raw,
        file,
        overrides,
    })
}

/// The wall-clock safety stop of work mode, as a multiple of the work limit, when no
/// `--time-limit` says otherwise: a machine this many times slower than the one the units
/// were measured on still ends on the work, with the same plan.
pub const SAFETY_FACTOR: f64 = 4.0;

/// The solver flags with work mode's defaults: `batch` runs (`--out-dir`, `--shard`) stop
/// on work unless `--work-limit 0` or the policy says otherwise, W being the time limit; a
/// work limit from the command line without `--time-limit` gets `SAFETY_FACTOR` × W as
/// its safety stop (with a batch default, `SAFETY_FACTOR` × the time limit).
pub fn work_defaults(args: &super::SolveArgs, file: &InputFile, batch: bool) -> super::SolveArgs {
    let mut a = args.clone();
    let policy = &file.policy.solver;
    let defaulted = batch && a.work_limit.is_none() && policy.work_limit.is_none();
    if defaulted {
        a.work_limit = Some(a.time_limit.unwrap_or(policy.time_limit_seconds));
    }
    match a.work_limit {
        Some(w) if w > 0.0 && (defaulted || a.time_limit.is_none()) => {
            a.time_limit = Some((w * SAFETY_FACTOR).min(crate::validate::MAX_TIME_LIMIT_SECONDS));
        }
        _ => {}
    }
    a
}

/// The overrides a plan solved with `args` records (Provenance::overrides).
pub fn recorded_overrides(args: &super::SolveArgs) -> Vec<String> {
    crate::format::overrides::recorded(&args.set, args.time_limit, args.gap, args.work_limit)
}

/// `--time-limit`, `--gap` and `--work-limit` become the policy's, so the plan records what
/// it was solved with (`--work-limit 0` removes the policy's work limit).
pub fn fold_limits(file: &mut InputFile, args: &super::SolveArgs) {
    with_limits(&mut file.policy, args.time_limit, args.gap, args.work_limit);
}

/// The solver limits into `policy`, as `fold_limits` puts them (`merge` rebuilds the
/// shards' policy from their recorded limits with it).
pub fn with_limits(
    policy: &mut crate::format::PolicyIn,
    time_limit: Option<f64>,
    gap: Option<f64>,
    work_limit: Option<f64>,
) {
    if let Some(t) = time_limit {
        policy.solver.time_limit_seconds = t;
    }
    if let Some(g) = gap {
        policy.solver.relative_gap = g;
    }
    if let Some(w) = work_limit {
        policy.solver.work_limit = (w > 0.0).then_some(w);
    }
}
