//! The row duals of one LP relaxation, shared by pricing and the whole-group bound: each pair's objective coefficient and reduced cost, read from the rows it sits in.

use super::build::RowMap;
use super::RegionProblem;

/// The row duals of one LP (HiGHS's signs: for a minimisation, a `≤` row at its upper end
/// has a dual ≤ 0) and where each rule's rows sit.
pub(crate) struct Duals<'a> {
    pub p: &'a RegionProblem<'a>,
    pub y: Vec<f64>,
    pub map: RowMap,
}

impl Duals<'_> {
    /// The dual of a row, 0 where the row is not in the model.
    pub fn dual(&self, r: Option<usize>) -> f64 {
        r.map_or(0.0, |r| self.y[r])
    }

    /// Objective coefficient of x[g, m]: C5's penalty, less C9's cost when g stays (the
    /// constant part of C9 is the model's offset).
    pub fn cost(&self, g: usize, m: usize) -> f64 {
        let (p, w) = (self.p, self.p.policy.weights);
        let grp = &p.groups[g];
        let mut c = w.eligibility
            * p.policy
                .penalty(p.managers[m].star, grp.class)
                .unwrap_or(0.0);
        if grp.current == Some(m) {
            c -= w.moves * p.policy.move_cost(grp.class, grp.members);
        }
        c
    }

    /// Reduced cost of x[g, m]: its objective coefficient less its rows' duals.
    pub fn rc(&self, g: usize, m: usize) -> f64 {
        let (p, map) = (self.p, &self.map);
        let grp = &p.groups[g];
        let (n, load) = (
            f64::from(grp.members),
            p.policy.workload(grp.class, grp.members),
        );
        self.cost(g, m)
            - self.y[map.c1[g]]
            - self.dual(map.c6[m])
            - n * (self.dual(map.c7_max[m]) + self.dual(map.c7_excess[m]))
            - load * (self.dual(map.c8[m]) + self.dual(map.c13[m]))
    }
}
