//! What a region's proof claims (T2, T5): the certified bound re-derived from its certificate, the solver-reported bound kept apart, `bound` the larger of the two and `proof.kind` naming which.

use super::certificate::{evaluate, TOLERANCE};
use super::view::RegionView;
use super::Code;
use starplan_format::codes::Check::{T2, T5};
use starplan_format::output::{ProofKind, RegionPlan, Status};
use starplan_format::policy::ModeIn;

fn gap_of(objective: f64, bound: f64) -> f64 {
    (objective - bound) / objective.abs().max(1.0)
}

fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => super::close(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// T2 and T5 for a region with a plan worth `objective`.
pub fn check(view: &RegionView, rp: &RegionPlan, objective: f64, v: &mut dyn FnMut(Code, String)) {
    let p = &rp.proof;
    let above = |b: f64| b > objective + 1e-6 * objective.abs().max(1.0);
    for (name, b, g) in [
        ("certified", p.certified_bound, p.certified_gap),
        ("solver-reported", p.solver_bound, p.solver_gap),
    ] {
        if b.is_some_and(above) {
            v(
                T2.into(),
                format!("the {name} bound {b:?} is above the objective {objective}"),
            );
        }
        if !same(g, b.map(|b| gap_of(objective, b))) {
            v(
                T2.into(),
                format!("the {name} gap {g:?} does not follow from its bound {b:?}"),
            );
        }
    }
    certified(view, rp, v);
    let larger = match (p.certified_bound, p.solver_bound) {
        (Some(c), Some(s)) => Some(c.max(s)),
        (c, s) => c.or(s),
    };
    if !same(rp.bound, larger) {
        v(
            T2.into(),
            format!(
                "bound {:?} is not the larger of the certified ({:?}) and solver-reported ({:?}) bounds",
                rp.bound, p.certified_bound, p.solver_bound
            ),
        );
    }
    let target = view.policy.solver.relative_gap;
    let kind = ProofKind::of(p.certified_bound, p.solver_bound, objective, target);
    if p.kind != kind {
        v(
            T2.into(),
            format!("proof.kind is {:?}, the bounds make it {kind:?}", p.kind),
        );
    }
}

/// T5: the certified bound is reached by the checker's own L(y) of its certificate, and a
/// certificate comes only where a bound on the weighted objective applies.
fn certified(view: &RegionView, rp: &RegionPlan, v: &mut dyn FnMut(Code, String)) {
    let p = &rp.proof;
    let (cb, cert) = match (p.certified_bound, p.certificate.as_ref()) {
        (None, None) => return,
        (Some(_), None) => return v(T5.into(), "a certified bound without a certificate".into()),
        (None, Some(_)) => return v(T5.into(), "a certificate without a certified bound".into()),
        (Some(b), Some(c)) => (b, c),
    };
    if view.policy.mode != ModeIn::Weighted || rp.status == Status::Relaxed {
        return v(
            T5.into(),
            "a certificate in a region whose objective is not the weighted one of its plan (priority mode or relaxed)".into(),
        );
    }
    match evaluate(view, cert) {
        Err(e) => v(
            T5.into(),
            format!("the certificate does not prove a bound: {e}"),
        ),
        Ok(own) if cb > own + TOLERANCE * cb.abs().max(1.0) => v(
            T5.into(),
            format!("the certificate proves {own}, the plan states a certified bound of {cb}"),
        ),
        Ok(_) => {}
    }
}

/// A region without a plan claims no bound, gap or proof.
pub fn none_without_plan(rp: &RegionPlan, v: &mut dyn FnMut(Code, String)) {
    if rp.bound.is_some() || rp.gap.is_some() || rp.proof != Default::default() {
        v(
            starplan_format::codes::Check::S1.into(),
            format!(
                "status {:?} but the plan claims a bound, gap or proof",
                rp.status
            ),
        );
    }
}
