//! The hard rules on a complete layout: C2–C4, which never give, and the excesses over C5–C7 and C10–C13, which a relaxed region may list.

use super::view::{Layout, RegionView};
use super::Code;
use starplan_format::codes::{Check::*, Rule};
use starplan_format::output::{RegionPlan, Status, Unit};

/// One hard rule exceeded by `amount` for `subject` (a manager or group id; none = region).
pub struct Excess {
    pub rule: Rule,
    pub subject: Option<String>,
    pub unit: Unit,
    pub amount: f64,
    pub what: String,
}

/// C2–C4: pinned groups stay, frozen books stay closed, unavailable managers serve nobody.
pub fn fixed(view: &RegionView, after: &Layout, v: &mut dyn FnMut(Code, String)) {
    for (i, g) in view.groups.iter().enumerate() {
        let Some(mgr) = after.assigned[i].map(|m| view.managers[m]) else {
            continue;
        };
        let stays = g.current_manager.as_deref() == Some(mgr.id.as_str());
        if g.pinned && !stays {
            let what = format!(
                "pinned group {} moved from {:?} to {}",
                g.id, g.current_manager, mgr.id
            );
            v(Rule::C2.into(), what);
        }
        if view.in_frozen_book(g) && !stays {
            let what = format!("group {} left frozen manager {:?}", g.id, g.current_manager);
            v(Rule::C3.into(), what);
        }
        if mgr.frozen && !stays {
            v(
                Rule::C3.into(),
                format!("frozen manager {} received group {}", mgr.id, g.id),
            );
        }
        if !mgr.available {
            v(
                Rule::C4.into(),
                format!("unavailable manager {} serves group {}", mgr.id, g.id),
            );
        }
    }
}

/// Every excess over a relaxable hard rule in a layout.
pub fn excesses(view: &RegionView, l: &Layout) -> Vec<Excess> {
    let mut out = Vec::new();
    per_group(view, l, &mut out);
    per_manager(view, l, &mut out);
    budgets(view, l, &mut out);
    out
}

/// C5 forbidden pairs and C12 recent moves.
fn per_group(view: &RegionView, l: &Layout, out: &mut Vec<Excess>) {
    for (i, g) in view.groups.iter().enumerate() {
        let Some(m) = l.assigned[i].map(|m| view.managers[m]) else {
            continue;
        };
        let one = |rule, what| Excess {
            rule,
            subject: Some(g.id.clone()),
            unit: Unit::Groups,
            amount: 1.0,
            what,
        };
        if view.penalty(g, m).is_none() {
            out.push(one(
                Rule::C5,
                format!(
                    "group {} (class {:?}) on forbidden {}-star manager {}",
                    g.id, g.class, m.star, m.id
                ),
            ));
        }
        if view.recent(g) && !view.forced(g) && l.moved(view, i) {
            out.push(one(
                Rule::C12,
                format!(
                    "group {} moved on {:?}, too recently to move again",
                    g.id, g.last_moved
                ),
            ));
        }
    }
}

/// C6, C7 and C13 (limited managers) and C11 (available managers with a book).
fn per_manager(view: &RegionView, l: &Layout, out: &mut Vec<Excess>) {
    let cc = &view.policy.change_control;
    for (m, mgr) in view.managers.iter().enumerate() {
        let mut push = |rule, unit, amount, what| {
            out.push(Excess {
                rule,
                subject: Some(mgr.id.clone()),
                unit,
                amount,
                what,
            })
        };
        if view.limited(mgr) {
            let (count, members) = (l.count[m] as f64, l.members[m] as f64);
            let max_groups = view.max_groups(mgr);
            if count > max_groups {
                let what = format!(
                    "manager {} holds {count} groups, at most {max_groups}",
                    mgr.id
                );
                push(Rule::C6, Unit::Groups, count - max_groups, what);
            }
            let span_max = view.span(mgr, true);
            if members > span_max + 1e-6 {
                let what = format!(
                    "manager {} covers {members} members, at most {span_max}",
                    mgr.id
                );
                push(Rule::C7, Unit::Members, members - span_max, what);
            }
            let (hours, cap) = (l.hours[m], view.hours_cap(mgr));
            if hours > cap + 1e-6 * cap.max(1.0) {
                let what = format!("manager {} works {hours} hours, at most {cap}", mgr.id);
                push(Rule::C13, Unit::Hours, hours - cap, what);
            }
        }
        if let (true, Some(share)) = (mgr.available, cc.max_book_change) {
            let book: Vec<usize> = (0..view.groups.len())
                .filter(|&i| view.groups[i].current_manager.as_deref() == Some(mgr.id.as_str()))
                .collect();
            let left = book.iter().filter(|&&i| l.moved(view, i)).count() as f64;
            let limit = (share * book.len() as f64 + 1e-9).floor();
            if left > limit {
                let what = format!(
                    "{left} of manager {}'s {} groups left, at most {limit}",
                    mgr.id,
                    book.len()
                );
                push(Rule::C11, Unit::Groups, left - limit, what);
            }
        }
    }
}

/// C10: the region's move budgets.
fn budgets(view: &RegionView, l: &Layout, out: &mut Vec<Excess>) {
    let cc = &view.policy.change_control;
    let moved: Vec<usize> = (0..view.groups.len())
        .filter(|&i| l.moved(view, i))
        .collect();
    let n = moved.len() as f64;
    let members: f64 = moved.iter().map(|&i| view.groups[i].members as f64).sum();
    for (budget, value, unit) in [
        (cc.max_moved_groups, n, Unit::Groups),
        (cc.max_moved_members, members, Unit::Members),
    ] {
        if let Some(b) = budget.filter(|&b| value > b + 1e-9) {
            out.push(Excess {
                rule: Rule::C10,
                subject: None,
                unit,
                amount: value - b,
                what: format!("{value} {unit:?} moved, budget {b}"),
            });
        }
    }
}

/// The relaxable rules: an excess is allowed only in a `relaxed` region, up to the amount
/// it lists for that rule, unit and subject.
pub fn relaxable(
    view: &RegionView,
    after: &Layout,
    rp: &RegionPlan,
    v: &mut dyn FnMut(Code, String),
) {
    let relaxed = rp.status == Status::Relaxed;
    if !relaxed && !rp.relaxations.is_empty() {
        v(
            S1.into(),
            format!("status {:?} with relaxations listed", rp.status),
        );
    }
    let real = excesses(view, after);
    // R2: each listed amount is the plan's real excess, no more (an unused relaxation would
    // claim a rule is broken that the plan keeps).
    for x in rp.relaxations.iter().filter(|_| relaxed) {
        let used: f64 = real
            .iter()
            .filter(|e| x.rule == e.rule && x.unit == e.unit && x.subject == e.subject)
            .map(|e| e.amount)
            .sum();
        if x.amount > used + 1e-6 * x.amount.abs().max(1.0) {
            v(
                R2.into(),
                format!(
                    "relaxation {} of {} {:?} for {:?}, but the plan exceeds it by {used}",
                    x.rule, x.amount, x.unit, x.subject
                ),
            );
        }
    }
    for e in real {
        let allowed: f64 = rp
            .relaxations
            .iter()
            .filter(|x| relaxed && x.rule == e.rule && x.unit == e.unit && x.subject == e.subject)
            .map(|x| x.amount)
            .sum();
        if e.amount > allowed + 1e-6 * e.amount.abs().max(1.0) {
            v(e.rule.into(), e.what);
        }
    }
}
