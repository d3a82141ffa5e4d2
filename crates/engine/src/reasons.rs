//! A reason for every move (and for a cross-grade pair that stays), from the layouts before and after.

use super::kpi::loads;
use starplan_format::codes::ReasonKind;
use starplan_format::output::Reason;
use starplan_model::domain::{Goal, Mode};
use starplan_model::rules;
use starplan_model::RegionProblem;

fn reason(kind: ReasonKind, detail: String) -> Reason {
    Reason {
        rule: kind.rule(),
        kind,
        detail,
    }
}

/// Reasons per group (local order). `assign` is the plan; the current layout is in `p`.
pub fn reasons(p: &RegionProblem, assign: &[usize]) -> Vec<Vec<Reason>> {
    let before: Vec<Option<usize>> = p.groups.iter().map(|g| g.current).collect();
    let after: Vec<Option<usize>> = assign.iter().map(|&m| Some(m)).collect();
    let (count0, members0, load0) = loads(p, &before);
    let (_, _, load1) = loads(p, &after);
    let util = |load: &[f64], m: usize| load[m] / rules::hours(p, m);
    let band = rules::c8_band(p);
    let id = |m: usize| p.managers[m].id.as_str();
    let pen = |m: usize, g: usize| p.policy.penalty(p.managers[m].star, p.groups[g].class);
    // Balance explains a move only when the objective weighs it.
    let balance_counts = match p.policy.mode {
        Mode::Weighted => p.policy.weights.balance > 0.0,
        Mode::Priority => p.policy.priority.iter().any(|s| s.goal == Goal::Balance),
    };
    (0..p.groups.len())
        .map(|g| {
            let m1 = assign[g];
            let mut why = Vec::new();
            let Some(m0) = p.groups[g].current else {
                why.push(reason(ReasonKind::New, format!("new group, placed with {}", id(m1))));
                return why;
            };
            if m0 == m1 {
                if let Some(x) = pen(m1, g).filter(|&x| x > 0.0) {
                    why.push(reason(ReasonKind::CrossGradeKept,
                        format!("stays with {}★ {} at penalty {x}: moving would cost more than it saves", p.managers[m1].star.number(), id(m1)),
                    ));
                }
                return why;
            }
            if !p.managers[m0].available {
                why.push(reason(ReasonKind::Leaving, format!("{} is leaving", id(m0))));
            }
            match (pen(m0, g), pen(m1, g)) {
                (None, _) => why.push(reason(ReasonKind::Forbidden,
                    format!("a {}-star manager may not serve class {}", p.managers[m0].star.number(), p.groups[g].class.letter()),
                )),
                (Some(a), Some(b)) if b < a => why.push(reason(ReasonKind::CrossGrade,
                    format!("penalty {a} with {}★ {} → {b} with {}★ {}", p.managers[m0].star.number(), id(m0), p.managers[m1].star.number(), id(m1)),
                )),
                _ => {}
            }
            if rules::limited(p, m0) {
                if count0[m0] as f64 > rules::c6_max_groups(p, m0) {
                    why.push(reason(ReasonKind::OverCapacity, format!("{} held {} groups, at most {}", id(m0), count0[m0], rules::c6_max_groups(p, m0))));
                }
                let members = members0[m0] as f64;
                if members > rules::c7_span_max(p, m0) {
                    why.push(reason(ReasonKind::OverSpanMax, format!("{} covered {members} members, at most {}", id(m0), rules::c7_span_max(p, m0))));
                } else if members > rules::c7_span_target(p, m0) {
                    why.push(reason(ReasonKind::OverSpanTarget, format!("{} covered {members} members, target {}", id(m0), rules::c7_span_target(p, m0))));
                }
            }
            let out_of_band = balance_counts
                && (band[m0].is_some_and(|(_, hi)| load0[m0] > hi) || band[m1].is_some_and(|(lo, _)| load0[m1] < lo));
            if out_of_band || why.is_empty() {
                why.push(reason(ReasonKind::Balance,
                    format!(
                        "utilisation {} {:.2} → {:.2}, {} {:.2} → {:.2}",
                        id(m0),
                        util(&load0, m0),
                        util(&load1, m0),
                        id(m1),
                        util(&load0, m1),
                        util(&load1, m1)
                    ),
                ));
            }
            why
        })
        .collect()
}
