//! Candidate restriction that loses nothing provably: column generation on the LP relaxation, pricing every left-out pair by its reduced cost.

use super::build::{build, Spec};
use super::duals::Duals;
use super::rules;
use super::work::{self, Until};
use super::{ffi, RegionProblem, Run};

/// Pairs kept per group at first, besides the current and the start's manager.
const FIRST_CANDIDATES: usize = 10;
/// Left-out pairs added per group and round, most negative reduced cost first.
const ADD_PER_ROUND: usize = 20;

/// A restricted candidate set, with what pricing proved about the full model.
#[derive(Debug, Clone)]
pub struct Priced {
    pub kept: Vec<Vec<usize>>,
    /// A lower bound on every plan of the full model (the best Lagrangian bound of any
    /// round; the full LP optimum once converged). `None` when no LP was solved in time or
    /// the duals could not be trusted: then `kept` is only the first candidates.
    pub bound: Option<f64>,
    /// The whole-group bound from the last trusted duals, with its certificate.
    pub certified: Option<super::Certified>,
    /// Once pricing converged: the full LP optimum and the smallest reduced cost of a
    /// left-out pair. A plan that uses a left-out pair costs at least their sum.
    pub converged: Option<(f64, f64)>,
}

/// One pricing step: the left-out pairs with negative reduced cost (the most negative
/// first, `ADD_PER_ROUND` per group) join `kept`. Returns whether any did, the Lagrangian
/// bound and the least reduced cost of a pair still left out.
fn price(duals: &Duals, full: &[Vec<usize>], kept: &mut [Vec<usize>], lp: f64) -> (bool, f64, f64) {
    let mut added = false;
    let mut lagrangian = lp;
    let mut least_left_out = f64::INFINITY;
    for g in 0..full.len() {
        let mut left_out: Vec<(f64, usize)> = full[g]
            .iter()
            .filter(|m| kept[g].binary_search(m).is_err())
            .map(|&m| (duals.rc(g, m), m))
            .collect();
        left_out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        if let Some(&(r, _)) = left_out.first() {
            least_left_out = least_left_out.min(r);
            lagrangian += r.min(0.0);
        }
        for &(_, m) in left_out.iter().filter(|x| x.0 < -1e-7).take(ADD_PER_ROUND) {
            kept[g].push(m);
            added = true;
        }
        kept[g].sort_unstable();
    }
    (added, lagrangian, least_left_out)
}

/// Column generation: solve the LP relaxation on the kept pairs, price every left-out pair by
/// its reduced cost, add the most negative ones, repeat. Each round also gives the Lagrangian
/// bound z_LP + Σ_g min(0, min_m rc(g, m)): every group takes exactly one pair (C1), so no
/// plan of the full model can cost less. When nothing prices negative, the bound is the full
/// LP optimum. Pricing stops at convergence or at `stop`, keeping the best bound.
pub fn priced_candidates(
    p: &RegionProblem,
    full: &[Vec<usize>],
    start: Option<&[usize]>,
    run: &Run,
    (stop, bound_stop): (Until, Until),
) -> Priced {
    let mut kept = first_candidates(p, full, start);
    // The last trusted duals and model constant: when pricing stops unconverged, the
    // whole-group bound from them (valid for any duals) may beat the Lagrangian one.
    let mut last: Option<(Duals, f64)> = None;
    let unpriced = |kept: Vec<Vec<usize>>, best: Option<f64>, last: Option<(Duals, f64)>| {
        let whole = last.and_then(|(d, offset)| whole_bound(&d, full, offset, run, bound_stop));
        Priced {
            kept,
            bound: best,
            certified: whole,
            converged: None,
        }
    };
    let spec = Spec {
        all_rows: true,
        ..Spec::default()
    };
    let mut best: Option<f64> = None;
    loop {
        // Seconds, or in work mode units of work.
        let remaining = run.left(stop);
        let pairs: usize = kept.iter().map(Vec::len).sum();
        // An LP that cannot even be built before `stop` proves nothing.
        if remaining < 0.5 + pairs as f64 * super::highs_solve::BUILD_SECONDS_PER_PAIR {
            return unpriced(kept, best, last);
        }
        run.charge(pairs as f64 * work::PER_PAIR_BUILT);
        // HiGHS's own time limit: the clock left (in work mode, the safety stop's).
        let remaining = run
            .stop(stop)
            .deadline
            .saturating_duration_since(std::time::Instant::now())
            .as_secs_f64();
        let built = build(p, &kept, &spec);
        let (x, map, offset) = (built.x.clone(), built.rowmap.clone(), built.offset);
        let Some((solved, _)) = lp(built, run, stop, offset, remaining) else {
            return unpriced(kept, best, last);
        };
        if solved.status() != highs::HighsModelStatus::Optimal {
            return unpriced(kept, best, last);
        }
        let lp = solved.objective_value();
        let sol = solved.get_solution();
        let duals = Duals {
            p,
            y: sol.dual_rows().to_vec(),
            map,
        };
        let d = sol.dual_columns();
        // The duals must reproduce HiGHS's reduced costs of the kept pairs, or pricing with
        // them would prove nothing.
        let agree = x.iter().enumerate().all(|(g, pairs)| {
            pairs
                .iter()
                .all(|&(m, col)| (duals.rc(g, m) - d[col]).abs() <= 1e-6 * (1.0 + d[col].abs()))
        });
        if !agree {
            return unpriced(kept, best, last);
        }
        let (added, lagrangian, least_left_out) = price(&duals, full, &mut kept, lp);
        best = super::larger(best, Some(lagrangian));
        if added {
            last = Some((duals, offset));
        } else {
            // Whole groups raise the LP's bound (model::lagrange); it is valid for any duals.
            let whole = whole_bound(&duals, full, offset, run, bound_stop);
            return Priced {
                kept,
                bound: Some(lp),
                certified: whole,
                converged: Some((lp, least_left_out.max(0.0))),
            };
        }
    }
}

