//! Forged plans the checker must reject (issue 13, item 3), beside the mutation tests of tests/checker.rs: each forgery states one false claim and keeps every figure the checker can recompute (terms, objective, KPIs, loads, reasons, relaxation amounts) consistent with it, so only that claim can give it away.

mod common;

use common::{load, quick, read, solve_checked};
use starplan::checker::check;
use starplan::engine::convert::to_instance;
use starplan::engine::{kpi, reasons::reasons, region_problem, rules};
use starplan::format::codes::{DiagnosisCode, ReasonKind, Rule};
use starplan::format::output::{
    round6, Diagnosis, PlanFile, Proof, ProofKind, Reason, RelaxedRule, Status, Unit,
};
use starplan::format::{ClassIn, InputFile};
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// A generated region solved once: cross-grade pairs, leaving and frozen managers, pins.
fn generated() -> &'static (InputFile, PlanFile) {
    static BASE: OnceLock<(InputFile, PlanFile)> = OnceLock::new();
    BASE.get_or_init(|| {
        let file = starplan::generate::province(3, 1, 400, None);
        let plan = solve_checked(&file, &quick());
        assert!(plan.regions[0].status.has_plan());
        (file, plan)
    })
}

/// The relaxed fixture: HZ is short of class-A seats (D001), NB of moves (D003).
fn relaxed() -> &'static (InputFile, PlanFile) {
    static BASE: OnceLock<(InputFile, PlanFile)> = OnceLock::new();
    BASE.get_or_init(|| {
        let file = load(&read("relaxed/province.json"));
        (file.clone(), solve_checked(&file, &quick()))
    })
}

/// Recomputes every figure of every region with a plan from its assignments, as the engine
/// reports them: KPIs, terms, objective, gap, moved flags, reasons and loads.
fn refigure(file: &InputFile, plan: &mut PlanFile) {
    let inst = to_instance(file);
    let who: HashMap<String, String> = plan
        .assignments
        .iter()
        .map(|a| (a.group.clone(), a.manager.clone()))
        .collect();
    for r in 0..inst.regions.len() {
        let Some(rp) = plan.regions.iter_mut().find(|x| x.id == inst.regions[r].id) else {
            continue;
        };
        if !rp.status.has_plan() {
            continue;
        }
        let (p, ids) = region_problem(&inst, r);
        let local: HashMap<&str, usize> = ids
            .managers
            .iter()
            .enumerate()
            .map(|(l, &m)| (inst.managers[m].id.as_str(), l))
            .collect();
        let assign: Vec<usize> = ids
            .groups
            .iter()
            .map(|&g| local[who[&inst.groups[g].id].as_str()])
            .collect();
        let after: Vec<Option<usize>> = assign.iter().map(|&m| Some(m)).collect();
        rp.kpis.after = Some(kpi::kpis(&p, &after));
        let raw = rules::raw_terms(&p, &assign);
        for t in &mut rp.terms {
            let k = t.id.term_index().unwrap();
            t.raw = round6(raw[k]);
            t.value = round6(raw[k] * t.weight);
        }
        let objective = round6(rules::weighted(&p, &assign));
        rp.objective = Some(objective);
        let gap = |b: f64| round6((objective - b) / objective.abs().max(1.0));
        rp.gap = rp.bound.map(gap);
        rp.proof.certified_gap = rp.proof.certified_bound.map(gap);
        rp.proof.solver_gap = rp.proof.solver_bound.map(gap);
        rp.proof.kind = starplan::format::output::ProofKind::of(
            rp.proof.certified_bound,
            rp.proof.solver_bound,
            objective,
            file.policy.solver.relative_gap,
        );
        let why = reasons(&p, &assign);
        for (l, &g) in ids.groups.iter().enumerate() {
            let a = plan
                .assignments
                .iter_mut()
                .find(|a| a.group == inst.groups[g].id);
            let a = a.unwrap();
            a.moved = a.previous_manager.as_ref().is_some_and(|c| *c != a.manager);
            a.reasons = why[l].clone();
        }
        let (count, members, hours) = kpi::loads(&p, &after);
        for (l, &m) in ids.managers.iter().enumerate() {
            let load = plan
                .managers
                .iter_mut()
                .find(|x| x.id == inst.managers[m].id);
            let load = load.unwrap();
            load.groups = count[l];
            load.members = members[l];
            load.workload = round6(hours[l]);
            load.utilisation = round6(hours[l] / rules::hours(&p, l));
        }
    }
}

