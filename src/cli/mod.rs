//! The command line: argument parsing, exit codes and dispatch. Thin: all work is in the engine and checker.

mod commands;
mod error;
mod io;
mod summary;
mod target;
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
    /// The input (or plan, scenario, assessments, criteria) is invalid: coded errors on stderr, nothing written.
    pub const INVALID_INPUT: i32 = 65;
    /// An input file cannot be read.
    pub const NO_INPUT: i32 = 66;
    /// Internal failure (e.g. the worker pool cannot start).
    pub const SOFTWARE: i32 = 70;
    /// The output cannot be written.
    pub const CANT_WRITE: i32 = 73;
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
    Solve {
        /// Input file, or - for stdin.
        input: String,
        /// Plan file, or - for stdout.
        #[arg(short, long, default_value = "-")]
        output: String,
        #[command(flatten)]
        solve: SolveArgs,
        /// Write each region's exact model (<region>.mps, stage and relaxed models too) and its start (<region>.start) to DIR.
        #[arg(long, value_name = "DIR")]
        export_mps: Option<String>,
        /// No summary table on stderr.
        #[arg(short, long)]
        quiet: bool,
    },
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
    Staff {
        input: String,
        #[arg(long, value_enum, default_value = "table")]
        format: TableOrJson,
    },
    /// Solve a base input and what-if scenarios side by side; writes every input and plan.
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
    let result = match cli.command {
        Command::Solve {
            input,
            output,
            solve,
            export_mps,
            quiet,
        } => commands::solve(&input, &output, &solve, export_mps.as_deref(), quiet),
        Command::Check {
            input,
            plan,
            json,
            set,
        } => commands::check(&input, &plan, json, &set),
        Command::Staff { input, format } => commands::staff(&input, format),
        Command::Whatif {
            input,
            scenarios,
            out_dir,
            solve,
            format,
        } => workflows::whatif(&input, &scenarios, &out_dir, &solve, format),
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
        Command::Schema { kind } => commands::schema(kind),
        Command::Generate {
            seed,
            regions,
            groups,
            managers,
            output,
        } => commands::generate(seed, regions, groups, managers, &output),
    };
    result.unwrap_or_else(|e| error::report(&e, fmt))
}
