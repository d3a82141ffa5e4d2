//! Builds the region MIP with good_lp: one function per constraint family (C1, C6–C8, C10–C12) and per objective term (C5, C7, C8, C9).

use super::relaxed::{relaxation_columns, relaxation_cost, Slack};
use super::rules::{self, c8_band};
use super::RegionProblem;
use crate::domain::Goal;
use good_lp::{
    highs, solvers::highs::HighsProblem, variable, Expression, ProblemVariables, SolverModel,
    Variable,
};
use starplan_format::codes::Rule;
use starplan_format::output::Unit;

/// What to build: the objective (weighted sum, or one goal of priority mode), limits from
/// earlier priority stages, and whether hard rules may be relaxed at a penalty.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// `None` = the weighted sum of the terms.
    pub goal: Option<Goal>,
    /// Earlier stages: goal ≤ limit.
    pub limits: Vec<(Goal, f64)>,
    pub relaxed: bool,
    /// Add every C6 row, even where the candidates cannot exceed it (pricing needs its dual).
    pub all_rows: bool,
    /// A bound valid for the full model when this one is restricted (priced candidates):
    /// progress measures the gap against it.
    pub outer_bound: Option<f64>,
}

/// The built model and where each variable sits among HiGHS's columns.
pub struct Built {
    pub problem: HighsProblem,
    /// Per group: (manager, column) of each candidate pair.
    pub x: Vec<Vec<(usize, usize)>>,
    /// Per manager: column of the members-over-target variable (C7), if any.
    pub excess: Vec<Option<usize>>,
    /// Per manager: column of the hours-outside-band variable (C8), if any.
    pub deviation: Vec<Option<usize>>,
    pub slacks: Vec<Slack>,
    pub rowmap: RowMap,
    /// Constant part of the objective, which HiGHS gets as its offset.
    pub offset: f64,
    pub columns: usize,
    pub rows: usize,
}

impl Built {
    /// Columns, binaries (one per candidate pair) and rows of the model.
    pub fn size(&self) -> super::Size {
        super::Size {
            variables: self.columns,
            binaries: self.x.iter().map(Vec::len).sum(),
            rows: self.rows,
        }
    }
}

/// good_lp hands variables to HiGHS in creation order; this keeps their column numbers.
pub(crate) struct Columns {
    vars: ProblemVariables,
    list: Vec<Variable>,
}

impl Columns {
    pub(crate) fn add(&mut self, def: good_lp::VariableDefinition) -> usize {
        self.list.push(self.vars.add(def));
        self.list.len() - 1
    }
}

/// Where each row of a constraint family sits (for pricing left-out pairs by reduced cost).
#[derive(Debug, Clone, Default)]
pub struct RowMap {
    pub c1: Vec<usize>,
    pub c6: Vec<Option<usize>>,
    pub c7_max: Vec<Option<usize>>,
    pub c7_excess: Vec<Option<usize>>,
    pub c8_hi: Vec<Option<usize>>,
    pub c8_lo: Vec<Option<usize>>,
}

/// Adds rows and numbers them in the order HiGHS receives them.
struct Rows<'a> {
    pb: &'a mut HighsProblem,
    next: usize,
    map: RowMap,
}

impl Rows<'_> {
    fn add(&mut self, c: good_lp::Constraint) -> usize {
        self.pb.add_constraint(c);
        self.next += 1;
        self.next - 1
    }
}

/// A term as an expression plus the constant HiGHS does not see.
struct Term {
    expr: Expression,
    constant: f64,
}

