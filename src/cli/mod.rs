//! The command line: argument parsing, exit codes and output routing. Thin: all work is in the engine and checker.

mod io;
mod summary;

use crate::errors::InputError;
use crate::format::{convert, output::PlanFile, InputFile};
use clap::{Parser, Subcommand, ValueEnum};
use io::{read_text, write_atomic};

/// Exit codes (README, "Exit codes").
pub mod exit {
    pub const OK: i32 = 0;
    /// `check`: the plan breaks a rule or misstates a figure.
    pub const VIOLATIONS: i32 = 1;
    /// Bad command line (clap's own code).
    pub const USAGE: i32 = 2;
    /// `solve`: at least one region has no plan (infeasible, timeout or error); the plan is still written.
    pub const NO_SOLUTION: i32 = 3;
    /// The input (or plan) is invalid: coded errors on stderr, nothing written.
    pub const INVALID_INPUT: i32 = 65;
    /// An input file cannot be read.
    pub const NO_INPUT: i32 = 66;
    /// Internal failure (e.g. the worker pool cannot start).
    pub const SOFTWARE: i32 = 70;
    /// The output cannot be written.
    pub const CANT_WRITE: i32 = 73;
}

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
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StaffFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaKind {
    Input,
    Output,
    Staffing,
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
    },
    /// Estimate the managers needed per region and star (groups rule and members rule).
    Staff {
        input: String,
        #[arg(long, value_enum, default_value = "table")]
        format: StaffFormat,
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
        #[arg(short, long, default_value = "-")]
        output: String,
    },
}

/// Runs the command line and returns the process exit code. Never panics on bad input.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
        }
    };
    let fmt = cli.error_format;
    match cli.command {
        Command::Solve {
            input,
            output,
            time_limit,
            gap,
            threads,
            no_timings,
            quiet,
        } => {
            if let Some(g) = gap.filter(|g| !(0.0..=1.0).contains(g)) {
                eprintln!("error: --gap {g} is outside [0, 1]");
                return exit::USAGE;
            }
            if let Some(t) = time_limit.filter(|t| t.is_nan() || *t <= 0.0) {
                eprintln!("error: --time-limit {t} must be above 0");
                return exit::USAGE;
            }
            let file = match load(&input, fmt) {
                Ok(f) => f,
                Err(code) => return code,
            };
            let inst = convert::to_instance(&file);
            let opts = crate::engine::SolveOptions {
                threads,
                time_limit_seconds: time_limit,
                relative_gap: gap,
                no_timings,
            };
            let plan = match crate::engine::solve(&inst, &opts) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("error: cannot start the worker pool: {e}");
                    return exit::SOFTWARE;
                }
            };
            if let Err(e) = write_atomic(&output, &to_json(&plan)) {
                eprintln!("error: {e}");
                return exit::CANT_WRITE;
            }
            if !quiet {
                eprint!("{}", summary::plan_table(&plan));
            }
            if plan.regions.iter().all(|r| r.status.has_plan()) {
                exit::OK
            } else {
                exit::NO_SOLUTION
            }
        }
        Command::Check { input, plan, json } => {
            let file = match load(&input, fmt) {
                Ok(f) => f,
                Err(code) => return code,
            };
            let text = match read_text(&plan) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {e}");
                    return exit::NO_INPUT;
                }
            };
            let mut de = serde_json::Deserializer::from_str(&text);
            let plan: PlanFile = match serde_path_to_error::deserialize(&mut de) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!(
                        "error: the plan is not a starplan plan: at {}: {}",
                        e.path(),
                        e.inner()
                    );
                    return exit::INVALID_INPUT;
                }
            };
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
                exit::OK
            } else {
                eprintln!("plan is NOT valid: {} violations", violations.len());
                exit::VIOLATIONS
            }
        }
        Command::Staff { input, format } => {
            let file = match load(&input, fmt) {
                Ok(f) => f,
                Err(code) => return code,
            };
            let est = crate::engine::staffing::staffing(&convert::to_instance(&file));
            match format {
                StaffFormat::Json => println!("{}", to_json(&est).trim_end()),
                StaffFormat::Table => print!("{}", summary::staffing_table(&est)),
            }
            exit::OK
        }
        Command::Schema { kind } => {
            let schema = match kind {
                SchemaKind::Input => schemars::schema_for!(InputFile),
                SchemaKind::Output => schemars::schema_for!(PlanFile),
                SchemaKind::Staffing => {
                    schemars::schema_for!(crate::format::staffing::StaffingFile)
                }
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&schema).expect("schema serialises")
            );
            exit::OK
        }
        Command::Generate {
            seed,
            regions,
            groups,
            output,
        } => {
            if regions == 0 || groups < regions {
                eprintln!("error: need at least one region and one group per region");
                return exit::USAGE;
            }
            let file = crate::generate::province(seed, regions, groups);
            match write_atomic(&output, &to_json(&file)) {
                Ok(()) => exit::OK,
                Err(e) => {
                    eprintln!("error: {e}");
                    exit::CANT_WRITE
                }
            }
        }
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("output types serialise");
    s.push('\n');
    s
}

/// Reads and validates an input file, printing every coded error on failure.
fn load(path: &str, fmt: Format) -> Result<InputFile, i32> {
    let text = read_text(path).map_err(|e| {
        eprintln!("error: {e}");
        exit::NO_INPUT
    })?;
    crate::validate::load_input(&text).map_err(|errors| {
        print_errors(path, &errors, fmt);
        exit::INVALID_INPUT
    })
}

fn print_errors(path: &str, errors: &[InputError], fmt: Format) {
    match fmt {
        Format::Json => eprintln!(
            "{}",
            serde_json::to_string_pretty(errors).expect("errors serialise")
        ),
        Format::Text => {
            for e in errors {
                eprintln!("{e}");
            }
            eprintln!(
                "{path}: {} input error(s); nothing was written",
                errors.len()
            );
        }
    }
}
