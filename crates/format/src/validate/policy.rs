//! Validation of the policy block: signs, ranges, table shapes and the upper bounds the solver's numerics need (models/policy.md, "Bounds").

use crate::errors::{Code, InputError};
use crate::policy::{ModeIn, PolicyIn};

/// The longest time limit per region, in seconds (about 115 days); the CLI's `--time-limit`
/// has the same bound.
pub const MAX_TIME_LIMIT_SECONDS: f64 = 1e7;
/// The largest capacity (share of full time) of a manager.
pub const MAX_CAPACITY: f64 = 1e6;
/// Weights of the objective terms.
const MAX_WEIGHT: f64 = 1e6;
/// Figures multiplied by a group's members: hours and move cost per member.
const MAX_PER_MEMBER: f64 = 1e3;
/// Penalties, fixed costs, visits, hours and tolerances.
const MAX_FIGURE: f64 = 1e6;
/// The relaxation penalty per unit of a broken hard rule.
const MAX_RELAXATION_PENALTY: f64 = 1e9;
/// Limits and budgets: max_groups, member span, change-control budgets and days, the staffing table.
const MAX_LIMIT: f64 = 1e12;

const CLASSES: [(&str, usize); 3] = [("A", 0), ("B", 1), ("C", 2)];
const STARS: [&str; 3] = ["1", "2", "3"];

/// Every problem of the policy block.
pub fn check_policy(p: &PolicyIn, errs: &mut Vec<InputError>) {
    let mut v = Values::default();
    collect(p, &mut v);
    for (path, x, max) in v.0 {
        if x < 0.0 {
            errs.push(InputError::new(
                Code::E050,
                path,
                format!("{x} is negative"),
            ));
        } else if x > max {
            errs.push(InputError::new(
                Code::E034,
                path,
                format!("{x} is above {max:e}, the most the solver's arithmetic allows here"),
            ));
        }
    }
    check_shapes(p, errs);
    check_solver(p, errs);
    check_limits(p, errs);
    check_staffing_table(p, errs);
}

/// The policy's numbers that must be 0 or more, each with its path and upper bound.
#[derive(Default)]
struct Values(Vec<(String, f64, f64)>);

impl Values {
    fn add(&mut self, path: String, x: f64, max: f64) {
        self.0.push((path, x, max));
    }
}

fn collect(p: &PolicyIn, v: &mut Values) {
    let (elig, service, moves) = (
        p.eligibility.to_array(),
        p.service.to_array(),
        p.move_cost.to_array(),
    );
    for (c, ci) in CLASSES {
        for (si, s) in STARS.iter().enumerate() {
            if let Some(x) = elig[ci].to_array()[si] {
                v.add(format!("$.policy.eligibility.{c}.{s}"), x, MAX_FIGURE);
            }
        }
        let (sv, mc) = (service[ci], moves[ci]);
        let at = format!("$.policy.service.{c}");
        v.add(
            format!("{at}.visits_per_month"),
            sv.visits_per_month,
            MAX_FIGURE,
        );
        v.add(
            format!("{at}.hours_per_visit"),
            sv.hours_per_visit,
            MAX_FIGURE,
        );
        v.add(
            format!("{at}.hours_per_member"),
            sv.hours_per_member,
            MAX_PER_MEMBER,
        );
        let at = format!("$.policy.move_cost.{c}");
        v.add(format!("{at}.fixed"), mc.fixed, MAX_FIGURE);
        v.add(format!("{at}.per_member"), mc.per_member, MAX_PER_MEMBER);
    }
    let w = p.weights;
    for (name, x) in [
        ("eligibility", w.eligibility),
        ("span", w.span),
        ("balance", w.balance),
        ("moves", w.moves),
    ] {
        v.add(format!("$.policy.weights.{name}"), x, MAX_WEIGHT);
    }
    let c = &p.change_control;
    for (name, x) in [
        ("max_moved_groups", c.max_moved_groups),
        ("max_moved_members", c.max_moved_members),
        ("min_days_between_moves", c.min_days_between_moves),
    ] {
        if let Some(x) = x {
            v.add(format!("$.policy.change_control.{name}"), x, MAX_LIMIT);
        }
    }
    v.add(
        "$.policy.relaxation_penalty".into(),
        p.relaxation_penalty,
        MAX_RELAXATION_PENALTY,
    );
    for (i, st) in p.priority.iter().enumerate() {
        v.add(
            format!("$.policy.priority[{i}].tolerance"),
            st.tolerance,
            MAX_FIGURE,
        );
    }
}

