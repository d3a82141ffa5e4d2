//! Serde types of the policy block, the bundled default policy, and the deep merge of a partial policy over it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The default policy; models/policy.md gives the provenance of every number.
pub const DEFAULT_POLICY_JSON: &str = include_str!("../../../models/default-policy.json");

// The `default` attributes only make the schema mark fields optional: values always come
// from the default policy merged under the user's block (`merged_policy_value`), so the
// zero `Default`s of the parts are never used.

/// Values keyed by star: "1", "2", "3".
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(bound = "T: JsonSchema + Default + Serialize")]
pub struct ByStar<T> {
    #[serde(rename = "1")]
    pub one: T,
    #[serde(rename = "2")]
    pub two: T,
    #[serde(rename = "3")]
    pub three: T,
}

impl<T: Copy> ByStar<T> {
    /// Values in star order 1, 2, 3.
    pub fn to_array(&self) -> [T; 3] {
        [self.one, self.two, self.three]
    }
    /// The value of a star (1, 2 or 3); `None` for any other number.
    pub fn get(&self, star: i64) -> Option<T> {
        match star {
            1 => Some(self.one),
            2 => Some(self.two),
            3 => Some(self.three),
            _ => None,
        }
    }
}

/// Values keyed by class: "A", "B", "C".
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(bound = "T: JsonSchema + Default + Serialize")]
#[allow(non_snake_case, reason = "the JSON keys are the class letters A, B, C")]
pub struct ByClass<T> {
    pub A: T,
    pub B: T,
    pub C: T,
}

impl<T: Copy> ByClass<T> {
    /// Values in class order A, B, C.
    pub fn to_array(&self) -> [T; 3] {
        [self.A, self.B, self.C]
    }
    /// The value of a class.
    pub fn get(&self, class: crate::input::ClassIn) -> T {
        self.to_array()[class.idx()]
    }
}

/// Service standard of a class (the article's 表2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceIn {
    pub visits_per_month: f64,
    pub hours_per_visit: f64,
    /// Monthly hours per member of the group.
    pub hours_per_member: f64,
}

/// Member span per manager (C7), scaled by the manager's capacity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MemberSpanIn {
    /// Members above this are penalised (weights.span per member).
    pub target: ByStar<f64>,
    /// Hard maximum.
    pub max: ByStar<f64>,
}

/// A row of the staffing table (the article's 表3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffingRowIn {
    /// Upper end of the band of average members per group; null = no upper end (last row).
    pub max_avg_members: Option<f64>,
    pub groups_min: f64,
    pub groups_max: f64,
}

/// Weights of the objective terms, named as their rules (C5, C7, C8, C9).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct WeightsIn {
    /// C5 (called `mismatch` before version 0.2; that key is still read).
    pub eligibility: f64,
    pub span: f64,
    pub balance: f64,
    pub moves: f64,
}

/// One piece of the balance penalty: deviations up to `up_to` × the region's level (a
/// share, e.g. 0.05 = 5 %) cost `slope` per hour; null = no upper end (the last piece).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PieceIn {
    pub up_to: Option<f64>,
    pub slope: f64,
}

/// The balance term (C8): each available, non-frozen manager's hours are compared with its
/// grade pool's level, at a cost that rises with the deviation (pieces); each pool's level
/// is compared with the region's level the same way, times `across_grades`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct BalanceIn {
    /// Pieces with rising slopes; widths ascending, the last one open.
    pub pieces: Vec<PieceIn>,
    /// What a manager's hours are compared with: its grade pool's level (`grade`, the
    /// default) or the region's level for everyone (`region`).
    pub levels: LevelsIn,
    /// Weight of the pools' deviation from the region's level, relative to the managers'.
    pub across_grades: f64,
}

/// The level a manager's hours are compared with (C8).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LevelsIn {
    /// Each star's pool has its own level, chosen to make the term cheapest.
    #[default]
    Grade,
    /// One level for the whole region: the region's level L (then `across_grades` is moot).
    Region,
}

/// Cost of moving one group of a class away from its current manager (C9).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MoveCostIn {
    pub fixed: f64,
    pub per_member: f64,
}

/// How the objective terms combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeIn {
    /// One objective: the weighted sum of the terms.
    #[default]
    Weighted,
    /// Goals optimised one after another, each held near its optimum (`priority`).
    Priority,
}

/// An objective term named as a planner's goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalIn {
    /// C5: cross-grade penalty points.
    Eligibility,
    /// C7: members over the span target.
    Span,
    /// C8: hours outside the workload band.
    Balance,
    /// C9: move cost.
    Moves,
}

impl GoalIn {
    /// The rule whose term the goal minimises.
    pub fn rule(self) -> crate::codes::Rule {
        use crate::codes::Rule;
        match self {
            GoalIn::Eligibility => Rule::C5,
            GoalIn::Span => Rule::C7,
            GoalIn::Balance => Rule::C8,
            GoalIn::Moves => Rule::C9,
        }
    }
}

/// One stage of priority mode.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageIn {
    pub goal: GoalIn,
    /// Later stages keep this goal within (1 + tolerance) × its optimum (plus 1e-6).
    #[serde(default)]
    pub tolerance: f64,
}

/// Change control (C10–C12); null = no limit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ChangeControlIn {
    /// C10: most groups that may change manager in a region.
    pub max_moved_groups: Option<f64>,
    /// C10: most members in groups that change manager in a region.
    pub max_moved_members: Option<f64>,
    /// C11: most share (0–1) of an available manager's current book that may leave it.
    pub max_book_change: Option<f64>,
    /// C12: a group moved fewer days than this before `as_of` stays unless a hard rule forces it.
    pub min_days_between_moves: Option<f64>,
    /// The planning date (YYYY-MM-DD) that `last_moved` is measured against.
    pub as_of: Option<String>,
}