pub fn build(p: &RegionProblem, candidates: &[Vec<usize>], spec: &Spec) -> Built {
    let mut cols = Columns {
        vars: ProblemVariables::new(),
        list: Vec::new(),
    };
    let x: Vec<Vec<(usize, usize)>> = candidates
        .iter()
        .map(|ms| {
            ms.iter()
                .map(|&m| (m, cols.add(variable().binary())))
                .collect()
        })
        .collect();
    let excess: Vec<Option<usize>> = (0..p.managers.len())
        .map(|m| {
            p.managers[m]
                .available
                .then(|| cols.add(variable().min(0.0)))
        })
        .collect();
    let band = c8_band(p);
    let deviation: Vec<Option<usize>> = band
        .iter()
        .map(|b| b.map(|_| cols.add(variable().min(0.0))))
        .collect();
    let mut slacks = Vec::new();
    if spec.relaxed {
        relaxation_columns(p, &x, &mut cols, &mut slacks);
    }
    let v = cols.list.clone();

    let terms = [
        c5_eligibility_cost(p, &x, &v),
        c7_excess_cost(&excess, &v),
        c8_deviation_cost(&deviation, &v),
        c9_move_cost(p, &x, &v),
    ];
    let w = p.policy.weights;
    let weights = [w.eligibility, w.span, w.balance, w.moves];
    let mut objective = Expression::with_capacity(v.len());
    let mut offset = 0.0;
    for (k, t) in terms.iter().enumerate() {
        let weight = match spec.goal {
            None => weights[k],
            Some(g) if g.idx() == k => 1.0,
            Some(_) => 0.0,
        };
        if weight != 0.0 {
            objective.add_mul(weight, t.expr.clone());
            offset += weight * t.constant;
        }
    }
    offset += relaxation_cost(p, &slacks, &v, &mut objective);

    let columns = v.len();
    let mut problem = cols.vars.minimise(objective).using(highs);
    let n = p.managers.len();
    let mut rows = Rows {
        pb: &mut problem,
        next: 0,
        map: RowMap {
            c6: vec![None; n],
            c7_max: vec![None; n],
            c7_excess: vec![None; n],
            c8_hi: vec![None; n],
            c8_lo: vec![None; n],
            ..RowMap::default()
        },
    };
    for &(goal, limit) in &spec.limits {
        let t = &terms[goal.idx()];
        rows.add(t.expr.clone().leq(limit - t.constant));
    }
    let slack_of = |rule: Rule, unit: Unit, m: Option<usize>| {
        slacks
            .iter()
            .map(|s| (s.subject, s.col))
            .find(|(x, _)| x.rule == rule && x.unit == unit && x.manager == m && x.group.is_none())
            .map(|(_, col)| v[col])
    };
    c1_assign_exactly_one(&mut rows, &x, &v);
    c6_max_groups(&mut rows, p, &x, &v, &slack_of, spec.all_rows);
    c7_span(&mut rows, p, &x, &excess, &v, &slack_of);
    c8_balance(&mut rows, p, &x, &deviation, &band, &v);
    c10_move_budget(&mut rows, p, &x, &v, &slack_of);
    c11_book_change(&mut rows, p, &x, &v, &slack_of);
    let (rows, rowmap) = (rows.next, rows.map);
    Built {
        problem,
        rowmap,
        x,
        excess,
        deviation,
        slacks,
        offset,
        columns,
        rows,
    }
}

/// Per manager, the (group, column) pairs that could land on it.
fn by_manager(n: usize, x: &[Vec<(usize, usize)>]) -> Vec<Vec<(usize, usize)>> {
    let mut out = vec![Vec::new(); n];
    for (g, pairs) in x.iter().enumerate() {
        for &(m, c) in pairs {
            out[m].push((g, c));
        }
    }
    out
}

/// The column of x[g, current manager], when that pair exists.
pub(crate) fn stay_col(p: &RegionProblem, x: &[Vec<(usize, usize)>], g: usize) -> Option<usize> {
    let cur = p.groups[g].current?;
    x[g].iter().find(|&&(m, _)| m == cur).map(|&(_, c)| c)
}

/// The slack of (rule, unit, manager), when the model is relaxed.
type SlackOf<'a> = dyn Fn(Rule, Unit, Option<usize>) -> Option<Variable> + 'a;

fn with_slack(e: Expression, slack: Option<Variable>) -> Expression {
    match slack {
        Some(u) => e - u,
        None => e,
    }
}

