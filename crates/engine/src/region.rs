//! Cuts one region out of a province, with local indices, keeping the global indices to map back.

use starplan_model::domain::{Group, Instance};
use starplan_model::RegionProblem;

/// Global indices of a region's managers and groups, in local order.
#[derive(Debug, Clone)]
pub struct RegionIds {
    pub managers: Vec<usize>,
    pub groups: Vec<usize>,
}

pub fn region_problem(inst: &Instance, region: usize) -> (RegionProblem<'_>, RegionIds) {
    let managers: Vec<usize> = (0..inst.managers.len())
        .filter(|&m| inst.managers[m].region == region)
        .collect();
    let groups: Vec<usize> = (0..inst.groups.len())
        .filter(|&g| inst.groups[g].region == region)
        .collect();
    let local = |global: usize| managers.binary_search(&global).ok();
    let problem = RegionProblem::new(
        managers.iter().map(|&m| inst.managers[m].clone()).collect(),
        groups
            .iter()
            .map(|&g| Group {
                current: inst.groups[g].current.and_then(local),
                ..inst.groups[g].clone()
            })
            .collect(),
        &inst.policy,
    );
    (problem, RegionIds { managers, groups })
}
