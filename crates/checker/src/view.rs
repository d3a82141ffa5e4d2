//! The checker's own reading of a region: its entities, the policy's figures for them (penalty, hours, limits, dates), and a layout's per-manager totals.
//!
//! Every formula here is written from models/assignment.md, not taken from the solver.

use starplan_format::input::{ClassIn, GroupIn, ManagerIn};
use starplan_format::policy::PolicyIn;
use std::collections::HashMap;

/// A region's entities as the input lists them.
pub struct RegionView<'a> {
    pub policy: &'a PolicyIn,
    pub groups: Vec<&'a GroupIn>,
    pub managers: Vec<&'a ManagerIn>,
    index: HashMap<&'a str, usize>,
}

/// Who serves each group, and each manager's totals.
pub struct Layout {
    pub assigned: Vec<Option<usize>>,
    pub count: Vec<usize>,
    pub members: Vec<u64>,
    pub hours: Vec<f64>,
}

fn class_ix(c: ClassIn) -> usize {
    match c {
        ClassIn::A => 0,
        ClassIn::B => 1,
        ClassIn::C => 2,
    }
}

fn star_ix(star: i64) -> usize {
    (star.clamp(1, 3) - 1) as usize
}

/// A `YYYY-MM-DD` date as a day number (days since 0000-03-01), or `None`.
fn day_number(s: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(i64::from(chrono::Datelike::num_days_from_ce(&d)))
}

impl<'a> RegionView<'a> {
    /// A region's view from its groups and managers (in input order).
    pub fn from_parts(
        policy: &'a PolicyIn,
        groups: Vec<&'a GroupIn>,
        managers: Vec<&'a ManagerIn>,
    ) -> Self {
        RegionView {
            policy,
            groups,
            index: managers
                .iter()
                .enumerate()
                .map(|(i, m)| (m.id.as_str(), i))
                .collect(),
            managers,
        }
    }

    pub fn manager(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The current manager of a group, as an index of this region.
    pub fn current(&self, g: &GroupIn) -> Option<usize> {
        g.current_manager.as_deref().and_then(|c| self.manager(c))
    }

    /// C5 penalty of the pair; `None` = forbidden.
    pub fn penalty(&self, g: &GroupIn, m: &ManagerIn) -> Option<f64> {
        let e = &self.policy.eligibility;
        let row = [e.A, e.B, e.C][class_ix(g.class)];
        [row.one, row.two, row.three][star_ix(m.star)]
    }

    /// C6: ⌊max_groups(star) × capacity⌋.
    pub fn max_groups(&self, m: &ManagerIn) -> f64 {
        let by = self.policy.max_groups;
        ([by.one, by.two, by.three][star_ix(m.star)] * m.capacity + 1e-9).floor()
    }

    /// Span target (or maximum) of a manager, scaled by capacity (C7).
    pub fn span(&self, m: &ManagerIn, max: bool) -> f64 {
        let s = &self.policy.member_span;
        let by = if max { s.max } else { s.target };
        [by.one, by.two, by.three][star_ix(m.star)] * m.capacity
    }

    /// A manager whose C6/C7 limits apply and whose workload is balanced: available, not frozen.
    pub fn limited(&self, m: &ManagerIn) -> bool {
        m.available && !m.frozen
    }

    pub fn in_frozen_book(&self, g: &GroupIn) -> bool {
        self.current(g).is_some_and(|m| self.managers[m].frozen)
    }

    /// Monthly service hours of a group: visits × hours per visit + members × hours per member.
    pub fn hours_of(&self, g: &GroupIn) -> f64 {
        let s = &self.policy.service;
        let s = [s.A, s.B, s.C][class_ix(g.class)];
        s.visits_per_month * s.hours_per_visit + s.hours_per_member * g.members as f64
    }

    /// C9: fixed(class) + per_member(class) × members.
    pub fn move_cost(&self, g: &GroupIn) -> f64 {
        let c = &self.policy.move_cost;
        let c = [c.A, c.B, c.C][class_ix(g.class)];
        c.fixed + c.per_member * g.members as f64
    }

    /// Monthly hours a manager can give: monthly hours × capacity.
    pub fn monthly(&self, m: &ManagerIn) -> f64 {
        self.policy.monthly_hours * m.capacity
    }

    /// C13: monthly hours × capacity × (1 + overtime allowance).
    pub fn hours_cap(&self, m: &ManagerIn) -> f64 {
        self.monthly(m) * (1.0 + self.policy.overtime_allowance)
    }

    /// C12: the group moved fewer than `min_days_between_moves` days before `as_of`.
    pub fn recent(&self, g: &GroupIn) -> bool {
        let c = &self.policy.change_control;
        match (
            c.min_days_between_moves,
            c.as_of.as_deref().and_then(day_number),
            g.last_moved.as_deref().and_then(day_number),
        ) {
            (Some(min), Some(as_of), Some(moved)) => ((as_of - moved) as f64) < min,
            _ => false,
        }
    }

    /// The group cannot stay: its manager is unavailable or the pair is forbidden.
    pub fn forced(&self, g: &GroupIn) -> bool {
        self.current(g).is_some_and(|m| {
            let mgr = self.managers[m];
            !mgr.available || self.penalty(g, mgr).is_none()
        })
    }

    /// The layout given by `who(group)` = manager id (or none).
    pub fn layout<'c>(&self, who: impl Fn(&'a GroupIn) -> Option<&'c str>) -> Layout {
        let n = self.managers.len();
        let mut l = Layout {
            assigned: Vec::new(),
            count: vec![0; n],
            members: vec![0; n],
            hours: vec![0.0; n],
        };
        for &g in &self.groups {
            let m = who(g).and_then(|id| self.manager(id));
            if let Some(m) = m {
                l.count[m] += 1;
                l.members[m] += g.members as u64;
                l.hours[m] += self.hours_of(g);
            }
            l.assigned.push(m);
        }
        l
    }

    /// The current layout.
    pub fn current_layout(&self) -> Layout {
        self.layout(|g| g.current_manager.as_deref())
    }
}

impl Layout {
    /// The group at position `i` of the view changed manager (a new group never moves).
    pub fn moved(&self, view: &RegionView, i: usize) -> bool {
        let g = view.groups[i];
        g.current_manager.is_some()
            && g.current_manager.as_deref()
                != self.assigned[i].map(|m| view.managers[m].id.as_str())
    }
}
