//! Every rule (C1–C13) and every check (S, K, L, T, P, N, R, I, V) of the one table has a way of breaking a valid plan that the checker reports under exactly that code; a new code without one fails here.

mod common;

use common::{load, quick, read, solve_checked};
use starplan::checker::{verdict, Code};
use starplan::format::codes::{Check, Rule};
use starplan::format::output::Status;
use starplan::format::{InputFile, PlanFile};

type Break = fn(&mut PlanFile);

fn reassign(plan: &mut PlanFile, group: &str, manager: &str) {
    let a = plan
        .assignments
        .iter_mut()
        .find(|a| a.group == group)
        .expect("group in plan");
    a.manager = manager.into();
    a.moved = a.previous_manager.as_deref().is_some_and(|p| p != manager);
}

/// (code, fixture, how to break its plan).
#[allow(clippy::too_many_lines, reason = "a table: one row per code")]
fn table() -> Vec<(Code, &'static str, Break)> {
    use Check::*;
    use Rule::*;
    vec![
        (C1.into(), "checker-base.json", |p| {
            p.assignments.retain(|a| a.group != "G2")
        }),
        (C2.into(), "checker-base.json", |p| reassign(p, "G1", "M2")),
        (C3.into(), "checker-base.json", |p| reassign(p, "G5", "M2")),
        (C4.into(), "checker-base.json", |p| reassign(p, "G6", "M5")),
        (C5.into(), "checker-base.json", |p| reassign(p, "G2", "M4")),
        (C6.into(), "checker-base.json", |p| {
            for g in ["G3", "G6", "G7"] {
                reassign(p, g, "M1");
            }
        }),
        (C7.into(), "checker-base.json", |p| reassign(p, "G3", "M2")),
        // C8 and C9 are objective terms: a plan breaks them by misstating them.
        (T1.into(), "tiny/c8-balance.json", |p| {
            p.regions[0].terms[2].raw += 1.0
        }),
        (T1.into(), "tiny/c9-moves.json", |p| {
            p.regions[0].terms[3].raw += 1.0
        }),
        (C10.into(), "tiny/c10-move-budget.json", |p| {
            reassign(p, "G2", "M1")
        }),
        (C11.into(), "tiny/c11-book-change.json", |p| {
            reassign(p, "G2", "M1")
        }),
        (C12.into(), "tiny/c12-recent-move.json", |p| {
            reassign(p, "G1", "M1")
        }),
        (C13.into(), "tiny/c13-hours.json", |p| {
            reassign(p, "G01", "M1")
        }),
        (S1.into(), "checker-base.json", |p| p.schema_version = 2),
        (K1.into(), "checker-base.json", |p| {
            p.regions[0].kpis.before.unserved_groups += 1
        }),
        (K2.into(), "checker-base.json", |p| {
            p.assignments[1].moved = !p.assignments[1].moved
        }),
        (K3.into(), "tiny/c4-unavailable.json", |p| {
            p.assignments[0].reasons.clear()
        }),
        (L1.into(), "checker-base.json", |p| {
            p.managers[0].members += 1
        }),
        (T1.into(), "checker-base.json", |p| {
            p.regions[0].terms[0].name = "mismatch".into()
        }),
        (T2.into(), "checker-base.json", |p| {
            let r = &mut p.regions[0];
            let o = r.objective.unwrap();
            r.bound = Some(o + 10.0);
            r.gap = Some((o - (o + 10.0)) / o.abs().max(1.0));
        }),
        (T3.into(), "checker-base.json", |p| {
            p.regions[0].baselines.current = Some(-1.0)
        }),
        (T4.into(), "checker-base.json", |p| {
            // Optimal with a gap above the policy's 0.5 %, every figure consistent.
            let r = &mut p.regions[0];
            let o = r.objective.unwrap();
            let b = o - 0.02 * o.abs().max(1.0);
            r.status = Status::Optimal;
            r.bound = Some(b);
            r.gap = Some((o - b) / o.abs().max(1.0));
        }),
        (T5.into(), "checker-base.json", |p| {
            // A certified bound with no certificate behind it.
            let r = &mut p.regions[0];
            r.proof.certificate = None;
            r.proof.certified_bound = Some(r.objective.unwrap());
        }),
        (V1.into(), "checker-base.json", |p| {
            // A recorded policy that is not the input's with the recorded overrides.
            let prov = p
                .provenance
                .as_mut()
                .expect("the table gives every plan provenance");
            prov.policy.solver.relative_gap = 0.9;
        }),
        (R2.into(), "relaxed/province.json", |p| {
            // A relaxation the plan does not use.
            let r = p
                .regions
                .iter_mut()
                .find(|r| r.status == Status::Relaxed)
                .unwrap();
            let id = r.id.clone();
            let m = p
                .managers
                .iter()
                .find(|m| m.region == id)
                .unwrap()
                .id
                .clone();
            r.relaxations.push(starplan::format::output::RelaxedRule {
                rule: Rule::C6,
                subject: Some(m),
                unit: starplan::format::output::Unit::Groups,
                amount: 1000.0,
            });
        }),
        (I1.into(), "checker-base.json", |p| {
            // Relabelled infeasible, its plan dropped, though a plan exists.
            let r = &mut p.regions[0];
            let id = r.id.clone();
            r.status = Status::Infeasible;
            (r.objective, r.bound, r.gap) = (None, None, None);
            r.proof = Default::default();
            r.terms.clear();
            r.kpis.after = None;
            r.fairness_notes.clear();
            p.assignments.retain(|a| a.region != id);
            p.managers.retain(|m| m.region != id);
        }),
        (P1.into(), "priority/priority.json", |p| {
            p.regions[0].stages[0].limit = Some(-1.0)
        }),
        (R1.into(), "relaxed/province.json", |p| {
            // A relaxed region that no longer names why the hard rules cannot all hold.
            let r = p.regions.iter_mut().find(|r| r.status == Status::Relaxed);
            r.unwrap().diagnoses.clear();
        }),
        (N1.into(), "tiny/c9-moves.json", |p| {
            // Every group moved off a current layout that keeps every rule: worse than it.
            let ids: Vec<String> = p.managers.iter().map(|m| m.id.clone()).collect();
            for a in &mut p.assignments {
                if let Some(other) = ids
                    .iter()
                    .find(|m| Some(m.as_str()) != a.previous_manager.as_deref())
                {
                    a.manager = other.clone();
                    a.moved = true;
                }
            }
        }),
    ]
}

