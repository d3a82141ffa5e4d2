//! The per-region rules as plain functions (no solver types): candidate pairs (C2–C5), limits (C6, C7, C13), the region's level (C8) and the objective of a plan.

use super::RegionProblem;

/// C2: a pinned group may only stay with its current manager.
pub fn c2_pinned_allows(p: &RegionProblem, g: usize, m: usize) -> bool {
    let grp = &p.groups[g];
    !grp.pinned || grp.current == Some(m)
}

/// C3: a frozen manager keeps exactly its book: its groups stay and it takes no others.
pub fn c3_frozen_allows(p: &RegionProblem, g: usize, m: usize) -> bool {
    let current = p.groups[g].current;
    let current_frozen = current.is_some_and(|c| p.managers[c].frozen);
    if current_frozen {
        current == Some(m)
    } else {
        !p.managers[m].frozen
    }
}

/// C4: an unavailable manager ends with no groups.
pub fn c4_available_allows(p: &RegionProblem, m: usize) -> bool {
    p.managers[m].available
}

/// C5: the star×class pair is not forbidden by the policy.
pub fn c5_eligible(p: &RegionProblem, g: usize, m: usize) -> bool {
    p.policy
        .penalty(p.managers[m].star, p.groups[g].class)
        .is_some()
}

/// A group must leave its current manager whatever the plan: the manager is unavailable
/// (C4) or the pair is forbidden (C5).
pub fn forced_to_move(p: &RegionProblem, g: usize) -> bool {
    p.groups[g]
        .current
        .is_some_and(|c| !p.managers[c].available || !c5_eligible(p, g, c))
}

/// C12: a group moved recently stays with its current manager unless it is forced to move.
pub fn c12_recent_allows(p: &RegionProblem, g: usize, m: usize) -> bool {
    let grp = &p.groups[g];
    !grp.recent || grp.current.is_none() || forced_to_move(p, g) || grp.current == Some(m)
}

/// The managers each group may end with (sorted local indices): C2–C5 and C12 are enforced
/// by creating a variable only for these pairs. Computed once per region.
pub fn candidates<'p>(p: &'p RegionProblem) -> &'p [Vec<usize>] {
    p.cands
        .get_or_init(|| pairs(p, |g, m| c5_eligible(p, g, m) && c12_recent_allows(p, g, m)))
}

/// Candidates when the region cannot keep every hard rule: C2–C4 stay hard; forbidden pairs
/// (C5) and recent moves (C12) are allowed at the relaxation penalty.
pub fn candidates_relaxed(p: &RegionProblem) -> Vec<Vec<usize>> {
    pairs(p, |_, _| true)
}

fn pairs(p: &RegionProblem, also: impl Fn(usize, usize) -> bool) -> Vec<Vec<usize>> {
    (0..p.groups.len())
        .map(|g| {
            (0..p.managers.len())
                .filter(|&m| {
                    c4_available_allows(p, m)
                        && c3_frozen_allows(p, g, m)
                        && c2_pinned_allows(p, g, m)
                        && also(g, m)
                })
                .collect()
        })
        .collect()
}

/// C11: most groups that may leave a book of `book` groups.
pub fn c11_max_leaving(p: &RegionProblem, book: usize) -> f64 {
    p.policy
        .change
        .max_book_change
        .map_or(book as f64, |s| (s * book as f64 + 1e-9).floor())
}

/// C6/C7 apply to available managers that are not frozen (a frozen book is the planner's
/// explicit choice and is reported, not corrected).
pub fn limited(p: &RegionProblem, m: usize) -> bool {
    p.managers[m].available && !p.managers[m].frozen
}

/// C6: most groups a manager may hold (max_groups by star × capacity, rounded down).
pub fn c6_max_groups(p: &RegionProblem, m: usize) -> f64 {
    let mgr = &p.managers[m];
    (p.policy.max_groups[mgr.star.idx()] * mgr.capacity + 1e-9).floor()
}

/// C7: hard maximum of members (span max by star × capacity).
pub fn c7_span_max(p: &RegionProblem, m: usize) -> f64 {
    let mgr = &p.managers[m];
    p.policy.span_max[mgr.star.idx()] * mgr.capacity
}

/// C7: members above this are penalised (span target by star × capacity).
pub fn c7_span_target(p: &RegionProblem, m: usize) -> f64 {
    let mgr = &p.managers[m];
    p.policy.span_target[mgr.star.idx()] * mgr.capacity
}

/// Monthly hours a manager can give (monthly hours × capacity).
pub fn hours(p: &RegionProblem, m: usize) -> f64 {
    p.policy.monthly_hours * p.managers[m].capacity
}

/// C13: most hours a limited manager may work: monthly hours × capacity × (1 + overtime).
pub fn c13_hours_cap(p: &RegionProblem, m: usize) -> f64 {
    hours(p, m) * (1.0 + p.policy.overtime_allowance)
}

/// The region's level L (C8): every group not in a frozen book must go to a limited
/// manager, so their total hours over the limited managers' total monthly hours is a
/// constant of the input.
pub fn region_level(p: &RegionProblem) -> f64 {
    let cap: f64 = (0..p.managers.len())
        .filter(|&m| limited(p, m))
        .map(|m| hours(p, m))
        .sum();
    let load: f64 = p
        .groups
        .iter()
        .filter(|g| !g.current.is_some_and(|c| p.managers[c].frozen))
        .map(|g| p.policy.workload(g.class, g.members))
        .sum();
    if cap > 0.0 {
        load / cap
    } else {
        0.0
    }
}

/// The weighted objective of a complete assignment (the sum of the four weighted terms).
pub fn weighted(p: &RegionProblem, assign: &[usize]) -> f64 {
    let w = p.policy.weights;
    let t = raw_terms(p, assign);
    w.eligibility * t[0] + w.span * t[1] + w.balance * t[2] + w.moves * t[3]
}

/// Objective value of an assignment (local manager index per group), split by term:
/// raw C5 penalty points, C7 members over target, C8 balance penalty, C9 move cost.
pub fn raw_terms(p: &RegionProblem, assign: &[usize]) -> [f64; 4] {
    let n = p.managers.len();
    let mut members = vec![0.0; n];
    let mut load = vec![0.0; n];
    let (mut eligibility, mut moves) = (0.0, 0.0);
    for (g, &m) in assign.iter().enumerate() {
        let grp = &p.groups[g];
        eligibility += p
            .policy
            .penalty(p.managers[m].star, grp.class)
            .unwrap_or(0.0);
        members[m] += f64::from(grp.members);
        load[m] += p.policy.workload(grp.class, grp.members);
        if grp.current.is_some_and(|c| c != m) {
            moves += p.policy.move_cost(grp.class, grp.members);
        }
    }
    let span = (0..n)
        .filter(|&m| p.managers[m].available)
        .map(|m| (members[m] - c7_span_target(p, m)).max(0.0))
        .sum();
    let balance = super::balance::cost(p, &load);
    [eligibility, span, balance, moves]
}
