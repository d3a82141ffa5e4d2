//! The command line's grammar: every subcommand, its arguments and their defaults (clap).

use super::{batch, desk, serve, summary, Format};
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "starplan",
    version,
    about = "Plans which account manager serves which group customer, region by region, with an exact MIP solver"
)]
pub(super) struct Cli {
    /// How to print input errors on stderr.
    #[arg(long, value_enum, global = true, default_value = "text")]
    pub(super) error_format: Format,
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum TableOrJson {
    Table,
    Json,
}

/// The language of headers and words in exports and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum LangArg {
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
pub(super) enum SchemaKind {
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
pub(super) struct SolveArgs {
    /// Seconds per region (overrides policy.solver.time_limit_seconds).
    #[arg(long)]
    pub(super) time_limit: Option<f64>,
    /// Relative MIP gap per region (overrides policy.solver.relative_gap).
    #[arg(long)]
    pub(super) gap: Option<f64>,
    /// Work mode: each region stops on W units of counted work (about a second of one core
    /// each), so a rerun repeats its plan byte for byte on an idle or a loaded machine; the
    /// time limit is then only a safety stop (4 × W unless --time-limit is given). 0 = stop
    /// on the clock (the default, except for --out-dir and --shard runs).
    #[arg(long, value_name = "W")]
    pub(super) work_limit: Option<f64>,
    /// Regions solved at once (0 = one per core). HiGHS itself always uses one thread per region.
    #[arg(long, default_value_t = 0)]
    pub(super) threads: usize,
    /// Write 0 for every region's seconds, so equal inputs give byte-equal plans.
    #[arg(long)]
    pub(super) no_timings: bool,
    /// Override a policy value for this run, e.g. --set member_span.target.3=1100 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub(super) set: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub(super) enum Command {
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
