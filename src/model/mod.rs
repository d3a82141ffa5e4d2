//! The per-region assignment MIP: rules, model building and the HiGHS solve. The only code that uses good_lp or highs.

mod build;
mod ffi;
pub mod rules;
mod solve;

use crate::domain::{Group, Manager, Policy};

pub use solve::{build_only, solve_region};

/// One region's data with local indices: `groups[g].current` indexes `managers`.
#[derive(Debug, Clone)]
pub struct RegionProblem<'a> {
    pub managers: Vec<Manager>,
    pub groups: Vec<Group>,
    pub policy: &'a Policy,
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
    Infeasible(String),
    Timeout,
    Error(String),
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
}
