//! Serde types of the input file (`schema_version: 1`): regions, managers, groups and the policy block.

use super::policy::PolicyIn;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A province to plan: its regions, account managers and group customers.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    /// Must be 1.
    pub schema_version: u32,
    /// Planner-tunable settings; every omitted field takes its default (models/policy.md).
    #[serde(default, skip_serializing_if = "super::policy::is_default")]
    pub policy: PolicyIn,
    pub regions: Vec<RegionIn>,
    pub managers: Vec<ManagerIn>,
    pub groups: Vec<GroupIn>,
}

/// A region (city branch): the unit of planning.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionIn {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

fn one() -> f64 {
    1.0
}
fn yes() -> bool {
    true
}
fn is_one(v: &f64) -> bool {
    *v == 1.0
}
fn is_true(v: &bool) -> bool {
    *v
}
fn is_false(v: &bool) -> bool {
    !*v
}

/// An account manager.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagerIn {
    pub id: String,
    /// Id of the manager's region.
    pub region: String,
    /// Grade: 1, 2 or 3 stars.
    #[schemars(range(min = 1, max = 3))]
    pub star: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Share of a full-time workload (1.0 = full time); scales C6, C7 and C8.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub capacity: f64,
    /// false = leaving or on leave: ends with no groups (C4).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub available: bool,
    /// true = keeps exactly its current groups and takes no others (C3).
    #[serde(default, skip_serializing_if = "is_false")]
    pub frozen: bool,
}

/// Group class, A highest.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum ClassIn {
    A,
    B,
    C,
}

impl ClassIn {
    pub const ALL: [ClassIn; 3] = [ClassIn::A, ClassIn::B, ClassIn::C];
    /// Index in class order A, B, C.
    pub fn idx(self) -> usize {
        self as usize
    }
    pub fn letter(self) -> &'static str {
        ["A", "B", "C"][self.idx()]
    }
    /// The star meant to serve this class (the article's step 6: 3★ A, 2★ B, 1★ C).
    pub fn home_star(self) -> i64 {
        3 - self.idx() as i64
    }
    /// The class a star is meant to serve.
    pub fn home_of(star: i64) -> ClassIn {
        match star {
            3 => ClassIn::A,
            2 => ClassIn::B,
            _ => ClassIn::C,
        }
    }
}

/// A group customer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupIn {
    pub id: String,
    /// Id of the group's region.
    pub region: String,
    pub class: ClassIn,
    /// Number of members (subscribers) in the group.
    #[schemars(range(min = 0, max = 4294967295u32))]
    pub members: i64,
    /// Id of the manager serving it now; absent or null = new, unassigned group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_manager: Option<String>,
    /// true = must stay with current_manager (C2).
    #[serde(default, skip_serializing_if = "is_false")]
    pub pinned: bool,
    /// Date (YYYY-MM-DD) the group last changed manager (C12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_moved: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}
