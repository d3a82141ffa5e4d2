//! A region's proof in the plan format: the certified bound with its certificate (ids in place of indices), the solver-reported bound apart, and `bound` the larger of the two (models/assignment.md, "Proofs").

use starplan_format::output::{
    round6, Certificate, ManagerMultipliers, PoolLevels, Proof, ProofKind,
};
use starplan_model::{Certified, Outcome, RegionProblem};

fn gap(objective: f64, bound: f64) -> f64 {
    round6((objective - bound) / objective.abs().max(1.0))
}

/// Rounded down to 6 decimals, so that a stated certified bound never passes the value
/// its certificate proves.
fn floor6(v: f64) -> f64 {
    let r = (v * 1e6).floor() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

fn certificate(p: &RegionProblem, c: &Certified) -> Certificate {
    let mut managers: Vec<ManagerMultipliers> = p
        .managers
        .iter()
        .zip(&c.managers)
        .filter(|(_, x)| x.c6 != 0.0 || x.c7 != 0.0 || x.c7_target != 0.0 || !x.core.is_empty())
        .map(|(m, x)| {
            let mut core: Vec<String> = x.core.iter().map(|&g| p.groups[g].id.clone()).collect();
            core.sort();
            ManagerMultipliers {
                id: m.id.clone(),
                c6: x.c6,
                c7: x.c7,
                c7_target: x.c7_target,
                core,
            }
        })
        .collect();
    managers.sort_by(|a, b| a.id.cmp(&b.id));
    Certificate {
        step_hours: c.step,
        groups: p
            .groups
            .iter()
            .zip(&c.y1)
            .filter(|(_, &y)| y != 0.0)
            .map(|(g, &y)| (g.id.clone(), y))
            .collect(),
        managers,
        levels: c
            .pools
            .iter()
            .map(|(star, iv)| PoolLevels {
                star: star.number(),
                intervals: iv
                    .iter()
                    .map(|&(a, b)| (a, b.is_finite().then_some(b)))
                    .collect(),
            })
            .collect(),
    }
}

/// The plan's bound, gap and proof for a weighted region with a plan worth `objective`.
/// Noise within HiGHS's tolerance above the objective is removed from the solver's bound;
/// a real excess is left for the checker (T2) to see.
pub fn of(p: &RegionProblem, out: &Outcome, objective: f64) -> (Option<f64>, Option<f64>, Proof) {
    let solver = out
        .bound
        .map(|b| round6(starplan_model::within_tolerance(b, objective)));
    let cert = out.certified.as_ref();
    let certified =
        cert.map(|c| floor6(starplan_model::within_tolerance(c.value, objective).min(c.value)));
    let bound = match (certified, solver) {
        (Some(c), Some(s)) => Some(c.max(s)),
        (c, s) => c.or(s),
    };
    let kind = ProofKind::of(certified, solver, objective, p.policy.solver.relative_gap);
    let proof = Proof {
        kind,
        certified_bound: certified,
        certified_gap: certified.map(|b| gap(objective, b)),
        solver_bound: solver,
        solver_gap: solver.map(|b| gap(objective, b)),
        certificate: cert.map(|c| certificate(p, c)),
    };
    (bound, bound.map(|b| gap(objective, b)), proof)
}
