//! Side-by-side comparison of runs (what-if) and the diff of two layouts.

use starplan_format::output::{round6, KpiSet, PlanFile, RegionPlan};
use starplan_format::whatif::*;
use starplan_format::InputFile;
use std::collections::{BTreeMap, BTreeSet};

/// The figures a planner compares, from a region's KPIs.
pub fn figures(objective: Option<f64>, k: Option<&KpiSet>) -> Figures {
    let f = |g: &dyn Fn(&KpiSet) -> f64| k.map(g);
    Figures {
        objective,
        groups_moved: f(&|k| k.groups_moved as f64),
        mismatched: f(&|k| {
            (k.mismatched.forbidden + k.mismatched.under_grade + k.mismatched.over_grade) as f64
        }),
        unserved: f(&|k| k.unserved_groups as f64),
        managers_over_span_target: f(&|k| k.managers_over_span_target as f64),
        span_max: f(&|k| k.member_span.max),
        utilisation_spread: f(&|k| k.utilisation.spread),
    }
}

fn after(r: &RegionPlan) -> Figures {
    figures(r.objective, r.kpis.after.as_ref())
}

/// b − a, field by field, where both are known.
pub fn delta(a: &Figures, b: &Figures) -> Figures {
    let d = |x: Option<f64>, y: Option<f64>| x.zip(y).map(|(x, y)| round6(y - x));
    Figures {
        objective: d(a.objective, b.objective),
        groups_moved: d(a.groups_moved, b.groups_moved),
        mismatched: d(a.mismatched, b.mismatched),
        unserved: d(a.unserved, b.unserved),
        managers_over_span_target: d(a.managers_over_span_target, b.managers_over_span_target),
        span_max: d(a.span_max, b.span_max),
        utilisation_spread: d(a.utilisation_spread, b.utilisation_spread),
    }
}

/// Groups of region `id` whose manager differs between two plans.
fn changed(a: &PlanFile, b: &PlanFile, id: &str) -> usize {
    let of = |p: &PlanFile| -> BTreeMap<String, String> {
        p.assignments
            .iter()
            .filter(|x| x.region == id)
            .map(|x| (x.group.clone(), x.manager.clone()))
            .collect()
    };
    let (x, y) = (of(a), of(b));
    let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
    keys.into_iter().filter(|g| x.get(*g) != y.get(*g)).count()
}

/// The plan says its region `id` was carried over from a base plan.
fn carried(p: &PlanFile, id: &str) -> bool {
    p.provenance.as_ref().is_some_and(|pr| {
        pr.regions
            .iter()
            .any(|r| r.id == id && r.origin == starplan_format::output::Origin::CarriedOver)
    })
}

/// Base (first) and scenario plans side by side, per region of the base.
pub fn whatif(names: &[String], plans: &[PlanFile]) -> WhatIfFile {
    let base = &plans[0];
    let regions = base
        .regions
        .iter()
        .map(|br| RegionRuns {
            id: br.id.clone(),
            runs: names
                .iter()
                .zip(plans)
                .enumerate()
                .filter_map(|(i, (name, plan))| {
                    let r = plan.regions.iter().find(|r| r.id == br.id)?;
                    Some(RunFigures {
                        run: name.clone(),
                        status: r.status,
                        figures: after(r),
                        delta: (i > 0).then(|| delta(&after(br), &after(r))),
                        changed_from_base: (i > 0 && br.status.has_plan() && r.status.has_plan())
                            .then(|| changed(base, plan, &br.id)),
                        carried_over: carried(plan, &br.id),
                    })
                })
                .collect(),
        })
        .collect();
    WhatIfFile {
        schema_version: starplan_format::SCHEMA_VERSION,
        runs: names.to_vec(),
        regions,
    }
}

/// One side of a diff: who serves each group, and the KPIs per region.
pub struct Side {
    pub name: String,
    /// group → (region, manager)
    pub layout: BTreeMap<String, (String, Option<String>)>,
    pub figures: BTreeMap<String, Figures>,
}

