//! Serde types of the plan file: per-region outcome, objective terms and KPIs, assignments and manager loads.

use crate::codes::{DiagnosisCode, ReasonKind, Rule};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::proof::{Certificate, ManagerMultipliers, PoolLevels, Proof, ProofKind};

/// A plan for a province, one entry per region, lists sorted by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub schema_version: u32,
    pub regions: Vec<RegionPlan>,
    /// One entry per group of every region that has a plan.
    pub assignments: Vec<Assignment>,
    /// Load of every manager of every region that has a plan, after the plan.
    pub managers: Vec<ManagerLoad>,
    /// How the plan was made: the effective policy, the starplan version, hashes of the
    /// input, and the current layout it was measured against. Absent in plans written
    /// before version 0.3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// How a plan was made, so that `check`, `rescore` and `solve --baseline` can repeat it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The starplan version that wrote the plan.
    pub starplan_version: String,
    /// sha256 of the input as read (entities sorted by id, its own policy block), before
    /// `--set`, `--time-limit`, `--gap` and `--baseline` (crate::hash).
    pub input_hash: String,
    /// The effective policy the plan was solved with: the input's, with `--set`,
    /// `--time-limit` and `--gap` applied. `check` and `rescore` use it.
    pub policy: crate::policy::PolicyIn,
    /// The overrides the plan was made with, in the order applied: each `--set KEY=VALUE`,
    /// then `solver.time_limit_seconds=…` for `--time-limit` and `solver.relative_gap=…` for
    /// `--gap`. The input's policy with these applied is `policy`; `check` rebuilds it so
    /// and refuses a recorded policy that is not exactly that (V1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// sha256 of the published plan given with `--baseline`; null without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_plan: Option<String>,
    /// Groups whose current manager, for this plan, is not the input's `current_manager`:
    /// a published plan (`--baseline`) had placed them elsewhere. Moves, reasons and the
    /// move cost count from these managers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layout: Vec<LayoutEntry>,
    /// One entry per region of the plan, in id order.
    pub regions: Vec<RegionProvenance>,
}

/// A group's current manager as a published plan has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayoutEntry {
    pub group: String,
    pub manager: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionProvenance {
    pub id: String,
    /// sha256 of the region's part of the input (the region, its managers and groups, the
    /// effective policy), before `--baseline`: equal hashes mean an equal problem.
    pub input_hash: String,
    pub origin: Origin,
}

/// How a region's block was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Solved from the current layout (repaired, improved by local search).
    Solved,
    /// Solved from a base plan's assignment (repaired where it no longer holds).
    WarmStarted,
    /// Taken unchanged from a base plan: the region's input did not change.
    CarriedOver,
    /// A planner's assignment, rescored (`starplan rescore`); no optimiser promise holds.
    Edited,
}

/// How a region's solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proven optimal within the relative gap.
    Optimal,
    /// A plan that keeps every hard rule, stopped at the time limit; `gap` says how far from proof.
    Feasible,
    /// The hard rules cannot all hold; the plan breaks the fewest, by the amounts in
    /// `relaxations`, and `diagnoses` say why and what to change.
    Relaxed,
    /// Not even a relaxed plan exists (a pinned, frozen or leaving rule leaves a group no manager).
    Infeasible,
    /// The time limit passed before any plan was found.
    Timeout,
    /// The solver failed; `message` says how.
    Error,
}

