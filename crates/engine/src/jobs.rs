//! Work on several provinces at once, region by region: solve (from the current layout or warm from a base plan), or carry a base plan's block over unchanged.

use crate::given::{assemble, Block};
use crate::region::region_problem;
use crate::SolveOptions;
use rayon::prelude::*;
use starplan_format::output::PlanFile;
use starplan_model::domain::Instance;
use starplan_model::{Export, Limits, Run};
use std::collections::HashMap;
use std::time::Instant;

/// What to do with one region.
#[derive(Debug, Clone)]
pub enum Work {
    /// Solve, starting from the current layout (repaired, improved by local search).
    Solve,
    /// Solve, starting from a base plan's layout (group id → manager id), repaired.
    Warm(HashMap<String, String>),
    /// Take this block as it is: the region's input did not change.
    Carry(Box<Block>),
}

/// One province and the work for each of its regions (in `inst.regions` order).
pub struct Job<'a> {
    pub inst: &'a Instance,
    pub work: Vec<Work>,
}

fn solve_task(
    inst: &Instance,
    r: usize,
    hint: Option<&HashMap<String, String>>,
    opts: &SolveOptions,
) -> Block {
    let limits = Limits {
        time_limit_seconds: opts
            .time_limit_seconds
            .unwrap_or(inst.policy.solver.time_limit_seconds),
        relative_gap: opts.relative_gap.unwrap_or(inst.policy.solver.relative_gap),
        seed: inst.policy.solver.seed,
    };
    // Build and solve inside one task: a highs::Model cannot move between threads.
    let clock = Instant::now();
    let (problem, ids) = region_problem(inst, r);
    let export = opts.export_mps.as_ref().map(|dir| Export {
        dir: dir.clone(),
        name: inst.regions[r].id.clone(),
    });
    let run = Run {
        limits,
        clock,
        cancel: opts.cancel.as_deref(),
        export: export.as_ref(),
    };
    let warm = hint.and_then(|h| crate::warm::warm_start(&problem, h));
    let (outcome, diagnoses) = crate::solve_one_region(&problem, &inst.regions[r].id, &run, warm);
    let seconds = (!opts.no_timings).then(|| clock.elapsed().as_secs_f64());
    crate::report::region_result(inst, r, &problem, &ids, &outcome, diagnoses, seconds)
}

/// Runs every job with one worker pool: each region to solve is one task, largest first,
/// so the workers stay busy without oversubscribing; carried blocks cost nothing.
pub fn solve_jobs(
    jobs: &[Job],
    opts: &SolveOptions,
) -> Result<Vec<PlanFile>, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()?;
    let mut tasks: Vec<(usize, usize)> = jobs
        .iter()
        .enumerate()
        .flat_map(|(i, j)| {
            (0..j.inst.regions.len())
                .filter(move |&r| !matches!(j.work[r], Work::Carry(_)))
                .map(move |r| (i, r))
        })
        .collect();
    // Largest regions first, one task at a time: the last region to finish is then a small one.
    let size =
        |&(i, r): &(usize, usize)| jobs[i].inst.groups.iter().filter(|g| g.region == r).count();
    tasks.sort_by_key(|t| (std::cmp::Reverse(size(t)), *t));
    let solved: Vec<((usize, usize), Block)> = pool.install(|| {
        tasks
            .into_par_iter()
            .with_max_len(1)
            .map(|(i, r)| {
                let hint = match &jobs[i].work[r] {
                    Work::Warm(h) => Some(h),
                    _ => None,
                };
                ((i, r), solve_task(jobs[i].inst, r, hint, opts))
            })
            .collect()
    });
    let mut blocks: Vec<Vec<Block>> = jobs
        .iter()
        .map(|j| {
            j.work
                .iter()
                .filter_map(|w| match w {
                    Work::Carry(b) => Some((**b).clone()),
                    _ => None,
                })
                .collect()
        })
        .collect();
    for ((i, _), b) in solved {
        blocks[i].push(b);
    }
    Ok(blocks.into_iter().map(assemble).collect())
}