/// The C5, C6, C7 and C13 excesses of region `r`'s plan, as a relaxed region lists them.
fn excesses(file: &InputFile, plan: &PlanFile, r: usize) -> Vec<RelaxedRule> {
    let inst = to_instance(file);
    let (p, ids) = region_problem(&inst, r);
    let mut out = Vec::new();
    let manager = |id: &str| ids.managers.iter().position(|&m| inst.managers[m].id == id);
    let zero = vec![0.0; ids.managers.len()];
    let (mut count, mut members, mut hours) = (zero.clone(), zero.clone(), zero);
    for (l, &g) in ids.groups.iter().enumerate() {
        let a = plan
            .assignments
            .iter()
            .find(|a| a.group == inst.groups[g].id)
            .unwrap();
        let m = manager(&a.manager).unwrap();
        count[m] += 1.0;
        members[m] += f64::from(p.groups[l].members);
        hours[m] += p.policy.workload(p.groups[l].class, p.groups[l].members);
        if p.policy
            .penalty(p.managers[m].star, p.groups[l].class)
            .is_none()
        {
            out.push(relaxation(Rule::C5, &a.group, Unit::Groups, 1.0));
        }
    }
    for (l, &m) in ids.managers.iter().enumerate() {
        let id = &inst.managers[m].id;
        if !rules::limited(&p, l) {
            continue;
        }
        let (cap, span) = (rules::c6_max_groups(&p, l), rules::c7_span_max(&p, l));
        if count[l] > cap {
            out.push(relaxation(Rule::C6, id, Unit::Groups, count[l] - cap));
        }
        if members[l] > span {
            out.push(relaxation(Rule::C7, id, Unit::Members, members[l] - span));
        }
        let cap = rules::c13_hours_cap(&p, l);
        if hours[l] > cap {
            out.push(relaxation(Rule::C13, id, Unit::Hours, hours[l] - cap));
        }
    }
    out
}

fn relaxation(rule: Rule, subject: &str, unit: Unit, amount: f64) -> RelaxedRule {
    RelaxedRule {
        rule,
        subject: Some(subject.into()),
        unit,
        amount,
    }
}

fn diagnosis(code: DiagnosisCode) -> Diagnosis {
    Diagnosis {
        code,
        rule: code.rule(),
        message: "forged".into(),
        action: "none".into(),
    }
}

/// Relabels region 0 relaxed, with exactly its plan's excesses, the given diagnoses and no bound.
fn as_relaxed(file: &InputFile, plan: &mut PlanFile, diagnoses: &[DiagnosisCode]) {
    refigure(file, plan);
    plan.regions[0].relaxations = excesses(file, plan, 0);
    let rp = &mut plan.regions[0];
    rp.status = Status::Relaxed;
    (rp.bound, rp.gap) = (None, None);
    rp.proof = Default::default();
    rp.progress.seconds_to_1pct_gap = None;
    rp.diagnoses = diagnoses.iter().map(|&c| diagnosis(c)).collect();
}

/// Moves groups of the class to managers of the star as the forgery needs: `n` groups that
/// may move (not pinned, not in a frozen book), each to the first fitting manager.
fn pile(file: &InputFile, plan: &mut PlanFile, class: ClassIn, star: i64, n: usize) -> String {
    let target = file
        .managers
        .iter()
        .find(|m| m.star == star && m.available && !m.frozen)
        .unwrap()
        .id
        .clone();
    let frozen: BTreeSet<&str> = file
        .managers
        .iter()
        .filter(|m| m.frozen || !m.available)
        .map(|m| m.id.as_str())
        .collect();
    let movable: BTreeSet<&str> = file
        .groups
        .iter()
        .filter(|g| g.class == class && !g.pinned)
        .filter(|g| {
            !g.current_manager
                .as_deref()
                .is_some_and(|c| frozen.contains(c))
        })
        .map(|g| g.id.as_str())
        .collect();
    let mut moved = 0;
    for a in plan.assignments.iter_mut() {
        if moved < n && movable.contains(a.group.as_str()) && a.manager != target {
            a.manager = target.clone();
            moved += 1;
        }
    }
    assert_eq!(moved, n, "enough groups to pile up");
    target
}

type Forge = fn(&InputFile, &mut PlanFile);

