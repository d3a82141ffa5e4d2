//! Serde types of certification: assessments and grade rules in, proposed stars and counts out.

use super::staffing::Range;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Half-yearly assessment results and the rules that turn them into grades.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentsFile {
    pub schema_version: u32,
    /// Grade rules by star: "1", "2", "3".
    pub rules: GradeRules,
    /// Most managers of a star per region after certification; only promotions are held back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quotas: Option<Quotas>,
    pub assessments: Vec<Assessment>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeRules {
    #[serde(rename = "1")]
    pub one: GradeRule,
    #[serde(rename = "2")]
    pub two: GradeRule,
    #[serde(rename = "3")]
    pub three: GradeRule,
}

/// What it takes to enter and to keep one star.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeRule {
    /// Score needed to be promoted into this star (null for 1 star: nobody is promoted into it).
    pub promote_min_score: Option<f64>,
    /// Months in the current grade needed before a promotion into this star.
    #[serde(default)]
    pub promote_min_months: f64,
    /// Most complaints in the period for a promotion into this star; null = no limit.
    #[serde(default)]
    pub promote_max_complaints: Option<u32>,
    /// A manager of this star scoring below this is demoted one level (null for 1 star).
    pub keep_min_score: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quotas {
    /// Use the staffing estimate's `required.max` per region and star as the quota.
    #[serde(default)]
    pub from_staffing: bool,
    /// Explicit quotas by region and star ("1", "2", "3"); they override the staffing ones.
    #[serde(default)]
    pub limits: BTreeMap<String, BTreeMap<String, u32>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub manager: String,
    /// Assessment score, 0–100.
    pub score: f64,
    /// Months in the current grade at the end of the period.
    pub months_in_grade: f64,
    #[serde(default)]
    pub complaints: u32,
}

/// What certification proposes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificationFile {
    pub schema_version: u32,
    /// One per manager, by id.
    pub decisions: Vec<Decision>,
    /// Per region and star: available managers before and after, the quota and the staffing estimate.
    pub counts: Vec<GradeCount>,
    /// The targeted re-solve with the new grades.
    pub resolve: Option<Resolve>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Promoted,
    Demoted,
    Kept,
    /// Met the promotion rule but the region's quota for the higher star was full.
    HeldBack,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub manager: String,
    pub region: String,
    pub star_before: u8,
    pub star_after: u8,
    pub verdict: Verdict,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeCount {
    pub region: String,
    pub star: u8,
    pub before: usize,
    pub after: usize,
    pub quota: Option<u32>,
    /// The staffing estimate's required range for this star (`starplan staff`).
    pub required: Range,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolve {
    /// Groups whose pairing with their manager is no longer allowed or got a higher penalty, or
    /// that had no available manager: the only groups the re-solve may move.
    pub freed_groups: Vec<String>,
    /// Groups that changed manager in the re-solved plan.
    pub moved_groups: Vec<String>,
}
