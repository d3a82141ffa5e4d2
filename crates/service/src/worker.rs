//! The solve pool: a fixed number of workers take queued jobs from the store and solve each on tokio's blocking pool (never on the async threads), with a cancel flag for DELETE, the job time limit and shutdown, and per-region progress.

use crate::jobs::{JobOptions, JobState, RegionProgress};
use crate::store::{now_ms, Claimed};
use crate::App;
use starplan_engine::{OnEvent, RegionEvent, SolveOptions};
use starplan_format::output::PlanFile;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Why a running job was asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Why {
    None = 0,
    /// DELETE /v1/plans/{id}.
    User = 1,
    /// The server's per-job time limit.
    TimeLimit = 2,
    /// The server is stopping; the job goes back to the queue.
    Shutdown = 3,
}

/// A job being solved: its cancel flag, why it was raised, and its regions' progress.
pub struct Running {
    pub cancel: Arc<AtomicBool>,
    why: AtomicU8,
    pub regions: Mutex<Vec<RegionProgress>>,
}

impl Running {
    fn new() -> Running {
        Running {
            cancel: Arc::new(AtomicBool::new(false)),
            why: AtomicU8::new(Why::None as u8),
            regions: Mutex::new(Vec::new()),
        }
    }

    /// Asks the solve to stop; the first reason given is kept.
    pub fn stop(&self, why: Why) {
        let _ = self.why.compare_exchange(
            Why::None as u8,
            why as u8,
            Ordering::SeqCst,
            Ordering::SeqCst,
        );
        self.cancel.store(true, Ordering::SeqCst);
    }

    pub fn why(&self) -> Why {
        match self.why.load(Ordering::SeqCst) {
            1 => Why::User,
            2 => Why::TimeLimit,
            3 => Why::Shutdown,
            _ => Why::None,
        }
    }