impl Side {
    /// A plan's layout and after-KPIs. Groups of regions without a plan are absent.
    pub fn plan(name: &str, plan: &PlanFile) -> Side {
        Side {
            name: name.into(),
            layout: plan
                .assignments
                .iter()
                .map(|a| (a.group.clone(), (a.region.clone(), Some(a.manager.clone()))))
                .collect(),
            figures: plan
                .regions
                .iter()
                .filter(|r| r.status.has_plan())
                .map(|r| (r.id.clone(), after(r)))
                .collect(),
        }
    }

    /// An input's current layout. Its KPIs are the `before` KPIs of a plan of that input.
    pub fn current(name: &str, input: &InputFile, plan_of_it: Option<&PlanFile>) -> Side {
        Side {
            name: name.into(),
            layout: input
                .groups
                .iter()
                .map(|g| (g.id.clone(), (g.region.clone(), g.current_manager.clone())))
                .collect(),
            figures: plan_of_it
                .map(|p| {
                    p.regions
                        .iter()
                        .map(|r| (r.id.clone(), figures(None, Some(&r.kpis.before))))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// The groups whose manager differs from A to B, by region and manager, and the KPI deltas.
pub fn diff(a: &Side, b: &Side) -> DiffFile {
    let mut regions: BTreeMap<String, RegionDiff> = BTreeMap::new();
    let ids: BTreeSet<&String> = a.layout.keys().chain(b.layout.keys()).collect();
    let region_of = |g: &String| {
        a.layout
            .get(g)
            .or(b.layout.get(g))
            .map(|x| x.0.clone())
            .unwrap_or_default()
    };
    let all_regions: BTreeSet<String> = a
        .figures
        .keys()
        .chain(b.figures.keys())
        .cloned()
        .chain(ids.iter().map(|g| region_of(g)))
        .collect();
    for r in all_regions {
        let (fa, fb) = (a.figures.get(&r).copied(), b.figures.get(&r).copied());
        regions.insert(
            r.clone(),
            RegionDiff {
                id: r,
                changes: Vec::new(),
                managers: Vec::new(),
                a: fa,
                b: fb,
                delta: fa.zip(fb).map(|(x, y)| delta(&x, &y)),
            },
        );
    }
    changes(a, b, &ids, &region_of, &mut regions);
    let regions: Vec<RegionDiff> = regions.into_values().collect();
    DiffFile {
        schema_version: starplan_format::SCHEMA_VERSION,
        a: a.name.clone(),
        b: b.name.clone(),
        changed_groups: regions.iter().map(|r| r.changes.len()).sum(),
        regions,
    }
}

/// Fills each region's changed groups and, per manager, the groups gained and lost.
fn changes(
    a: &Side,
    b: &Side,
    ids: &BTreeSet<&String>,
    region_of: &dyn Fn(&String) -> String,
    regions: &mut BTreeMap<String, RegionDiff>,
) {
    let mut touched: BTreeMap<(String, String), (Vec<String>, Vec<String>)> = BTreeMap::new();
    for &g in ids {
        let from = a.layout.get(g).and_then(|x| x.1.clone());
        let to = b.layout.get(g).and_then(|x| x.1.clone());
        if from == to {
            continue;
        }
        let region = region_of(g);
        if let Some(m) = &to {
            touched
                .entry((region.clone(), m.clone()))
                .or_default()
                .0
                .push(g.clone());
        }
        if let Some(m) = &from {
            touched
                .entry((region.clone(), m.clone()))
                .or_default()
                .1
                .push(g.clone());
        }
        regions
            .get_mut(&region)
            .expect("region listed")
            .changes
            .push(Change {
                group: g.clone(),
                from,
                to,
            });
    }
    for ((region, manager), (gained, lost)) in touched {
        regions
            .get_mut(&region)
            .expect("region listed")
            .managers
            .push(ManagerChange {
                manager,
                gained,
                lost,
            });
    }
}
