//! The staffing estimate: managers needed per region and star from the groups rule (表3), the members rule (span) and the hours rule (service standard), in full-time equivalents, with the solver's own capacity model for the hard shortfall.

use starplan_engine::capacity::short_sets;
use starplan_engine::domain::{Class, Instance, Star};
use starplan_engine::region_problem;
use starplan_engine::rules;
use starplan_engine::RegionProblem;
use starplan_format::output::round6;
use starplan_format::staffing::{Range, StaffingFile, StaffingLine};

/// Whole managers from a fractional need. The article's worked example rounds to the
/// nearest manager: 412 ÷ 10 = 41.2 → 41 and 412 ÷ 8 = 51.5 → 52.
fn managers(x: f64) -> u64 {
    (x + 0.5 + 1e-9).floor().max(0.0) as u64
}

/// What one star's home class asks for in one region, and what the star has.
struct Demand {
    groups: usize,
    members: u64,
    hours: f64,
    heads: usize,
    fte: f64,
    hard: u64,
}

fn demand(p: &RegionProblem, star: Star, hard: u64) -> Demand {
    let class = star.home_class();
    let frozen_book =
        |g: &starplan_engine::domain::Group| g.current.is_some_and(|c| p.managers[c].frozen);
    let mine: Vec<_> = p
        .groups
        .iter()
        .filter(|g| g.class == class && !frozen_book(g))
        .collect();
    let staff: Vec<usize> = (0..p.managers.len())
        .filter(|&m| rules::limited(p, m) && p.managers[m].star == star)
        .collect();
    Demand {
        groups: mine.len(),
        members: mine.iter().map(|g| u64::from(g.members)).sum(),
        hours: mine
            .iter()
            .map(|g| p.policy.workload(g.class, g.members))
            .sum(),
        heads: staff.len(),
        fte: staff.iter().map(|&m| p.managers[m].capacity).sum(),
        hard,
    }
}

/// The groups rule: the staffing table (the article's 表3) for class A; for B and C, whose
/// standard the article does not give, the groups one manager may hold (max_groups).
fn groups_rule(p: &RegionProblem, star: Star, d: &Demand) -> (Option<Range>, Range) {
    let n = d.groups as f64;
    if star.home_class() != Class::A {
        let per = p.policy.max_groups[star.idx()].max(1e-9);
        let need = managers(n / per);
        return (
            None,
            Range {
                min: need,
                max: need,
            },
        );
    }
    let avg = if d.groups == 0 {
        0.0
    } else {
        d.members as f64 / n
    };
    let row = p
        .policy
        .staffing_table
        .iter()
        .find(|row| row.max_avg_members.is_none_or(|max| avg <= max))
        .or(p.policy.staffing_table.last());
    let Some(row) = row else {
        return (None, Range { min: 0, max: 0 });
    };
    let per = Range {
        min: row.groups_min.round() as u64,
        max: row.groups_max.round() as u64,
    };
    let rule = Range {
        min: managers(n / row.groups_max),
        max: managers(n / row.groups_min),
    };
    (Some(per), rule)
}

fn line(p: &RegionProblem, region: &str, star: Star, d: &Demand) -> StaffingLine {
    let s = star.idx();
    let pol = p.policy;
    let (per, groups_rule) = groups_rule(p, star, d);
    let m = d.members as f64;
    let members_rule = Range {
        min: managers(m / pol.span_max[s]),
        max: managers(m / pol.span_target[s]),
    };
    let hours_rule = Range {
        min: managers(d.hours / (pol.monthly_hours * (1.0 + pol.overtime_allowance))),
        max: managers(d.hours / (pol.monthly_hours * pol.target_utilisation)),
    };
    assemble(
        region,
        star,
        d,
        per,
        [groups_rule, members_rule, hours_rule],
    )
}