impl Status {
    pub fn has_plan(self) -> bool {
        matches!(self, Status::Optimal | Status::Feasible | Status::Relaxed)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionPlan {
    pub id: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Objective of the plan (sum of `terms[].value`); null without a plan.
    pub objective: Option<f64>,
    /// Proven lower bound on the objective of any plan; null when none is known.
    pub bound: Option<f64>,
    /// (objective − bound) / max(|objective|, 1); null without both.
    pub gap: Option<f64>,
    /// What proves `bound`: the certified bound (re-derived by the checker from its
    /// certificate) and the solver-reported one (HiGHS's, which no one can re-derive), each
    /// with its gap (models/assignment.md, "Proofs").
    #[serde(default)]
    pub proof: Proof,
    /// Wall time of this region's build and solve; 0 with `--no-timings`.
    pub seconds: f64,
    pub groups: usize,
    pub managers: usize,
    /// Size of the MIP that was solved (0 when it was not built).
    pub model: ModelSize,
    /// Objective terms by constraint family; empty without a plan.
    pub terms: Vec<Term>,
    pub kpis: Kpis,
    /// The same objective for the plans a planner would compare with.
    pub baselines: Baselines,
    /// When HiGHS first had a plan and first proved a 1 % gap (null when it never did, and
    /// with `--no-timings`).
    pub progress: Progress,
    /// Priority mode: each stage's goal, value, bound and the limit later stages kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageResult>,
    /// Status `relaxed`: each hard rule the plan breaks, and by how much.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relaxations: Vec<RelaxedRule>,
    /// Causes found by counting before solving (or by the solve), each with an action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<Diagnosis>,
    /// Why workloads are not more equal where they are not: managers left with no group,
    /// and stars whose utilisation ranges wider than 1.5× (models/assignment.md, C8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fairness_notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Baselines {
    /// The current layout as it stands; null when some group has no manager.
    pub current: Option<f64>,
    /// The current layout with broken hard rules repaired greedily (what a planner would do by
    /// hand, and the solver's start); null when the greedy repair cannot place every group.
    pub greedy: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub seconds_to_first_plan: Option<f64>,
    pub seconds_to_1pct_gap: Option<f64>,
    /// Which step of the solve produced the region's final plan, and when; absent without a
    /// plan, in plans written before it was recorded, and in a rescored (edited) region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_plan: Option<FinalPlan>,
}

/// The step that produced a region's final plan (models/assignment.md, "The solve").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinalPlan {
    pub stage: PlanStage,
    /// Seconds on the region's clock when that step handed the plan on: the end of local
    /// search for `start` and `local_search`; null for `highs` and `current` (the model
    /// crate does not record when HiGHS found its plan) and with `--no-timings`.
    pub seconds: Option<f64>,
}

/// Steps of "The solve" a final plan can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanStage {
    /// The repaired (or warm) start itself: local search did not improve it, nor HiGHS.
    Start,
    /// Local search's plan (descent, annealing, descent), which HiGHS then did not improve.
    LocalSearch,
    /// HiGHS improved on the start: the MIP or a neighbourhood of the large-neighbourhood search.
    Highs,
    /// The current layout, kept because the solver's plan was worse (weighted mode).
    Current,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageResult {
    /// The goal: eligibility, span, balance or moves (the names of C5, C7, C8, C9).
    pub goal: crate::policy::GoalIn,
    /// The term's rule: C5, C7, C8 or C9.
    pub id: Rule,
    pub status: Status,
    /// The goal's raw value in this stage's plan.
    pub value: Option<f64>,
    /// HiGHS's lower bound on the goal in this stage.
    pub bound: Option<f64>,
    /// What later stages kept the goal under: value × (1 + tolerance) + 1e-6; null for the last stage.
    pub limit: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RelaxedRule {
    /// C5, C6, C7, C10, C11 or C12.
    pub rule: Rule,
    /// The manager or group concerned; null for a region-wide rule (C10).
    pub subject: Option<String>,
    pub unit: Unit,
    pub amount: f64,
}

/// What a relaxation amount counts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Groups,
    Members,
    /// Monthly service hours (C13).
    Hours,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    /// D000–D006 (models/priorities.md).
    pub code: DiagnosisCode,
    /// The rule at fault; null when the cause is not known (D000).
    pub rule: Option<Rule>,
    pub message: String,
    /// What a planner can change.
    pub action: String,
}

/// Why a group moved (or why it breaks a soft rule where it is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// The rule of the kind: C1 new group, C4 leaving, C5 grade, C6 capacity, C7 span, C8 balance.
    pub rule: Rule,
    pub kind: ReasonKind,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelSize {
    pub variables: usize,
    pub binaries: usize,
    pub rows: usize,
}

/// One objective term: `value = weight × raw`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The rule: C5 eligibility, C7 span, C8 balance, C9 moves.
    pub id: Rule,
    /// The rule's name (models/assignment.md).
    pub name: String,
    /// Penalty points (C5), members over target (C7), hours outside the band (C8), move cost (C9).
    pub raw: f64,
    pub weight: f64,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kpis {
    /// The current layout.
    pub before: KpiSet,
    /// The plan; null without a plan.
    pub after: Option<KpiSet>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiSet {
    /// Groups with no manager, or whose manager is unavailable.
    pub unserved_groups: usize,
    /// Served groups whose star×class pair is not the home pair (3★A, 2★B, 1★C).
    pub mismatched: Mismatched,
    pub managers_over_span_target: usize,
    pub managers_over_span_max: usize,
    pub managers_over_max_groups: usize,
    /// Members per available manager.
    pub member_span: MinMax,
    /// Workload ÷ (monthly hours × capacity) per available manager.
    pub utilisation: Utilisation,
    pub groups_moved: usize,
    pub members_moved: u64,
    /// How equal the workloads are, per star (models/assignment.md, "Fairness KPIs").
    pub fairness: Fairness,
}

/// Fairness of a layout: utilisation per star among available, non-frozen managers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fairness {
    /// Available managers (frozen ones included) whose hours exceed monthly hours × capacity.
    pub managers_over_hours: usize,
    /// Available, non-frozen managers with no group.
    pub idle_managers: usize,
    /// One entry per star that has an available, non-frozen manager, in star order.
    pub by_star: Vec<StarFairness>,
}

/// Utilisation of one star's available, non-frozen managers. min, mean, max, max_over_min
/// and cv are over those with at least one group; `idle` counts the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StarFairness {
    pub star: u8,
    pub managers: usize,
    pub idle: usize,
    pub min: f64,
    pub mean: f64,
    pub max: f64,
    /// max ÷ min; null when no manager has a group or the least loaded one has no hours.
    pub max_over_min: Option<f64>,
    /// Coefficient of variation: standard deviation ÷ mean (population), 0 without load.
    pub cv: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mismatched {
    /// On a pair the policy forbids.
    pub forbidden: usize,
    /// Served by a lower star than the class calls for.
    pub under_grade: usize,
    /// Served by a higher star than the class calls for.
    pub over_grade: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MinMax {
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Utilisation {
    pub min: f64,
    pub mean: f64,
    pub max: f64,
    /// max − min.
    pub spread: f64,
    /// max ÷ min; null when the least loaded manager has no hours.
    pub max_over_min: Option<f64>,
    /// Coefficient of variation: standard deviation ÷ mean (population), 0 without load.
    pub cv: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub group: String,
    pub region: String,
    pub manager: String,
    pub previous_manager: Option<String>,
    /// true when previous_manager is set and differs from manager.
    pub moved: bool,
    /// Why it moved (every moved group has one), or which soft rule it breaks where it stays.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagerLoad {
    pub id: String,
    pub region: String,
    pub star: u8,
    pub groups: usize,
    pub members: u64,
    /// Monthly service hours of its groups.
    pub workload: f64,
    /// workload ÷ (monthly hours × capacity).
    pub utilisation: f64,
}

/// Rounds a reported figure so that plans stay readable and byte-stable.
pub fn round6(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}