#[test]
fn every_rule_and_check_has_a_break_the_checker_names() {
    let table = table();
    let covered: Vec<Code> = table.iter().map(|t| t.0).collect();
    for r in Rule::ALL.iter().filter(|r| !Rule::TERMS[2..].contains(r)) {
        assert!(covered.contains(&Code::from(*r)), "{r} has no break");
    }
    for c in Check::ALL {
        assert!(covered.contains(&Code::from(*c)), "{c} has no break");
    }
    let mut plans: Vec<(&str, InputFile, PlanFile)> = Vec::new();
    for (code, fixture, broken) in table {
        if !plans.iter().any(|(f, _, _)| *f == fixture) {
            let file = load(&read(fixture));
            let mut plan = solve_checked(&file, &quick());
            plan.provenance = Some(starplan::format::hash::provenance(&file, &file));
            plans.push((fixture, file, plan));
        }
        let (_, file, plan) = plans.iter().find(|(f, _, _)| *f == fixture).unwrap();
        let mut plan = plan.clone();
        broken(&mut plan);
        let verdict = verdict(file, &plan, &[]).expect("the input is valid");
        let got: Vec<Code> = verdict.violations.into_iter().map(|v| v.code).collect();
        assert!(
            got.contains(&code),
            "{fixture}: expected {code}, got {got:?}"
        );
    }
}
