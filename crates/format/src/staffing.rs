//! Serde types of the staffing estimate (`starplan staff --format json`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffingFile {
    pub schema_version: u32,
    /// One row per region and star, regions in id order, stars 3, 2, 1.
    pub rows: Vec<StaffingLine>,
    /// Province totals per star (sums of the region rows).
    pub totals: Vec<StaffingLine>,
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
    /// The larger of the two rules at each end.
    pub required: Range,
    /// The rule that sets required.max: "groups" or "members".
    pub binding: String,
    /// Available managers of this star now.
    pub current: usize,
    /// Their summed capacity (full-time equivalents).
    pub current_fte: f64,
    /// required.min − current, when positive.
    pub shortfall: u64,
    /// current − required.max, when positive.
    pub surplus: u64,
}
