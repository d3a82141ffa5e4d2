//! The capacity model that `solve` and `staff` share: for each set of classes, what its groups need (seats, members, hours) against what the managers allowed to serve them can hold (C6, C7, C13).
//!
//! A region can keep C5, C6, C7 and C13 only if every set of classes fits into the managers
//! allowed to serve any class of the set (a Hall-type condition, counted without solving).
//! The diagnoses D001, D002 and D007 are its failures; staffing's shortfall is the number of
//! managers that closes them.

use starplan_model::domain::{Class, Group, Star};
use starplan_model::rules;
use starplan_model::RegionProblem;

/// The seven non-empty sets of classes, singletons first.
pub const SETS: [&[Class]; 7] = [
    &[Class::A],
    &[Class::B],
    &[Class::C],
    &[Class::A, Class::B],
    &[Class::A, Class::C],
    &[Class::B, Class::C],
    &[Class::A, Class::B, Class::C],
];

/// One set of classes: its demand and the room of the managers allowed to serve it.
#[derive(Debug, Clone)]
pub struct SetCapacity {
    pub classes: &'static [Class],
    /// The stars allowed to serve at least one class of the set.
    pub stars: Vec<Star>,
    /// Groups (outside frozen books), their members and monthly hours.
    pub groups: f64,
    pub members: f64,
    pub hours: f64,
    /// What the available, non-frozen managers of those stars can hold (C6, C7, C13).
    pub seats: f64,
    pub span_room: f64,
    pub hours_room: f64,
}

impl SetCapacity {
    /// The star that would close a shortfall: the home star of the set's highest class.
    pub fn home(&self) -> Star {
        self.classes[0].home_star()
    }

    pub fn short(&self) -> bool {
        self.groups > self.seats
            || self.members > self.span_room
            || self.hours > self.hours_room + 1e-9
    }

    /// Full-time managers of the home star that close every shortfall of the set.
    pub fn managers_short(&self, p: &RegionProblem) -> f64 {
        let s = self.home().idx();
        let pol = p.policy;
        let seats = (self.groups - self.seats) / pol.max_groups[s].max(1e-9);
        let members = (self.members - self.span_room) / pol.span_max[s].max(1e-9);
        let hours = (self.hours - self.hours_room)
            / (pol.monthly_hours * (1.0 + pol.overtime_allowance)).max(1e-9);
        seats.max(members).max(hours).max(0.0).ceil()
    }
}

fn stars_for(p: &RegionProblem, classes: &[Class]) -> Vec<Star> {
    Star::ALL
        .into_iter()
        .filter(|&s| classes.iter().any(|&k| p.policy.penalty(s, k).is_some()))
        .collect()
}

/// A sum that is +0 when empty: Rust's empty f64 sum is -0, which a message would print.
pub(crate) fn sum(values: impl Iterator<Item = f64>) -> f64 {
    values.sum::<f64>() + 0.0
}

/// Every set of classes with its demand and room.
pub fn sets(p: &RegionProblem) -> Vec<SetCapacity> {
    let frozen_book = |g: &Group| g.current.is_some_and(|c| p.managers[c].frozen);
    let free: Vec<&Group> = p.groups.iter().filter(|g| !frozen_book(g)).collect();
    SETS.iter()
        .map(|&classes| {
            let stars = stars_for(p, classes);
            let serving: Vec<usize> = (0..p.managers.len())
                .filter(|&m| rules::limited(p, m) && stars.contains(&p.managers[m].star))
                .collect();
            let mine: Vec<&&Group> = free.iter().filter(|g| classes.contains(&g.class)).collect();
            SetCapacity {
                classes,
                stars,
                groups: mine.len() as f64,
                members: sum(mine.iter().map(|g| f64::from(g.members))),
                hours: sum(mine.iter().map(|g| p.policy.workload(g.class, g.members))),
                seats: sum(serving.iter().map(|&m| rules::c6_max_groups(p, m))),
                span_room: sum(serving.iter().map(|&m| rules::c7_span_max(p, m))),
                hours_room: sum(serving.iter().map(|&m| rules::c13_hours_cap(p, m))),
            }
        })
        .collect()
}

/// The sets that are short, leaving out any set that contains a smaller short set (its
/// shortfall is already explained).
pub fn short_sets(p: &RegionProblem) -> Vec<SetCapacity> {
    let mut short: Vec<SetCapacity> = Vec::new();
    for s in sets(p) {
        let covered = short
            .iter()
            .any(|x| x.classes.iter().all(|c| s.classes.contains(c)));
        if !covered && s.short() {
            short.push(s);
        }
    }
    short
}
