//! How far a complete plan exceeds each relaxable hard rule (C5–C7, C10–C13), measured exactly from the plan rather than read from slack columns.
//!
//! A relaxed plan lists these amounts. Reading them from HiGHS's slack values would carry its
//! tolerances: with a manager covering 2.5 billion members, 1e-6 of it is 2 500 members, enough
//! to put an excess on the wrong manager. Counting from the plan is exact.

use super::rules;
use super::{RegionProblem, Relaxation, Subject};
use starplan_format::codes::Rule;
use starplan_format::output::Unit;

fn one(
    rule: Rule,
    unit: Unit,
    manager: Option<usize>,
    group: Option<usize>,
    amount: f64,
) -> Relaxation {
    Relaxation {
        subject: Subject {
            rule,
            unit,
            manager,
            group,
        },
        amount,
    }
}

fn moved(p: &RegionProblem, plan: &[usize], g: usize) -> bool {
    p.groups[g].current.is_some_and(|c| c != plan[g])
}

/// Every excess of `plan` over a relaxable hard rule, in rule order then subject.
pub fn measure(p: &RegionProblem, plan: &[usize]) -> Vec<Relaxation> {
    let n = p.managers.len();
    let (mut count, mut members, mut load) = (vec![0u64; n], vec![0u64; n], vec![0.0; n]);
    let mut out = Vec::new();
    for (g, &m) in plan.iter().enumerate() {
        count[m] += 1;
        members[m] += u64::from(p.groups[g].members);
        load[m] += p.policy.workload(p.groups[g].class, p.groups[g].members);
        if !rules::c5_eligible(p, g, m) {
            out.push(one(Rule::C5, Unit::Groups, Some(m), Some(g), 1.0));
        }
        if p.groups[g].recent && !rules::forced_to_move(p, g) && moved(p, plan, g) {
            out.push(one(
                Rule::C12,
                Unit::Groups,
                p.groups[g].current,
                Some(g),
                1.0,
            ));
        }
    }
    for m in (0..n).filter(|&m| rules::limited(p, m)) {
        let over = count[m] as f64 - rules::c6_max_groups(p, m);
        if over > 0.0 {
            out.push(one(Rule::C6, Unit::Groups, Some(m), None, over));
        }
        // Members are whole numbers: compare in integers where the limit allows.
        let span = rules::c7_span_max(p, m);
        if members[m] as f64 > span {
            let amount = members[m] as f64 - span.floor();
            out.push(one(Rule::C7, Unit::Members, Some(m), None, amount));
        }
        let cap = rules::c13_hours_cap(p, m);
        if load[m] > cap + 1e-9 * cap.max(1.0) {
            out.push(one(Rule::C13, Unit::Hours, Some(m), None, load[m] - cap));
        }
    }
    budgets(p, plan, &mut out);
    out.sort_by(|a, b| {
        let key = |r: &Relaxation| {
            (
                r.subject.rule,
                r.subject.manager,
                r.subject.group,
                r.subject.unit,
            )
        };
        key(a).cmp(&key(b))
    });
    out
}

/// C10 (region) and C11 (per available manager) excesses.
fn budgets(p: &RegionProblem, plan: &[usize], out: &mut Vec<Relaxation>) {
    let c = p.policy.change;
    let gone: Vec<usize> = (0..plan.len()).filter(|&g| moved(p, plan, g)).collect();
    let members: f64 = gone.iter().map(|&g| f64::from(p.groups[g].members)).sum();
    for (budget, value, unit) in [
        (c.max_moved_groups, gone.len() as f64, Unit::Groups),
        (c.max_moved_members, members, Unit::Members),
    ] {
        if let Some(b) = budget.filter(|&b| value > b + 1e-9) {
            out.push(one(Rule::C10, unit, None, None, value - b));
        }
    }
    if c.max_book_change.is_none() {
        return;
    }
    for m in (0..p.managers.len()).filter(|&m| p.managers[m].available) {
        let book: Vec<usize> = (0..plan.len())
            .filter(|&g| p.groups[g].current == Some(m))
            .collect();
        let left = book.iter().filter(|&&g| moved(p, plan, g)).count() as f64;
        let limit = rules::c11_max_leaving(p, book.len());
        if left > limit {
            out.push(one(Rule::C11, Unit::Groups, Some(m), None, left - limit));
        }
    }
}

/// The plan keeps every relaxable hard rule.
pub fn keeps_all(p: &RegionProblem, plan: &[usize]) -> bool {
    measure(p, plan).is_empty()
}
