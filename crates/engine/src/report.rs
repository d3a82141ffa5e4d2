//! Turns a region's outcome into the plan format: status, objective terms, bound and gap, KPIs, assignments and loads.

use super::kpi::{kpis, loads};
use super::reasons::reasons;
use super::region::RegionIds;
use starplan_format::codes::Rule;
use starplan_format::output::*;
use starplan_format::policy::GoalIn;
use starplan_model::domain::Instance;
use starplan_model::{rules, ModelStatus, Outcome, RegionProblem};

/// The weighted objective of a complete layout, as reported.
fn weighted(p: &RegionProblem, assign: &[usize]) -> f64 {
    round6(rules::weighted(p, assign))
}

fn baselines(p: &RegionProblem) -> Baselines {
    let current: Option<Vec<usize>> = p.groups.iter().map(|g| g.current).collect();
    Baselines {
        current: current.map(|c| weighted(p, &c)),
        greedy: super::start::repaired_start(p).map(|g| weighted(p, &g)),
    }
}

fn status_of(s: &ModelStatus) -> Status {
    match s {
        ModelStatus::Optimal => Status::Optimal,
        ModelStatus::Feasible | ModelStatus::Fallback(_) => Status::Feasible,
        ModelStatus::Relaxed => Status::Relaxed,
        ModelStatus::Infeasible(_) => Status::Infeasible,
        ModelStatus::Timeout => Status::Timeout,
        ModelStatus::Error(_) => Status::Error,
    }
}

#[derive(Debug, Clone)]
pub struct RegionResult {
    pub plan: RegionPlan,
    pub assignments: Vec<Assignment>,
    pub managers: Vec<ManagerLoad>,
}

pub fn region_result(
    inst: &Instance,
    r: usize,
    p: &RegionProblem,
    ids: &RegionIds,
    out: &Outcome,
    diagnoses: Vec<Diagnosis>,
    seconds: Option<f64>,
) -> RegionResult {
    let mut result = RegionResult {
        plan: header(inst, r, p, out, diagnoses, seconds),
        assignments: Vec::new(),
        managers: Vec::new(),
    };
    if let Some(assign) = out
        .assignment
        .as_ref()
        .filter(|_| result.plan.status.has_plan())
    {
        with_plan(&mut result, inst, p, ids, out, assign);
    }
    result
}

fn message(status: &ModelStatus) -> Option<String> {
    match status {
        ModelStatus::Relaxed => {
            Some("the hard rules cannot all hold: see diagnoses and relaxations".into())
        }
        ModelStatus::Infeasible(m) | ModelStatus::Error(m) => Some(m.clone()),
        ModelStatus::Fallback(m) => Some(format!(
            "{m}; the plan is the repaired current layout, which keeps every hard rule, and has no bound"
        )),
        _ => None,
    }
}

/// Everything a region reports whether or not it has a plan.
fn header(
    inst: &Instance,
    r: usize,
    p: &RegionProblem,
    out: &Outcome,
    diagnoses: Vec<Diagnosis>,
    seconds: Option<f64>,
) -> RegionPlan {
    let before: Vec<Option<usize>> = p.groups.iter().map(|g| g.current).collect();
    RegionPlan {
        id: inst.regions[r].id.clone(),
        status: status_of(&out.status),
        message: message(&out.status),
        objective: None,
        bound: None,
        gap: None,
        proof: Default::default(),
        seconds: round6(seconds.unwrap_or(0.0)),
        groups: p.groups.len(),
        managers: p.managers.len(),
        model: ModelSize {
            variables: out.size.variables,
            binaries: out.size.binaries,
            rows: out.size.rows,
        },
        terms: Vec::new(),
        kpis: Kpis {
            before: kpis(p, &before),
            after: None,
        },
        stages: out
            .stages
            .iter()
            .map(|st| StageResult {
                goal: goal_in(st.goal),
                id: st.goal.rule(),
                status: status_of(&st.status),
                value: st.value.map(round6),
                bound: st.bound.map(round6),
                limit: st.limit,
            })
            .collect(),
        relaxations: Vec::new(),
        diagnoses,
        fairness_notes: Vec::new(),
        baselines: baselines(p),
        progress: Progress {
            seconds_to_first_plan: seconds.and(out.progress.0).map(round6),
            seconds_to_1pct_gap: seconds.and(out.progress.1).map(round6),
            final_plan: None,
        },
    }
}

