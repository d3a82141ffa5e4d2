//! starplan as an HTTP JSON service (axum on tokio): jobs are stored in SQLite before they are accepted, solved by a bounded pool of workers off the async runtime, and survive restarts and crashes; limits, a bearer token, health, metrics and an OpenAPI document make it fit to run beside other services.
//!
//! The layers: `store` (SQLite), `worker` (the solve pool), `routes` (handlers),
//! `errors` (every error answer), `auth`, `metrics`, `openapi`. `run` is what `starplan
//! serve` calls; `serve` runs on a listener the caller made (tests).

mod auth;
mod body;
mod direct;
mod errors;
pub mod jobs;
mod metrics;
pub mod openapi;
mod routes;
pub mod store;
mod worker;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch, Notify};

/// Everything `starplan serve` can set.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the job store lives.
    pub data_dir: PathBuf,
    /// Jobs solved at once; 0 accepts and stores jobs without solving any (maintenance:
    /// they run after a restart with workers).
    pub workers: usize,
    /// Regions of one job solved at once (rayon workers per job).
    pub threads_per_job: usize,
    /// Largest request body in bytes (413 above).
    pub max_body: usize,
    /// Most jobs waiting in the queue (429 above).
    pub max_queue: usize,
    /// Wall-clock seconds a job may run; also caps each region's time limit.
    pub job_time_limit: f64,
    /// The bearer token every request but /healthz and /readyz must carry.
    pub token: Option<String>,
    /// On SIGTERM: how long running jobs may take to finish before they are stopped and
    /// put back in the queue for the next start.
    pub grace: Duration,
    /// Finished jobs are deleted after this long.
    pub retention: Duration,
    /// A job interrupted this many times (crashes, stops) fails instead of running again.
    pub max_attempts: u32,
}

impl Config {
    /// Defaults for everything but the data folder.
    pub fn new(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            workers: 2,
            threads_per_job: 1,
            max_body: 32 << 20,
            max_queue: 1000,
            job_time_limit: 600.0,
            token: None,
            grace: Duration::from_secs(5),
            retention: Duration::from_secs(7 * 24 * 3600),
            max_attempts: 3,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What handlers and workers share.
pub(crate) struct App {
    pub config: Config,
    pub store: store::Store,
    pub metrics: metrics::Metrics,
    /// Jobs being solved now, by id.
    pub running: Mutex<HashMap<String, Arc<worker::Running>>>,
    /// Wakes an idle worker when a job is queued.
    pub wake: Notify,
    /// The id of every job that finishes (for `?wait=`).
    pub finished: broadcast::Sender<String>,
    /// Set once shutdown begins: /readyz fails, workers take no more jobs.
    pub stopping: AtomicBool,
    pub stop: watch::Sender<bool>,
}

impl App {
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }
}

/// Opens the store (recovering interrupted jobs) and the shared state.
fn open(config: Config) -> Result<Arc<App>, ServiceError> {
    let (store, requeued) = store::Store::open(&config.data_dir, config.max_attempts)?;
    if requeued > 0 {
        tracing::info!(jobs = requeued, "interrupted jobs put back in the queue");
    }
    Ok(Arc::new(App {
        config,
        store,
        metrics: metrics::Metrics::new(),
        running: Mutex::new(HashMap::new()),
        wake: Notify::new(),
        finished: broadcast::channel(1024).0,
        stopping: AtomicBool::new(false),
        stop: watch::channel(false).0,
    }))
}

/// Serves on `listener` until `shutdown` completes, then stops gracefully: no new
/// connections, running jobs get `grace` to finish, then are stopped and queued again.
pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServiceError> {
    let app = open(config)?;
    let workers: Vec<_> = (0..app.config.workers)
        .map(|_| tokio::spawn(worker::worker(Arc::clone(&app))))
        .collect();
    tokio::spawn(worker::janitor(Arc::clone(&app)));
    let router = routes::router(Arc::clone(&app));
    let stopping = Arc::clone(&app);
    let signal = async move {
        shutdown.await;
        tracing::info!("shutting down: no new jobs; running jobs get the grace period");
        stopping.stopping.store(true, Ordering::Relaxed);
        let _ = stopping.stop.send(true);
    };
    axum::serve(listener, router)
        .with_graceful_shutdown(signal)
        .await?;
    worker::drain(&app).await;
    for mut w in workers {
        // A worker still waiting on a solve that ignores its flag is left to the runtime's end.
        if tokio::time::timeout(Duration::from_millis(500), &mut w)
            .await
            .is_err()
        {
            w.abort();
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGTERM or SIGINT.
pub async fn termination() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = term => {},
        _ = tokio::signal::ctrl_c() => {},
    }
}

/// `starplan serve`: binds `addr`, serves until SIGTERM or SIGINT. Blocking.
pub fn run(config: Config, addr: &str) -> Result<(), ServiceError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("starplan-http")
        .build()?;
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServiceError::Bind {
                addr: addr.to_string(),
                source,
            })?;
        let local = listener.local_addr()?;
        tracing::info!(addr = %local, data_dir = %config.data_dir.display(), "listening");
        serve(config, listener, termination()).await
    });
    // Solves that ignore their cancel flag (HiGHS presolve) do not hold the process.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}