/// Per-region solver limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SolverIn {
    pub time_limit_seconds: f64,
    pub relative_gap: f64,
    pub seed: u32,
    /// Work mode: each region stops on this much counted work (about one second of one core
    /// of a 2-core machine per unit), so a rerun gives the same plan on an idle or a loaded
    /// machine; `time_limit_seconds` is then only a safety stop. Absent: the clock decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_limit: Option<f64>,
}

/// Everything a planner tunes. Omitted fields, at any depth, take the default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyIn {
    /// Penalty per star×class pair; null = forbidden (C5).
    #[serde(default)]
    pub eligibility: ByClass<ByStar<Option<f64>>>,
    #[serde(default)]
    pub service: ByClass<ServiceIn>,
    /// Hours a full-time manager works per month.
    #[serde(default)]
    pub monthly_hours: f64,
    #[serde(default)]
    pub member_span: MemberSpanIn,
    /// Most groups per manager by star (C6), scaled by capacity and rounded down.
    #[serde(default)]
    pub max_groups: ByStar<f64>,
    /// How unequal workloads are penalised (C8).
    #[serde(default)]
    pub balance: BalanceIn,
    /// The hours cap (C13): an available, non-frozen manager works at most monthly hours ×
    /// capacity × (1 + this share), e.g. 0.1 = 10 % overtime.
    #[serde(default)]
    pub overtime_allowance: f64,
    /// The utilisation staffing plans for (the hours rule of `starplan staff`), e.g. 0.85.
    #[serde(default)]
    pub target_utilisation: f64,
    /// Average members per group → groups per manager (表3); sorted, last row open.
    #[serde(default)]
    pub staffing_table: Vec<StaffingRowIn>,
    #[serde(default)]
    pub weights: WeightsIn,
    #[serde(default)]
    pub move_cost: ByClass<MoveCostIn>,
    #[serde(default)]
    pub mode: ModeIn,
    /// Goals in priority order (used when mode is "priority").
    #[serde(default)]
    pub priority: Vec<StageIn>,
    #[serde(default)]
    pub change_control: ChangeControlIn,
    /// Cost of one unit of a relaxed hard rule when a region cannot keep them all (status "relaxed").
    #[serde(default)]
    pub relaxation_penalty: f64,
    #[serde(default)]
    pub solver: SolverIn,
}

impl PolicyIn {
    /// C5 penalty of a star-`star` manager serving `class`; `None` = forbidden pair (or no
    /// such star).
    pub fn penalty(&self, class: super::input::ClassIn, star: i64) -> Option<f64> {
        self.eligibility.get(class).get(star).flatten()
    }
}

/// The default policy as a JSON value.
pub fn default_policy_value() -> Value {
    serde_json::from_str(DEFAULT_POLICY_JSON).expect("bundled default policy is valid JSON")
}

/// The user's (possibly partial) policy laid over the default: objects merge key by key at
/// every depth, anything else (numbers, null, arrays) replaces the default.
pub fn merged_policy_value(user: Option<&Value>) -> Value {
    let mut base = default_policy_value();
    if let Some(user) = user {
        let mut user = user.clone();
        rename_legacy_keys(&mut user);
        merge(&mut base, &user);
    }
    base
}

/// Keys of earlier versions, read under their current names: `weights.mismatch` is
/// `weights.eligibility` (C5 has one name everywhere since version 0.2).
pub fn rename_legacy_keys(policy: &mut Value) {
    if let Some(Value::Object(w)) = policy.get_mut("weights") {
        if let Some(v) = w.remove("mismatch") {
            w.entry("eligibility").or_insert(v);
        }
    }
}

/// Lays `over` on `base`: objects merge key by key, anything else replaces.
pub fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

/// The bundled default policy (never zeros).
impl Default for PolicyIn {
    fn default() -> Self {
        default_policy()
    }
}

/// true when the policy is the bundled default, so that files need not repeat it.
pub fn is_default(p: &PolicyIn) -> bool {
    *p == default_policy()
}

/// The default policy, typed.
pub fn default_policy() -> PolicyIn {
    serde_json::from_value(default_policy_value()).expect("bundled default policy matches PolicyIn")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_policy_keeps_every_sibling_default() {
        let user: Value =
            serde_json::json!({ "eligibility": { "A": { "2": 5 } }, "solver": { "seed": 7 } });
        let p: PolicyIn = serde_json::from_value(merged_policy_value(Some(&user))).unwrap();
        let d = default_policy();
        assert_eq!(p.eligibility.A.two, Some(5.0));
        assert_eq!(p.eligibility.A.three, d.eligibility.A.three);
        assert_eq!(p.eligibility.B, d.eligibility.B);
        assert_eq!(p.solver.seed, 7);
        assert_eq!(p.solver.time_limit_seconds, d.solver.time_limit_seconds);
    }

    #[test]
    fn null_forbids_a_pair_and_arrays_replace() {
        let user: Value = serde_json::json!({
            "eligibility": { "C": { "3": null } },
            "staffing_table": [ { "max_avg_members": null, "groups_min": 1, "groups_max": 2 } ]
        });
        let p: PolicyIn = serde_json::from_value(merged_policy_value(Some(&user))).unwrap();
        assert_eq!(p.eligibility.C.three, None);
        assert_eq!(p.staffing_table.len(), 1);
    }

    #[test]
    fn the_default_policy_is_omitted_when_serialising() {
        assert!(is_default(&PolicyIn::default()));
        let mut p = PolicyIn::default();
        p.weights.moves = 3.0;
        assert!(!is_default(&p));
    }
}
