//! The service's own JSON types (jobs, progress, errors, check requests), with JSON Schemas for the OpenAPI document.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use starplan_format::output::{PlanFile, Status};
use starplan_format::InputFile;

/// A job's life: queued → running → done | failed | cancelled. A running job that a stop
/// or crash interrupts goes back to queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    /// Finished with a plan (which may still have regions without a plan: see their status).
    Done,
    /// No plan: the input could not be solved at all (see `message`).
    Failed,
    /// Cancelled by DELETE; a job cancelled while running keeps its best plan so far.
    Cancelled,
}

impl JobState {
    pub const ALL: [JobState; 5] = [
        JobState::Queued,
        JobState::Running,
        JobState::Done,
        JobState::Failed,
        JobState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn finished(self) -> bool {
        matches!(
            self,
            JobState::Done | JobState::Failed | JobState::Cancelled
        )
    }
}

/// Solver settings of one job (query parameters of POST /v1/plans).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobOptions {
    /// Seconds per region (overrides policy.solver.time_limit_seconds; the server's
    /// per-job limit caps it).
    #[serde(default)]
    pub time_limit: Option<f64>,
    /// Relative MIP gap per region (overrides policy.solver.relative_gap).
    #[serde(default)]
    pub gap: Option<f64>,
    /// A workbook upload whose groups are all new: no current manager is then not E126
    /// (as `starplan import --all-new`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_new: Option<bool>,
}

/// Where one region of a job stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RegionProgress {
    pub id: String,
    /// queued, running or done.
    pub state: String,
    /// The region's plan status once done.
    pub status: Option<Status>,
    pub gap: Option<f64>,
    pub seconds: Option<f64>,
    /// Stopped by a cancellation or the job time limit before its gap was proven.
    #[serde(default)]
    pub interrupted: bool,
}

/// A job as GET /v1/plans/{id} shows it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct JobView {
    pub id: String,
    pub state: JobState,
    /// RFC 3339 times.
    pub submitted_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// How many times a worker has taken the job (more than 1 after a restart).
    pub attempts: u32,
    /// Per-region progress (while running and after).
    pub regions: Vec<RegionProgress>,
    /// Why it failed, or how it stopped (cancelled, job time limit).
    pub message: Option<String>,
    /// The plan, once done (or cancelled while running); left out with `?plan=false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanFile>,
}

/// One line of GET /v1/plans.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct JobSummary {
    pub id: String,
    pub state: JobState,
    pub submitted_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub attempts: u32,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct JobList {
    pub jobs: Vec<JobSummary>,
}

/// The answer to an accepted POST /v1/plans (202; `Location` names the job).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Submitted {
    pub id: String,
    pub state: JobState,
    /// The job's URL path.
    pub location: String,
}

/// One input problem: the same code, JSON path, message and hint as the CLI's
/// `--error-format json`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct InputProblem {
    /// E001…E110 (README, "Input error codes").
    pub code: String,
    pub path: String,
    pub message: String,
    pub hint: String,
}

impl From<&starplan_format::errors::InputError> for InputProblem {
    fn from(e: &starplan_format::errors::InputError) -> Self {
        InputProblem {
            code: e.code.as_str().into(),
            path: e.path.clone(),
            message: e.message.clone(),
            hint: e.hint.into(),
        }
    }
}

/// Every error answer: a message, and for 422 the coded input problems.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ErrorBody {
    pub error: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<InputProblem>,
}

/// POST /v1/check: an input and a plan. Error paths are given within this body
/// (`$.input.groups[3].members`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    #[schemars(with = "InputFile")]
    pub input: serde_json::Value,
    #[schemars(with = "PlanFile")]
    pub plan: serde_json::Value,
}

/// One violation found by the checker.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CheckViolation {
    /// A rule (C1…C12) or check (S, K, L, T, P, N) code (models/assignment.md).
    pub code: String,
    pub region: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CheckResult {
    pub valid: bool,
    /// Which policy the plan was checked with (the input's with the plan's recorded
    /// overrides), as `starplan check` says it.
    #[serde(default)]
    pub policy: Vec<String>,
    /// Per region: status, the kind of proof behind its bound, both gaps, in words.
    #[serde(default)]
    pub regions: Vec<CheckRegion>,
    pub violations: Vec<CheckViolation>,
}

/// One region's verdict (starplan_checker::RegionVerdict).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CheckRegion {
    pub id: String,
    pub status: starplan_format::output::Status,
    pub proof: starplan_format::output::ProofKind,
    pub certified_gap: Option<f64>,
    pub solver_gap: Option<f64>,
    pub verdict: String,
}

/// GET /readyz.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Readiness {
    pub ready: bool,
    pub queued: usize,
    pub running: usize,
    /// Why not ready (shutting down, store unreachable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// A job as read from the store.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub view: JobView,
    /// The plan's JSON text, when asked for and present.
    pub plan: Option<String>,
}

impl JobRow {
    pub fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobRow> {
        let summary = JobSummary::from_row_cols(r)?;
        let regions: Option<String> = r.get(6)?;
        Ok(JobRow {
            view: JobView {
                id: summary.id,
                state: summary.state,
                submitted_at: summary.submitted_at,
                started_at: summary.started_at,
                finished_at: summary.finished_at,
                attempts: summary.attempts,
                regions: regions
                    .and_then(|t| serde_json::from_str(&t).ok())
                    .unwrap_or_default(),
                message: r.get(7)?,
                plan: None,
            },
            plan: r.get(8)?,
        })
    }
}

impl JobSummary {
    /// Columns 0–5: id, state, submitted_at, started_at, finished_at, attempts.
    fn from_row_cols(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobSummary> {
        let state: String = r.get(1)?;
        Ok(JobSummary {
            id: r.get(0)?,
            state: JobState::parse(&state).unwrap_or(JobState::Failed),
            submitted_at: rfc3339(r.get(2)?),
            started_at: r.get::<_, Option<i64>>(3)?.map(rfc3339),
            finished_at: r.get::<_, Option<i64>>(4)?.map(rfc3339),
            attempts: r.get(5)?,
            message: None,
        })
    }

    /// Columns 0–6: as `from_row_cols`, then message.
    pub fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobSummary> {
        Ok(JobSummary {
            message: r.get(6)?,
            ..JobSummary::from_row_cols(r)?
        })
    }
}
