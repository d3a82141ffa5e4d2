//! `solve` as a batch job: region selection and shards, per-region files in `--out-dir` with re-run skipping, signals that stop within seconds and keep what is done, progress, JSON logs and `--max-gap`.

use super::commands::{plan_status, solve_options};
use super::error::CliError;
use super::io::{note, to_json, write};
use super::logs::LogFormat;
use super::outdir::{self, RegionMeta};
use super::progress::Reporter;
use super::{exit, merge, shard, signals, summary, Exit, SolveArgs};
use crate::engine::{is_interrupted, OnEvent, RegionEvent};
use crate::format::output::{RegionPlan, Status};
use crate::format::PlanFile;
use clap::Args;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The batch options of `solve`.
#[derive(Args, Debug, Clone)]
pub struct BatchArgs {
    /// Solve only this region (repeatable); the plan lists these regions alone.
    #[arg(long = "region", value_name = "ID")]
    pub regions: Vec<String>,
    /// Solve shard I of N (0-based): regions spread over N shards by size, the same way in
    /// every shard. auto/N reads JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Write one plan per region to DIR as each finishes (<region>.plan.json and its
    /// <region>.meta.json); a re-run skips regions whose file has the same input hash.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<String>,
    /// Exit 5 when a region's gap is above G (a fraction, e.g. 0.01) or it has no bound.
    #[arg(long, value_name = "G")]
    pub max_gap: Option<f64>,
    /// text: a progress bar on a terminal (nothing on a pipe) and the summary table; json:
    /// one JSON line per region start and end on stderr, no table.
    #[arg(long, value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

/// The gap a region is judged by for `--max-gap`: its own gap in weighted mode; in
/// priority mode the largest of its stages' gaps. None when some bound is unknown (no
/// plan, a relaxed plan, a fallback plan).
pub fn judged_gap(r: &RegionPlan) -> Option<f64> {
    if !r.status.has_plan() || r.status == Status::Relaxed {
        return None;
    }
    if r.stages.is_empty() {
        return r.gap;
    }
    r.stages.iter().try_fold(0.0f64, |worst, s| {
        let (v, b) = (s.value?, s.bound?);
        Some(worst.max((v - b) / v.abs().max(1.0)))
    })
}

/// Regions whose judged gap is above `max` or unknown, each with why.
pub fn over_max_gap(plan: &PlanFile, max: f64) -> Vec<String> {
    plan.regions
        .iter()
        .filter_map(|r| match judged_gap(r) {
            Some(g) if g <= max + 1e-12 => None,
            Some(g) => Some(format!(
                "region {}: gap {:.3} % is above --max-gap {:.3} %",
                r.id,
                g * 100.0,
                max * 100.0
            )),
            None => Some(format!(
                "region {}: status {} without a proven bound, so its gap is unknown (--max-gap {:.3} %)",
                r.id,
                status_name(r.status),
                max * 100.0
            )),
        })
        .collect()
}

pub fn status_name(s: Status) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The exit code of a plan: interrupted (75) first, then no plan (3), relaxed (4), and
/// last a gap above `--max-gap` (5); the reasons for 5 are printed or logged.
pub fn exit_code(plan: &PlanFile, max_gap: Option<f64>, json: bool) -> i32 {
    let over = max_gap.map(|g| over_max_gap(plan, g)).unwrap_or_default();
    for line in &over {
        if json {
            tracing::warn!(reason = line.as_str(), "max_gap_exceeded");
        } else {
            note(&format!("{line}\n"));
        }
    }
    if plan.regions.iter().any(is_interrupted) {
        return exit::INTERRUPTED;
    }
    match plan_status(&[plan]) {
        exit::OK if !over.is_empty() => exit::GAP_ABOVE_MAX,
        code => code,
    }
}

/// Writes each finished region to the out-dir as it ends; remembers the first failure and
/// then stops the run (nothing more could be kept).
struct RegionWriter {
    dir: PathBuf,
    hashes: HashMap<String, String>,
    template: RegionMeta,
    cancel: Arc<AtomicBool>,
    failed: Mutex<Option<CliError>>,
}

impl RegionWriter {
    fn event(&self, ev: &RegionEvent<'_>) {
        let RegionEvent::Finished {
            plan, interrupted, ..
        } = ev
        else {
            return;
        };
        let Some(r) = plan.regions.first() else {
            return;
        };
        let meta = RegionMeta {
            region: r.id.clone(),
            input_hash: self.hashes.get(&r.id).cloned().unwrap_or_default(),
            complete: !interrupted,
            status: r.status,
            gap: r.gap,
            ..self.template.clone()
        };
        if let Err(e) = outdir::write_region(&self.dir, plan, &meta) {
            self.cancel.store(true, Ordering::Relaxed);
            let mut slot = self.failed.lock().unwrap_or_else(|p| p.into_inner());
            slot.get_or_insert(e);
        }
    }
}

/// The regions to solve now, and the plans reused from the out-dir.
fn plan_work(
    selected: Vec<String>,
    dir: Option<&Path>,
    hashes: &HashMap<String, String>,
) -> (Vec<String>, Vec<PlanFile>) {
    let Some(dir) = dir else {
        return (selected, Vec::new());
    };
    let mut todo = Vec::new();
    let mut reused = Vec::new();
    for id in selected {
        match outdir::reuse(dir, &id, &hashes[&id]) {
            Some(plan) => reused.push(plan),
            None => todo.push(id),
        }
    }
    (todo, reused)
}

/// How long a signalled solve may take to stop by itself before the run is cut short:
/// HiGHS's presolve and model building cannot be interrupted, and can take many seconds
/// on large regions.
const STOP_GRACE: Duration = Duration::from_millis(1500);

/// `starplan solve` with every batch option.
pub(super) fn solve(
    input: &str,
    output: Option<&str>,
    args: &SolveArgs,
    export: Option<&str>,
    quiet: bool,
    batch: &BatchArgs,
) -> Exit {
    solve_options(args)?;
    if let Some(g) = batch.max_gap.filter(|g| !(*g >= 0.0 && g.is_finite())) {
        return Err(CliError::Usage(format!("--max-gap {g} must be 0 or more")));
    }
    let shard = batch
        .shard
        .as_deref()
        .map(|s| shard::parse(s, |v| std::env::var(v).ok()))
        .transpose()?;
    // Workbooks too; --set, --time-limit and --gap folded into the policy the plan records.
    let mut loaded = super::input::load_solving(input, args)?;
    // Shards stop on counted work by default, so a retried shard writes the same plans.
    let args = &super::input::work_defaults(
        args,
        &loaded.file,
        batch.out_dir.is_some() || batch.shard.is_some(),
    );
    super::input::fold_limits(&mut loaded.file, args);
    loaded.overrides = super::input::recorded_overrides(args);
    let mut opts = solve_options(args)?;
    if let Some(o) = output {
        // Refused before any solving: an output that is one of the inputs.
        super::io::not_an_input(o)?;
    }
    let file = loaded.file.clone();
    let selected = shard::select(&file, &batch.regions, shard)?;
    if let Some(dir) = export {
        // Only once the input is known to be valid, so a refused input leaves nothing behind.
        std::fs::create_dir_all(dir).map_err(|e| CliError::write(dir, e))?;
        opts.export_mps = Some(dir.into());
    }
    super::logs::init(batch.log_format, tracing::Level::WARN);
    // The solver's limits are not part of a region's hash (`format::hash::region_hashes`).
    let all = crate::format::hash::region_hashes(&file);
    let hashes: HashMap<String, String> = selected
        .iter()
        .filter_map(|id| all.get(id).map(|h| (id.clone(), h.clone())))
        .collect();
    let dir = batch.out_dir.as_deref().map(Path::new);
    if let Some(d) = batch.out_dir.as_deref() {
        std::fs::create_dir_all(d).map_err(|e| CliError::write(d, e))?;
        outdir::probe(Path::new(d))?;
    }
    let (todo, reused) = plan_work(selected, dir, &hashes);
    if batch.log_format == LogFormat::Json {
        tracing::info!(
            regions = todo.len() + reused.len(),
            to_solve = todo.len(),
            reused = reused.len(),
            shard = batch.shard.as_deref(),
            "run_started"
        );
    }
    let cancel = Arc::new(AtomicBool::new(false));
    signals::install(&cancel)?;
    let writer = dir.map(|d| {
        Arc::new(RegionWriter {
            dir: d.to_path_buf(),
            hashes,
            template: RegionMeta {
                region: String::new(),
                input_hash: String::new(),
                complete: false,
                status: Status::Error,
                gap: None,
                set: args.set.clone(),
                time_limit: args.time_limit,
                relative_gap: args.gap,
                work_limit: args.work_limit,
            },
            cancel: Arc::clone(&cancel),
            failed: Mutex::new(None),
        })
    });
    let reporter = Reporter::new(todo.len(), batch.log_format, quiet);
    let run = Running {
        reporter,
        writer,
        finished: Mutex::new((Vec::new(), Vec::new())),
    };
    opts.cancel = Some(Arc::clone(&cancel));
    opts.regions = Some(todo.clone());
    let names = super::commands::region_names(&file);
    let solved = run.solve(file, opts, &todo, &cancel)?;
    finish(solved, reused, output, batch, (quiet, &loaded, &names))
}

/// A solve in progress: what it reports, writes and has finished so far.
struct Running {
    reporter: Reporter,
    writer: Option<Arc<RegionWriter>>,
    /// One-region plans of the regions finished so far, and the ids of those started, for
    /// a run cut short.
    finished: Mutex<(Vec<PlanFile>, Vec<String>)>,
}

impl Running {
    fn event(&self, ev: &RegionEvent<'_>) {
        if let Some(w) = &self.writer {
            w.event(ev);
        }
        self.reporter.event(ev);
        let mut seen = self.finished.lock().unwrap_or_else(|p| p.into_inner());
        match ev {
            RegionEvent::Finished { plan, .. } => seen.0.push((*plan).clone()),
            RegionEvent::Started { region, .. } => seen.1.push(region.to_string()),
        }
    }