    pub fn progress(&self) -> Vec<RegionProgress> {
        self.regions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn event(&self, ev: &RegionEvent<'_>) {
        let mut regions = self.regions.lock().unwrap_or_else(|p| p.into_inner());
        match ev {
            RegionEvent::Started { region, .. } => {
                if let Some(r) = regions.iter_mut().find(|r| r.id == *region) {
                    r.state = "running".into();
                }
            }
            RegionEvent::Finished {
                plan, interrupted, ..
            } => {
                for rp in &plan.regions {
                    if let Some(r) = regions.iter_mut().find(|r| r.id == rp.id) {
                        r.state = "done".into();
                        r.status = Some(rp.status);
                        r.gap = rp.gap;
                        r.seconds = Some(rp.seconds);
                        r.interrupted = *interrupted;
                    }
                }
            }
        }
    }
}

/// One worker: takes the oldest queued job, solves it, repeats; idles on `wake`.
pub async fn worker(app: Arc<App>) {
    let mut stop = app.stop.subscribe();
    loop {
        if app.is_stopping() {
            return;
        }
        match app.store.run(|s| s.claim()).await {
            Ok(Some(job)) => run_job(&app, job).await,
            Ok(None) => {
                tokio::select! {
                    _ = app.wake.notified() => {}
                    _ = stop.changed() => {}
                    _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot take a job");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn run_job(app: &Arc<App>, job: Claimed) {
    let id = job.id.clone();
    let running = Arc::new(Running::new());
    app.running
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(id.clone(), Arc::clone(&running));
    app.metrics
        .queue_seconds
        .observe((now_ms() - job.submitted_at).max(0) as f64 / 1000.0);
    tracing::info!(job = %id, attempt = job.attempts, "job started");
    let limit = app.config.job_time_limit;
    let timer = {
        let running = Arc::clone(&running);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs_f64(limit)).await;
            running.stop(Why::TimeLimit);
        })
    };
    let clock = Instant::now();
    let (config, solving) = (app.config.clone(), Arc::clone(&running));
    let result = tokio::task::spawn_blocking(move || solve_job(&config, &job, &solving))
        .await
        .unwrap_or_else(|e| Err(format!("the solve failed: {e}")));
    timer.abort();
    app.running
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id);
    app.metrics
        .job_seconds
        .observe(clock.elapsed().as_secs_f64());
    record(app, &id, result, &running).await;
}

/// Stores how a job ended, unless a shutdown already put it back in the queue.
async fn record(app: &Arc<App>, id: &str, result: Result<PlanFile, String>, running: &Running) {
    let why = running.why();
    if why == Why::Shutdown {
        return;
    }
    let (state, plan, message) = match result {
        Ok(plan) => {
            app.metrics.plan(&plan);
            let message = match why {
                Why::User => Some("cancelled while running: interrupted regions carry their best plan so far".to_string()),
                Why::TimeLimit => Some(format!(
                    "stopped at the server's job time limit ({} s): interrupted regions carry their best plan so far",
                    app.config.job_time_limit
                )),
                _ => None,
            };
            let state = if why == Why::User {
                JobState::Cancelled
            } else {
                JobState::Done
            };
            (state, serde_json::to_string(&plan).ok(), message)
        }
        Err(e) => (JobState::Failed, None, Some(e)),
    };
    let regions = serde_json::to_string(&running.progress()).unwrap_or_else(|_| "[]".into());
    let key = id.to_string();
    let stored = app
        .store
        .run(move |s| s.finish(&key, state, plan.as_deref(), &regions, message.as_deref()))
        .await;
    match stored {
        Ok(true) => {
            app.metrics.finished(state.as_str());
            tracing::info!(job = %id, state = state.as_str(), "job finished");
        }
        Ok(false) => {}
        Err(e) => tracing::error!(job = %id, error = %e, "cannot store the job's result"),
    }
    let _ = app.finished.send(id.to_string());
}

/// The solve itself, on a blocking thread.
fn solve_job(
    config: &crate::Config,
    job: &Claimed,
    running: &Arc<Running>,
) -> Result<PlanFile, String> {
    let file = starplan_format::validate::load_input(&job.input)
        .map_err(|e| format!("the stored input is no longer valid: {} error(s)", e.len()))?;
    let opts: JobOptions = serde_json::from_str(&job.options).unwrap_or_default();
    let inst = starplan_engine::convert::to_instance(&file);
    *running.regions.lock().unwrap_or_else(|p| p.into_inner()) = inst
        .regions
        .iter()
        .map(|r| RegionProgress {
            id: r.id.clone(),
            state: "queued".into(),
            status: None,
            gap: None,
            seconds: None,
            interrupted: false,
        })
        .collect();
    let limit = opts
        .time_limit
        .unwrap_or(file.policy.solver.time_limit_seconds)
        .min(config.job_time_limit);
    let events = Arc::clone(running);
    let solve = SolveOptions {
        threads: config.threads_per_job.max(1),
        time_limit_seconds: Some(limit),
        relative_gap: opts.gap,
        cancel: Some(Arc::clone(&running.cancel)),
        on_event: Some(OnEvent::new(move |ev| events.event(ev))),
        ..SolveOptions::default()
    };
    starplan_engine::solve(&inst, &solve).map_err(|e| format!("cannot start the solve: {e}"))
}

/// At shutdown: running jobs get the grace period to finish; those still running are
/// put back in the queue (they run again at the next start) and asked to stop.
pub async fn drain(app: &Arc<App>) {
    let until = Instant::now() + app.config.grace;
    while Instant::now() < until
        && !app
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_empty()
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let left: Vec<(String, Arc<Running>)> = app
        .running
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .map(|(id, r)| (id.clone(), Arc::clone(r)))
        .collect();
    for (id, r) in left {
        let cancelled = r.why() == Why::User;
        r.stop(Why::Shutdown);
        let key = id.clone();
        let done = app
            .store
            .run(move |s| {
                if cancelled {
                    let why = "cancelled while running; the server stopped before the solve returned, so no plan was kept";
                    s.finish(&key, JobState::Cancelled, None, "[]", Some(why)).map(|_| ())
                } else {
                    s.requeue(&key)
                }
            })
            .await;
        match done {
            Err(e) => tracing::error!(job = %id, error = %e, "cannot record the job at shutdown"),
            Ok(()) if cancelled => tracing::info!(job = %id, "cancelled job ended at shutdown"),
            Ok(()) => tracing::info!(job = %id, "job put back in the queue for the next start"),
        }
    }
}

/// Deletes finished jobs past the retention period, hourly.
pub async fn janitor(app: Arc<App>) {
    loop {
        let keep = app.config.retention.as_millis() as i64;
        let before = now_ms() - keep;
        match app.store.run(move |s| s.purge(before)).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "finished jobs past retention deleted"),
            Err(e) => tracing::error!(error = %e, "retention purge failed"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}
