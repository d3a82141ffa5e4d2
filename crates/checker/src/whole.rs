//! The input and the plan indexed once per check (groups and managers by region, assignments by group, loads by manager), so checking a province of many regions costs the sum of its regions, not their product.

use super::view::RegionView;
use starplan_format::input::{GroupIn, InputFile, ManagerIn};
use starplan_format::output::{Assignment, ManagerLoad, PlanFile};
use std::collections::{HashMap, HashSet};

/// Indexes of one input and one plan.
pub struct Whole<'a> {
    input: &'a InputFile,
    regions: HashSet<&'a str>,
    groups: HashMap<&'a str, Vec<&'a GroupIn>>,
    managers: HashMap<&'a str, Vec<&'a ManagerIn>>,
    /// The plan's assignment of each group (the first, where a plan repeats one: the
    /// structure check reports the repeat).
    pub assignments: HashMap<&'a str, &'a Assignment>,
    /// The plan's load entry of each manager.
    pub loads: HashMap<&'a str, &'a ManagerLoad>,
}

impl<'a> Whole<'a> {
    pub fn new(input: &'a InputFile, plan: &'a PlanFile) -> Whole<'a> {
        let mut groups: HashMap<&str, Vec<&GroupIn>> = HashMap::new();
        for g in &input.groups {
            groups.entry(g.region.as_str()).or_default().push(g);
        }
        let mut managers: HashMap<&str, Vec<&ManagerIn>> = HashMap::new();
        for m in &input.managers {
            managers.entry(m.region.as_str()).or_default().push(m);
        }
        let mut assignments = HashMap::new();
        for a in &plan.assignments {
            assignments.entry(a.group.as_str()).or_insert(a);
        }
        let mut loads = HashMap::new();
        for l in &plan.managers {
            loads.entry(l.id.as_str()).or_insert(l);
        }
        Whole {
            input,
            regions: input.regions.iter().map(|r| r.id.as_str()).collect(),
            groups,
            managers,
            assignments,
            loads,
        }
    }

    /// Region `id` of the input (its groups and managers in input order), or None when the
    /// input has no such region.
    pub fn region(&self, id: &str) -> Option<RegionView<'a>> {
        if !self.regions.contains(id) {
            return None;
        }
        Some(RegionView::from_parts(
            &self.input.policy,
            self.groups.get(id).cloned().unwrap_or_default(),
            self.managers.get(id).cloned().unwrap_or_default(),
        ))
    }
}