    /// Solves on a worker thread and waits. Once `cancel` is set, it waits `STOP_GRACE` at
    /// most, then returns the regions finished so far with the others cut off.
    fn solve(
        self,
        file: crate::format::InputFile,
        mut opts: crate::engine::SolveOptions,
        todo: &[String],
        cancel: &AtomicBool,
    ) -> Result<PlanFile, CliError> {
        let me = Arc::new(self);
        let on = Arc::clone(&me);
        opts.on_event = Some(OnEvent::new(move |ev| on.event(ev)));
        let inst = Arc::new(crate::engine::convert::to_instance(&file));
        let (tx, rx) = std::sync::mpsc::channel();
        let worker_inst = Arc::clone(&inst);
        std::thread::spawn(move || {
            let _ = tx.send(crate::engine::solve(&worker_inst, &opts));
        });
        let mut signalled: Option<Instant> = None;
        let result = loop {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(r) => break Some(r),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(CliError::Internal("the solve thread failed".into()))
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            if cancel.load(Ordering::Relaxed) {
                let since = *signalled.get_or_insert_with(Instant::now);
                if since.elapsed() >= STOP_GRACE {
                    break None;
                }
            }
        };
        me.reporter.finish();
        if let Some(e) = me
            .writer
            .as_ref()
            .and_then(|w| w.failed.lock().ok()?.take())
        {
            return Err(e);
        }
        match result {
            Some(r) => {
                r.map_err(|e| CliError::Internal(format!("cannot start the worker pool: {e}")))
            }
            None => Ok(me.cut_short(&inst, todo)),
        }
    }

