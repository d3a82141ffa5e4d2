//! An input and its plan joined for people: per region its name, each manager's load and flags before and after, the star × class matrix, and moves by reason.

use starplan_engine::convert::to_instance;
use starplan_engine::{kpi, region_problem, rules, RegionProblem};
use starplan_format::codes::ReasonKind;
use starplan_format::input::{GroupIn, InputFile, ManagerIn};
use starplan_format::output::{Assignment, PlanFile, RegionPlan};
use std::collections::{BTreeMap, HashMap};

/// A limit or state worth a planner's attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Flag {
    /// More groups than max_groups × capacity (C6).
    OverMaxGroups,
    /// More members than the span maximum (C7).
    OverSpanMax,
    /// More members than the span target (C7, penalised).
    OverSpanTarget,
    /// Workload more than 20 % away from its grade pool's level (C8's steep part).
    FarFromLevel,
    /// More hours than monthly hours × capacity × (1 + overtime) (C13).
    OverHours,
    /// Leaving or on leave, yet serving groups (C4).
    UnavailableServing,
}

/// One manager's load in the current layout and in the plan.
#[derive(Debug, Clone)]
pub struct ManagerRow<'a> {
    pub m: &'a ManagerIn,
    pub groups: (usize, Option<usize>),
    pub members: (u64, Option<u64>),
    pub utilisation: (f64, Option<f64>),
    pub flags: (Vec<Flag>, Vec<Flag>),
}

/// One region of the plan, with what people read off it.
#[derive(Debug, Clone)]
pub struct RegionView<'a> {
    pub plan: &'a RegionPlan,
    pub name: Option<&'a str>,
    /// By star (3 first), then id.
    pub managers: Vec<ManagerRow<'a>>,
    /// Groups by `[star − 1][class]`, before and (with a plan) after; unserved groups are not counted.
    pub matrix: ([[usize; 3]; 3], Option<[[usize; 3]; 3]>),
    /// Moved groups by their first reason.
    pub moves_by_reason: BTreeMap<ReasonKind, usize>,
}

/// The input and plan joined.
pub struct View<'a> {
    pub input: &'a InputFile,
    pub plan: &'a PlanFile,
    pub regions: Vec<RegionView<'a>>,
    pub groups: HashMap<&'a str, &'a GroupIn>,
    pub managers: HashMap<&'a str, &'a ManagerIn>,
}

impl<'a> View<'a> {
    pub fn new(input: &'a InputFile, plan: &'a PlanFile) -> View<'a> {
        let inst = to_instance(input);
        let groups: HashMap<&str, &GroupIn> =
            input.groups.iter().map(|g| (g.id.as_str(), g)).collect();
        let managers: HashMap<&str, &ManagerIn> =
            input.managers.iter().map(|m| (m.id.as_str(), m)).collect();
        let chosen: HashMap<&str, &Assignment> = plan
            .assignments
            .iter()
            .map(|a| (a.group.as_str(), a))
            .collect();
        let regions = plan
            .regions
            .iter()
            .filter_map(|rp| {
                let r = inst.regions.iter().position(|x| x.id == rp.id)?;
                Some(region_view(input, &inst, r, rp, &chosen))
            })
            .collect();
        View {
            input,
            plan,
            regions,
            groups,
            managers,
        }
    }

    /// A manager as people know it: `name (id)`, or the id alone.
    pub fn who(&self, id: &str) -> String {
        match self.managers.get(id).and_then(|m| m.name.as_deref()) {
            Some(n) => format!("{n} ({id})"),
            None => id.to_string(),
        }
    }

    pub fn region_name(&self, id: &str) -> String {
        match self
            .input
            .regions
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.name.as_deref())
        {
            Some(n) => format!("{id} {n}"),
            None => id.to_string(),
        }
    }
}

/// A manager's flags in a layout with these per-manager totals.
fn flags(p: &RegionProblem, level: &[Option<f64>], t: &Totals, m: usize) -> Vec<Flag> {
    let (count, members, load) = t;
    let mut f = Vec::new();
    if rules::limited(p, m) {
        if count[m] as f64 > rules::c6_max_groups(p, m) {
            f.push(Flag::OverMaxGroups);
        }
        if members[m] as f64 > rules::c7_span_max(p, m) + 1e-9 {
            f.push(Flag::OverSpanMax);
        } else if members[m] as f64 > rules::c7_span_target(p, m) + 1e-9 {
            f.push(Flag::OverSpanTarget);
        }
    }
    if level[m].is_some_and(|l| (load[m] - l).abs() > 0.2 * l + 1e-6) {
        f.push(Flag::FarFromLevel);
    }
    if rules::limited(p, m) && load[m] > rules::c13_hours_cap(p, m) + 1e-6 {
        f.push(Flag::OverHours);
    }
    if !p.managers[m].available && count[m] > 0 {
        f.push(Flag::UnavailableServing);
    }
    f
}