/// C1: every group ends with exactly one manager of its region.
fn c1_assign_exactly_one(rows: &mut Rows, x: &[Vec<(usize, usize)>], v: &[Variable]) {
    for pairs in x {
        let sum: Expression = pairs.iter().map(|&(_, c)| v[c]).sum();
        let r = rows.add(sum.eq(1.0));
        rows.map.c1.push(r);
    }
}

/// C6: groups per manager at most max_groups × capacity (a row only where the candidates
/// could exceed it, unless `all` rows are wanted).
fn c6_max_groups(
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

fn members_expr(p: &RegionProblem, pairs: &[(usize, usize)], v: &[Variable]) -> Expression {
    let mut e = Expression::with_capacity(pairs.len());
    for &(g, c) in pairs {
        e.add_mul(f64::from(p.groups[g].members), v[c]);
    }
    e
}

/// C7: members at most the span maximum (hard), and excess ≥ members − target (soft).
fn c7_span(
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

/// C8: deviation ≥ workload − hi and deviation ≥ lo − workload, per balanced manager.
fn c8_balance(
    rows: &mut Rows,
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    deviation: &[Option<usize>],
    band: &[Option<(f64, f64)>],
    v: &[Variable],
) {
    for (m, pairs) in by_manager(p.managers.len(), x).iter().enumerate() {
        let (Some(d), Some((lo, hi))) = (deviation[m], band[m]) else {
            continue;
        };
        let mut load = Expression::with_capacity(pairs.len());
        for &(g, c) in pairs {
            load.add_mul(
                p.policy.workload(p.groups[g].class, p.groups[g].members),
                v[c],
            );
        }
        rows.map.c8_hi[m] = Some(rows.add((load.clone() - v[d]).leq(hi)));
        rows.map.c8_lo[m] = Some(rows.add((load + v[d]).geq(lo)));
    }
}

/// C10: groups (and members) that change manager in the region, at most the budget. A
/// group that cannot stay counts as moved whatever the plan.
fn c10_move_budget(
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
fn c11_book_change(
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

/// C5: the penalty of each allowed cross-grade pair (a forbidden pair of the relaxed model
/// is costed by its slack instead).
fn c5_eligibility_cost(p: &RegionProblem, x: &[Vec<(usize, usize)>], v: &[Variable]) -> Term {
    let mut expr = Expression::default();
    for (g, pairs) in x.iter().enumerate() {
        for &(m, c) in pairs {
            let pen = p
                .policy
                .penalty(p.managers[m].star, p.groups[g].class)
                .unwrap_or(0.0);
            if pen != 0.0 {
                expr.add_mul(pen, v[c]);
            }
        }
    }
    Term {
        expr,
        constant: 0.0,
    }
}

/// C7 (soft part): members over target.
fn c7_excess_cost(excess: &[Option<usize>], v: &[Variable]) -> Term {
    Term {
        expr: excess.iter().flatten().map(|&c| v[c]).sum(),
        constant: 0.0,
    }
}

/// C8: hours outside the band.
fn c8_deviation_cost(deviation: &[Option<usize>], v: &[Variable]) -> Term {
    Term {
        expr: deviation.iter().flatten().map(|&c| v[c]).sum(),
        constant: 0.0,
    }
}

/// C9: Σ cost × (1 − x[g, current]); a forced move is all constant.
fn c9_move_cost(p: &RegionProblem, x: &[Vec<(usize, usize)>], v: &[Variable]) -> Term {
    let (mut expr, mut constant) = (Expression::default(), 0.0);
    for g in 0..x.len() {
        let grp = &p.groups[g];
        if grp.current.is_none() {
            continue;
        }
        let cost = p.policy.move_cost(grp.class, grp.members);
        constant += cost;
        if let Some(c) = stay_col(p, x, g) {
            expr.add_mul(-cost, v[c]);
        }
    }
    Term { expr, constant }
}