    /// The finished regions, and every other region of `todo` as cut off.
    fn cut_short(&self, inst: &crate::domain::Instance, todo: &[String]) -> PlanFile {
        let (mut parts, started) = self
            .finished
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let done: Vec<&str> = parts
            .iter()
            .flat_map(|p| p.regions.iter().map(|r| r.id.as_str()))
            .collect();
        let cut: Vec<PlanFile> = todo
            .iter()
            .filter(|id| !done.contains(&id.as_str()))
            .filter_map(|id| crate::engine::cut_off(inst, id, started.contains(id)))
            .collect();
        parts.extend(cut);
        merge::join(parts)
    }
}

/// Joins the solved and reused regions, writes the plan (stdout unless `--out-dir` alone),
/// prints the table and returns the exit code.
fn finish(
    solved: PlanFile,
    reused: Vec<PlanFile>,
    output: Option<&str>,
    batch: &BatchArgs,
    (quiet, loaded, names): (bool, &super::input::Loaded, &HashMap<String, String>),
) -> Exit {
    let json = batch.log_format == LogFormat::Json;
    let mut parts = reused;
    parts.push(solved);
    let plan = loaded.stamp(merge::join(parts));
    let target = output.or(batch.out_dir.is_none().then_some("-"));
    if let Some(path) = target {
        write(path, &to_json(&plan))?;
    }
    if !(quiet || json) {
        note(&summary::plan_table(&plan, names));
    }
    let code = exit_code(&plan, batch.max_gap, json);
    if json {
        tracing::info!(regions = plan.regions.len(), exit = code, "run_finished");
    } else if code == exit::INTERRUPTED {
        note("interrupted: finished regions were kept; running ones carry their best plan so far (message \"interrupted: …\")\n");
    }
    Ok(code)
}
