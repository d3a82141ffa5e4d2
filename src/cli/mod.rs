//! The command line: argument parsing, exit codes and dispatch. Thin: all work is in the engine and checker.

mod arenas;
mod args;
mod batch;
mod commands;
mod desk;
mod error;
mod input;
mod io;
mod logs;
mod merge;
mod outdir;
mod progress;
mod rescore;
mod serve;
mod shard;
mod signals;
mod summary;
mod table;
mod target;
mod whatif;
mod workflow_tables;
mod workflows;

use args::{Cli, Command, SchemaKind, SolveArgs, TableOrJson};
use clap::Parser;
pub use error::{CliError, Format};

/// Exit codes (README, "Exit codes").
pub mod exit {
    pub const OK: i32 = 0;
    /// `check`: the plan breaks a rule or misstates a figure.
    pub const VIOLATIONS: i32 = 1;
    /// Bad command line (clap's own code).
    pub const USAGE: i32 = 2;
    /// `solve`, `whatif`, `certify`: at least one region has no plan; plans are still written.
    pub const NO_SOLUTION: i32 = 3;
    /// Every region has a plan, but some region had to relax a hard rule (status `relaxed`).
    pub const RELAXED: i32 = 4;
    /// `solve`, `merge` with `--max-gap`: a region's gap is above it, or unknown.
    pub const GAP_ABOVE_MAX: i32 = 5;
    /// The input (or plan, scenario, assessments, criteria) is invalid: coded errors on stderr, nothing written.
    pub const INVALID_INPUT: i32 = 65;
    /// An input file cannot be read.
    pub const NO_INPUT: i32 = 66;
    /// Internal failure (e.g. the worker pool cannot start).
    pub const SOFTWARE: i32 = 70;
    /// The output cannot be written.
    pub const CANT_WRITE: i32 = 73;
    /// `solve` stopped by SIGINT or SIGTERM (`merge`: a region file is from such a run):
    /// finished regions are written; run it again to finish.
    pub const INTERRUPTED: i32 = 75;
}

/// A command's result: its exit code, or why it stopped early.
type Exit = Result<i32, CliError>;

/// Runs the command line and returns the process exit code. Never panics on bad input.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version into a closed pipe are not worth a panic either.
            let _ = e.print();
            return if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
        }
    };
    let fmt = cli.error_format;
    io::json_errors(matches!(fmt, Format::Json));
    dispatch(cli.command).unwrap_or_else(|e| error::report(&e, fmt))
}

/// Runs one command.
fn dispatch(command: Command) -> Exit {
    match command {
        c @ (Command::Solve { .. } | Command::Merge { .. } | Command::Serve(_)) => {
            dispatch_batch(c)
        }
        Command::Check {
            input,
            plan,
            json,
            set,
        } => commands::check(&input, &plan, json, &set),
        Command::Staff {
            input,
            format,
            exact,
            solve,
        } => commands::staff(&input, format, exact, &solve),
        Command::Whatif {
            input,
            scenarios,
            out_dir,
            solve,
            baseline,
            format,
        } => whatif::whatif(
            &input,
            &scenarios,
            &out_dir,
            &solve,
            baseline.as_deref(),
            format,
        ),
        Command::Diff { a, b, format } => workflows::diff(&a, &b, format),
        Command::Certify {
            input,
            assessments,
            output,
            new_input,
            solve,
            format,
        } => workflows::certify(
            &input,
            &assessments,
            output.as_deref(),
            new_input.as_deref(),
            &solve,
            format,
        ),
        Command::ChooseModel { criteria, format } => workflows::choose_model(&criteria, format),
        other => dispatch_desk(other),
    }
}

/// The planner's desk commands and the rest.
fn dispatch_desk(command: Command) -> Exit {
    match command {
        Command::Import(a) => desk::import_cmd(&a),
        Command::Export {
            input,
            plan,
            output,
            lang,
        } => desk::export(&input, plan.as_deref(), &output, lang.into()),
        Command::Report {
            input,
            plan,
            output,
            lang,
        } => desk::report(&input, &plan, &output, lang.into()),
        Command::Rescore {
            input,
            plan,
            edits,
            output,
            format,
        } => rescore::rescore_cmd(&input, &plan, edits.as_deref(), output.as_deref(), format),
        Command::Schema { kind } => commands::schema(kind),
        Command::Generate {
            seed,
            regions,
            groups,
            managers,
            output,
        } => commands::generate(seed, regions, groups, managers, &output),
        _ => Err(CliError::Internal(
            "a command reached the wrong dispatcher".into(),
        )),
    }
}

/// `solve` (with or without a published baseline), `merge` and `serve`.
fn dispatch_batch(command: Command) -> Exit {
    match command {
        Command::Solve {
            input,
            output,
            solve,
            batch,
            quiet,
            baseline: Some(b),
            force,
            ..
        } => {
            if !batch.regions.is_empty() || batch.shard.is_some() || batch.out_dir.is_some() {
                return Err(CliError::Usage(
                    "--baseline re-solves the changed regions of one input: use it without --region, --shard and --out-dir".into(),
                ));
            }
            whatif::solve_baseline(
                &input,
                output.as_deref().unwrap_or("-"),
                &solve,
                &b,
                force,
                quiet,
            )
        }
        Command::Solve {
            input,
            output,
            solve,
            batch,
            export_mps,
            quiet,
            baseline: None,
            ..
        } => batch::solve(
            &input,
            output.as_deref(),
            &solve,
            export_mps.as_deref(),
            quiet,
            &batch,
        ),
        Command::Merge {
            dir,
            input,
            output,
            max_gap,
            quiet,
        } => merge::merge(&dir, &input, &output, max_gap, quiet),
        Command::Serve(args) => serve::serve(&args),
        _ => Err(CliError::Internal(
            "a command reached the wrong dispatcher".into(),
        )),
    }
}
