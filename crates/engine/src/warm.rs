//! A warm start: a base plan's assignment for a region whose input changed, repaired where the change broke it (a leaving manager's groups, a changed star, a new group).

use crate::start::repaired_start;
use starplan_model::excesses;
use starplan_model::rules::candidates;
use starplan_model::RegionProblem;
use std::collections::HashMap;

/// The base plan's layout (`hint`: group id → manager id) repaired into a plan that keeps
/// every hard rule of `p`, or `None` when it cannot be (the solve then starts from the
/// current layout as usual). Groups the hint does not place, or places with a manager the
/// region no longer has, are placed by the greedy repair; pinned groups and frozen books
/// keep their current manager.
pub fn warm_start(p: &RegionProblem, hint: &HashMap<String, String>) -> Option<Vec<usize>> {
    let local: HashMap<&str, usize> = p
        .managers
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let mut q = p.clone();
    for g in q.groups.iter_mut() {
        let fixed = g.pinned || g.current.is_some_and(|c| p.managers[c].frozen);
        if fixed {
            continue;
        }
        g.current = hint
            .get(&g.id)
            .and_then(|m| local.get(m.as_str()).copied())
            .filter(|&m| !p.managers[m].frozen);
        // The repair treats the hint as a current layout: C12 must not pin it there.
        g.recent = false;
    }
    let start = repaired_start(&q)?;
    let cands = candidates(p);
    let keeps = start.iter().enumerate().all(|(g, m)| cands[g].contains(m))
        && excesses(p, &start).is_empty();
    keeps.then_some(start)
}
