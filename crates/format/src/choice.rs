//! Serde types of the management-model choice (表1 / 图2): criteria in, totals, choice and sensitivity out.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The three ways of organising group-customer work that the article compares.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// 支撑式: a team inside the marketing department.
    Supporting,
    /// 并列式: a group-business department beside marketing.
    Parallel,
    /// 垂直式: data and group functions under one vertical line.
    Vertical,
}

impl Model {
    pub const ALL: [Model; 3] = [Model::Supporting, Model::Parallel, Model::Vertical];
    /// The article's matching organisational strategy.
    pub fn strategy(self) -> &'static str {
        match self {
            Model::Supporting => "steady optimisation (稳健优化)",
            Model::Parallel => "leapfrog (跨越领先)",
            Model::Vertical => "fast catch-up (快速追赶)",
        }
    }
}

/// Decision variables with weights and each model's score (0–10).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriteriaFile {
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub variables: Vec<Variable>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Relative weight, 0 or more; totals divide by the sum of weights.
    pub weight: f64,
    pub scores: Scores,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    pub supporting: f64,
    pub parallel: f64,
    pub vertical: f64,
}

impl Scores {
    pub fn of(&self, m: Model) -> f64 {
        match m {
            Model::Supporting => self.supporting,
            Model::Parallel => self.parallel,
            Model::Vertical => self.vertical,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceFile {
    pub schema_version: u32,
    /// Weighted totals, best first.
    pub totals: Vec<Total>,
    pub choice: Model,
    pub strategy: String,
    /// The choice's lead over the runner-up, in total points.
    pub margin: f64,
    /// Per variable: the smallest single change that makes another model tie with the choice.
    pub sensitivity: Vec<Sensitivity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Total {
    pub model: Model,
    pub total: f64,
    pub rank: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sensitivity {
    pub variable: String,
    pub weight: f64,
    /// The weight at which another model ties (others unchanged); null if no weight ≥ 0 does it.
    pub weight_tie: Option<Tie>,
    /// The smallest change of one score on this variable (0–10) that makes another model tie; null if none.
    pub score_tie: Option<ScoreTie>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tie {
    pub to: f64,
    pub change: f64,
    /// The model that would tie.
    pub rival: Model,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreTie {
    /// Whose score moves.
    pub model: Model,
    pub from: f64,
    pub to: f64,
    pub rival: Model,
}
