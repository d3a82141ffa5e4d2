//! The durable job store: one SQLite file in the data folder (WAL, synchronous=FULL), so an accepted job survives any crash; restart recovery puts interrupted jobs back in the queue.

use crate::jobs::{JobRow, JobState, JobSummary};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The database file inside `--data-dir`.
pub const FILE: &str = "starplan.sqlite";

/// The schema; `PRAGMA user_version` says which one a file has.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS jobs (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL,
    input        TEXT NOT NULL,
    options      TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    started_at   INTEGER,
    finished_at  INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    regions      TEXT,
    plan         TEXT,
    message      TEXT
);
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, seq);
PRAGMA user_version = 1;
";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("job store: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("job store: {0}")]
    Io(#[from] std::io::Error),
    #[error("job store {path}: schema version {found} is newer than this build's 1")]
    Newer { path: String, found: i64 },
}

/// A job as a worker takes it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub input: String,
    pub options: String,
    pub attempts: u32,
    pub submitted_at: i64,
}

/// The store, shared by handlers and workers. Calls are short; async callers run them on
/// the blocking pool (`Store::run`).
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Store {
    /// Opens (or creates) the store in `dir`. Jobs left `running` by a stop or a crash go
    /// back to the queue; those already tried `max_attempts` times fail instead, so one job
    /// that brings the server down cannot do it forever.
    pub fn open(dir: &Path, max_attempts: u32) -> Result<(Store, usize), StoreError> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(FILE);
        let conn = Connection::open(&path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > 1 {
            return Err(StoreError::Newer {
                path: path.display().to_string(),
                found,
            });
        }
        conn.execute_batch(SCHEMA)?;
        let given_up = format!(
            "interrupted {max_attempts} times (server stopped or crashed while it ran); not tried again"
        );
        let now = now_ms();
        conn.execute(
            "UPDATE jobs SET state = 'failed', message = ?1, finished_at = ?2
             WHERE state = 'running' AND attempts >= ?3",
            params![given_up, now, max_attempts],
        )?;
        let requeued = conn.execute(
            "UPDATE jobs SET state = 'queued', started_at = NULL, regions = NULL
             WHERE state = 'running'",
            [],
        )?;
        Ok((
            Store {
                conn: Arc::new(Mutex::new(conn)),
            },
            requeued,
        ))
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        Ok(f(&conn)?)
    }

    /// Runs a store call on the blocking pool.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?
    }

    /// Records a job unless `max_queue` jobs already wait; it is on disk when this returns
    /// `Ok(Ok(()))`. `Ok(Err(n))`: the queue is full with `n` jobs.
    pub fn insert(
        &self,
        id: &str,
        input: &str,
        options: &str,
        max_queue: usize,
    ) -> Result<Result<(), usize>, StoreError> {
        self.with(|c| {
            let queued: i64 =
                c.query_row("SELECT COUNT(*) FROM jobs WHERE state = 'queued'", [], |r| r.get(0))?;
            if queued as usize >= max_queue {
                return Ok(Err(queued as usize));
            }
            c.execute(
                "INSERT INTO jobs (id, state, input, options, submitted_at) VALUES (?1, 'queued', ?2, ?3, ?4)",
                params![id, input, options, now_ms()],
            )?;
            Ok(Ok(()))
        })
    }

    pub fn count(&self, state: JobState) -> Result<usize, StoreError> {
        self.with(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM jobs WHERE state = ?1",
                [state.as_str()],
                |r| r.get::<_, i64>(0),
            )
        })
        .map(|n| n as usize)
    }

    /// Takes the oldest queued job and marks it running, in one statement.
    pub fn claim(&self) -> Result<Option<Claimed>, StoreError> {
        self.with(|c| {
            c.query_row(
                "UPDATE jobs SET state = 'running', started_at = ?1, attempts = attempts + 1
                 WHERE seq = (SELECT seq FROM jobs WHERE state = 'queued' ORDER BY seq LIMIT 1)
                 RETURNING id, input, options, attempts, submitted_at",
                [now_ms()],
                |r| {
                    Ok(Claimed {
                        id: r.get(0)?,
                        input: r.get(1)?,
                        options: r.get(2)?,
                        attempts: r.get(3)?,
                        submitted_at: r.get(4)?,
                    })
                },
            )
            .optional()
        })
    }

    /// Ends a running job (done, failed or cancelled), with its plan and per-region
    /// progress. A job no longer running (put back by a shutdown) is left alone.
    pub fn finish(
        &self,
        id: &str,
        state: JobState,
        plan: Option<&str>,
        regions: &str,
        message: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE jobs SET state = ?2, plan = ?3, regions = ?4, message = ?5, finished_at = ?6
                 WHERE id = ?1 AND state = 'running'",
                params![id, state.as_str(), plan, regions, message, now_ms()],
            )
            .map(|n| n == 1)
        })
    }

    /// Puts a running job back in the queue (a shutdown stopped it); it runs again first.
    pub fn requeue(&self, id: &str) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE jobs SET state = 'queued', started_at = NULL, regions = NULL
                 WHERE id = ?1 AND state = 'running'",
                [id],
            )
            .map(|_| ())
        })
    }

    /// Cancels a queued job. Returns the job's state after the call (None: no such job).
    pub fn cancel_queued(&self, id: &str) -> Result<Option<JobState>, StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE jobs SET state = 'cancelled', finished_at = ?2, message = 'cancelled before it started'
                 WHERE id = ?1 AND state = 'queued'",
                params![id, now_ms()],
            )?;
            c.query_row("SELECT state FROM jobs WHERE id = ?1", [id], |r| {
                r.get::<_, String>(0)
            })
            .optional()
            .map(|s| s.and_then(|s| JobState::parse(&s)))
        })
    }

    pub fn get(&self, id: &str, with_plan: bool) -> Result<Option<JobRow>, StoreError> {
        self.with(|c| {
            c.query_row(
                "SELECT id, state, submitted_at, started_at, finished_at, attempts, regions, message,
                        CASE WHEN ?2 THEN plan END
                 FROM jobs WHERE id = ?1",
                params![id, with_plan],
                JobRow::from_row,
            )
            .optional()
        })
    }

    /// A job's input as it was stored.
    pub fn input(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.with(|c| {
            c.query_row("SELECT input FROM jobs WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()
        })
    }

    /// The newest jobs first, optionally of one state.
    pub fn list(
        &self,
        state: Option<JobState>,
        limit: usize,
    ) -> Result<Vec<JobSummary>, StoreError> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT id, state, submitted_at, started_at, finished_at, attempts, message
                 FROM jobs WHERE ?1 IS NULL OR state = ?1 ORDER BY seq DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(
                params![state.map(JobState::as_str), limit as i64],
                JobSummary::from_row,
            )?;
            rows.collect()
        })
    }

    /// Jobs per state, for /metrics and /readyz.
    pub fn counts(&self) -> Result<Vec<(JobState, usize)>, StoreError> {
        self.with(|c| {
            let mut stmt = c.prepare("SELECT state, COUNT(*) FROM jobs GROUP BY state")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            let mut out: Vec<(JobState, usize)> = JobState::ALL.iter().map(|&s| (s, 0)).collect();
            for row in rows {
                let (s, n) = row?;
                if let Some(slot) = out.iter_mut().find(|(st, _)| st.as_str() == s) {
                    slot.1 = n as usize;
                }
            }
            Ok(out)
        })
    }

    /// Deletes finished jobs older than `before_ms`; returns how many.
    pub fn purge(&self, before_ms: i64) -> Result<usize, StoreError> {
        self.with(|c| {
            c.execute(
                "DELETE FROM jobs WHERE state IN ('done', 'failed', 'cancelled') AND finished_at < ?1",
                [before_ms],
            )
        })
    }
}
