//! Serde types of the what-if comparison (`whatif.json`) and of a plan diff.

use super::output::Status;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Base and scenarios side by side, region by region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfFile {
    pub schema_version: u32,
    /// "base" first, then the scenarios in the order given.
    pub runs: Vec<String>,
    pub regions: Vec<RegionRuns>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionRuns {
    pub id: String,
    pub runs: Vec<RunFigures>,
}

/// One run's figures for a region; `delta` is this run minus the base (null for the base).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunFigures {
    pub run: String,
    pub status: Status,
    pub figures: Figures,
    pub delta: Option<Figures>,
    /// Groups whose manager differs from the base run's plan (null for the base, and where
    /// either run has no plan for the region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_from_base: Option<usize>,
    /// The scenario does not touch the region: its block is the base plan's, unchanged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub carried_over: bool,
}

/// The KPIs a planner compares; null where the run has no plan for the region.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    pub objective: Option<f64>,
    pub groups_moved: Option<f64>,
    pub mismatched: Option<f64>,
    pub unserved: Option<f64>,
    pub managers_over_span_target: Option<f64>,
    pub span_max: Option<f64>,
    pub utilisation_spread: Option<f64>,
}

/// The differences between two layouts (two plans, or a plan and the input's current layout).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffFile {
    pub schema_version: u32,
    /// What was compared: file names, "A" first.
    pub a: String,
    pub b: String,
    pub regions: Vec<RegionDiff>,
    /// Groups whose manager differs, over all regions.
    pub changed_groups: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionDiff {
    pub id: String,
    /// Each group whose manager differs, by group id.
    pub changes: Vec<Change>,
    /// Per manager touched: groups gained and lost going from A to B.
    pub managers: Vec<ManagerChange>,
    /// KPIs of A and B and B − A; null where a side has no plan for the region.
    pub a: Option<Figures>,
    pub b: Option<Figures>,
    pub delta: Option<Figures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub group: String,
    /// Manager in A; null when the group has none there.
    pub from: Option<String>,
    /// Manager in B; null when the group has none there.
    pub to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagerChange {
    pub manager: String,
    pub gained: Vec<String>,
    pub lost: Vec<String>,
}