/// Each limited manager's hours at its grade pool's best level for these loads (C8).
fn levels(p: &RegionProblem, load: &[f64]) -> Vec<Option<f64>> {
    use starplan_engine::balance::{pools, Shape};
    let shape = Shape::of(p);
    let mut out = vec![None; p.managers.len()];
    for (_, ms) in pools(p) {
        let (l, _) = shape.best_level(p, &ms, load);
        for m in ms {
            out[m] = Some(l * rules::hours(p, m));
        }
    }
    out
}

/// Groups, members and hours per manager.
type Totals = (Vec<usize>, Vec<u64>, Vec<f64>);

/// Groups by `[star − 1][class]` in a layout, unserved groups left out.
fn matrix(p: &RegionProblem, layout: &[Option<usize>]) -> [[usize; 3]; 3] {
    let mut mx = [[0usize; 3]; 3];
    for (g, m) in layout.iter().enumerate() {
        if let Some(m) = m.filter(|&m| p.managers[m].available) {
            mx[p.managers[m].star.idx()][p.groups[g].class.idx()] += 1;
        }
    }
    mx
}

fn manager_rows<'a>(
    input: &'a InputFile,
    p: &RegionProblem,
    before: &Totals,
    after: Option<&Totals>,
) -> Vec<ManagerRow<'a>> {
    let by_id: HashMap<&str, &ManagerIn> =
        input.managers.iter().map(|m| (m.id.as_str(), m)).collect();
    let (level_before, level_after) = (levels(p, &before.2), after.map(|a| levels(p, &a.2)));
    let mut rows: Vec<ManagerRow> = (0..p.managers.len())
        .map(|m| ManagerRow {
            m: by_id[p.managers[m].id.as_str()],
            groups: (before.0[m], after.map(|a| a.0[m])),
            members: (before.1[m], after.map(|a| a.1[m])),
            utilisation: (
                before.2[m] / rules::hours(p, m),
                after.map(|a| a.2[m] / rules::hours(p, m)),
            ),
            flags: (
                flags(p, &level_before, before, m),
                after.map_or(Vec::new(), |a| {
                    flags(p, level_after.as_deref().unwrap_or(&[]), a, m)
                }),
            ),
        })
        .collect();
    rows.sort_by(|x, y| y.m.star.cmp(&x.m.star).then(x.m.id.cmp(&y.m.id)));
    rows
}

fn region_view<'a>(
    input: &'a InputFile,
    inst: &starplan_engine::domain::Instance,
    r: usize,
    rp: &'a RegionPlan,
    chosen: &HashMap<&str, &Assignment>,
) -> RegionView<'a> {
    let (p, _) = region_problem(inst, r);
    let local: HashMap<&str, usize> = p
        .managers
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let before: Vec<Option<usize>> = p.groups.iter().map(|g| g.current).collect();
    let after: Option<Vec<Option<usize>>> = rp.status.has_plan().then(|| {
        p.groups
            .iter()
            .map(|g| {
                chosen
                    .get(g.id.as_str())
                    .and_then(|a| local.get(a.manager.as_str()).copied())
            })
            .collect()
    });
    let b = kpi::loads(&p, &before);
    let a = after.as_ref().map(|x| kpi::loads(&p, x));
    let mut moves_by_reason = BTreeMap::new();
    for g in &p.groups {
        if let Some(r) = chosen
            .get(g.id.as_str())
            .filter(|a| a.moved)
            .and_then(|a| a.reasons.first())
        {
            *moves_by_reason.entry(r.kind).or_insert(0) += 1;
        }
    }
    RegionView {
        plan: rp,
        name: input
            .regions
            .iter()
            .find(|x| x.id == rp.id)
            .and_then(|x| x.name.as_deref()),
        managers: manager_rows(input, &p, &b, a.as_ref()),
        matrix: (matrix(&p, &before), after.as_deref().map(|x| matrix(&p, x))),
        moves_by_reason,
    }
}
