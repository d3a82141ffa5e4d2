//! The per-region assignment MIP: rules, model building and the HiGHS solve. The only code that uses good_lp or highs.

mod build;
mod ffi;
mod pricing;
pub mod rules;
mod solve;

use crate::domain::{Goal, Group, Manager, Policy};

pub use build::Spec;
pub use solve::{build_only, solve_region};

/// One region's data with local indices: `groups[g].current` indexes `managers`.
#[derive(Debug, Clone)]
pub struct RegionProblem<'a> {
    pub managers: Vec<Manager>,
    pub groups: Vec<Group>,
    pub policy: &'a Policy,
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

/// How far a relaxed plan exceeds one hard rule for one subject.
#[derive(Debug, Clone)]
pub struct Relaxation {
    pub rule: &'static str,
    pub unit: &'static str,
    /// Local manager index, when the rule is per manager.
    pub manager: Option<usize>,
    /// Local group index, when the rule is per group.
    pub group: Option<usize>,
    pub amount: f64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Size {
    pub variables: usize,
    pub binaries: usize,
    pub rows: usize,
}

/// What the solver made of a region.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: ModelStatus,
    /// Local manager index per group, when a plan exists.
    pub assignment: Option<Vec<usize>>,
    /// Proven lower bound on the objective, offset included.
    pub bound: Option<f64>,
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
            size: Size::default(),
            stages: vec![],
            relaxations: vec![],
            progress: (None, None),
        }
    }
}
