//! The constraint rows of the region MIP, one function per rule: C1, C6, C7, C10, C11 and C13 (C8's rows are in `c8`).

use super::build::{by_manager, stay_col, with_slack, Rows, SlackOf};
use super::rules;
use super::RegionProblem;
use good_lp::{Expression, Variable};
use starplan_format::codes::Rule;
use starplan_format::output::Unit;

/// C1: every group ends with exactly one manager of its region.
pub fn c1_assign_exactly_one(rows: &mut Rows, x: &[Vec<(usize, usize)>], v: &[Variable]) {
    for pairs in x {
        let sum: Expression = pairs.iter().map(|&(_, c)| v[c]).sum();
        let r = rows.add(sum.eq(1.0));
        rows.map.c1.push(r);
    }
}

/// C6: groups per manager at most max_groups × capacity (a row only where the candidates
/// could exceed it, unless `all` rows are wanted).
pub fn c6_max_groups(
    rows: &mut Rows,
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    v: &[Variable],
    slack: &SlackOf,
    all: bool,
) {
    for (m, pairs) in by_manager(p.managers.len(), x).iter().enumerate() {
        let cap = rules::c6_max_groups(p, m);
        if rules::limited(p, m) && (all || pairs.len() as f64 > cap) {
            let sum: Expression = pairs.iter().map(|&(_, c)| v[c]).sum();
            rows.map.c6[m] =
                Some(rows.add(with_slack(sum, slack(Rule::C6, Unit::Groups, Some(m))).leq(cap)));
        }
    }
}

pub fn members_expr(p: &RegionProblem, pairs: &[(usize, usize)], v: &[Variable]) -> Expression {
    let mut e = Expression::with_capacity(pairs.len());
    for &(g, c) in pairs {
        e.add_mul(f64::from(p.groups[g].members), v[c]);
    }
    e
}

/// C7: members at most the span maximum (hard), and excess ≥ members − target (soft).
pub fn c7_span(
    rows: &mut Rows,
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    excess: &[Option<usize>],
    v: &[Variable],
    slack: &SlackOf,
) {
    for (m, pairs) in by_manager(p.managers.len(), x).iter().enumerate() {
        let members = members_expr(p, pairs, v);
        if rules::limited(p, m) {
            let c = with_slack(members.clone(), slack(Rule::C7, Unit::Members, Some(m)))
                .leq(rules::c7_span_max(p, m));
            rows.map.c7_max[m] = Some(rows.add(c));
        }
        if let Some(e) = excess[m] {
            rows.map.c7_excess[m] =
                Some(rows.add((members - v[e]).leq(rules::c7_span_target(p, m))));
        }
    }
}

/// C10: groups (and members) that change manager in the region, at most the budget. A
/// group that cannot stay counts as moved whatever the plan.
pub fn c10_move_budget(
    rows: &mut Rows,
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    v: &[Variable],
    slack: &SlackOf,
) {
    let c = p.policy.change;
    for (budget, members) in [(c.max_moved_groups, false), (c.max_moved_members, true)] {
        let Some(budget) = budget else { continue };
        let (mut stay, mut total) = (Expression::default(), 0.0);
        for g in (0..p.groups.len()).filter(|&g| p.groups[g].current.is_some()) {
            let size = if members {
                f64::from(p.groups[g].members)
            } else {
                1.0
            };
            total += size;
            if let Some(col) = stay_col(p, x, g) {
                stay.add_mul(size, v[col]);
            }
        }
        let unit = if members { Unit::Members } else { Unit::Groups };
        // moved = total − stay ≤ budget
        rows.add(with_slack(-stay, slack(Rule::C10, unit, None)).leq(budget - total));
    }
}

/// C11: at most max_book_change × book of an available manager's current groups leave it.
pub fn c11_book_change(
    rows: &mut Rows,
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    v: &[Variable],
    slack: &SlackOf,
) {
    if p.policy.change.max_book_change.is_none() {
        return;
    }
    for m in (0..p.managers.len()).filter(|&m| p.managers[m].available) {
        let book: Vec<usize> = (0..p.groups.len())
            .filter(|&g| p.groups[g].current == Some(m))
            .collect();
        if book.is_empty() {
            continue;
        }
        let stay: Expression = book
            .iter()
            .filter_map(|&g| stay_col(p, x, g))
            .map(|c| v[c])
            .sum();
        let limit = rules::c11_max_leaving(p, book.len());
        rows.add(
            with_slack(-stay, slack(Rule::C11, Unit::Groups, Some(m)))
                .leq(limit - book.len() as f64),
        );
    }
}

/// C13: an available, non-frozen manager's hours at most its monthly hours × capacity ×
/// (1 + overtime allowance).
pub fn c13_hours_cap(
    rows: &mut Rows,
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    v: &[Variable],
    slack: &SlackOf,
) {
    for (m, pairs) in by_manager(p.managers.len(), x).iter().enumerate() {
        if !rules::limited(p, m) {
            continue;
        }
        let mut load = Expression::with_capacity(pairs.len());
        for &(g, c) in pairs {
            let grp = &p.groups[g];
            load.add_mul(p.policy.workload(grp.class, grp.members), v[c]);
        }
        let cap = rules::c13_hours_cap(p, m);
        let row = rows.add(with_slack(load, slack(Rule::C13, Unit::Hours, Some(m))).leq(cap));
        rows.map.c13[m] = Some(row);
    }
}
