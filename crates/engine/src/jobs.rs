//! Work on several provinces at once, region by region: solve (from the current layout or warm from a base plan), or carry a base plan's block over unchanged.

use crate::given::{assemble, Block};
use crate::region::region_problem;
use crate::SolveOptions;
use starplan_format::output::{round6, FinalPlan, PlanFile};
use starplan_model::domain::Instance;
use starplan_model::{Export, Limits, Run};
use std::collections::HashMap;
use std::sync::Mutex;
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
    /// Solve warm from job `.0`'s plan of the same region, as soon as that is solved.
    WarmFrom(usize),
    /// Take job `.0`'s block of the same region, once it is solved.
    CarryFrom(usize),
}

/// One province and the work for each of its regions (in `inst.regions` order).
pub struct Job<'a> {
    pub inst: &'a Instance,
    pub work: Vec<Work>,
}

fn solve_task(
    (i, inst): (usize, &Instance),
    r: usize,
    hint: Option<&HashMap<String, String>>,
    opts: &SolveOptions,
) -> Block {
    if opts.cancelled() {
        return crate::events::not_started(inst, r);
    }
    let limits = Limits {
        time_limit_seconds: opts
            .time_limit_seconds
            .unwrap_or(inst.policy.solver.time_limit_seconds),
        relative_gap: opts.relative_gap.unwrap_or(inst.policy.solver.relative_gap),
        seed: inst.policy.solver.seed,
        work_limit: opts.work_limit.or(inst.policy.solver.work_limit),
    };
    let meter = starplan_model::work::Meter::new();
    // Build and solve inside one task: a highs::Model cannot move between threads.
    let clock = Instant::now();
    let (problem, ids) = region_problem(inst, r);
    crate::events::started(opts, i, &inst.regions[r].id, &problem);
    let export = opts.export_mps.as_ref().map(|dir| Export {
        dir: dir.clone(),
        // The id is input data: the one safe, injective mapping names the file.
        name: starplan_format::files::file_stem(&inst.regions[r].id),
    });
    let run = Run {
        limits,
        clock,
        cancel: opts.cancel.as_deref(),
        export: export.as_ref(),
        work: Some(&meter),
    };
    let warm = hint.and_then(|h| crate::warm::warm_start(&problem, h));
    let (outcome, diagnoses, found) =
        crate::solve_one_region(&problem, &inst.regions[r].id, &run, warm);
    let seconds = (!opts.no_timings).then(|| clock.elapsed().as_secs_f64());
    let mut result =
        crate::report::region_result(inst, r, &problem, &ids, &outcome, diagnoses, seconds);
    if meter.safety_fired() {
        crate::events::mark_safety_stop(&mut result, &limits);
    }
    // No seconds under --no-timings, as for the other progress figures.
    result.plan.progress.final_plan = found.map(|f| FinalPlan {
        seconds: f.seconds.filter(|_| seconds.is_some()).map(round6),
        ..f
    });
    let interrupted = run.cancelled() && crate::events::mark_interrupted(&mut result);
    crate::events::finished(opts, i, &result, interrupted);
    result
}

/// A region to solve: (job, region index).
type Task = (usize, usize);

/// The region of job `j` with the same id as region `r` of job `i`.
fn same_region(jobs: &[Job], i: usize, r: usize, j: usize) -> Option<usize> {
    let id = &jobs[i].inst.regions[r].id;
    jobs[j].inst.regions.iter().position(|x| &x.id == id)
}

/// What the pool's tasks share: the jobs, their region sizes (groups, counted once), the
/// solved blocks and the tasks waiting for the base region they start from.
struct Pool<'a> {
    jobs: &'a [Job<'a>],
    opts: &'a SolveOptions,
    sizes: Vec<Vec<usize>>,
    state: Mutex<State>,
}

struct State {
    done: HashMap<Task, Block>,
    waiting: HashMap<Task, Vec<Task>>,
}

