//! The per-region assignment MIP: domain types, rules, model building and the HiGHS solve. The only crate that uses good_lp or highs.

pub mod balance;
mod build;
mod c8;
pub mod domain;
mod duals;
mod excess;
mod ffi;
mod highs_solve;
mod knapsack;
mod lagrange;
mod lns;
mod pricing;
mod priority;
mod relaxed;
mod rows;
pub mod rules;
mod solve;
mod terms;
pub mod work;

use crate::domain::{Goal, Group, Manager, Policy, Star};
use starplan_format::codes::Rule;
use starplan_format::output::Unit;

pub use build::Spec;
pub use excess::{keeps_all, measure as excesses};
pub use ffi::Stop;
pub use highs_solve::build_only;
pub use solve::solve_region;

/// Which model a region is solved on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Every hard rule holds (status optimal or feasible).
    Strict,
    /// C5–C7 and C10–C12 may give, at the relaxation penalty (status relaxed).
    Relaxed,
}

/// One region's data with local indices: `groups[g].current` indexes `managers`.
#[derive(Debug, Clone)]
pub struct RegionProblem<'a> {
    pub managers: Vec<Manager>,
    pub groups: Vec<Group>,
    pub policy: &'a Policy,
    /// The candidate pairs (`rules::candidates`), computed once: on a 20 000 × 2 000 region
    /// they are 40 million checks, and every step needs them.
    pub cands: std::sync::OnceLock<Vec<Vec<usize>>>,
}

impl<'a> RegionProblem<'a> {
    pub fn new(managers: Vec<Manager>, groups: Vec<Group>, policy: &'a Policy) -> Self {
        RegionProblem {
            managers,
            groups,
            policy,
            cands: std::sync::OnceLock::new(),
        }
    }
}

/// Where to write each model solved for a region (`solve --export-mps`).
#[derive(Debug, Clone)]
pub struct Export {
    pub dir: std::path::PathBuf,
    /// File stem, e.g. the region id.
    pub name: String,
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub time_limit_seconds: f64,
    pub relative_gap: f64,
    pub seed: u32,
    /// Work mode: the region's budget in units of counted work (`model::work`); the time
    /// limit is then only a safety stop.
    pub work_limit: Option<f64>,
}

/// The longest time limit a region can have (about 115 days).
pub const MAX_SECONDS: f64 = 1e7;

/// One region's run: its limits, when its clock started, an optional cancellation flag and
/// where to write its models.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    pub limits: Limits,
    /// When the region's work began: everything, model building included, stops at
    /// `clock + time_limit_seconds`.
    pub clock: std::time::Instant,
    /// Set from outside (a signal, a cancelled job) to stop now with the best plan so far.
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
    pub export: Option<&'a Export>,
    /// The region's counted work (work mode only: with `limits.work_limit`).
    pub work: Option<&'a work::Meter>,
}

impl Run<'_> {
    /// When the region must be done.
    pub fn deadline(&self) -> std::time::Instant {
        // Validation bounds the limit; the clamp keeps a huge or odd value from overflowing.
        let t = self.limits.time_limit_seconds;
        let t = if t.is_finite() {
            t.clamp(0.0, MAX_SECONDS)
        } else {
            MAX_SECONDS
        };
        self.clock + std::time::Duration::from_secs_f64(t)
    }

    /// Stop at `until` (at most the region's own deadline), on cancellation, or in work
    /// mode once the meter reaches `until.work`.
    pub fn stop(&self, until: impl Into<work::Until>) -> Stop<'_> {
        let until = until.into();
        Stop {
            deadline: until.clock.min(self.deadline()),
            cancel: self.cancel,
            work: self.counted().map(|(m, _)| (m, until.work)),
        }
    }

    /// Work mode: the meter and the region's budget.
    pub fn counted(&self) -> Option<(&work::Meter, f64)> {
        self.work.zip(self.limits.work_limit)
    }

    /// Now, and the work done so far.
    pub fn since(&self) -> work::Since {
        work::Since {
            clock: std::time::Instant::now(),
            work: self.counted().map_or(0.0, |(m, _)| m.used()),
        }
    }

    /// `share` of the way from `from` to the region's end: on the clock, or in work mode on
    /// the meter (the clock then stays at the region's deadline, the safety stop).
    pub fn until(&self, from: work::Since, share: f64) -> work::Until {
        let deadline = self.deadline();
        match self.counted() {
            None => {
                let total = deadline.saturating_duration_since(from.clock);
                work::Until {
                    clock: from.clock + total.mul_f64(share),
                    work: f64::INFINITY,
                }
            }
            Some((_, limit)) => work::Until {
                clock: deadline,
                work: from.work + (limit - from.work).max(0.0) * share,
            },
        }
    }

    /// `amount` more (seconds, or in work mode units of work), but never past `cap`.
    pub fn within(&self, amount: f64, cap: work::Until) -> work::Until {
        let amount = if amount.is_finite() {
            amount.clamp(0.0, MAX_SECONDS)
        } else {
            MAX_SECONDS
        };
        match self.counted() {
            None => work::Until {
                clock: (std::time::Instant::now() + std::time::Duration::from_secs_f64(amount))
                    .min(cap.clock),
                work: f64::INFINITY,
            },
            Some((m, _)) => work::Until {
                clock: cap.clock,
                work: (m.used() + amount).min(cap.work),
            },
        }
    }

    /// The region's budget: its work limit in work mode, else its time limit in seconds.
    pub fn budget(&self) -> f64 {
        let t = match self.counted() {
            Some((_, w)) => w,
            None => self.limits.time_limit_seconds,
        };
        t.clamp(0.0, MAX_SECONDS)
    }

    /// The region's end.
    pub fn end(&self) -> work::Until {
        self.until(self.since(), 1.0)
    }

    /// What is left before `until`: seconds, or in work mode units of work (0 once the
    /// safety stop has passed, which the meter records).
    pub fn left(&self, until: work::Until) -> f64 {
        let clock = until.clock.min(self.deadline());
        let seconds = clock
            .saturating_duration_since(std::time::Instant::now())
            .as_secs_f64();
        let Some((m, _)) = self.counted() else {
            return seconds;
        };
        let units = (until.work - m.used()).max(0.0);
        if units > 0.0 && seconds <= 0.0 {
            m.fire();
            return 0.0;
        }
        units
    }

    /// `until` has passed, or the run was cancelled.
    pub fn passed(&self, until: work::Until) -> bool {
        self.cancelled() || self.left(until) <= 0.0
    }

    /// Counts `units` of work (work mode only).
    pub fn charge(&self, units: f64) {
        if let Some((m, _)) = self.counted() {
            m.charge(units);
        }
    }

    /// Cancelled from outside.
    pub fn cancelled(&self) -> bool {
        self.cancel
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ModelStatus {
    Optimal,
    Feasible,
    /// A plan that breaks some hard rules by the amounts in `Outcome::relaxations`.
    Relaxed,
    Infeasible(String),
    Timeout,
    Error(String),
    /// HiGHS failed, and the plan is the start, which keeps every hard rule; no bound.
    Fallback(String),
}

/// One stage of priority mode: the goal's value in the stage's plan, HiGHS's bound on it,
/// and the limit later stages keep it under.
#[derive(Debug, Clone)]
pub struct StageOutcome {
    pub goal: Goal,
    pub status: ModelStatus,
    pub value: Option<f64>,
    pub bound: Option<f64>,
    pub limit: Option<f64>,
}

/// One hard rule for one subject, as a relaxed model may break it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Subject {
    pub rule: Rule,
    pub unit: Unit,
    /// Local manager index, when the rule is per manager.
    pub manager: Option<usize>,
    /// Local group index, when the rule is per group.
    pub group: Option<usize>,
}

