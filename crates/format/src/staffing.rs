//! Serde types of the staffing estimate (`starplan staff --format json`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffingFile {
    pub schema_version: u32,
    /// One row per region and star, regions in id order, stars 3, 2, 1. Frozen managers and
    /// the groups in their books are left out: their books are fixed.
    pub rows: Vec<StaffingLine>,
    /// Province totals per star (sums of the region rows).
    pub totals: Vec<StaffingLine>,
    /// `staff --exact`: re-solved answers per region and star.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exact: Vec<ExactLine>,
}

/// The exact answer for one region and star, from re-solving the region's MIP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExactLine {
    pub region: String,
    pub star: u8,
    /// What counting alone says is missing (`hard_shortfall`): where the search starts.
    pub counted: u64,
    /// The fewest full-time managers of this star to add so that the region keeps every hard
    /// rule (0 = it already does); null when none up to `searched_up_to` did (within the time
    /// limit of each solve).
    pub added: Option<u64>,
    /// The region's objective with those managers added.
    pub objective: Option<f64>,
    /// …and with one more manager of this star.
    pub objective_with_one_more: Option<f64>,
    /// objective − objective_with_one_more: what one more manager of this star is worth.
    pub gain_of_one_more: Option<f64>,
    pub searched_up_to: u64,
}

/// A whole-manager range, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Range {
    pub min: u64,
    pub max: u64,
}

impl std::fmt::Display for Range {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}–{}", self.min, self.max)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffingLine {
    /// Region id, or "*" for a province total.
    pub region: String,
    pub star: u8,
    /// The class this star serves: 3★ A, 2★ B, 1★ C.
    pub class: String,
    pub groups: usize,
    pub members: u64,
    pub avg_members: f64,
    /// Groups one manager serves, from the staffing table row of avg_members (表3); null for totals.
    pub groups_per_manager: Option<Range>,
    /// Managers needed by the groups rule: groups ÷ groups_per_manager, rounded to nearest.
    pub groups_rule: Range,
    /// Managers needed by the members rule: members ÷ span max .. members ÷ span target, rounded to nearest.
    pub members_rule: Range,
    /// Monthly service hours of these groups (the solver's workload: visits × hours per visit + members × hours per member).
    pub hours: f64,
    /// Managers needed by the hours rule: hours ÷ (monthly hours × (1 + overtime)) .. hours ÷ (monthly hours × target utilisation), rounded to nearest.
    pub hours_rule: Range,
    /// The largest of the rules at each end (full-time managers).
    pub required: Range,
    /// The rule that sets required.max: "groups", "members" or "hours".
    pub binding: String,
    /// Available, non-frozen managers of this star now (heads).
    pub current: usize,
    /// Their summed capacity (full-time equivalents); every comparison uses this.
    pub current_fte: f64,
    /// Full-time managers of this star without which the region cannot keep its capacity
    /// rules (C6, C7, C13) at all: the same counting the solver's diagnoses D001, D002 and
    /// D007 use (models/staffing.md).
    pub hard_shortfall: u64,
    /// Whole full-time managers to hire: required.min − current_fte rounded up, and at least
    /// hard_shortfall.
    pub shortfall: u64,
    /// current_fte − required.max rounded down, when positive.
    pub surplus: u64,
}
