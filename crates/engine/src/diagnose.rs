//! Counting checks that name why a region cannot keep every hard rule, before any solve, each with a code and an action.

use super::capacity::{self, sum, SetCapacity};
use starplan_format::codes::{DiagnosisCode, Rule};
use starplan_format::output::Diagnosis;
use starplan_model::domain::{Class, Group, Star};
use starplan_model::rules;
use starplan_model::RegionProblem;

fn diag(code: DiagnosisCode, message: String, action: String) -> Diagnosis {
    Diagnosis {
        code,
        rule: code.rule(),
        message,
        action,
    }
}

fn names(classes: &[Class]) -> String {
    classes
        .iter()
        .map(|c| c.letter())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every cause the counting checks can prove, in code order. Empty when none is found (the
/// solve may still prove the region infeasible: D000).
pub fn diagnose(p: &RegionProblem, region: &str) -> Vec<Diagnosis> {
    let mut out = Vec::new();
    for set in capacity::short_sets(p) {
        out.extend(short(p, region, &set));
    }
    budgets(p, region, &mut out);
    pinned(p, &mut out);
    no_manager(p, region, &mut out);
    out.sort_by_key(|d| d.code);
    out
}

/// D001, D002, D007: a set of classes needs more seats, members or hours than the managers
/// allowed to serve it can give (C5 with C6, C7, C13), each with the action that closes it.
fn short(p: &RegionProblem, region: &str, set: &SetCapacity) -> Vec<Diagnosis> {
    let home = set.home();
    let (n, s) = (home.number(), home.idx());
    let class = set.classes[0];
    let lower = Star::ALL
        .into_iter()
        .rev()
        .find(|&st| st < home && p.policy.penalty(st, class).is_none());
    let allow = lower.map_or(String::new(), |st| {
        format!(
            ", or allow {}-star managers to serve class {}",
            st.number(),
            class.letter()
        )
    });
    let names = names(set.classes);
    let mut out = Vec::new();
    if set.groups > set.seats {
        let per = p.policy.max_groups[s].max(1.0);
        let raise = (p.policy.max_groups[s] * set.groups / set.seats.max(1.0)).ceil();
        out.push(diag(
            DiagnosisCode::D001,
            format!("region {region}: {} class {names} groups need a manager, but the managers allowed to serve them hold at most {}", set.groups, set.seats),
            format!("region {region} needs {} more {n}-star managers{allow}, or raise max_groups.{n} to {raise}", ((set.groups - set.seats) / per).ceil()),
        ));
        return out;
    }
    if set.members > set.span_room {
        let per = p.policy.span_max[s].max(1.0);
        let raise = (p.policy.span_max[s] * set.members / set.span_room.max(1.0)).ceil();
        out.push(diag(
            DiagnosisCode::D002,
            format!("region {region}: class {names} groups hold {} members, but the managers allowed to serve them cover at most {}", set.members, set.span_room),
            format!("region {region} needs {} more {n}-star managers{allow}, or raise member_span.max.{n} to {raise}", ((set.members - set.span_room) / per).ceil()),
        ));
        return out;
    }
    if set.hours > set.hours_room + 1e-9 {
        let h = p.policy.monthly_hours;
        let per = (h * (1.0 + p.policy.overtime_allowance)).max(1.0);
        let base = set.hours_room / (1.0 + p.policy.overtime_allowance);
        let overtime = (100.0 * (set.hours / base.max(1e-9) - 1.0)).ceil();
        out.push(diag(
            DiagnosisCode::D007,
            format!("region {region}: class {names} groups need {:.1} hours a month, but the managers allowed to serve them can give at most {:.1} (with overtime)", set.hours, set.hours_room),
            format!("hire {} {n}-star managers in region {region}{allow}, or allow {overtime} % overtime", ((set.hours - set.hours_room) / per).ceil()),
        ));
    }
    out
}

/// D003 and D004: move budgets smaller than the moves no plan can avoid (C10, C11).
fn budgets(p: &RegionProblem, region: &str, out: &mut Vec<Diagnosis>) {
    // D003: the move budget cannot even cover the moves no plan can avoid (C10).
    let forced: Vec<&Group> = (0..p.groups.len())
        .filter(|&g| rules::forced_to_move(p, g))
        .map(|g| &p.groups[g])
        .collect();
    let c = p.policy.change;
    if let Some(b) = c.max_moved_groups.filter(|&b| forced.len() as f64 > b) {
        out.push(diag(
                DiagnosisCode::D003,
            format!("region {region}: {} groups must move (leaving managers, forbidden pairs) but the budget is {b}", forced.len()),
            format!("raise change_control.max_moved_groups to {}", forced.len()),
        ));
    }
    let forced_members = sum(forced.iter().map(|g| f64::from(g.members)));
    if let Some(b) = c.max_moved_members.filter(|&b| forced_members > b) {
        out.push(diag(
                DiagnosisCode::D003,
            format!("region {region}: groups with {forced_members} members must move but the budget is {b} members"),
            format!("raise change_control.max_moved_members to {forced_members}"),
        ));
    }

    // D004: a book share too small for the forced moves out of one manager (C11).
    if c.max_book_change.is_some() {
        for m in (0..p.managers.len()).filter(|&m| p.managers[m].available) {
            let book: Vec<usize> = (0..p.groups.len())
                .filter(|&g| p.groups[g].current == Some(m))
                .collect();
            let must = book
                .iter()
                .filter(|&&g| rules::forced_to_move(p, g))
                .count();
            if must as f64 > rules::c11_max_leaving(p, book.len()) {
                out.push(diag(
                DiagnosisCode::D004,
                    format!("manager {}: {must} of its {} groups must leave (forbidden pairs) but only {} may", p.managers[m].id, book.len(), rules::c11_max_leaving(p, book.len())),
                    format!("raise change_control.max_book_change to {:.2}", must as f64 / book.len() as f64),
                ));
            }
        }
    }
}

/// D005: groups pinned (or recently moved) to a manager exceed its own limits (C2/C12 with
/// C6, C7 or C13).
fn pinned(p: &RegionProblem, out: &mut Vec<Diagnosis>) {
    for m in (0..p.managers.len()).filter(|&m| rules::limited(p, m)) {
        let stuck: Vec<&Group> = (0..p.groups.len())
            .filter(|&g| {
                p.groups[g].current == Some(m)
                    && !rules::forced_to_move(p, g)
                    && (p.groups[g].pinned || p.groups[g].recent)
            })
            .map(|g| &p.groups[g])
            .collect();
        let members = sum(stuck.iter().map(|g| f64::from(g.members)));
        let hours = sum(stuck.iter().map(|g| p.policy.workload(g.class, g.members)));
        let (cap, span) = (rules::c6_max_groups(p, m), rules::c7_span_max(p, m));
        let most_hours = rules::c13_hours_cap(p, m);
        // D005 is about C6, else C7, else C13: the first limit the pinned groups break.
        let rule = if stuck.len() as f64 > cap {
            Rule::C6
        } else if members > span {
            Rule::C7
        } else if hours > most_hours + 1e-9 {
            Rule::C13
        } else {
            continue;
        };
        let d = diag(
            DiagnosisCode::D005,
            format!("manager {}: {} pinned or recently moved groups ({members} members, {hours:.1} hours) exceed its limits of {cap} groups, {span} members and {most_hours:.1} hours", p.managers[m].id, stuck.len()),
            format!("unpin some of manager {}'s groups, or raise its limits", p.managers[m].id),
        );
        out.push(Diagnosis {
            rule: Some(rule),
            ..d
        });
    }
}

/// D006: a group with no manager it may end with at all.
fn no_manager(p: &RegionProblem, region: &str, out: &mut Vec<Diagnosis>) {
    for (g, ms) in rules::candidates(p).iter().enumerate() {
        if ms.is_empty() {
            let grp = &p.groups[g];
            out.push(diag(
                DiagnosisCode::D006,
                format!(
                    "group {} (class {}) has no available, non-frozen manager of an allowed star",
                    grp.id,
                    grp.class.letter()
                ),
                format!(
                    "add a manager who may serve class {} in region {region}, or unpin or unfreeze",
                    grp.class.letter()
                ),
            ));
        }
    }
}
