//! The checker on its own, without any solver: a stored plan of `fixtures/checker-base.json`
//! (written by `starplan solve`) is accepted, and the same plan with a bound above its
//! objective, or claiming `optimal` above the policy's gap, is rejected under T2 and T4, and
//! its certified bound raised past what its certificate proves is rejected under T5.
//! `cargo test -p starplan-checker` runs these on a machine without cmake or libclang.

use starplan_checker::{check, Code};
use starplan_format::codes::Check;
use starplan_format::output::{PlanFile, Proof, ProofKind, Status};
use starplan_format::InputFile;
use std::path::PathBuf;

fn fixture(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn base() -> (InputFile, PlanFile) {
    let input = starplan_format::validate::load_input(&fixture("checker-base.json")).unwrap();
    let plan = starplan_format::parse::plan_file(&fixture("checker/base.plan.json")).unwrap();
    (input, plan)
}

fn codes(input: &InputFile, plan: &PlanFile) -> Vec<Code> {
    check(input, plan).into_iter().map(|v| v.code).collect()
}

#[test]
fn the_stored_plan_is_valid() {
    let (input, plan) = base();
    assert_eq!(check(&input, &plan), vec![]);
}

#[test]
fn a_bound_above_the_objective_is_t2() {
    let (input, mut plan) = base();
    let r = &mut plan.regions[0];
    let o = r.objective.unwrap();
    r.bound = Some(o + 5.0);
    r.gap = Some(-5.0 / o.abs().max(1.0));
    assert!(codes(&input, &plan).contains(&Code::Check(Check::T2)));
}

#[test]
fn optimal_above_the_gap_is_t4() {
    let (input, mut plan) = base();
    let r = &mut plan.regions[0];
    let o = r.objective.unwrap();
    let b = o - 0.05 * o.abs().max(1.0);
    let gap = (o - b) / o.abs().max(1.0);
    r.status = Status::Optimal;
    r.bound = Some(b);
    r.gap = Some(gap);
    // A solver-reported bound only, every figure consistent: the status alone claims too much.
    r.proof = Proof {
        kind: ProofKind::SolverReported,
        solver_bound: Some(b),
        solver_gap: Some(gap),
        ..Proof::default()
    };
    assert_eq!(codes(&input, &plan), vec![Code::Check(Check::T4)]);
}

#[test]
fn an_invented_one_percent_time_is_t4() {
    let (input, mut plan) = base();
    let r = &mut plan.regions[0];
    r.progress.seconds_to_1pct_gap = Some(r.seconds + 100.0);
    assert!(codes(&input, &plan).contains(&Code::Check(Check::T4)));
}

#[test]
fn a_certified_bound_past_its_certificate_is_t5() {
    let (input, mut plan) = base();
    let r = &mut plan.regions[0];
    assert!(
        r.proof.certificate.is_some(),
        "the stored plan carries a certificate"
    );
    let o = r.objective.unwrap();
    let raised = r.proof.certified_bound.unwrap() + 0.01 * o.abs().max(1.0);
    r.proof.certified_bound = Some(raised.min(o));
    r.proof.certified_gap = Some((o - raised.min(o)) / o.abs().max(1.0));
    r.bound = Some(raised.min(o));
    r.gap = r.proof.certified_gap;
    assert_eq!(codes(&input, &plan), vec![Code::Check(Check::T5)]);
}
