//! The independent checker: reads only the input and plan formats, re-derives every rule, KPI and term from scratch.
//!
//! It shares no code with `model` or `engine` on purpose: a mistake there must not be
//! repeated here. Violation codes use the constraint IDs of models/assignment.md (C1–C9)
//! and K (KPIs), L (manager loads), T (objective, bound, gap) and S (structure).

mod change;
mod recompute;

use crate::format::input::InputFile;
use crate::format::output::PlanFile;
use recompute::{Layout, RegionView};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One way a plan breaks a rule or misstates a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub code: &'static str,
    pub region: Option<String>,
    pub message: String,
}

/// Absolute-or-relative tolerance for reported figures (they are rounded to 6 decimals).
pub(crate) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-5 * a.abs().max(b.abs()).max(1.0)
}

/// Checks a plan against its input. An empty list means the plan is valid.
pub fn check(input: &InputFile, plan: &PlanFile) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut v = |code: &'static str, region: Option<&str>, message: String| {
        out.push(Violation {
            code,
            region: region.map(str::to_string),
            message,
        })
    };
    if plan.schema_version != 1 {
        v(
            "S1",
            None,
            format!("plan schema_version {} is not 1", plan.schema_version),
        );
    }
    let input_regions: BTreeSet<&str> = input.regions.iter().map(|r| r.id.as_str()).collect();
    let plan_regions: Vec<&str> = plan.regions.iter().map(|r| r.id.as_str()).collect();
    if plan_regions != input_regions.iter().copied().collect::<Vec<_>>() {
        v("S1", None, format!("plan regions {plan_regions:?} are not the input's regions in id order {input_regions:?}"));
    }
    if !plan.assignments.windows(2).all(|w| w[0].group < w[1].group) {
        v(
            "S1",
            None,
            "assignments are not sorted by group id without repeats".into(),
        );
    }
    if !plan.managers.windows(2).all(|w| w[0].id < w[1].id) {
        v(
            "S1",
            None,
            "managers are not sorted by id without repeats".into(),
        );
    }

    let groups: HashMap<&str, &crate::format::GroupIn> =
        input.groups.iter().map(|g| (g.id.as_str(), g)).collect();
    let managers: HashMap<&str, &crate::format::ManagerIn> =
        input.managers.iter().map(|m| (m.id.as_str(), m)).collect();
    let mut chosen: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for a in &plan.assignments {
        let Some(g) = groups.get(a.group.as_str()) else {
            v(
                "C1",
                Some(&a.region),
                format!("assignment of unknown group {}", a.group),
            );
            continue;
        };
        if a.region != g.region {
            v(
                "C1",
                Some(&g.region),
                format!(
                    "group {} is in region {}, the plan says {}",
                    a.group, g.region, a.region
                ),
            );
        }
        match managers.get(a.manager.as_str()) {
            None => v(
                "C1",
                Some(&g.region),
                format!("group {} goes to unknown manager {}", a.group, a.manager),
            ),
            Some(m) if m.region != g.region => v(
                "C1",
                Some(&g.region),
                format!(
                    "group {} of region {} goes to manager {} of region {}",
                    a.group, g.region, a.manager, m.region
                ),
            ),
            Some(_) => {}
        }
        if a.previous_manager != g.current_manager {
            v(
                "K2",
                Some(&g.region),
                format!(
                    "group {}: previous_manager {:?} is not the input's {:?}",
                    a.group, a.previous_manager, g.current_manager
                ),
            );
        }
        let moved = g.current_manager.as_ref().is_some_and(|c| *c != a.manager);
        check_reasons(a, g, moved, &managers, input, &mut v);
        if a.moved != moved {
            v(
                "K2",
                Some(&g.region),
                format!("group {}: moved is {}, should be {moved}", a.group, a.moved),
            );
        }
        if chosen
            .entry(g.region.as_str())
            .or_default()
            .insert(g.id.as_str(), a.manager.as_str())
            .is_some()
        {
            v(
                "C1",
                Some(&g.region),
                format!("group {} is assigned more than once", a.group),
            );
        }
    }

    for rp in &plan.regions {
        let Some(view) = RegionView::new(input, &rp.id) else {
            continue;
        };
        let r = Some(rp.id.as_str());
        let before = view.layout(|g| g.current_manager.as_deref());
        recompute::same_kpis(&before.kpis(&view), &rp.kpis.before, &mut |m| {
            v("K1", r, format!("before: {m}"))
        });
        if rp.groups != view.groups.len() || rp.managers != view.managers.len() {
            v(
                "S1",
                r,
                format!(
                    "region counts {} groups / {} managers, input has {} / {}",
                    rp.groups,
                    rp.managers,
                    view.groups.len(),
                    view.managers.len()
                ),
            );
        }
        let mine = chosen.remove(rp.id.as_str()).unwrap_or_default();
        if !rp.status.has_plan() {
            if !mine.is_empty() {
                v(
                    "C1",
                    r,
                    format!(
                        "status {:?} but {} groups are assigned",
                        rp.status,
                        mine.len()
                    ),
                );
            }
            if rp.objective.is_some() || !rp.terms.is_empty() || rp.kpis.after.is_some() {
                v(
                    "S1",
                    r,
                    format!(
                        "status {:?} but the plan claims an objective, terms or KPIs",
                        rp.status
                    ),
                );
            }
            continue;
        }
        for g in &view.groups {
            if !mine.contains_key(g.id.as_str()) {
                v("C1", r, format!("group {} has no manager", g.id));
            }
        }
        let after = view.layout(|g| mine.get(g.id.as_str()).copied());
        check_rules(&view, &after, &mut |code, m| v(code, r, m));
        change::check(&view, &after, rp, &mut |code, m| v(code, r, m));
        let claimed_after = rp.kpis.after.as_ref();
        match claimed_after {
            None => v("K1", r, "a plan without after-KPIs".into()),
            Some(k) => {
                recompute::same_kpis(&after.kpis(&view), k, &mut |m| {
                    v("K1", r, format!("after: {m}"))
                });
            }
        }
        recompute::same_terms(&view, &after, rp, &mut |code, m| v(code, r, m));
        recompute::same_loads(&view, &after, plan, &mut |m| v("L1", r, m));
    }
    for (region, rest) in chosen {
        v(
            "C1",
            Some(region),
            format!(
                "{} groups assigned in a region the plan does not list",
                rest.len()
            ),
        );
    }
    out
}

