//! Priority mode: each goal in turn, earlier goals held within their tolerance, each stage started from the best plan so far.

use super::build::Spec;
use super::highs_solve::solve_once;
use super::rules;
use super::{ModelStatus, Outcome, RegionProblem, Run, StageOutcome};

/// Solves the stages of `p.policy.priority`, each given an equal share of the time left.
pub fn priority(
    p: &RegionProblem,
    cands: &[Vec<usize>],
    start: Option<&[usize]>,
    run: &Run,
) -> Outcome {
    let stages = &p.policy.priority;
    let mut plan: Option<Vec<usize>> = start.map(<[usize]>::to_vec);
    let current = plan.clone();
    let mut spec = Spec::default();
    let mut out = Outcome::empty(ModelStatus::Optimal);
    for (k, st) in stages.iter().enumerate() {
        // An equal share of the time (or work) left for each stage still to come.
        let stage_deadline = run.until(run.since(), 1.0 / (stages.len() - k) as f64);
        spec.goal = Some(st.goal);
        let seed = stage_seed(p, &spec, st.goal, plan.as_deref(), current.as_deref());
        let suffix = format!(".stage{}-{}", k + 1, st.goal.rule().name());
        let once = solve_once(
            p,
            cands,
            &spec,
            seed.as_deref(),
            run,
            stage_deadline,
            &suffix,
        );
        out.size = once.size;
        let Some(a) = once.assignment else {
            if k == 0 {
                out.status = once.status;
                return out;
            }
            // A later stage that finds nothing keeps the previous stage's plan, which
            // satisfies every limit so far.
            out.stages.push(StageOutcome {
                goal: st.goal,
                status: once.status,
                value: None,
                bound: once.bound,
                limit: None,
            });
            out.status = ModelStatus::Feasible;
            break;
        };
        let value = rules::raw_terms(p, &a)[st.goal.idx()];
        let last = k + 1 == stages.len();
        let limit = (!last).then_some(value * (1.0 + st.tolerance) + 1e-6);
        if once.status != ModelStatus::Optimal {
            out.status = ModelStatus::Feasible;
        }
        out.stages.push(StageOutcome {
            goal: st.goal,
            status: once.status,
            value: Some(value),
            bound: once.bound.map(|b| super::within_tolerance(b, value)),
            limit,
        });
        if let Some(l) = limit {
            spec.limits.push((st.goal, l));
        }
        plan = Some(a);
    }
    out.assignment = plan;
    out
}

/// The start (the current layout, repaired) seeds a stage whenever it keeps every limit so
/// far and beats the previous stage's plan on this goal: then no stage can end worse than
/// the current layout (the "never worse" guarantee).
fn stage_seed(
    p: &RegionProblem,
    spec: &Spec,
    goal: crate::domain::Goal,
    plan: Option<&[usize]>,
    current: Option<&[usize]>,
) -> Option<Vec<usize>> {
    if let Some(c) = current {
        let raw = rules::raw_terms(p, c);
        let keeps = spec.limits.iter().all(|(g, l)| raw[g.idx()] <= *l);
        let better = plan.is_none_or(|pl| raw[goal.idx()] < rules::raw_terms(p, pl)[goal.idx()]);
        if keeps && better {
            return Some(c.to_vec());
        }
    }
    plan.map(<[usize]>::to_vec)
}
