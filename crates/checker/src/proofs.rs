//! The checker's own proofs that a region cannot keep every hard rule, beyond the counting diagnoses: they confirm a relaxed region that lists only D000 (HiGHS's proof, which the checker cannot read).
//!
//! Each is a necessary condition of a plan that keeps every rule, computed from the input:
//! - seats: a flow from each group outside a frozen book, over the pairs C2–C5 and C12 allow
//!   it, to the seats of its managers must carry every group (Hall's condition on each
//!   group's own candidates, not only on classes as D001). A manager's seats are C6's
//!   ⌊max_groups × capacity⌋, and no more than the number of the smallest groups that may go
//!   to it that fit its C7 maximum together (three groups of 600 members, two managers of
//!   1 000: each holds one);
//! - members: the same with members against the C7 maxima, groups split freely (so a
//!   shortfall here is a shortfall of any plan);
//! - moves: a limited manager must shed at least its book less its seats, and at least its
//!   book's members less its span maximum, besides its forced departures; an unavailable
//!   manager sheds its whole book. Their sum against C10's budgets, and each manager's own
//!   against C11's share.

use super::view::RegionView;

/// A reason the hard rules cannot all hold, or `None` when no proof applies.
pub fn infeasible(view: &RegionView) -> Option<String> {
    seats_or_members(view, false)
        .or_else(|| seats_or_members(view, true))
        .or_else(|| moves(view))
}

fn seats_or_members(view: &RegionView, members: bool) -> Option<String> {
    let free: Vec<usize> = (0..view.groups.len())
        .filter(|&g| !view.in_frozen_book(view.groups[g]))
        .collect();
    let limited: Vec<usize> = (0..view.managers.len())
        .filter(|&m| view.limited(view.managers[m]))
        .collect();
    let (source, sink) = (0, 1 + free.len() + limited.len());
    let mut f = Flow::new(sink + 1);
    let mut need = 0.0;
    for (i, &g) in free.iter().enumerate() {
        let size = if members {
            view.groups[g].members as f64
        } else {
            1.0
        };
        need += size;
        f.edge(source, 1 + i, size);
        for (j, &m) in limited.iter().enumerate() {
            if view.allowed(g, m) {
                f.edge(1 + i, 1 + free.len() + j, size);
            }
        }
    }
    for (j, &m) in limited.iter().enumerate() {
        let mgr = view.managers[m];
        let cap = if members {
            view.span(mgr, true)
        } else {
            view.max_groups(mgr).min(fitting(view, &free, m))
        };
        f.edge(1 + free.len() + j, sink, cap);
    }
    let carried = f.max_flow(source, sink);
    let what = if members { "members" } else { "groups" };
    (carried < need - 1e-6 * need.max(1.0))
        .then(|| format!("at most {carried} of the {need} {what} fit the managers each may go to"))
}

/// The most groups manager `m` can hold within its C7 maximum: as many of the smallest groups
/// that may go to it as fit. No plan gives it more, whichever it gets.
fn fitting(view: &RegionView, free: &[usize], m: usize) -> f64 {
    let mut sizes: Vec<f64> = free
        .iter()
        .filter(|&&g| view.allowed(g, m))
        .map(|&g| view.groups[g].members as f64)
        .collect();
    sizes.sort_by(f64::total_cmp);
    let room = view.span(view.managers[m], true);
    let (mut total, mut n) = (0.0, 0.0);
    for s in sizes {
        total += s;
        if total > room {
            break;
        }
        n += 1.0;
    }
    n
}

/// Moves no plan can avoid against C10 and C11.
fn moves(view: &RegionView) -> Option<String> {
    let cc = &view.policy.change_control;
    let (mut groups, mut members) = (0.0, 0.0);
    for (m, mgr) in view.managers.iter().enumerate() {
        let book: Vec<usize> = (0..view.groups.len())
            .filter(|&g| view.current(view.groups[g]) == Some(m))
            .collect();
        let size: f64 = book.iter().map(|&g| view.groups[g].members as f64).sum();
        let forced: Vec<usize> = book
            .iter()
            .copied()
            .filter(|&g| view.forced(view.groups[g]))
            .collect();
        let forced_size: f64 = forced.iter().map(|&g| view.groups[g].members as f64).sum();
        let (leave, leave_size) = if !mgr.available {
            (book.len() as f64, size)
        } else if view.limited(mgr) {
            (
                (forced.len() as f64).max(book.len() as f64 - view.max_groups(mgr)),
                forced_size.max(size - view.span(mgr, true)),
            )
        } else {
            (0.0, 0.0)
        };
        if let (true, Some(share)) = (mgr.available, cc.max_book_change) {
            let most = (share * book.len() as f64 + 1e-9).floor();
            if leave > most {
                return Some(format!(
                    "at least {leave} groups must leave manager {}'s book, at most {most} may",
                    mgr.id
                ));
            }
        }
        groups += leave;
        members += leave_size;
    }
    let over = |budget: Option<f64>, value: f64| budget.filter(|&b| value > b + 1e-9);
    if let Some(b) = over(cc.max_moved_groups, groups) {
        return Some(format!(
            "at least {groups} groups must move, the budget is {b}"
        ));
    }
    over(cc.max_moved_members, members)
        .map(|b| format!("at least {members} members must move, the budget is {b}"))
}

/// A maximum flow (Dinic's algorithm) on real capacities.
struct Flow {
    /// Per edge: head, capacity left; edge `e ^ 1` is its reverse.
    to: Vec<usize>,
    cap: Vec<f64>,
    out: Vec<Vec<usize>>,
}

impl Flow {
    fn new(nodes: usize) -> Self {
        Flow {
            to: Vec::new(),
            cap: Vec::new(),
            out: vec![Vec::new(); nodes],
        }
    }

    fn edge(&mut self, a: usize, b: usize, cap: f64) {
        for (from, to, c) in [(a, b, cap), (b, a, 0.0)] {
            self.out[from].push(self.to.len());
            self.to.push(to);
            self.cap.push(c);
        }
    }

    fn levels(&self, s: usize) -> Vec<usize> {
        let mut level = vec![usize::MAX; self.out.len()];
        level[s] = 0;
        let mut queue = std::collections::VecDeque::from([s]);
        while let Some(a) = queue.pop_front() {
            for &e in &self.out[a] {
                let b = self.to[e];
                if self.cap[e] > 1e-12 && level[b] == usize::MAX {
                    level[b] = level[a] + 1;
                    queue.push_back(b);
                }
            }
        }
        level
    }

    fn push(&mut self, a: usize, t: usize, limit: f64, level: &[usize], next: &mut [usize]) -> f64 {
        if a == t {
            return limit;
        }
        while next[a] < self.out[a].len() {
            let e = self.out[a][next[a]];
            let b = self.to[e];
            if self.cap[e] > 1e-12 && level[b] == level[a] + 1 {
                let sent = self.push(b, t, limit.min(self.cap[e]), level, next);
                if sent > 0.0 {
                    self.cap[e] -= sent;
                    self.cap[e ^ 1] += sent;
                    return sent;
                }
            }
            next[a] += 1;
        }
        0.0
    }

    fn max_flow(&mut self, s: usize, t: usize) -> f64 {
        let mut total = 0.0;
        loop {
            let level = self.levels(s);
            if level[t] == usize::MAX {
                return total;
            }
            let mut next = vec![0; self.out.len()];
            loop {
                let sent = self.push(s, t, f64::INFINITY, &level, &mut next);
                if sent <= 0.0 {
                    break;
                }
                total += sent;
            }
        }
    }
}
