//! Repairs the current layout into a complete plan that keeps every hard rule: the start handed to HiGHS.

use starplan_model::rules::{self, candidates};
use starplan_model::RegionProblem;

/// The current layout with every broken hard rule repaired, or `None` when the greedy
/// repair cannot place some group. Groups keep their manager where the rules allow; groups
/// of unavailable managers, on forbidden pairs, or over a manager's C6/C7/C13 limits are moved
/// to the allowed manager with the lowest C5 penalty, then the lowest utilisation, that has room.
pub fn repaired_start(p: &RegionProblem) -> Option<Vec<usize>> {
    let cands = candidates(p);
    let n = p.managers.len();
    let mut assign: Vec<Option<usize>> = p
        .groups
        .iter()
        .enumerate()
        .map(|(g, grp)| grp.current.filter(|c| cands[g].contains(c)))
        .collect();
    let (mut count, mut members, mut load) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for (g, a) in assign.iter().enumerate() {
        if let Some(m) = *a {
            count[m] += 1.0;
            members[m] += f64::from(p.groups[g].members);
            load[m] += p.policy.workload(p.groups[g].class, p.groups[g].members);
        }
    }
    // Unload managers over a hard limit (C6, C7, C13), largest groups first, pinned never.
    for m in (0..n).filter(|&m| rules::limited(p, m)) {
        let mut mine: Vec<usize> = (0..p.groups.len())
            .filter(|&g| assign[g] == Some(m) && !p.groups[g].pinned)
            .collect();
        mine.sort_by_key(|&g| (std::cmp::Reverse(p.groups[g].members), g));
        for g in mine {
            if count[m] <= rules::c6_max_groups(p, m)
                && members[m] <= rules::c7_span_max(p, m)
                && load[m] <= rules::c13_hours_cap(p, m)
            {
                break;
            }
            assign[g] = None;
            count[m] -= 1.0;
            members[m] -= f64::from(p.groups[g].members);
            load[m] -= p.policy.workload(p.groups[g].class, p.groups[g].members);
        }
    }
    let mut open: Vec<usize> = (0..p.groups.len())
        .filter(|&g| assign[g].is_none())
        .collect();
    open.sort_by(|&a, &b| {
        let wa = p.policy.workload(p.groups[a].class, p.groups[a].members);
        let wb = p.policy.workload(p.groups[b].class, p.groups[b].members);
        wb.total_cmp(&wa).then(a.cmp(&b))
    });
    for g in open {
        let grp = &p.groups[g];
        let work = p.policy.workload(grp.class, grp.members);
        let best = cands[g]
            .iter()
            .copied()
            .filter(|&m| {
                !rules::limited(p, m)
                    || (count[m] + 1.0 <= rules::c6_max_groups(p, m)
                        && members[m] + f64::from(grp.members) <= rules::c7_span_max(p, m)
                        && load[m] + work <= rules::c13_hours_cap(p, m))
            })
            .min_by(|&a, &b| {
                let key = |m: usize| {
                    let pen = p
                        .policy
                        .penalty(p.managers[m].star, grp.class)
                        .unwrap_or(0.0);
                    (pen, (load[m] + work) / rules::hours(p, m))
                };
                let (ka, kb) = (key(a), key(b));
                ka.0.total_cmp(&kb.0)
                    .then(ka.1.total_cmp(&kb.1))
                    .then(a.cmp(&b))
            })?;
        assign[g] = Some(best);
        count[best] += 1.0;
        members[best] += f64::from(grp.members);
        load[best] += work;
    }
    assign.into_iter().collect()
}

/// A start for the relaxed model: every group where C2–C4 allow it stays, the others go to
/// the allowed manager with the lowest penalty (a forbidden pair last), then the lowest
/// utilisation, whatever the limits. It breaks rules, but only relaxable ones, so the
/// relaxed model can start from it and a region out of time still has a plan to show.
pub fn relaxed_start(p: &RegionProblem) -> Option<Vec<usize>> {
    let cands = rules::candidates_relaxed(p);
    let mut load = vec![0.0; p.managers.len()];
    let mut plan = vec![usize::MAX; p.groups.len()];
    for (g, grp) in p.groups.iter().enumerate() {
        if let Some(c) = grp.current.filter(|c| cands[g].contains(c)) {
            plan[g] = c;
            load[c] += p.policy.workload(grp.class, grp.members);
        }
    }
    for g in 0..p.groups.len() {
        if plan[g] != usize::MAX {
            continue;
        }
        let grp = &p.groups[g];
        let key = |m: usize| {
            let pen = p
                .policy
                .penalty(p.managers[m].star, grp.class)
                .unwrap_or(f64::INFINITY);
            (pen, load[m] / rules::hours(p, m))
        };
        let best = cands[g].iter().copied().min_by(|&a, &b| {
            let (ka, kb) = (key(a), key(b));
            ka.0.total_cmp(&kb.0)
                .then(ka.1.total_cmp(&kb.1))
                .then(a.cmp(&b))
        })?;
        plan[g] = best;
        load[best] += p.policy.workload(grp.class, grp.members);
    }
    Some(plan)
}
