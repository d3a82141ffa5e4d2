//! The command line: argument parsing, exit codes and dispatch. Thin: all work is in the engine and checker.

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
mod region_hash;
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

use clap::{Args, Parser, Subcommand, ValueEnum};
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

#[derive(Parser, Debug)]
#[command(
    name = "starplan",
    version,
    about = "Plans which account manager serves which group customer, region by region, with an exact MIP solver"
)]
struct Cli {
    /// How to print input errors on stderr.
    #[arg(long, value_enum, global = true, default_value = "text")]
    error_format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TableOrJson {
    Table,
    Json,
}

/// The language of headers and words in exports and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LangArg {
    En,
    Zh,
}

impl From<LangArg> for crate::desk::words::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::En => crate::desk::words::Lang::En,
            LangArg::Zh => crate::desk::words::Lang::Zh,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaKind {
    Input,
    Output,
    Staffing,
    Scenario,
    Whatif,
    Diff,
    Assessments,
    Certification,
    Criteria,
    Choice,
}

/// Solver settings shared by every command that solves.
#[derive(Args, Debug, Clone)]
struct SolveArgs {
    /// Seconds per region (overrides policy.solver.time_limit_seconds).
    #[arg(long)]
    time_limit: Option<f64>,
    /// Relative MIP gap per region (overrides policy.solver.relative_gap).
    #[arg(long)]
    gap: Option<f64>,
    /// Regions solved at once (0 = one per core). HiGHS itself always uses one thread per region.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Write 0 for every region's seconds, so equal inputs give byte-equal plans.
    #[arg(long)]
    no_timings: bool,
    /// Override a policy value for this run, e.g. --set member_span.target.3=1100 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Solve every region and write the plan (JSON); a summary table goes to stderr.
    #[command(after_help = summary::PLAN_LEGEND)]
    Solve {
        /// Input file, or - for stdin.
        input: String,
        /// Plan file, or - for stdout (the default, except with --out-dir alone).
        #[arg(short, long)]
        output: Option<String>,
        #[command(flatten)]
        solve: SolveArgs,
        #[command(flatten)]
        batch: batch::BatchArgs,
        /// Write each region's exact model (<region>.mps, stage and relaxed models too) and its start (<region>.start) to DIR.
        #[arg(long, value_name = "DIR")]
        export_mps: Option<String>,
        /// No summary table on stderr.
        #[arg(short, long)]
        quiet: bool,
        /// A published plan: its layout is the current layout (moves count from it), and
        /// regions whose input did not change since it keep its plan.
        #[arg(long, value_name = "PLAN", conflicts_with = "export_mps")]
        baseline: Option<String>,
        /// With --baseline: solve every region again, changed or not.
        #[arg(long, requires = "baseline")]
        force: bool,
    },
    /// Join the region plans of `solve --out-dir` (any number of shards) into one plan, re-checked.
    Merge {
        /// The --out-dir folder(s) of the shards (one shared folder).
        dir: String,
        /// The input the regions were solved from (for the checker and the stale-file check).
        #[arg(long)]
        input: String,
        #[arg(short, long, default_value = "-")]
        output: String,
        /// Exit 5 when a region's gap is above G or unknown.
        #[arg(long, value_name = "G")]
        max_gap: Option<f64>,
        #[arg(short, long)]
        quiet: bool,
    },
    /// Run the HTTP JSON service (jobs in --data-dir; see README, "Service").
    Serve(serve::ServeArgs),
    /// Verify a plan against its input independently of the solver; exit 0 when valid.
    Check {
        input: String,
        plan: String,
        /// Print violations as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// The same policy overrides the plan was solved with (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Estimate the managers needed per region and star (groups rule and members rule).
    #[command(after_help = summary::STAFF_LEGEND)]
    Staff {
        input: String,
        #[arg(long, value_enum, default_value = "table")]
        format: TableOrJson,
        /// Also re-solve each region: the fewest managers to add per star so that every hard
        /// rule holds, and what one more manager of each star gains (slow: several solves per
        /// region; --time-limit applies to each).
        #[arg(long)]
        exact: bool,
        #[command(flatten)]
        solve: SolveArgs,
    },
    /// Solve a base input and what-if scenarios side by side; writes every input and plan.
    #[command(after_help = summary::WHATIF_LEGEND)]
    Whatif {
        input: String,
        /// Scenario files (see `starplan schema scenario`).
        #[arg(required = true)]
        scenarios: Vec<String>,
        /// Folder for base.plan.json, <scenario>.input.json, <scenario>.plan.json and whatif.json.
        #[arg(short = 'd', long, default_value = "whatif-out")]
        out_dir: String,
        #[command(flatten)]
        solve: SolveArgs,
        /// A published plan as the base: not solved again; scenarios start from it and count moves from it.
        #[arg(long, value_name = "PLAN")]
        baseline: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: TableOrJson,
    },
    /// The groups whose manager differs between two plans, or between an input's current layout and a plan.
    Diff {
        /// A plan, or an input (its current layout).
        a: String,
        /// A plan, or an input (its current layout).
        b: String,
        #[arg(long, value_enum, default_value = "table")]
        format: TableOrJson,
    },
    /// Half-yearly certification: proposed stars from assessments, then a targeted re-solve.
    Certify {
        input: String,
        /// Assessments and grade rules (see `starplan schema assessments`).
        assessments: String,
        /// Where to write the re-solved plan (`-` = stdout).
        #[arg(short, long)]
        output: Option<String>,
        /// Where to write the input with the new stars (for `check`).
        #[arg(long)]
        new_input: Option<String>,
        #[command(flatten)]
        solve: SolveArgs,
        #[arg(long, value_enum, default_value = "table")]
        format: TableOrJson,
    },
    /// Score the management models (supporting / parallel / vertical) and test the choice's sensitivity.
    ChooseModel {
        criteria: String,
        #[arg(long, value_enum, default_value = "table")]
        format: TableOrJson,
    },
    /// Make an input (JSON) from a workbook or CSV files, with English or Chinese headers.
    Import(desk::ImportArgs),
    /// Write an input (as the workbook `import` reads), or a plan with its input, as .xlsx or as CSV files for Excel.
    Export {
        input: String,
        /// The plan; without it the input itself is written (sheets groups, managers, regions, policy).
        plan: Option<String>,
        /// plan.xlsx, or plan.csv for one CSV file per sheet (plan.summary.csv, plan.moves.csv, …).
        #[arg(short, long)]
        output: String,
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Write a plan's report: one self-contained HTML file (no network) to open in any browser.
    Report {
        input: String,
        plan: String,
        #[arg(short, long, default_value = "report.html")]
        output: String,
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Recompute every figure of a plan edited by hand, check it, and compare it with the optimiser's plan.
    Rescore {
        input: String,
        /// The optimiser's plan, or that plan with assignments edited in its JSON.
        plan: String,
        /// Edited assignments: an exported workbook (sheets assignments or moves, 分配 or 调整清单) or CSV with a group and a (new) manager column.
        #[arg(long)]
        edits: Option<String>,
        /// Where to write the rescored plan (only when it keeps every hard rule).
        #[arg(short, long)]
        output: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: TableOrJson,
    },
    /// Print the JSON Schema of a format.
    Schema { kind: SchemaKind },
    /// Write a synthetic province (realistic flaws included) for demos and benchmarks.
    Generate {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 8)]
        regions: usize,
        /// Groups in the whole province.
        #[arg(long, default_value_t = 3000)]
        groups: usize,
        /// Managers in the whole province (default: as many as the workload needs at ~85 %).
        #[arg(long)]
        managers: Option<usize>,
        #[arg(short, long, default_value = "-")]
        output: String,
    },
}

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