/// Eligibility allows every class (E055), the priority list (E102), the book-change share
/// (E103), the planning date (E100), the balance pieces and utilisation shares (E058, E059).
fn check_shapes(p: &PolicyIn, errs: &mut Vec<InputError>) {
    let elig = p.eligibility.to_array();
    for (c, ci) in CLASSES {
        if elig[ci].to_array().iter().all(Option::is_none) {
            errs.push(InputError::new(
                Code::E055,
                format!("$.policy.eligibility.{c}"),
                format!("no star may serve class {c}"),
            ));
        }
    }
    let goals: Vec<_> = p.priority.iter().map(|s| s.goal).collect();
    let repeated = goals
        .iter()
        .enumerate()
        .any(|(i, g)| goals[..i].contains(g));
    if repeated || (p.mode == ModeIn::Priority && goals.is_empty()) {
        errs.push(InputError::new(
            Code::E102,
            "$.policy.priority",
            "the priority list is empty or names a goal twice",
        ));
    }
    let c = &p.change_control;
    if let Some(share) = c.max_book_change.filter(|s| !(0.0..=1.0).contains(s)) {
        errs.push(InputError::new(
            Code::E103,
            "$.policy.change_control.max_book_change",
            format!("{share} is outside [0, 1]"),
        ));
    }
    if let Some(d) = c.as_of.as_deref().filter(|d| !super::is_date(d)) {
        errs.push(InputError::new(
            Code::E100,
            "$.policy.change_control.as_of",
            format!("`{d}` is not a YYYY-MM-DD date"),
        ));
    }
    super::balance::check(p, errs);
}

/// The relative gap (E051), the time limit and the seed (E053).
fn check_solver(p: &PolicyIn, errs: &mut Vec<InputError>) {
    let gap = p.solver.relative_gap;
    if !(0.0..=1.0).contains(&gap) {
        errs.push(InputError::new(
            Code::E051,
            "$.policy.solver.relative_gap",
            format!("{gap} is outside [0, 1]"),
        ));
    }
    let t = p.solver.time_limit_seconds;
    if !(t > 0.0 && t <= MAX_TIME_LIMIT_SECONDS) {
        errs.push(InputError::new(
            Code::E053,
            "$.policy.solver.time_limit_seconds",
            format!("{t} is not above 0 and at most {MAX_TIME_LIMIT_SECONDS:e} seconds"),
        ));
    }
    if let Some(w) = p
        .solver
        .work_limit
        .filter(|w| !(*w > 0.0 && *w <= MAX_TIME_LIMIT_SECONDS))
    {
        errs.push(InputError::new(
            Code::E053,
            "$.policy.solver.work_limit",
            format!("{w} is not above 0 and at most {MAX_TIME_LIMIT_SECONDS:e} units of work"),
        ));
    }
    if p.solver.seed > i32::MAX as u32 {
        errs.push(InputError::new(
            Code::E053,
            "$.policy.solver.seed",
            format!("seed {} is above 2147483647", p.solver.seed),
        ));
    }
}

/// Monthly hours, max_groups and member spans above 0 (E056) and bounded (E034); each
/// span maximum at least its target (E052).
fn check_limits(p: &PolicyIn, errs: &mut Vec<InputError>) {
    let mut positive = |path: String, v: f64, max: f64| {
        if v <= 0.0 {
            errs.push(InputError::new(
                Code::E056,
                path,
                format!("{v} is not above 0"),
            ));
        } else if v > max {
            errs.push(InputError::new(
                Code::E034,
                path,
                format!("{v} is above {max:e}, the most the solver's arithmetic allows here"),
            ));
        }
    };
    positive("$.policy.monthly_hours".into(), p.monthly_hours, MAX_FIGURE);
    let (targets, maxes, groups) = (
        p.member_span.target.to_array(),
        p.member_span.max.to_array(),
        p.max_groups.to_array(),
    );
    for (si, s) in STARS.iter().enumerate() {
        positive(format!("$.policy.max_groups.{s}"), groups[si], MAX_LIMIT);
        positive(
            format!("$.policy.member_span.target.{s}"),
            targets[si],
            MAX_LIMIT,
        );
        positive(
            format!("$.policy.member_span.max.{s}"),
            maxes[si],
            MAX_LIMIT,
        );
    }
    for (si, s) in STARS.iter().enumerate() {
        if maxes[si] < targets[si] {
            errs.push(InputError::new(
                Code::E052,
                format!("$.policy.member_span.max.{s}"),
                format!("maximum {} is below target {}", maxes[si], targets[si]),
            ));
        }
    }
}

/// The staffing table (E054): sorted rows, only the last one open, 0 < min <= max, bounded.
fn check_staffing_table(p: &PolicyIn, errs: &mut Vec<InputError>) {
    let rows = &p.staffing_table;
    let mut prev = f64::NEG_INFINITY;
    for (i, r) in rows.iter().enumerate() {
        let last = i + 1 == rows.len();
        let bad = match r.max_avg_members {
            None if !last => Some("only the last row may have max_avg_members null".to_string()),
            Some(_) if last => Some("the last row must have max_avg_members null".to_string()),
            Some(m) if m <= prev => Some(format!(
                "max_avg_members {m} is not above the previous row's"
            )),
            _ if !(r.groups_min > 0.0 && r.groups_min <= r.groups_max) => Some(format!(
                "groups_min {} and groups_max {} need 0 < min <= max",
                r.groups_min, r.groups_max
            )),
            _ if r.groups_max > MAX_LIMIT || r.max_avg_members.is_some_and(|m| m > MAX_LIMIT) => {
                Some(format!("a value above {MAX_LIMIT:e}"))
            }
            _ => None,
        };
        if let Some(msg) = bad {
            let at = format!("$.policy.staffing_table[{i}]");
            errs.push(InputError::new(Code::E054, at, msg));
        }
        prev = r.max_avg_members.unwrap_or(f64::INFINITY);
    }
    if rows.is_empty() {
        errs.push(InputError::new(
            Code::E054,
            "$.policy.staffing_table",
            "the table is empty",
        ));
    }
}