/// How far a relaxed plan exceeds one hard rule for one subject.
#[derive(Debug, Clone)]
pub struct Relaxation {
    pub subject: Subject,
    pub amount: f64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Size {
    pub variables: usize,
    pub binaries: usize,
    pub rows: usize,
}

/// The data that proves a whole-group Lagrangian bound (model::lagrange): what the plan's
/// certificate carries, with local indices.
#[derive(Debug, Clone, PartialEq)]
pub struct Certified {
    /// L(y), offset included.
    pub value: f64,
    /// Hours of one knapsack step.
    pub step: f64,
    /// C1's multiplier per group.
    pub y1: Vec<f64>,
    /// Per manager: the C6, C7 maximum and C7 target multipliers and the groups solved whole.
    pub managers: Vec<ManagerCertificate>,
    /// Per pool: its star and the level intervals that cover every level (`INFINITY` = no end).
    pub pools: Vec<(Star, Vec<(f64, f64)>)>,
}

/// One manager's part of a certificate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManagerCertificate {
    pub c6: f64,
    pub c7: f64,
    pub c7_target: f64,
    pub core: Vec<usize>,
}

/// What the solver made of a region.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: ModelStatus,
    /// Local manager index per group, when a plan exists.
    pub assignment: Option<Vec<usize>>,
    /// The solver-reported lower bound on the objective (HiGHS's, the LP's, pricing's),
    /// offset included: no certificate proves it.
    pub bound: Option<f64>,
    /// The whole-group bound with its certificate, when it was computed.
    pub certified: Option<Certified>,
    pub size: Size,
    /// Priority mode only.
    pub stages: Vec<StageOutcome>,
    /// Status `Relaxed` only.
    pub relaxations: Vec<Relaxation>,
    /// Weighted mode: seconds (since the region's clock) to HiGHS's first plan and to a 1 % gap.
    pub progress: (Option<f64>, Option<f64>),
}

impl Outcome {
    /// An outcome with this status and nothing else yet.
    pub fn empty(status: ModelStatus) -> Outcome {
        Outcome {
            status,
            assignment: None,
            bound: None,
            certified: None,
            size: Size::default(),
            stages: vec![],
            relaxations: vec![],
            progress: (None, None),
        }
    }
}

impl Outcome {
    /// The larger of the solver-reported and the certified bound.
    pub fn best_bound(&self) -> Option<f64> {
        larger(self.bound, self.certified.as_ref().map(|c| c.value))
    }
}

/// HiGHS's bound, with the numerical noise above the plan's exact value removed: a bound
/// above the value by at most 1e-6 (relative) is the value itself, while a larger excess is
/// kept as it is, so that the checker (T2) sees it.
pub fn within_tolerance(bound: f64, value: f64) -> f64 {
    if bound > value && bound - value <= 1e-6 * value.abs().max(1.0) {
        value
    } else {
        bound
    }
}

/// The relative gap of a plan worth `objective` to a lower `bound` (models/assignment.md:
/// gap = (objective − bound) ÷ max(|objective|, 1)).
pub(crate) fn gap(objective: f64, bound: f64) -> f64 {
    (objective - bound) / objective.abs().max(1.0)
}

/// The larger of two lower bounds, either of which may be missing.
pub(crate) fn larger(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}