/// Each forgery with the one code that must reject it.
#[allow(clippy::too_many_lines, reason = "a table: one row per forgery")]
fn forgeries() -> Vec<(&'static str, bool, Forge, &'static str)> {
    vec![
        (
            "relaxed, a forbidden pair and a made-up relaxation",
            false,
            |f, p| {
                pile(f, p, ClassIn::A, 1, 1);
                as_relaxed(f, p, &[]);
            },
            "R1",
        ),
        (
            "relaxed, a 3-star manager piled with 15 class-A groups",
            false,
            |f, p| {
                pile(f, p, ClassIn::A, 3, 15);
                as_relaxed(f, p, &[]);
            },
            "R1",
        ),
        (
            "the pile-up with a made-up D001",
            false,
            |f, p| {
                pile(f, p, ClassIn::A, 3, 15);
                as_relaxed(f, p, &[DiagnosisCode::D001]);
            },
            "R1",
        ),
        (
            "the pile-up on HiGHS's word (D000)",
            false,
            |f, p| {
                pile(f, p, ClassIn::A, 3, 15);
                as_relaxed(f, p, &[DiagnosisCode::D000]);
            },
            "R1",
        ),
        (
            "relaxed with nothing broken",
            false,
            |f, p| as_relaxed(f, p, &[]),
            "R1",
        ),
        (
            "diagnoses on a region that keeps every rule",
            false,
            |_, p| {
                p.regions[0].diagnoses.push(diagnosis(DiagnosisCode::D003));
            },
            "R1",
        ),
        (
            "optimal with a 2 % gap against the policy's 0.5 %",
            false,
            |_, p| {
                let rp = &mut p.regions[0];
                let o = rp.objective.unwrap();
                rp.status = Status::Optimal;
                let b = round6(o - 0.02 * o.abs().max(1.0));
                rp.bound = Some(b);
                rp.gap = Some(0.02);
                // Every bound figure consistent: only the status claims too much.
                rp.proof = Proof {
                    kind: ProofKind::SolverReported,
                    solver_bound: Some(b),
                    solver_gap: Some(0.02),
                    ..Proof::default()
                };
                rp.progress.seconds_to_1pct_gap = None;
            },
            "T4",
        ),
        (
            "optimal without a bound",
            false,
            |_, p| {
                let rp = &mut p.regions[0];
                (rp.status, rp.bound, rp.gap) = (Status::Optimal, None, None);
                rp.proof = Proof::default();
                rp.progress.seconds_to_1pct_gap = None;
            },
            "T4",
        ),
        (
            "a false reason detail",
            false,
            |_, p| {
                let a = p.assignments.iter_mut().find(|a| a.moved).unwrap();
                a.reasons[0].detail.push_str(", as agreed");
            },
            "K3",
        ),
        (
            "a false C6 reason",
            false,
            |_, p| {
                let a = p
                    .assignments
                    .iter_mut()
                    .find(|a| {
                        a.moved && a.reasons.iter().all(|r| r.kind != ReasonKind::OverCapacity)
                    })
                    .unwrap();
                a.reasons.push(Reason {
                    rule: Rule::C6,
                    kind: ReasonKind::OverCapacity,
                    detail: "it held too many groups".into(),
                });
            },
            "K3",
        ),
        (
            "a kept cross-grade pair without its reason",
            false,
            |_, p| {
                let a = p
                    .assignments
                    .iter_mut()
                    .find(|a| {
                        a.reasons
                            .iter()
                            .any(|r| r.kind == ReasonKind::CrossGradeKept)
                    })
                    .unwrap();
                a.reasons.clear();
            },
            "K3",
        ),
        (
            "a halved greedy baseline",
            false,
            |_, p| {
                let g = &mut p.regions[0].baselines.greedy;
                *g = g.map(|x| x / 2.0);
            },
            "T3",
        ),
        (
            "a true diagnosis beside a false one",
            true,
            |_, p| {
                p.regions[0].diagnoses.push(diagnosis(DiagnosisCode::D004));
            },
            "R1",
        ),
        (
            "a relaxed region without its diagnoses",
            true,
            |_, p| {
                p.regions[0].diagnoses.clear();
            },
            "R1",
        ),
    ]
}

#[test]
fn every_forged_plan_is_rejected_with_its_code() {
    for (name, on_relaxed, forge, code) in forgeries() {
        let (file, plan) = if on_relaxed { relaxed() } else { generated() };
        assert!(
            check(file, plan).is_empty(),
            "the base plan of {name:?} is valid"
        );
        let mut forged = plan.clone();
        forge(file, &mut forged);
        let got: BTreeSet<&str> = check(file, &forged)
            .iter()
            .map(|v| v.code.as_str())
            .collect();
        assert_eq!(
            got,
            BTreeSet::from([code]),
            "{name}: {:#?}",
            check(file, &forged)
        );
    }
}

#[test]
fn refiguring_an_unforged_plan_changes_nothing() {
    for (file, plan) in [generated(), relaxed()] {
        let mut again = plan.clone();
        refigure(file, &mut again);
        assert_eq!(&again, plan);
    }
}
