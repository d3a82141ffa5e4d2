//! The checker's verdict on a plan, as `starplan check`, `merge`'s re-check and POST /v1/check all report it: the policy used, per region the status and the kind of its proof in words, and every violation.

use super::{check, checked_input, Violation};
use serde::Serialize;
use starplan_format::errors::InputError;
use starplan_format::input::InputFile;
use starplan_format::output::{PlanFile, ProofKind, RegionPlan, Status};

/// One region's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionVerdict {
    pub id: String,
    pub status: Status,
    /// Which kind of proof stands behind the region's bound.
    pub proof: ProofKind,
    pub certified_gap: Option<f64>,
    pub solver_gap: Option<f64>,
    /// The same in words.
    pub verdict: String,
}

/// The whole verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub valid: bool,
    /// Which policy the plan was checked with, and why.
    pub policy: Vec<String>,
    pub regions: Vec<RegionVerdict>,
    pub violations: Vec<Violation>,
}

fn pct(g: f64) -> String {
    format!("{:.2} %", g * 100.0)
}

/// A region's status and proof in words.
pub fn words(rp: &RegionPlan, broken: usize) -> String {
    if broken > 0 {
        return format!("NOT valid: {broken} violations");
    }
    let p = &rp.proof;
    let cert = p
        .certified_gap
        .map_or("no certified bound".to_string(), |g| {
            format!("certified gap {}", pct(g))
        });
    let solver = p
        .solver_gap
        .map(|g| format!("solver-reported gap {} (not re-derived)", pct(g)));
    let both = match &solver {
        Some(s) => format!("{cert}; {s}"),
        None => cert.clone(),
    };
    match (rp.status, p.kind) {
        (Status::Optimal, ProofKind::Certified) => format!("optimal, certified: {cert}"),
        (Status::Optimal, _) => format!(
            "optimal as the solver reports it, not certified: {both}"
        ),
        (Status::Feasible, _) => format!("feasible, not proven optimal: {both}"),
        (Status::Relaxed, _) => format!(
            "relaxed: breaks the hard rules by the listed amounts, each the plan's real excess; the amounts are not proven minimal ({} relaxations)",
            rp.relaxations.len()
        ),
        (Status::Infeasible, _) => "infeasible, proven: a group has no manager it may end with".into(),
        (Status::Timeout, _) => "no plan: the time limit passed first".into(),
        (Status::Error, _) => "no plan: the solver failed".into(),
    }
}

/// Checks `plan` against `raw` with the policy found by [`checked_input`] (the input's with
/// the plan's recorded overrides, then `extra`).
pub fn verdict(
    raw: &InputFile,
    plan: &PlanFile,
    extra: &[String],
) -> Result<Verdict, Vec<InputError>> {
    let found = checked_input(raw, plan, extra)?;
    let mut violations = found.violations;
    violations.extend(check(&found.input, plan));
    let regions = plan
        .regions
        .iter()
        .map(|rp| {
            let broken = violations
                .iter()
                .filter(|v| v.region.as_deref() == Some(rp.id.as_str()))
                .count();
            RegionVerdict {
                id: rp.id.clone(),
                status: rp.status,
                proof: rp.proof.kind,
                certified_gap: rp.proof.certified_gap,
                solver_gap: rp.proof.solver_gap,
                verdict: words(rp, broken),
            }
        })
        .collect();
    Ok(Verdict {
        valid: violations.is_empty(),
        policy: found.notes,
        regions,
        violations,
    })
}
