//! Builds the region MIP with good_lp: the columns, the objective (the terms C5, C7, C8, C9 and the relaxation penalties) and the rows (in `rows` and `c8`).

use super::c8::{self, BalanceCols};
use super::relaxed::{relaxation_columns, relaxation_cost, Slack};
use super::rows;
use super::terms::{c5_eligibility_cost, c7_excess_cost, c9_move_cost, Term};
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
    /// The C8 columns: pool levels and deviation pieces.
    pub balance: BalanceCols,
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

/// Where each row of a rule sits (for pricing left-out pairs by reduced cost).
#[derive(Debug, Clone, Default)]
pub struct RowMap {
    pub c1: Vec<usize>,
    pub c6: Vec<Option<usize>>,
    pub c7_max: Vec<Option<usize>>,
    pub c7_excess: Vec<Option<usize>>,
    pub c8: Vec<Option<usize>>,
    pub c13: Vec<Option<usize>>,
}

/// Adds rows and numbers them in the order HiGHS receives them.
pub(crate) struct Rows<'a> {
    pb: &'a mut HighsProblem,
    next: usize,
    pub(crate) map: RowMap,
}

impl Rows<'_> {
    pub(crate) fn add(&mut self, c: good_lp::Constraint) -> usize {
        self.pb.add_constraint(c);
        self.next += 1;
        self.next - 1
    }
}

/// The columns of a model: one binary per candidate pair, then C7's excess, C8's and the
/// relaxation slacks.
struct Cols {
    x: Vec<Vec<(usize, usize)>>,
    excess: Vec<Option<usize>>,
    balance: BalanceCols,
    slacks: Vec<Slack>,
}

fn columns(p: &RegionProblem, candidates: &[Vec<usize>], spec: &Spec, cols: &mut Columns) -> Cols {
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
    let balance = c8::columns(p, cols);
    let mut slacks = Vec::new();
    if spec.relaxed {
        relaxation_columns(p, &x, cols, &mut slacks);
    }
    Cols {
        x,
        excess,
        balance,
        slacks,
    }
}

/// The objective: the weighted terms (or one goal's), plus the relaxation penalties; and
/// its constant part.
fn objective(
    p: &RegionProblem,
    c: &Cols,
    spec: &Spec,
    terms: &[Term; 4],
    v: &[Variable],
) -> (Expression, f64) {
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
    offset += relaxation_cost(p, &c.slacks, v, &mut objective);
    (objective, offset)
}

pub fn build(p: &RegionProblem, candidates: &[Vec<usize>], spec: &Spec) -> Built {
    let mut list = Columns {
        vars: ProblemVariables::new(),
        list: Vec::new(),
    };
    let c = columns(p, candidates, spec, &mut list);
    let v = list.list.clone();
    let terms = [
        c5_eligibility_cost(p, &c.x, &v),
        c7_excess_cost(&c.excess, &v),
        Term {
            expr: c8::cost(p, &c.balance, &v),
            constant: 0.0,
        },
        c9_move_cost(p, &c.x, &v),
    ];
    let (obj, offset) = objective(p, &c, spec, &terms, &v);
    let columns = v.len();
    let mut problem = list.vars.minimise(obj).using(highs);
    let n = p.managers.len();
    let mut rows = Rows {
        pb: &mut problem,
        next: 0,
        map: RowMap {
            c6: vec![None; n],
            c7_max: vec![None; n],
            c7_excess: vec![None; n],
            c13: vec![None; n],
            ..RowMap::default()
        },
    };
    for &(goal, limit) in &spec.limits {
        let t = &terms[goal.idx()];
        rows.add(t.expr.clone().leq(limit - t.constant));
    }
    let slack_of = |rule: Rule, unit: Unit, m: Option<usize>| {
        c.slacks
            .iter()
            .map(|s| (s.subject, s.col))
            .find(|(x, _)| x.rule == rule && x.unit == unit && x.manager == m && x.group.is_none())
            .map(|(_, col)| v[col])
    };
    let x = &c.x;
    rows::c1_assign_exactly_one(&mut rows, x, &v);
    rows::c6_max_groups(&mut rows, p, x, &v, &slack_of, spec.all_rows);
    rows::c7_span(&mut rows, p, x, &c.excess, &v, &slack_of);
    rows.map.c8 = c8::rows(&mut rows, p, &c.balance, &by_manager(n, x), &v);
    rows::c10_move_budget(&mut rows, p, x, &v, &slack_of);
    rows::c11_book_change(&mut rows, p, x, &v, &slack_of);
    rows::c13_hours_cap(&mut rows, p, x, &v, &slack_of);
    let (rows, rowmap) = (rows.next, rows.map);
    Built {
        problem,
        rowmap,
        x: c.x,
        excess: c.excess,
        balance: c.balance,
        slacks: c.slacks,
        offset,
        columns,
        rows,
    }
}

/// Per manager, the (group, column) pairs that could land on it.
pub(crate) fn by_manager(n: usize, x: &[Vec<(usize, usize)>]) -> Vec<Vec<(usize, usize)>> {
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
pub(crate) type SlackOf<'a> = dyn Fn(Rule, Unit, Option<usize>) -> Option<Variable> + 'a;

pub(crate) fn with_slack(e: Expression, slack: Option<Variable>) -> Expression {
    match slack {
        Some(u) => e - u,
        None => e,
    }
}
