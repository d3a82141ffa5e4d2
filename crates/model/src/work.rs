//! Counted work, for the deterministic mode (`policy.solver.work_limit`): every step of a region stops on work it counts (annealing steps, pairs looked at, LP iterations, nodes), never on the clock, so a rerun repeats on an idle or a loaded machine.
//!
//! A unit of work is about one second of one core of the 2-core machine the project builds
//! on; the rates below were measured there (models/assignment.md, "Reruns that repeat").
//! They only size budgets: a wrong rate makes a step take more or less time than its share,
//! never a different plan on a rerun. The wall clock (`time_limit_seconds`) stays as a
//! safety stop; when it ends a step the region says so, because its plan may then differ
//! from a rerun's.

use std::cell::Cell;
use std::time::Instant;

/// Units one annealing step costs (3–4 million steps a second).
pub const PER_STEP: f64 = 1.0 / 3.0e6;
/// Units one candidate pair costs when descent looks at it.
pub const PER_PAIR_LOOKED: f64 = 2.0e-8;
/// Units one swap descent looks at costs (two managers' totals and the pool's penalty: a
/// 3 736-group region's descent counted without its swaps ran 4 s where 1 unit was planned).
pub const PER_SWAP_LOOKED: f64 = 1.0e-7;
/// Units one candidate pair costs when a model is built (`BUILD_SECONDS_PER_PAIR`).
pub const PER_PAIR_BUILT: f64 = super::highs_solve::BUILD_SECONDS_PER_PAIR;
/// Units one knapsack pair of the whole-group bound costs (`lagrange::SECONDS_PER_PAIR`).
pub const PER_PAIR_BOUND: f64 = 5e-7;

/// Units one simplex iteration costs on a model of `rows` rows and `columns` columns: an
/// iteration's pricing and update touch a row and a share of the columns.
pub fn per_iteration(rows: usize, columns: usize) -> f64 {
    2e-6 + 2e-8 * rows as f64 + 4e-9 * columns as f64
}

/// How many times an LP's iteration a MIP's costs: its root spends most of its time on cuts
/// and heuristics between iterations (measured: 250 × 25, 7 320 iterations in 2.0 s;
/// 800 × 80, 5 910 in 5.9 s; 382 × 35 about 4 s for what 4 times an LP iteration counted
/// as 1.3 units).
pub const MIP_FACTOR: f64 = 8.0;
/// Units every HiGHS solve costs, whatever its size (setup, presolve: a neighbourhood of
/// 1 000 pairs took 25 ms for 180 iterations).
pub const PER_SOLVE: f64 = 0.01;

/// Units one branch-and-bound node costs besides its LP iterations.
pub fn per_node(rows: usize, columns: usize) -> f64 {
    1e-4 + 1e-8 * (rows + columns) as f64
}

/// The work a region has done so far, and whether the wall clock had to stop it.
#[derive(Debug, Default)]
pub struct Meter {
    used: Cell<f64>,
    safety: Cell<bool>,
}

impl Meter {
    pub fn new() -> Meter {
        Meter::default()
    }

    /// Units done so far.
    pub fn used(&self) -> f64 {
        self.used.get()
    }

    /// Counts `units` more.
    pub fn charge(&self, units: f64) {
        if units.is_finite() && units > 0.0 {
            self.used.set(self.used.get() + units);
        }
    }

    /// The wall clock stopped some step before its work was done.
    pub fn safety_fired(&self) -> bool {
        self.safety.get()
    }

    pub(crate) fn fire(&self) {
        self.safety.set(true);
    }
}

/// Where a step must stop: the clock (in work mode, the region's safety stop) and, in work
/// mode, a mark on the region's meter (infinite otherwise).
#[derive(Debug, Clone, Copy)]
pub struct Until {
    pub clock: Instant,
    pub work: f64,
}

/// A point a share is measured from: when and how much work had been done.
#[derive(Debug, Clone, Copy)]
pub struct Since {
    pub clock: Instant,
    pub work: f64,
}

impl From<Instant> for Until {
    /// A clock deadline alone: no work mark.
    fn from(clock: Instant) -> Until {
        Until {
            clock,
            work: f64::INFINITY,
        }
    }
}