/// A row from its rules: required is the largest rule at each end, binding the rule that
/// sets the upper end, and the shortfall at least what the capacity model demands.
fn assemble(
    region: &str,
    star: Star,
    d: &Demand,
    per: Option<Range>,
    rules3: [Range; 3],
) -> StaffingLine {
    let [groups_rule, members_rule, hours_rule] = rules3;
    let required = Range {
        min: rules3.iter().map(|r| r.min).max().unwrap_or(0),
        max: rules3.iter().map(|r| r.max).max().unwrap_or(0),
    };
    let binding = ["groups", "members", "hours"]
        .into_iter()
        .zip(rules3)
        .rev()
        .max_by_key(|(_, r)| r.max)
        .map_or("groups", |(name, _)| name);
    let avg = if d.groups == 0 {
        0.0
    } else {
        d.members as f64 / d.groups as f64
    };
    let short = (required.min as f64 - d.fte - 1e-9).ceil().max(0.0) as u64;
    StaffingLine {
        region: region.to_string(),
        star: star.number(),
        class: star.home_class().letter().into(),
        groups: d.groups,
        members: d.members,
        avg_members: round6(avg),
        groups_per_manager: per,
        groups_rule,
        members_rule,
        hours: round6(d.hours),
        hours_rule,
        required,
        binding: binding.into(),
        current: d.heads,
        current_fte: round6(d.fte),
        hard_shortfall: d.hard,
        shortfall: short.max(d.hard),
        surplus: (d.fte - required.max as f64 + 1e-9).floor().max(0.0) as u64,
    }
}

/// Per star, the full-time managers the capacity model says are missing (the largest over
/// the short sets of classes whose home star it is).
pub fn hard_shortfall(p: &RegionProblem) -> [u64; 3] {
    let mut out = [0u64; 3];
    for set in short_sets(p) {
        let s = set.home().idx();
        out[s] = out[s].max(set.managers_short(p) as u64);
    }
    out
}

pub fn staffing(inst: &Instance) -> StaffingFile {
    let mut rows = Vec::new();
    for (r, region) in inst.regions.iter().enumerate() {
        let (p, _) = region_problem(inst, r);
        let hard = hard_shortfall(&p);
        for star in [Star::Three, Star::Two, Star::One] {
            let d = demand(&p, star, hard[star.idx()]);
            rows.push(line(&p, &region.id, star, &d));
        }
    }
    let totals = [Star::Three, Star::Two, Star::One]
        .iter()
        .map(|&star| total(&rows, star))
        .collect();
    StaffingFile {
        schema_version: starplan_format::SCHEMA_VERSION,
        rows,
        totals,
        exact: Vec::new(),
    }
}

/// The province total of one star: the regions' demands and rule ranges added up.
fn total(rows: &[StaffingLine], star: Star) -> StaffingLine {
    let mine: Vec<&StaffingLine> = rows.iter().filter(|l| l.star == star.number()).collect();
    let sum = |f: &dyn Fn(&StaffingLine) -> Range| {
        mine.iter().fold(Range { min: 0, max: 0 }, |a, l| Range {
            min: a.min + f(l).min,
            max: a.max + f(l).max,
        })
    };
    let d = Demand {
        groups: mine.iter().map(|l| l.groups).sum(),
        members: mine.iter().map(|l| l.members).sum(),
        hours: mine.iter().map(|l| l.hours).sum(),
        heads: mine.iter().map(|l| l.current).sum(),
        fte: mine.iter().map(|l| l.current_fte).sum(),
        hard: mine.iter().map(|l| l.hard_shortfall).sum(),
    };
    let rules3 = [
        sum(&|l| l.groups_rule),
        sum(&|l| l.members_rule),
        sum(&|l| l.hours_rule),
    ];
    let mut t = assemble("*", star, &d, None, rules3);
    // Regions do not lend each other managers: the province's gaps are the regions' gaps.
    t.shortfall = mine.iter().map(|l| l.shortfall).sum();
    t.surplus = mine.iter().map(|l| l.surplus).sum();
    t
}

#[cfg(test)]
mod tests {
    use super::managers;

    #[test]
    fn rounds_to_the_nearest_manager_like_the_article() {
        assert_eq!(managers(412.0 / 10.0), 41);
        assert_eq!(managers(412.0 / 8.0), 52);
        assert_eq!(managers(0.0), 0);
        assert_eq!(managers(86_520.0 / 1000.0), 87);
    }
}
