//! The whole-group bound (models/assignment.md, "The bound") never passes a proven optimum: small generated regions solved to a zero gap, each plan through the checker (whose T2 fails a bound above the objective).

mod common;

use common::{quick, solve_checked};
use starplan::engine::SolveOptions;
use starplan::format::output::Status;

#[test]
fn whole_group_bound_never_passes_the_optimum() {
    let opts = SolveOptions {
        time_limit_seconds: Some(60.0),
        relative_gap: Some(0.0),
        ..quick()
    };
    for seed in 1..=6u64 {
        let file = starplan::generate::province(seed, 1, 36 + 4 * seed as usize, Some(5));
        let plan = solve_checked(&file, &opts);
        let r = &plan.regions[0];
        let (objective, bound) = (r.objective.unwrap(), r.bound.unwrap());
        assert_eq!(r.status, Status::Optimal, "seed {seed}");
        assert!(
            bound <= objective + 1e-6,
            "seed {seed}: bound {bound} above {objective}"
        );
    }
}
