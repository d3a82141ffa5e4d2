//! The relaxed model's extra columns: one slack per relaxable hard rule and subject (C5–C7, C10–C12), each costed at the relaxation penalty.

use super::build::{stay_col, Columns};
use super::rules;
use super::{RegionProblem, Subject};
use good_lp::{variable, Expression, Variable};
use starplan_format::codes::Rule;
use starplan_format::output::Unit;

/// A relaxation variable: how far one hard rule is exceeded for one subject.
#[derive(Debug, Clone)]
pub struct Slack {
    pub subject: Subject,
    pub col: usize,
    /// The amount is 1 − value (a "stay" variable), not the value.
    pub inverted: bool,
}

/// Slack columns of the relaxed model: C6, C7 and C13 per limited manager, C10 per region, C11
/// per manager, and C5 (forbidden pairs) and C12 (recent moves) through their x columns.
pub(crate) fn relaxation_columns(
    p: &RegionProblem,
    x: &[Vec<(usize, usize)>],
    cols: &mut Columns,
    slacks: &mut Vec<Slack>,
) {
    let mut add = |cols: &mut Columns, rule, unit, manager| {
        let col = cols.add(variable().min(0.0));
        slacks.push(Slack {
            subject: Subject {
                rule,
                unit,
                manager,
                group: None,
            },
            col,
            inverted: false,
        });
    };
    for m in (0..p.managers.len()).filter(|&m| rules::limited(p, m)) {
        add(cols, Rule::C6, Unit::Groups, Some(m));
        add(cols, Rule::C7, Unit::Members, Some(m));
        add(cols, Rule::C13, Unit::Hours, Some(m));
    }
    let c = p.policy.change;
    if c.max_moved_groups.is_some() {
        add(cols, Rule::C10, Unit::Groups, None);
    }
    if c.max_moved_members.is_some() {
        add(cols, Rule::C10, Unit::Members, None);
    }
    if c.max_book_change.is_some() {
        for m in (0..p.managers.len()).filter(|&m| p.managers[m].available) {
            add(cols, Rule::C11, Unit::Groups, Some(m));
        }
    }
    for (g, pairs) in x.iter().enumerate() {
        for &(m, col) in pairs {
            if !rules::c5_eligible(p, g, m) {
                slacks.push(Slack {
                    subject: Subject {
                        rule: Rule::C5,
                        unit: Unit::Groups,
                        manager: Some(m),
                        group: Some(g),
                    },
                    col,
                    inverted: false,
                });
            }
        }
        if p.groups[g].recent && !rules::forced_to_move(p, g) {
            if let Some(col) = stay_col(p, x, g) {
                slacks.push(Slack {
                    subject: Subject {
                        rule: Rule::C12,
                        unit: Unit::Groups,
                        manager: p.groups[g].current,
                        group: Some(g),
                    },
                    col,
                    inverted: true,
                });
            }
        }
    }
}

/// The penalty of every slack: `relaxation_penalty` per group, a hundredth of it per member
/// or per hour (a group holds tens to hundreds of members and needs a few to a few dozen
/// hours, so a group's worth of either costs about as much as the group), and twice it for
/// a forbidden pair (the grade rule comes first in the article).
pub(crate) fn relaxation_cost(
    p: &RegionProblem,
    slacks: &[Slack],
    v: &[Variable],
    obj: &mut Expression,
) -> f64 {
    let big = p.policy.relaxation_penalty;
    let mut offset = 0.0;
    for s in slacks {
        let unit_cost = match (s.subject.rule, s.subject.unit) {
            (Rule::C5, _) => 2.0 * big,
            (_, Unit::Members | Unit::Hours) => big / 100.0,
            _ => big,
        };
        if s.inverted {
            obj.add_mul(-unit_cost, v[s.col]);
            offset += unit_cost;
        } else {
            obj.add_mul(unit_cost, v[s.col]);
        }
    }
    offset
}
