//! Counting checks that name why a region cannot keep every hard rule, before any solve, each with a code and an action.

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

fn stars_for(p: &RegionProblem, classes: &[Class]) -> Vec<Star> {
    Star::ALL
        .into_iter()
        .filter(|&s| classes.iter().any(|&k| p.policy.penalty(s, k).is_some()))
        .collect()
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
    let frozen_book = |g: &Group| g.current.is_some_and(|c| p.managers[c].frozen);
    let free: Vec<&Group> = p.groups.iter().filter(|g| !frozen_book(g)).collect();
    let limited: Vec<usize> = (0..p.managers.len())
        .filter(|&m| rules::limited(p, m))
        .collect();

    // D001 / D002: for each set of classes, the groups (members) of those classes against
    // the seats (span) of the managers allowed to serve any of them (C5 with C6 / C7).
    let sets: [&[Class]; 7] = [
        &[Class::A],
        &[Class::B],
        &[Class::C],
        &[Class::A, Class::B],
        &[Class::A, Class::C],
        &[Class::B, Class::C],
        &[Class::A, Class::B, Class::C],
    ];
    let mut short_sets: Vec<&[Class]> = Vec::new();
    for set in sets {
        if short_sets.iter().any(|s| s.iter().all(|c| set.contains(c))) {
            continue;
        }
        let stars = stars_for(p, set);
        let serving: Vec<usize> = limited
            .iter()
            .copied()
            .filter(|&m| stars.contains(&p.managers[m].star))
            .collect();
        let groups: Vec<&&Group> = free.iter().filter(|g| set.contains(&g.class)).collect();
        // An empty f64 sum is -0, which would print as "at most -0": adding 0 makes it +0.
        let seats: f64 = serving
            .iter()
            .map(|&m| rules::c6_max_groups(p, m))
            .sum::<f64>()
            + 0.0;
        let home = set[0].home_star();
        let (n, s) = (home.number(), home.idx());
        let lower = Star::ALL
            .into_iter()
            .rev()
            .find(|&st| st < home && p.policy.penalty(st, set[0]).is_none());
        let allow = lower.map_or(String::new(), |st| {
            format!(
                ", or allow {}-star managers to serve class {}",
                st.number(),
                set[0].letter()
            )
        });
        if groups.len() as f64 > seats {
            let short = groups.len() as f64 - seats;
            let per = p.policy.max_groups[s].max(1.0);
            let raise = (p.policy.max_groups[s] * groups.len() as f64 / seats.max(1.0)).ceil();
            out.push(diag(
                DiagnosisCode::D001,
                format!("region {region}: {} class {} groups need a manager, but the managers allowed to serve them hold at most {seats}", groups.len(), names(set)),
                format!("region {region} needs {} more {n}-star managers{allow}, or raise max_groups.{n} to {raise}", (short / per).ceil()),
            ));
            short_sets.push(set);
            continue;
        }
        let members: f64 = groups.iter().map(|g| f64::from(g.members)).sum::<f64>() + 0.0;
        let room: f64 = serving
            .iter()
            .map(|&m| rules::c7_span_max(p, m))
            .sum::<f64>()
            + 0.0;
        if members > room {
            let per = p.policy.span_max[s].max(1.0);
            let raise = (p.policy.span_max[s] * members / room.max(1.0)).ceil();
            out.push(diag(
                DiagnosisCode::D002,
                format!("region {region}: class {} groups hold {members} members, but the managers allowed to serve them cover at most {room}", names(set)),
                format!("region {region} needs {} more {n}-star managers{allow}, or raise member_span.max.{n} to {raise}", ((members - room) / per).ceil()),
            ));
            short_sets.push(set);
        }
    }

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
    let forced_members: f64 = forced.iter().map(|g| f64::from(g.members)).sum::<f64>() + 0.0;
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

    // D005: groups pinned (or recently moved) to a manager exceed its own limits (C2/C12 with C6/C7).
    for &m in &limited {
        let stuck: Vec<&Group> = (0..p.groups.len())
            .filter(|&g| {
                p.groups[g].current == Some(m)
                    && !rules::forced_to_move(p, g)
                    && (p.groups[g].pinned || p.groups[g].recent)
            })
            .map(|g| &p.groups[g])
            .collect();
        let members: f64 = stuck.iter().map(|g| f64::from(g.members)).sum::<f64>() + 0.0;
        let (cap, span) = (rules::c6_max_groups(p, m), rules::c7_span_max(p, m));
        if stuck.len() as f64 > cap || members > span {
            let d = diag(
                DiagnosisCode::D005,
                format!("manager {}: {} pinned or recently moved groups ({members} members) exceed its limits of {cap} groups and {span} members", p.managers[m].id, stuck.len()),
                format!("unpin some of manager {}'s groups, or raise its limits", p.managers[m].id),
            );
            // D005 is about C6 unless only the members (C7) are over.
            let rule = if stuck.len() as f64 > cap {
                d.rule
            } else {
                Some(Rule::C7)
            };
            out.push(Diagnosis { rule, ..d });
        }
    }

    // D006: a group with no manager it may end with at all.
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
    out
}
