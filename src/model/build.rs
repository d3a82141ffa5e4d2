//! Builds the region MIP with good_lp: one function per constraint family (C1, C6, C7, C8) and per objective term (C5, C7, C8, C9).

use super::rules::{self, c8_band};
use super::RegionProblem;
use good_lp::{
    highs, solvers::highs::HighsProblem, variable, Expression, ProblemVariables, SolverModel,
    Variable,
};

/// The built model and where each variable sits among HiGHS's columns.
pub struct Built {
    pub problem: HighsProblem,
    /// Per group: (manager, column) of each candidate pair.
    pub x: Vec<Vec<(usize, usize)>>,
    /// Per manager: column of the members-over-target variable (C7), if any.
    pub excess: Vec<Option<usize>>,
    /// Per manager: column of the hours-outside-band variable (C8), if any.
    pub deviation: Vec<Option<usize>>,
    /// Constant part of the objective, which HiGHS does not see.
    pub offset: f64,
    pub columns: usize,
    pub rows: usize,
}

/// good_lp hands variables to HiGHS in creation order; this keeps their column numbers.
struct Columns {
    vars: ProblemVariables,
    list: Vec<Variable>,
}

impl Columns {
    fn add(&mut self, def: good_lp::VariableDefinition) -> usize {
        self.list.push(self.vars.add(def));
        self.list.len() - 1
    }
}

pub fn build(p: &RegionProblem, candidates: &[Vec<usize>]) -> Built {
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

    let w = p.policy.weights;
    let mut objective = Expression::with_capacity(cols.list.len());
    c5_mismatch_cost(p, &x, &cols.list, w.mismatch, &mut objective);
    c7_excess_cost(&excess, &cols.list, w.span, &mut objective);
    c8_deviation_cost(&deviation, &cols.list, w.balance, &mut objective);
    let offset = c9_move_cost(p, &x, &cols.list, w.moves, &mut objective);

    let columns = cols.list.len();
    let v = cols.list;
    let mut problem = cols.vars.minimise(objective).using(highs);
    let mut rows = 0;
    rows += c1_assign_exactly_one(&mut problem, &x, &v);
    rows += c6_max_groups(&mut problem, p, &x, &v);
    rows += c7_span(&mut problem, p, &x, &excess, &v);
    rows += c8_balance(&mut problem, p, &x, &deviation, &band, &v);
    Built {
        problem,
        x,
        excess,
        deviation,
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

/// C1: every group ends with exactly one manager of its region.
fn c1_assign_exactly_one(
    pb: &mut HighsProblem,
    x: &[Vec<(usize, usize)>],
    v: &[Variable],
) -> usize {
    for pairs in x {
        let sum: Expression = pairs.iter().map(|&(_, c)| v[c]).sum();
        pb.add_constraint(sum.eq(1.0));
    }
    x.len()
}

/// C6: groups per manager at most max_groups × capacity.
fn c6_max_groups(
    pb: &mut HighsProblem,
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    v: &[Variable],
) -> usize {
    let mut rows = 0;
    for (m, pairs) in by_manager(p.managers.len(), x).iter().enumerate() {
        if rules::limited(p, m) && pairs.len() as f64 > rules::c6_max_groups(p, m) {
            let sum: Expression = pairs.iter().map(|&(_, c)| v[c]).sum();
            pb.add_constraint(sum.leq(rules::c6_max_groups(p, m)));
            rows += 1;
        }
    }
    rows
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
    pb: &mut HighsProblem,
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    excess: &[Option<usize>],
    v: &[Variable],
) -> usize {
    let mut rows = 0;
    for (m, pairs) in by_manager(p.managers.len(), x).iter().enumerate() {
        let members = members_expr(p, pairs, v);
        if rules::limited(p, m) {
            pb.add_constraint(members.clone().leq(rules::c7_span_max(p, m)));
            rows += 1;
        }
        if let Some(e) = excess[m] {
            pb.add_constraint((members - v[e]).leq(rules::c7_span_target(p, m)));
            rows += 1;
        }
    }
    rows
}

/// C8: deviation ≥ workload − hi and deviation ≥ lo − workload, per balanced manager.
fn c8_balance(
    pb: &mut HighsProblem,
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    deviation: &[Option<usize>],
    band: &[Option<(f64, f64)>],
    v: &[Variable],
) -> usize {
    let mut rows = 0;
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
        pb.add_constraint((load.clone() - v[d]).leq(hi));
        pb.add_constraint((load + v[d]).geq(lo));
        rows += 2;
    }
    rows
}

/// C5: the penalty of each allowed cross-grade pair.
fn c5_mismatch_cost(
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    v: &[Variable],
    w: f64,
    obj: &mut Expression,
) {
    for (g, pairs) in x.iter().enumerate() {
        for &(m, c) in pairs {
            let pen = p
                .policy
                .penalty(p.managers[m].star, p.groups[g].class)
                .unwrap_or(0.0);
            if pen != 0.0 {
                obj.add_mul(w * pen, v[c]);
            }
        }
    }
}

/// C7 (soft part): weight per member over target.
fn c7_excess_cost(excess: &[Option<usize>], v: &[Variable], w: f64, obj: &mut Expression) {
    for c in excess.iter().flatten() {
        obj.add_mul(w, v[*c]);
    }
}

/// C8: weight per hour outside the band.
fn c8_deviation_cost(deviation: &[Option<usize>], v: &[Variable], w: f64, obj: &mut Expression) {
    for c in deviation.iter().flatten() {
        obj.add_mul(w, v[*c]);
    }
}

/// C9: cost × (1 − x[g, current]); returns the constant part (every cost, including the
/// forced moves away from managers the group cannot stay with).
fn c9_move_cost(
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    v: &[Variable],
    w: f64,
    obj: &mut Expression,
) -> f64 {
    let mut offset = 0.0;
    for (g, pairs) in x.iter().enumerate() {
        let grp = &p.groups[g];
        let Some(cur) = grp.current else { continue };
        let cost = w * p.policy.move_cost(grp.class, grp.members);
        offset += cost;
        if let Some(&(_, c)) = pairs.iter().find(|&&(m, _)| m == cur) {
            obj.add_mul(-cost, v[c]);
        }
    }
    offset
}
