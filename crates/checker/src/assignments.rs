//! The plan's structure and its assignment list: versions, order, who serves each group (C1), the before/after facts of each assignment (K2) and its reasons (K3).

use super::Code;
use starplan_format::codes::{Check::*, ReasonKind, Rule};
use starplan_format::input::{GroupIn, InputFile, ManagerIn};
use starplan_format::output::{Assignment, PlanFile, RegionPlan};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Per region, each assigned group's manager id.
pub type Chosen<'a> = BTreeMap<&'a str, &'a str>;

/// S1: schema version, region list and sort order.
pub fn structure(
    input: &InputFile,
    plan: &PlanFile,
    v: &mut dyn FnMut(Code, Option<&str>, String),
) {
    if plan.schema_version != 1 {
        v(
            S1.into(),
            None,
            format!("plan schema_version {} is not 1", plan.schema_version),
        );
    }
    let input_regions: BTreeSet<&str> = input.regions.iter().map(|r| r.id.as_str()).collect();
    let plan_regions: Vec<&str> = plan.regions.iter().map(|r| r.id.as_str()).collect();
    if plan_regions != input_regions.iter().copied().collect::<Vec<_>>() {
        v(
            S1.into(),
            None,
            format!("plan regions {plan_regions:?} are not the input's regions in id order {input_regions:?}"),
        );
    }
    if !plan.assignments.windows(2).all(|w| w[0].group < w[1].group) {
        let what = "assignments are not sorted by group id without repeats";
        v(S1.into(), None, what.into());
    }
    if !plan.managers.windows(2).all(|w| w[0].id < w[1].id) {
        let what = "managers are not sorted by id without repeats";
        v(S1.into(), None, what.into());
    }
}

/// Reads every assignment (C1, K2, K3) and returns, per region, who serves each group.
pub fn chosen<'a>(
    input: &'a InputFile,
    plan: &'a PlanFile,
    v: &mut dyn FnMut(Code, Option<&str>, String),
) -> BTreeMap<&'a str, Chosen<'a>> {
    let groups: HashMap<&str, &GroupIn> = input.groups.iter().map(|g| (g.id.as_str(), g)).collect();
    let managers: HashMap<&str, &ManagerIn> =
        input.managers.iter().map(|m| (m.id.as_str(), m)).collect();
    let mut chosen: BTreeMap<&str, Chosen> = BTreeMap::new();
    for a in &plan.assignments {
        let Some(g) = groups.get(a.group.as_str()) else {
            let what = format!("assignment of unknown group {}", a.group);
            v(Rule::C1.into(), Some(&a.region), what);
            continue;
        };
        let r = Some(g.region.as_str());
        let mut here = |code: Code, m: String| v(code, r, m);
        served(a, g, managers.get(a.manager.as_str()).copied(), &mut here);
        if a.previous_manager != g.current_manager {
            let what = format!(
                "group {}: previous_manager {:?} is not the input's {:?}",
                a.group, a.previous_manager, g.current_manager
            );
            here(K2.into(), what);
        }
        let moved = g.current_manager.as_ref().is_some_and(|c| *c != a.manager);
        if a.moved != moved {
            let what = format!("group {}: moved is {}, should be {moved}", a.group, a.moved);
            here(K2.into(), what);
        }
        let prev = g.current_manager.as_deref().and_then(|c| managers.get(c));
        reasons(a, g, moved, prev.copied(), input, &mut here);
        if chosen
            .entry(g.region.as_str())
            .or_default()
            .insert(g.id.as_str(), a.manager.as_str())
            .is_some()
        {
            here(
                Rule::C1.into(),
                format!("group {} is assigned more than once", a.group),
            );
        }
    }
    chosen
}

/// C1: the group is in the region the assignment names, and its manager exists there.
fn served(a: &Assignment, g: &GroupIn, m: Option<&ManagerIn>, v: &mut dyn FnMut(Code, String)) {
    if a.region != g.region {
        let what = format!(
            "group {} is in region {}, the plan says {}",
            a.group, g.region, a.region
        );
        v(Rule::C1.into(), what);
    }
    match m {
        None => v(
            Rule::C1.into(),
            format!("group {} goes to unknown manager {}", a.group, a.manager),
        ),
        Some(m) if m.region != g.region => v(
            Rule::C1.into(),
            format!(
                "group {} of region {} goes to manager {} of region {}",
                a.group, g.region, a.manager, m.region
            ),
        ),
        Some(_) => {}
    }
}

/// K3: a moved group says why; every reason's kind belongs to the rule it names; its
/// "leaving" and "forbidden" reasons are true.
fn reasons(
    a: &Assignment,
    g: &GroupIn,
    moved: bool,
    prev: Option<&ManagerIn>,
    input: &InputFile,
    v: &mut dyn FnMut(Code, String),
) {
    if moved && a.reasons.is_empty() {
        v(K3.into(), format!("group {} moved without a reason", g.id));
    }
    for x in &a.reasons {
        if x.rule != x.kind.rule() {
            let what = format!("group {}: a {:?} reason names {}", g.id, x.kind, x.rule);
            v(K3.into(), what);
        }
    }
    let forbidden_pair = |m: &ManagerIn| {
        let row = input.policy.eligibility.get(g.class);
        row.get(m.star).flatten().is_none()
    };
    let leaving = moved && prev.is_some_and(|m| !m.available);
    let forbidden = moved && prev.is_some_and(forbidden_pair);
    for (kind, truth) in [
        (ReasonKind::Leaving, leaving),
        (ReasonKind::Forbidden, forbidden),
    ] {
        if a.reasons.iter().any(|x| x.kind == kind) != truth {
            let what = format!(
                "group {}: a {kind:?} reason is {} but should {}",
                g.id,
                if truth { "missing" } else { "given" },
                if truth { "be given" } else { "not be" }
            );
            v(K3.into(), what);
        }
    }
}

/// A region without a plan claims nothing: no assignments, objective, terms or KPIs.
pub fn no_plan(rp: &RegionPlan, mine: &Chosen, v: &mut dyn FnMut(Code, String)) {
    if !mine.is_empty() {
        let what = format!(
            "status {:?} but {} groups are assigned",
            rp.status,
            mine.len()
        );
        v(Rule::C1.into(), what);
    }
    if rp.objective.is_some() || !rp.terms.is_empty() || rp.kpis.after.is_some() {
        let what = format!(
            "status {:?} but the plan claims an objective, terms or KPIs",
            rp.status
        );
        v(S1.into(), what);
    }
}
