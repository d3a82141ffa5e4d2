//! The one table of stable IDs: rules (C…), checker codes (S, K, L, T, P, N) and diagnoses (D…), each with its name, title and the section of models/*.md that defines it.
//!
//! Input errors (E…) have their own table in [`crate::errors`]. Every other place (model
//! builders, relaxations, diagnoses, reasons, objective terms, priority goals, the plan
//! format and the checker) names a rule through these enums, never through a string.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! table {
    (
        $(#[$meta:meta])* $ty:ident {
            $($code:ident => $name:literal, $title:literal, $doc:literal;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $ty { $($code),* }

        impl $ty {
            /// Every code, in table order.
            pub const ALL: &'static [$ty] = &[$($ty::$code),*];
            /// The stable code, e.g. `C5`.
            pub fn code(self) -> &'static str {
                match self { $($ty::$code => stringify!($code)),* }
            }
            /// The one name used for it in the policy, the plan and the docs.
            pub fn name(self) -> &'static str {
                match self { $($ty::$code => $name),* }
            }
            /// One line saying what it means.
            pub fn title(self) -> &'static str {
                match self { $($ty::$code => $title),* }
            }
            /// The document (under models/) whose table defines it.
            pub fn doc(self) -> &'static str {
                match self { $($ty::$code => $doc),* }
            }
            /// The code named `s`, e.g. `"C5"`.
            pub fn from_code(s: &str) -> Option<$ty> {
                Self::ALL.iter().copied().find(|c| c.code() == s)
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

table! {
    /// A constraint family of the region model (models/assignment.md, models/priorities.md).
    Rule {
        C1 => "assignment", "each group ends with exactly one manager of its region", "assignment.md";
        C2 => "pinned", "a pinned group stays with its current manager", "assignment.md";
        C3 => "frozen", "a frozen manager keeps exactly its book", "assignment.md";
        C4 => "unavailable", "an unavailable manager ends with no groups", "assignment.md";
        C5 => "eligibility", "forbidden star×class pairs never occur; allowed cross-grade pairs cost their penalty", "assignment.md";
        C6 => "max_groups", "groups per manager at most max_groups × capacity", "assignment.md";
        C7 => "span", "members at most the span maximum; members above the span target are penalised", "assignment.md";
        C8 => "balance", "workloads as equal as possible within each grade", "assignment.md";
        C9 => "moves", "the current layout changes as little as the other goals allow", "assignment.md";
        C10 => "move_budget", "groups and members moved in a region at most the budget", "priorities.md";
        C11 => "book_change", "at most a share of an available manager's book leaves it", "priorities.md";
        C12 => "recent_move", "a recently moved group stays unless a hard rule forces it", "priorities.md";
        C13 => "hours", "an available, non-frozen manager works at most its monthly hours × capacity × (1 + overtime allowance)", "assignment.md";
    }
}

table! {
    /// A checker code that is not a rule: structure, figures, bound and claims (models/assignment.md).
    Check {
        S1 => "structure", "schema version, region list, sort order, counts, claims made without a plan, relaxations outside a relaxed region", "assignment.md";
        K1 => "kpis", "a before or after KPI differs from the recomputed one", "assignment.md";
        K2 => "moved", "an assignment's previous_manager or moved is wrong", "assignment.md";
        K3 => "reasons", "a moved group without a reason, or a reason that is not true", "assignment.md";
        L1 => "loads", "a manager's load (groups, members, hours, utilisation) is wrong", "assignment.md";
        T1 => "terms", "an objective term or the objective differs from the recomputed one", "assignment.md";
        T2 => "bound", "the bound is above the objective, or the gap does not follow from them", "assignment.md";
        T3 => "baselines", "a baseline is not the objective of the layout it names", "assignment.md";
        T4 => "status", "the status claims more than the figures show: optimal above the policy's gap, or progress times that cannot be", "assignment.md";
        T5 => "certificate", "a certified bound that the checker's own evaluation of its certificate does not reach, or a certificate that is malformed or of the wrong signs", "assignment.md";
        V1 => "policy", "the policy recorded in the plan is not the input's policy with the recorded overrides", "assignment.md";
        P1 => "stages", "priority mode: a stage limit broken, a stage bound above its value, or a last stage value that is not the plan's", "assignment.md";
        N1 => "never_worse", "the plan is worse than a current layout that keeps every hard rule", "assignment.md";
        R1 => "relaxed", "a relaxed region that nothing the checker re-derives justifies, or a listed diagnosis that is not true of the input", "assignment.md";
        R2 => "relaxation_unused", "a relaxation listed for more than the plan's real excess of that rule", "assignment.md";
        I1 => "infeasible", "a region called infeasible that the checker cannot prove has no plan: every group has a manager it may end with", "assignment.md";
    }
}

table! {
    /// A counting diagnosis of a region that cannot keep every hard rule (models/priorities.md).
    DiagnosisCode {
        D000 => "solver_proof", "HiGHS proved the hard rules cannot all hold, for a reason the counting checks do not see", "priorities.md";
        D001 => "seats", "groups of a set of classes exceed the seats (max_groups) of the managers allowed to serve them", "priorities.md";
        D002 => "members", "members of a set of classes exceed the span maximum of the managers allowed to serve them", "priorities.md";
        D003 => "forced_moves", "the move budget is smaller than the moves no plan can avoid", "priorities.md";
        D004 => "forced_book_change", "a manager's forced departures exceed the book-change share", "priorities.md";
        D005 => "pinned_overload", "pinned or recently moved groups exceed their manager's own limits", "priorities.md";
        D006 => "no_manager", "a group has no manager it may end with", "priorities.md";
        D007 => "hours_short", "the service hours of a set of classes exceed the hours (with overtime) of the managers allowed to serve them", "priorities.md";
    }
}

impl DiagnosisCode {
    /// The rule a diagnosis is about; `None` when the cause is not known (D000).
    pub fn rule(self) -> Option<Rule> {
        match self {
            DiagnosisCode::D000 => None,
            DiagnosisCode::D001 => Some(Rule::C6),
            DiagnosisCode::D002 => Some(Rule::C7),
            DiagnosisCode::D003 => Some(Rule::C10),
            DiagnosisCode::D004 => Some(Rule::C11),
            DiagnosisCode::D005 => Some(Rule::C6),
            DiagnosisCode::D006 => Some(Rule::C1),
            DiagnosisCode::D007 => Some(Rule::C13),
        }
    }
}

impl Rule {
    /// The objective terms, in the order the plan lists them.
    pub const TERMS: [Rule; 4] = [Rule::C5, Rule::C7, Rule::C8, Rule::C9];

    /// Rules a `relaxed` region may break, up to the amounts it lists.
    pub const RELAXABLE: [Rule; 6] = [
        Rule::C5,
        Rule::C6,
        Rule::C7,
        Rule::C10,
        Rule::C11,
        Rule::C12,
    ];

    /// The place of an objective term in [`Rule::TERMS`].
    pub fn term_index(self) -> Option<usize> {
        Rule::TERMS.iter().position(|&r| r == self)
    }
}

/// Why a group moved, or which soft rule it breaks where it stays; each kind belongs to one rule.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// A new group, placed for the first time (C1).
    New,
    /// Its manager is leaving (C4).
    Leaving,
    /// Its pair with the old manager is forbidden (C5).
    Forbidden,
    /// The new manager's grade fits its class better (C5).
    CrossGrade,
    /// It stays on a cross-grade pair: moving would cost more than it saves (C5).
    CrossGradeKept,
    /// The old manager held more groups than its limit (C6).
    OverCapacity,
    /// The old manager covered more members than its span maximum (C7).
    OverSpanMax,
    /// The old manager covered more members than its span target (C7).
    OverSpanTarget,
    /// The old manager worked more hours than its cap (C13).
    OverHours,
    /// Workloads become more equal (C8).
    Balance,
}

impl ReasonKind {
    /// The rule the reason belongs to.
    pub fn rule(self) -> Rule {
        match self {
            ReasonKind::New => Rule::C1,
            ReasonKind::Leaving => Rule::C4,
            ReasonKind::Forbidden | ReasonKind::CrossGrade | ReasonKind::CrossGradeKept => Rule::C5,
            ReasonKind::OverCapacity => Rule::C6,
            ReasonKind::OverSpanMax | ReasonKind::OverSpanTarget => Rule::C7,
            ReasonKind::OverHours => Rule::C13,
            ReasonKind::Balance => Rule::C8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_names_are_unique() {
        for r in Rule::ALL {
            assert_eq!(Rule::from_code(r.code()), Some(*r));
            assert_eq!(
                serde_json::to_string(r).unwrap(),
                format!("\"{}\"", r.code())
            );
        }
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        names.extend(Check::ALL.iter().map(|c| c.name()));
        let before = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), before, "a name is used twice");
    }
}
