//! The independent checker: reads only the input and plan formats (starplan-format) and re-derives every rule, KPI, load, term and claim from scratch.
//!
//! It depends on no solver crate, so a mistake in the model or the engine cannot be
//! repeated here: every formula is written again from models/assignment.md. Violation
//! codes are the rule IDs (C1…) and check IDs (S, K, L, T, P, N) of the one table in
//! `starplan_format::codes`.

mod assignments;
mod balance;
mod baselines;
mod bounds;
mod candidates;
mod certificate;
mod claims;
mod diagnoses;
mod infeasible;
mod knapsack;
mod kpis;
mod loads;
mod policy;
mod proofs;
mod reasons;
mod rules;
mod terms;
mod verdict;
mod view;
mod whole;

pub use certificate::TOLERANCE as CERTIFICATE_TOLERANCE;
pub use policy::{checked_input, CheckedInput};
pub use verdict::{verdict, RegionVerdict, Verdict};

use rayon::prelude::*;
use serde::{Serialize, Serializer};
use starplan_format::codes::{Check, Rule};
use starplan_format::input::InputFile;
use starplan_format::output::{PlanFile, RegionPlan};
use std::fmt;
use view::RegionView;

/// A violation code: a rule broken, or a check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    Rule(Rule),
    Check(Check),
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Rule(r) => r.code(),
            Code::Check(c) => c.code(),
        }
    }
}

impl From<Rule> for Code {
    fn from(r: Rule) -> Code {
        Code::Rule(r)
    }
}

impl From<Check> for Code {
    fn from(c: Check) -> Code {
        Code::Check(c)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One way a plan breaks a rule or misstates a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub code: Code,
    pub region: Option<String>,
    pub message: String,
}

/// Absolute-or-relative tolerance for reported figures (they are rounded to 6 decimals).
pub(crate) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-5 * a.abs().max(b.abs()).max(1.0)
}

/// Checks a plan against its input. An empty list means the plan is valid.
///
/// Regions are checked in parallel on rayon's global pool (`RAYON_NUM_THREADS` sizes it;
/// every core by default): at national scale re-deriving the certificates is most of a
/// check, and regions share nothing. Violations keep the plan's region order.
pub fn check(input: &InputFile, plan: &PlanFile) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut v = |code: Code, region: Option<&str>, message: String| {
        out.push(Violation {
            code,
            region: region.map(str::to_string),
            message,
        })
    };
    assignments::structure(input, plan, &mut v);
    let chosen = assignments::chosen(input, plan, &mut v);
    let whole = whole::Whole::new(input, plan);
    // A region listed twice gets its assignments once (the structure check reports the
    // repeat), as the first listing.
    let mut seen = std::collections::HashSet::new();
    let empty = assignments::Chosen::new();
    let jobs: Vec<(&RegionPlan, &assignments::Chosen)> = plan
        .regions
        .iter()
        .map(|rp| {
            let first = seen.insert(rp.id.as_str());
            let mine = chosen.get(rp.id.as_str()).filter(|_| first);
            (rp, mine.unwrap_or(&empty))
        })
        .collect();
    let found: Vec<Vec<Violation>> = jobs
        .par_iter()
        .map(|&(rp, mine)| {
            let mut found = Vec::new();
            if let Some(view) = whole.region(&rp.id) {
                region(&view, rp, (plan, &whole), mine, &mut |code, message| {
                    found.push(Violation {
                        code,
                        region: Some(rp.id.clone()),
                        message,
                    })
                });
            }
            found
        })
        .collect();
    out.extend(found.into_iter().flatten());
    for (region, rest) in chosen.iter().filter(|(r, _)| !seen.contains(*r)) {
        out.push(Violation {
            code: Rule::C1.into(),
            region: Some(region.to_string()),
            message: format!(
                "{} groups assigned in a region the plan does not list",
                rest.len()
            ),
        });
    }
    out
}

/// The plan's provenance says region `id` is a planner's edit, rescored.
fn edited(plan: &PlanFile, id: &str) -> bool {
    plan.provenance.as_ref().is_some_and(|p| {
        p.regions
            .iter()
            .any(|r| r.id == id && r.origin == starplan_format::output::Origin::Edited)
    })
}

/// Every check of one region: its counts and before-KPIs, and, when it has a plan, the
/// rules, KPIs, terms, claims and loads of that plan.
fn region(
    view: &RegionView,
    rp: &starplan_format::output::RegionPlan,
    (plan, whole): (&PlanFile, &whole::Whole),
    mine: &assignments::Chosen,
    v: &mut dyn FnMut(Code, String),
) {
    let before = view.current_layout();
    kpis::same_kpis(&before.kpis(view), &rp.kpis.before, &mut |m| {
        v(Check::K1.into(), format!("before: {m}"))
    });
    if rp.groups != view.groups.len() || rp.managers != view.managers.len() {
        v(
            Check::S1.into(),
            format!(
                "region counts {} groups / {} managers, input has {} / {}",
                rp.groups,
                rp.managers,
                view.groups.len(),
                view.managers.len()
            ),
        );
    }
    // Diagnoses (R1) and the greedy baseline (T3) follow from the input alone.
    diagnoses::relaxed_claims(view, rp, v);
    baselines::greedy_baseline(view, rp, v);
    if !rp.status.has_plan() {
        assignments::no_plan(rp, mine, v);
        bounds::none_without_plan(rp, v);
        infeasible::check(view, rp, v);
        loads::none_listed(view, whole, &mut |m| v(Check::L1.into(), m));
        return;
    }
    for g in &view.groups {
        if !mine.contains_key(g.id.as_str()) {
            v(Rule::C1.into(), format!("group {} has no manager", g.id));
        }
    }
    let after = view.layout(|g| mine.get(g.id.as_str()).copied());
    rules::fixed(view, &after, v);
    reasons::check(view, &before, &after, &whole.assignments, v);
    rules::relaxable(view, &after, rp, v);
    match rp.kpis.after.as_ref() {
        None => v(Check::K1.into(), "a plan without after-KPIs".into()),
        Some(k) => kpis::same_kpis(&after.kpis(view), k, &mut |m| {
            v(Check::K1.into(), format!("after: {m}"))
        }),
    }
    terms::same_terms(view, &after, rp, v);
    terms::same_claims(rp, view.policy.solver.relative_gap, v);
    if let Some(o) = rp.objective {
        bounds::check(view, rp, o, v);
    }
    let raw = terms::raw_terms(view, &after);
    claims::baseline(view, rp, v);
    claims::stages(view, rp, &raw, v);
    // Never-worse is the optimiser's promise; a planner's edit (rescore) does not make it.
    if rp.status != starplan_format::output::Status::Relaxed && !edited(plan, &rp.id) {
        claims::never_worse(view, &raw, v);
    }
    loads::same_loads(view, &after, &whole.loads, &mut |m| v(Check::L1.into(), m));
}