/// The whole-group bound (model::lagrange) by `until`. In work mode the decision to try it
/// is taken on the work left, and what it does is counted; the clock is its safety stop.
fn whole_bound(
    d: &Duals,
    full: &[Vec<usize>],
    offset: f64,
    run: &Run,
    until: Until,
) -> Option<super::Certified> {
    let pairs: usize = full.iter().map(Vec::len).sum();
    if run.counted().is_some() && run.left(until) < 0.2 + pairs as f64 * work::PER_PAIR_BOUND {
        return None;
    }
    let whole = super::lagrange::bound(d, full, offset, until.clock);
    run.charge(pairs as f64 * work::PER_PAIR_BOUND);
    // Records a safety stop that cut the bound short (work mode).
    let _ = run.left(run.end());
    whole
}

/// Solves the LP relaxation of a built model until `stop`.
pub(crate) fn lp(
    built: super::build::Built,
    run: &Run,
    stop: impl Into<Until>,
    offset: f64,
    remaining: f64,
) -> Option<(highs::SolvedModel, ffi::Progress)> {
    let mut model = built.problem.try_into_inner().ok()?;
    super::highs_solve::set_options(&mut model, run.limits.seed, 0.0, remaining).ok()?;
    model.try_set_option("solve_relaxation", true).ok()?;
    ffi::set_objective_offset(&mut model, offset).ok()?;
    ffi::solve_watched(model, run.clock, run.stop(stop), None).ok()
}

/// The current manager, the start's manager, and the pairs with the lowest penalty, then the
/// lowest utilisation in the start (or the current layout).
fn first_candidates(
    p: &RegionProblem,
    full: &[Vec<usize>],
    start: Option<&[usize]>,
) -> Vec<Vec<usize>> {
    let n = p.managers.len();
    let mut load = vec![0.0; n];
    for (g, grp) in p.groups.iter().enumerate() {
        if let Some(m) = start.map(|s| s[g]).or(grp.current) {
            load[m] += p.policy.workload(grp.class, grp.members);
        }
    }
    let util: Vec<f64> = (0..n).map(|m| load[m] / rules::hours(p, m)).collect();
    (0..full.len())
        .map(|g| {
            let grp = &p.groups[g];
            let pen = |m: usize| {
                p.policy
                    .penalty(p.managers[m].star, grp.class)
                    .unwrap_or(0.0)
            };
            let by = |a: &usize, b: &usize| {
                pen(*a)
                    .total_cmp(&pen(*b))
                    .then(util[*a].total_cmp(&util[*b]))
                    .then(a.cmp(b))
            };
            // Only the first few are kept: select them, then sort those (a full sort of
            // 2 000 managers for 20 000 groups took seconds).
            let mut order = full[g].clone();
            if order.len() > FIRST_CANDIDATES {
                order.select_nth_unstable_by(FIRST_CANDIDATES - 1, by);
                order.truncate(FIRST_CANDIDATES);
            }
            order.sort_by(by);
            let mut kept = order;
            for m in [grp.current, start.map(|s| s[g])].into_iter().flatten() {
                if full[g].binary_search(&m).is_ok() && !kept.contains(&m) {
                    kept.push(m);
                }
            }
            kept.sort_unstable();
            kept
        })
        .collect()
}