/// The figures of a region with a plan: terms, objective, bound and gap, KPIs, notes.
fn figures(plan: &mut RegionPlan, p: &RegionProblem, out: &Outcome, assign: &[usize]) {
    let w = p.policy.weights;
    let raw = rules::raw_terms(p, assign);
    let weights = [w.eligibility, w.span, w.balance, w.moves];
    plan.terms = Rule::TERMS
        .iter()
        .zip(raw.iter().zip(weights))
        .map(|(&id, (&raw, weight))| Term {
            id,
            name: id.name().into(),
            raw: round6(raw),
            weight,
            value: round6(raw * weight),
        })
        .collect();
    let objective = weighted(p, assign);
    // Priority and relaxed plans carry no bound on the weighted objective (stages carry
    // theirs).
    plan.objective = Some(objective);
    if out.stages.is_empty() && out.status != ModelStatus::Relaxed {
        (plan.bound, plan.gap, plan.proof) = super::proof::of(p, out, objective);
    }
    let after: Vec<Option<usize>> = assign.iter().map(|&m| Some(m)).collect();
    plan.kpis.after = Some(kpis(p, &after));
    plan.fairness_notes = super::fairness::notes(p, assign);
}

/// Figures, relaxations, assignments with their reasons, and manager loads of a plan.
fn with_plan(
    result: &mut RegionResult,
    inst: &Instance,
    p: &RegionProblem,
    ids: &RegionIds,
    out: &Outcome,
    assign: &[usize],
) {
    figures(&mut result.plan, p, out, assign);
    let mgr_id = |m: usize| inst.managers[ids.managers[m]].id.clone();
    result.plan.relaxations = out
        .relaxations
        .iter()
        .map(|x| RelaxedRule {
            rule: x.subject.rule,
            subject: x
                .subject
                .group
                .map(|g| p.groups[g].id.clone())
                .or_else(|| x.subject.manager.map(mgr_id)),
            unit: x.subject.unit,
            amount: x.amount,
        })
        .collect();
    let region = result.plan.id.clone();
    result.assignments = assign
        .iter()
        .zip(reasons(p, assign))
        .enumerate()
        .map(|(g, (&m, reasons))| {
            let grp = &p.groups[g];
            Assignment {
                group: grp.id.clone(),
                region: region.clone(),
                manager: mgr_id(m),
                previous_manager: grp.current.map(mgr_id),
                moved: grp.current.is_some_and(|c| c != m),
                reasons,
            }
        })
        .collect();
    let after: Vec<Option<usize>> = assign.iter().map(|&m| Some(m)).collect();
    let (count, members, load) = loads(p, &after);
    result.managers = (0..p.managers.len())
        .map(|m| ManagerLoad {
            id: mgr_id(m),
            region: region.clone(),
            star: p.managers[m].star.number(),
            groups: count[m],
            members: members[m],
            workload: round6(load[m]),
            utilisation: round6(load[m] / rules::hours(p, m)),
        })
        .collect();
}

/// Assembles the plan file; regions come in id order, and so do groups and managers within them.
pub fn plan_file(results: Vec<RegionResult>) -> PlanFile {
    let mut plan = PlanFile {
        schema_version: starplan_format::SCHEMA_VERSION,
        regions: Vec::new(),
        assignments: Vec::new(),
        managers: Vec::new(),
        provenance: None,
    };
    for r in results {
        plan.regions.push(r.plan);
        plan.assignments.extend(r.assignments);
        plan.managers.extend(r.managers);
    }
    plan.assignments.sort_by(|a, b| a.group.cmp(&b.group));
    plan.managers.sort_by(|a, b| a.id.cmp(&b.id));
    plan
}

fn goal_in(g: starplan_model::domain::Goal) -> GoalIn {
    use starplan_model::domain::Goal;
    match g {
        Goal::Eligibility => GoalIn::Eligibility,
        Goal::Span => GoalIn::Span,
        Goal::Balance => GoalIn::Balance,
        Goal::Moves => GoalIn::Moves,
    }
}
