//! Conversion of a validated input file to domain types, every list sorted by id.

use starplan_format::input::{ClassIn, InputFile};
use starplan_format::policy::{GoalIn, ModeIn, PolicyIn};
use starplan_model::domain::*;
use std::collections::HashMap;

/// Converts a validated input. Entities are sorted by id so that every later step is
/// independent of the order in the file.
pub fn to_instance(file: &InputFile) -> Instance {
    let mut regions: Vec<_> = file.regions.iter().collect();
    regions.sort_by(|a, b| a.id.cmp(&b.id));
    let region_ix: HashMap<&str, usize> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();

    let mut managers: Vec<_> = file.managers.iter().collect();
    managers.sort_by(|a, b| a.id.cmp(&b.id));
    let manager_ix: HashMap<&str, usize> = managers
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();

    let mut groups: Vec<_> = file.groups.iter().collect();
    groups.sort_by(|a, b| a.id.cmp(&b.id));

    Instance {
        regions: regions
            .iter()
            .map(|r| Region {
                id: r.id.clone(),
                name: r.name.clone(),
            })
            .collect(),
        managers: managers
            .iter()
            .map(|m| Manager {
                id: m.id.clone(),
                region: region_ix[m.region.as_str()],
                star: Star::from_number(m.star).expect("validated star"),
                capacity: m.capacity,
                available: m.available,
                frozen: m.frozen,
            })
            .collect(),
        groups: groups
            .iter()
            .map(|g| Group {
                id: g.id.clone(),
                region: region_ix[g.region.as_str()],
                class: class(g.class),
                members: u32::try_from(g.members).expect("validated members"),
                current: g.current_manager.as_deref().map(|id| manager_ix[id]),
                pinned: g.pinned,
                recent: recent(&file.policy, g.last_moved.as_deref()),
            })
            .collect(),
        policy: to_policy(&file.policy),
    }
}

/// Parses a validated `YYYY-MM-DD` date.
pub fn date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// C12: moved fewer than `min_days_between_moves` days before `as_of`.
fn recent(p: &PolicyIn, last_moved: Option<&str>) -> bool {
    let c = &p.change_control;
    match (
        c.min_days_between_moves,
        c.as_of.as_deref().and_then(date),
        last_moved.and_then(date),
    ) {
        (Some(min), Some(as_of), Some(moved)) => ((as_of - moved).num_days() as f64) < min,
        _ => false,
    }
}

pub fn class(c: ClassIn) -> Class {
    match c {
        ClassIn::A => Class::A,
        ClassIn::B => Class::B,
        ClassIn::C => Class::C,
    }
}

pub fn to_policy(p: &PolicyIn) -> Policy {
    Policy {
        penalty: p.eligibility.to_array().map(|row| row.to_array()),
        service: p.service.to_array().map(|s| Service {
            visits_per_month: s.visits_per_month,
            hours_per_visit: s.hours_per_visit,
            hours_per_member: s.hours_per_member,
        }),
        monthly_hours: p.monthly_hours,
        span_target: p.member_span.target.to_array(),
        span_max: p.member_span.max.to_array(),
        max_groups: p.max_groups.to_array(),
        balance: Balance {
            pieces: p
                .balance
                .pieces
                .iter()
                .map(|x| (x.up_to.unwrap_or(f64::INFINITY), x.slope))
                .collect(),
            across_grades: p.balance.across_grades,
            region_level: p.balance.levels == starplan_format::policy::LevelsIn::Region,
        },
        overtime_allowance: p.overtime_allowance,
        target_utilisation: p.target_utilisation,
        staffing_table: p
            .staffing_table
            .iter()
            .map(|r| StaffingRow {
                max_avg_members: r.max_avg_members,
                groups_min: r.groups_min,
                groups_max: r.groups_max,
            })
            .collect(),
        weights: Weights {
            eligibility: p.weights.eligibility,
            span: p.weights.span,
            balance: p.weights.balance,
            moves: p.weights.moves,
        },
        move_cost: p.move_cost.to_array().map(|c| MoveCost {
            fixed: c.fixed,
            per_member: c.per_member,
        }),
        mode: match p.mode {
            ModeIn::Weighted => Mode::Weighted,
            ModeIn::Priority => Mode::Priority,
        },
        priority: p
            .priority
            .iter()
            .map(|s| Stage {
                goal: match s.goal {
                    GoalIn::Eligibility => Goal::Eligibility,
                    GoalIn::Span => Goal::Span,
                    GoalIn::Balance => Goal::Balance,
                    GoalIn::Moves => Goal::Moves,
                },
                tolerance: s.tolerance,
            })
            .collect(),
        change: ChangeControl {
            max_moved_groups: p.change_control.max_moved_groups,
            max_moved_members: p.change_control.max_moved_members,
            max_book_change: p.change_control.max_book_change,
        },
        relaxation_penalty: p.relaxation_penalty,
        solver: SolverLimits {
            time_limit_seconds: p.solver.time_limit_seconds,
            relative_gap: p.solver.relative_gap,
            seed: p.solver.seed,
            work_limit: p.solver.work_limit,
        },
    }
}