/// K3: a moved group says why; its "leaving" and "forbidden" reasons are true.
fn check_reasons(
    a: &crate::format::output::Assignment,
    g: &crate::format::GroupIn,
    moved: bool,
    managers: &HashMap<&str, &crate::format::ManagerIn>,
    input: &InputFile,
    v: &mut dyn FnMut(&'static str, Option<&str>, String),
) {
    let r = Some(g.region.as_str());
    if moved && a.reasons.is_empty() {
        v("K3", r, format!("group {} moved without a reason", g.id));
    }
    let prev = g.current_manager.as_deref().and_then(|c| managers.get(c));
    let leaving = moved && prev.is_some_and(|m| !m.available);
    let forbidden = moved && prev.is_some_and(|m| input.policy.penalty(g.class, m.star).is_none());
    for (kind, truth) in [("leaving", leaving), ("forbidden", forbidden)] {
        if a.reasons.iter().any(|x| x.kind == kind) != truth {
            v(
                "K3",
                r,
                format!(
                    "group {}: a \"{kind}\" reason is {} but should {}",
                    g.id,
                    if truth { "missing" } else { "given" },
                    if truth { "be given" } else { "not be" }
                ),
            );
        }
    }
}

/// The hard rules that are never relaxed, C2–C4, on a complete layout (C5–C7 and C10–C12
/// are measured in `change::excesses`).
fn check_rules(view: &RegionView, after: &Layout, v: &mut dyn FnMut(&'static str, String)) {
    for g in &view.groups {
        let Some(m) = after.manager_of(&g.id) else {
            continue;
        };
        let mgr = view.managers[m];
        if g.pinned && g.current_manager.as_deref() != Some(mgr.id.as_str()) {
            v(
                "C2",
                format!(
                    "pinned group {} moved from {:?} to {}",
                    g.id, g.current_manager, mgr.id
                ),
            );
        }
        let current_frozen = g
            .current_manager
            .as_deref()
            .and_then(|c| view.manager(c))
            .is_some_and(|c| view.managers[c].frozen);
        if current_frozen && g.current_manager.as_deref() != Some(mgr.id.as_str()) {
            v(
                "C3",
                format!("group {} left frozen manager {:?}", g.id, g.current_manager),
            );
        }
        if mgr.frozen && g.current_manager.as_deref() != Some(mgr.id.as_str()) {
            v(
                "C3",
                format!("frozen manager {} received group {}", mgr.id, g.id),
            );
        }
        if !mgr.available {
            v(
                "C4",
                format!("unavailable manager {} serves group {}", mgr.id, g.id),
            );
        }
    }
}