impl Pool<'_> {
    /// `tasks` by region size, largest first, ties by task: the pool starts them in this
    /// order, so a large region does not start last and set the makespan.
    fn largest_first(&self, mut tasks: Vec<Task>) -> Vec<Task> {
        tasks.sort_by_key(|&(i, r)| (std::cmp::Reverse(self.sizes[i][r]), (i, r)));
        tasks
    }

    /// Runs one task, then spawns the tasks that were waiting for it. Its warm start comes
    /// from its own hint, or from the solved base region.
    fn run<'s>(&'s self, t: Task, scope: &rayon::ScopeFifo<'s>) {
        let (i, r) = t;
        let jobs = self.jobs;
        let from_base = match &jobs[i].work[r] {
            Work::WarmFrom(j) => same_region(jobs, i, r, *j).and_then(|b| {
                let s = self.state.lock().expect("pool lock");
                s.done.get(&(*j, b)).map(|blk| {
                    blk.assignments
                        .iter()
                        .map(|a| (a.group.clone(), a.manager.clone()))
                        .collect::<HashMap<_, _>>()
                })
            }),
            _ => None,
        };
        let hint = match &jobs[i].work[r] {
            Work::Warm(h) => Some(h),
            _ => from_base.as_ref(),
        };
        let block = solve_task((i, jobs[i].inst), r, hint, self.opts);
        let next = {
            let mut s = self.state.lock().expect("pool lock");
            s.done.insert(t, block);
            s.waiting.remove(&t).unwrap_or_default()
        };
        for n in self.largest_first(next) {
            scope.spawn_fifo(move |sc| self.run(n, sc));
        }
    }
}

/// Groups per region of `inst`, in one pass over its groups.
fn sizes(inst: &Instance) -> Vec<usize> {
    let mut n = vec![0; inst.regions.len()];
    for g in &inst.groups {
        n[g.region] += 1;
    }
    n
}

/// Runs every job on a rayon pool of `opts.threads` workers (0 = one per core). Each region
/// to solve is one task, started largest first; a region that starts from another job's
/// plan of it (`WarmFrom`) is spawned as soon as that region is solved, so scenarios overlap
/// the base; carried blocks cost nothing.
pub fn solve_jobs(jobs: &[Job], opts: &SolveOptions) -> Result<Vec<PlanFile>, std::io::Error> {
    let mut ready = Vec::new();
    let mut waiting: HashMap<Task, Vec<Task>> = HashMap::new();
    for (i, j) in jobs.iter().enumerate() {
        // Regions the options leave out (`--region`, shards) are neither solved nor carried.
        for (r, w) in j
            .work
            .iter()
            .enumerate()
            .filter(|(r, _)| opts.selects(&j.inst.regions[*r].id))
        {
            match w {
                Work::Solve | Work::Warm(_) => ready.push((i, r)),
                Work::WarmFrom(b) => match same_region(jobs, i, r, *b) {
                    Some(br) => waiting.entry((*b, br)).or_default().push((i, r)),
                    None => ready.push((i, r)),
                },
                Work::Carry(_) | Work::CarryFrom(_) => {}
            }
        }
    }
    let threads = match opts.threads {
        0 => std::thread::available_parallelism()?.get(),
        n => n,
    };
    let workers = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|k| format!("region-{k}"))
        .build()
        .map_err(std::io::Error::other)?;
    let pool = Pool {
        jobs,
        opts,
        sizes: jobs.iter().map(|j| sizes(j.inst)).collect(),
        state: Mutex::new(State {
            done: HashMap::new(),
            waiting,
        }),
    };
    let ready = pool.largest_first(ready);
    workers.scope_fifo(|sc| {
        for t in ready {
            let pool = &pool;
            sc.spawn_fifo(move |sc| pool.run(t, sc));
        }
    });
    let done = pool.state.into_inner().expect("pool lock").done;
    Ok(assemble_all(jobs, done, opts))
}

/// Each job's plan from its solved, carried and carried-from blocks.
fn assemble_all(
    jobs: &[Job],
    mut done: HashMap<Task, Block>,
    opts: &SolveOptions,
) -> Vec<PlanFile> {
    let mut plans: Vec<Vec<Block>> = vec![Vec::new(); jobs.len()];
    for (i, j) in jobs.iter().enumerate() {
        for (r, w) in j
            .work
            .iter()
            .enumerate()
            .filter(|(r, _)| opts.selects(&j.inst.regions[*r].id))
        {
            match w {
                Work::Carry(b) => plans[i].push((**b).clone()),
                Work::CarryFrom(b) => {
                    if let Some(blk) =
                        same_region(jobs, i, r, *b).and_then(|br| done.get(&(*b, br)))
                    {
                        plans[i].push(blk.clone());
                    }
                }
                _ => {}
            }
        }
    }
    for ((i, _), b) in done.drain() {
        plans[i].push(b);
    }
    plans.into_iter().map(assemble).collect()
}
