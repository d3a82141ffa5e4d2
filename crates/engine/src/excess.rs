//! How far a complete layout exceeds each relaxable hard rule (C5, C6, C7, C10, C11, C12): what a hand-edited relaxed region must list as relaxations.

use starplan_format::codes::Rule;
use starplan_format::output::Unit;
use starplan_model::rules::{self, forced_to_move};
use starplan_model::{RegionProblem, Relaxation, Subject};

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

/// Every excess of `assign` (local manager per group) over a relaxable hard rule.
pub fn excesses(p: &RegionProblem, assign: &[usize]) -> Vec<Relaxation> {
    let mut out = Vec::new();
    let moved = |g: usize| p.groups[g].current.is_some_and(|c| c != assign[g]);
    for (g, &m) in assign.iter().enumerate() {
        if !rules::c5_eligible(p, g, m) {
            out.push(one(Rule::C5, Unit::Groups, None, Some(g), 1.0));
        }
        if p.groups[g].recent && !forced_to_move(p, g) && moved(g) {
            out.push(one(Rule::C12, Unit::Groups, None, Some(g), 1.0));
        }
    }
    let (count, members, _) =
        crate::kpi::loads(p, &assign.iter().map(|&m| Some(m)).collect::<Vec<_>>());
    for m in 0..p.managers.len() {
        if rules::limited(p, m) {
            let (c, cap) = (count[m] as f64, rules::c6_max_groups(p, m));
            if c > cap {
                out.push(one(Rule::C6, Unit::Groups, Some(m), None, c - cap));
            }
            let (x, max) = (members[m] as f64, rules::c7_span_max(p, m));
            if x > max + 1e-6 {
                out.push(one(Rule::C7, Unit::Members, Some(m), None, x - max));
            }
        }
        if p.managers[m].available && p.policy.change.max_book_change.is_some() {
            let book: Vec<usize> = (0..p.groups.len())
                .filter(|&g| p.groups[g].current == Some(m))
                .collect();
            let left = book.iter().filter(|&&g| moved(g)).count() as f64;
            let limit = rules::c11_max_leaving(p, book.len());
            if left > limit {
                out.push(one(Rule::C11, Unit::Groups, Some(m), None, left - limit));
            }
        }
    }
    let n = (0..p.groups.len()).filter(|&g| moved(g)).count() as f64;
    let mm: f64 = (0..p.groups.len())
        .filter(|&g| moved(g))
        .map(|g| f64::from(p.groups[g].members))
        .sum();
    let c = p.policy.change;
    for (budget, value, unit) in [
        (c.max_moved_groups, n, Unit::Groups),
        (c.max_moved_members, mm, Unit::Members),
    ] {
        if let Some(b) = budget.filter(|&b| value > b + 1e-9) {
            out.push(one(Rule::C10, unit, None, None, value - b));
        }
    }
    out
}
