//! Why workloads are not more equal where they are not: notes on idle managers and on stars whose utilisation ranges wider than 1.5×.

use starplan_model::domain::Star;
use starplan_model::rules::{self, candidates};
use starplan_model::RegionProblem;

/// Utilisation ranges above this (max ÷ min within a star) are explained (issue 9's bar).
pub const WIDE: f64 = 1.5;

/// Notes for a plan, in star order: each idle available, non-frozen manager, and each star
/// whose busy managers' utilisation spans more than [`WIDE`].
pub fn notes(p: &RegionProblem, assign: &[usize]) -> Vec<String> {
    let n = p.managers.len();
    let (mut count, mut load) = (vec![0usize; n], vec![0.0; n]);
    let mut book: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (g, &m) in assign.iter().enumerate() {
        count[m] += 1;
        load[m] += p.policy.workload(p.groups[g].class, p.groups[g].members);
        book[m].push(g);
    }
    let cands = candidates(p);
    let util = |m: usize| load[m] / rules::hours(p, m);
    let mut out = Vec::new();
    for star in Star::ALL {
        let pool: Vec<usize> = (0..n)
            .filter(|&m| rules::limited(p, m) && p.managers[m].star == star)
            .collect();
        for &m in pool.iter().filter(|&&m| count[m] == 0) {
            let could = cands.iter().filter(|c| c.contains(&m)).count();
            let why = if could == 0 {
                "no group may move to it (pinned, frozen, recently moved or of a class its star may not serve)".to_string()
            } else {
                // Only what is computed here: how many groups it may serve. Why the plan gave
                // it none of them (their costs against the balance) is not evaluated.
                format!("{could} groups may be served by it, and the plan gives it none of them")
            };
            out.push(format!(
                "{} ({}★) has no group: {why}",
                p.managers[m].id,
                star.number()
            ));
        }
        let busy: Vec<usize> = pool.iter().copied().filter(|&m| count[m] > 0).collect();
        let (Some(&hi), Some(&lo)) = (
            busy.iter().max_by(|&&a, &&b| util(a).total_cmp(&util(b))),
            busy.iter().min_by(|&&a, &&b| util(a).total_cmp(&util(b))),
        ) else {
            continue;
        };
        if util(lo) > 0.0 && util(hi) / util(lo) <= WIDE {
            continue;
        }
        let why = wide_why(p, &book, cands, hi, lo);
        out.push(format!(
            "{}★ utilisation ranges {:.2} ({}) to {:.2} ({}): {why}",
            star.number(),
            util(lo),
            p.managers[lo].id,
            util(hi),
            p.managers[hi].id
        ));
    }
    out
}

/// The first reason that applies: a single heavy group, the least loaded manager at a
/// limit, groups that may not move, or the weights.
fn wide_why(
    p: &RegionProblem,
    book: &[Vec<usize>],
    cands: &[Vec<usize>],
    hi: usize,
    lo: usize,
) -> String {
    let work = |g: usize| p.policy.workload(p.groups[g].class, p.groups[g].members);
    let hours_lo: f64 = book[lo].iter().map(|&g| work(g)).sum();
    if let Some(&g) = book[hi]
        .iter()
        .max_by(|&&a, &&b| work(a).total_cmp(&work(b)))
    {
        if work(g) >= 0.5 * rules::hours(p, hi) {
            return format!(
                "group {} alone needs {:.1} hours, {:.0} % of {}'s month",
                p.groups[g].id,
                work(g),
                100.0 * work(g) / rules::hours(p, hi),
                p.managers[hi].id
            );
        }
    }
    if book[lo].len() as f64 >= rules::c6_max_groups(p, lo) {
        return format!(
            "{} already holds {} groups, its maximum (C6)",
            p.managers[lo].id,
            book[lo].len()
        );
    }
    let movable = book[hi].iter().filter(|&&g| cands[g].contains(&lo)).count();
    if movable == 0 {
        return format!(
            "none of {}'s groups may move to {} (pinned, recently moved or of a class it may not serve)",
            p.managers[hi].id, p.managers[lo].id
        );
    }
    format!(
        "moving one of {movable} movable groups from {} to {} ({hours_lo:.1} hours now) costs more in moves and grade penalties than it gains at weights.balance = {}",
        p.managers[hi].id, p.managers[lo].id, p.policy.weights.balance
    )
}
