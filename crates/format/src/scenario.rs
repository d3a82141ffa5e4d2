//! Serde types of a what-if scenario: a named change on top of a base input.

use super::input::{GroupIn, ManagerIn};
use super::policy::PolicyIn;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A change on top of a base input. Every list is optional; they apply in the order listed
/// here: removals, unavailability, updates, additions, pins, assignments, then the policy override.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Must be 1.
    pub schema_version: u32,
    /// Names the run and its output files (`<name>.plan.json`).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Managers that disappear; their groups become new, unassigned groups.
    #[serde(default)]
    pub remove_managers: Vec<String>,
    /// Managers that leave or go on leave: their groups must move (C4).
    #[serde(default)]
    pub unavailable_managers: Vec<String>,
    /// Field changes on existing managers (star, capacity, available, frozen).
    #[serde(default)]
    pub update_managers: Vec<ManagerUpdate>,
    #[serde(default)]
    pub add_managers: Vec<ManagerIn>,
    #[serde(default)]
    pub remove_groups: Vec<String>,
    #[serde(default)]
    pub add_groups: Vec<GroupIn>,
    /// Groups to pin to their current manager.
    #[serde(default)]
    pub pin: Vec<String>,
    #[serde(default)]
    pub unpin: Vec<String>,
    /// Groups the planner puts with a named manager of their region. The group is taken as
    /// already there and pinned (C2): the plan is what follows from that decision.
    #[serde(default)]
    pub assign: Vec<AssignTo>,
    /// Policy values laid over the base input's policy, like a partial policy block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<PolicyIn>")]
    pub policy: Option<serde_json::Value>,
}

/// A group and the manager it goes to.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignTo {
    pub group: String,
    pub manager: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagerUpdate {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub star: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frozen: Option<bool>,
}
