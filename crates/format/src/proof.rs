//! The proof a plan gives for each region's bound: which kind it is, both bounds and gaps, and the certificate of the whole-group Lagrangian bound that the checker re-derives.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which kind of proof stands behind a region's `bound`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProofKind {
    /// `bound` is the certified bound: the checker re-derives it from the certificate.
    Certified,
    /// `bound` is the solver's (HiGHS's tree or LP bound): reported, not re-derivable.
    SolverReported,
    /// No bound.
    #[default]
    None,
}

/// The proof of a region's bound, split by who can verify it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proof {
    /// Which of the two bounds `bound` is (the larger).
    pub kind: ProofKind,
    /// The bound the certificate proves; null without a certificate.
    pub certified_bound: Option<f64>,
    /// (objective − certified_bound) / max(|objective|, 1).
    pub certified_gap: Option<f64>,
    /// The best bound the solver reports (HiGHS, the LP relaxation, pricing); null when it
    /// reports none.
    pub solver_bound: Option<f64>,
    /// (objective − solver_bound) / max(|objective|, 1).
    pub solver_gap: Option<f64>,
    /// The data that proves `certified_bound`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<Certificate>,
}

/// A certificate of the whole-group Lagrangian bound (models/assignment.md, "The bound"):
/// multipliers for C1, C6 and C7 and, per grade pool, intervals that cover every level. The
/// checker evaluates L(y) from these with its own knapsack and accepts `certified_bound`
/// when its own figure reaches it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// Hours of one knapsack step: every group's monthly hours are a whole number of them.
    pub step_hours: f64,
    /// C1's multiplier y_g per group id (free sign; missing = 0).
    pub groups: std::collections::BTreeMap<String, f64>,
    /// Per manager with a multiplier or knapsack core, sorted by id.
    pub managers: Vec<ManagerMultipliers>,
    /// Per grade pool (the limited managers of one star): intervals of the pool's level
    /// (utilisation) that together cover every level, each [from, to] (to null = no end).
    pub levels: Vec<PoolLevels>,
}

/// One manager's multipliers and the groups its knapsack takes whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagerMultipliers {
    pub id: String,
    /// C6 row's multiplier (≤ 0; limited managers only).
    #[serde(default)]
    pub c6: f64,
    /// C7 span maximum row's multiplier (≤ 0; limited managers only).
    #[serde(default)]
    pub c7: f64,
    /// C7 span target row's multiplier (between −weights.span and 0; available managers).
    #[serde(default)]
    pub c7_target: f64,
    /// Groups solved whole in this manager's knapsack; the others join fractionally at
    /// their least cost per hour (a relaxation, so any list is valid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub core: Vec<String>,
}

/// The level intervals of one pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolLevels {
    pub star: u8,
    pub intervals: Vec<(f64, Option<f64>)>,
}

impl ProofKind {
    /// The kind of proof a region has (models/assignment.md, "Proofs"): `certified` when the
    /// certified bound is the better one or already within `target` of the objective,
    /// `solver_reported` when only the solver's bound does better, `none` without a bound.
    pub fn of(
        certified: Option<f64>,
        solver: Option<f64>,
        objective: f64,
        target: f64,
    ) -> ProofKind {
        let gap = |b: f64| (objective - b) / objective.abs().max(1.0);
        match (certified, solver) {
            (None, None) => ProofKind::None,
            (Some(c), Some(s)) if s > c && gap(c) > target + 1e-9 => ProofKind::SolverReported,
            (Some(_), _) => ProofKind::Certified,
            (None, Some(_)) => ProofKind::SolverReported,
        }
    }
}
