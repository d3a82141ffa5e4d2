//! The greedy baseline re-derived (T3): the current layout repaired by hand, step by step as models/assignment.md ("Repaired start") describes it, and its objective.

use super::close;
use super::terms::{raw_terms, weighted};
use super::view::RegionView;
use super::Code;
use starplan_format::codes::Check::T3;
use starplan_format::output::RegionPlan;
use std::collections::HashMap;

/// Running totals of a partial layout: groups, members and hours per manager position.
struct Totals {
    count: Vec<f64>,
    members: Vec<f64>,
    hours: Vec<f64>,
}

impl Totals {
    fn add(&mut self, view: &RegionView, g: usize, m: usize, sign: f64) {
        let grp = view.groups[g];
        self.count[m] += sign;
        self.members[m] += sign * grp.members as f64;
        self.hours[m] += sign * view.hours_of(grp);
    }

    /// A limited manager keeps C6, C7 and C13 with `extra` groups of `members` members and
    /// `hours` hours more.
    fn room(&self, view: &RegionView, m: usize, add: (f64, f64, f64)) -> bool {
        let mgr = view.managers[m];
        let (extra, members, hours) = add;
        !view.limited(mgr)
            || (self.count[m] + extra <= view.max_groups(mgr)
                && self.members[m] + members <= view.span(mgr, true)
                && self.hours[m] + hours <= view.hours_cap(mgr))
    }
}

/// The greedy repair: manager position per group position, or `None` when some group
/// cannot be placed. Groups and managers are visited in id order, as the solver numbers them.
pub fn greedy(view: &RegionView) -> Option<Vec<usize>> {
    let n = view.managers.len();
    let groups = view.by_id_groups();
    // 1. Every group stays where the pair rules (C2–C5, C12) allow it.
    let mut assign: Vec<Option<usize>> = (0..view.groups.len())
        .map(|g| view.current(view.groups[g]).filter(|&c| view.allowed(g, c)))
        .collect();
    let mut t = Totals {
        count: vec![0.0; n],
        members: vec![0.0; n],
        hours: vec![0.0; n],
    };
    for &g in &groups {
        if let Some(m) = assign[g] {
            t.add(view, g, m, 1.0);
        }
    }
    // 2. A limited manager over C6, C7 or C13 sheds unpinned groups, most members first.
    let managers = view.by_id_managers();
    for &m in &managers {
        if !view.limited(view.managers[m]) {
            continue;
        }
        let mut mine: Vec<usize> = groups
            .iter()
            .copied()
            .filter(|&g| assign[g] == Some(m) && !view.groups[g].pinned)
            .collect();
        mine.sort_by_key(|&g| std::cmp::Reverse(view.groups[g].members));
        for g in mine {
            if t.room(view, m, (0.0, 0.0, 0.0)) {
                break;
            }
            assign[g] = None;
            t.add(view, g, m, -1.0);
        }
    }
    // 3. Each group left over, most hours first, goes to the allowed manager with room that
    //    has the lowest C5 penalty, then the lowest utilisation once it has the group.
    let mut open: Vec<usize> = groups
        .into_iter()
        .filter(|&g| assign[g].is_none())
        .collect();
    open.sort_by(|&a, &b| {
        let (wa, wb) = (view.hours_of(view.groups[a]), view.hours_of(view.groups[b]));
        wb.total_cmp(&wa)
    });
    for g in open {
        let grp = view.groups[g];
        let work = view.hours_of(grp);
        let key = |m: usize| {
            let mgr = view.managers[m];
            let pen = view.penalty(grp, mgr).unwrap_or(0.0);
            (pen, (t.hours[m] + work) / view.monthly(mgr))
        };
        let best = managers
            .iter()
            .copied()
            .filter(|&m| view.allowed(g, m) && t.room(view, m, (1.0, grp.members as f64, work)))
            .min_by(|&a, &b| {
                let (ka, kb) = (key(a), key(b));
                ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
            })?;
        assign[g] = Some(best);
        t.add(view, g, best, 1.0);
    }
    assign.into_iter().collect()
}

/// T3: `baselines.greedy` is the objective of the greedy repair (null when it fails).
pub fn greedy_baseline(view: &RegionView, rp: &RegionPlan, v: &mut dyn FnMut(Code, String)) {
    let mine = greedy(view).map(|a| {
        let who: HashMap<&str, &str> = (0..a.len())
            .map(|g| (view.groups[g].id.as_str(), view.managers[a[g]].id.as_str()))
            .collect();
        let layout = view.layout(|g| who.get(g.id.as_str()).copied());
        weighted(view, &raw_terms(view, &layout))
    });
    let same = match (mine, rp.baselines.greedy) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    };
    if !same {
        v(
            T3.into(),
            format!(
                "baselines.greedy is {:?}, the greedy repair of the current layout gives {mine:?}",
                rp.baselines.greedy
            ),
        );
    }
}
