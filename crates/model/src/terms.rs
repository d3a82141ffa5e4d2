//! The objective terms of the region MIP that are not C8's: C5 (grade penalty), C7 (members over target) and C9 (moves), each as an expression and a constant.

use super::build::stay_col;
use super::RegionProblem;
use good_lp::{Expression, Variable};

/// A term as an expression plus the constant HiGHS does not see.
pub struct Term {
    pub expr: Expression,
    pub constant: f64,
}

/// C5: the penalty of each allowed cross-grade pair (a forbidden pair of the relaxed model
/// is costed by its slack instead).
pub fn c5_eligibility_cost(p: &RegionProblem, x: &[Vec<(usize, usize)>], v: &[Variable]) -> Term {
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
pub fn c7_excess_cost(excess: &[Option<usize>], v: &[Variable]) -> Term {
    Term {
        expr: excess.iter().flatten().map(|&c| v[c]).sum(),
        constant: 0.0,
    }
}

/// C9: Σ cost × (1 − x[g, current]); a forced move is all constant.
pub fn c9_move_cost(p: &RegionProblem, x: &[Vec<(usize, usize)>], v: &[Variable]) -> Term {
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
