//! The staffing estimate: managers needed per region and star from the groups rule (表3) and the members rule (span).

use starplan_engine::domain::{Class, Instance, Star};
use starplan_format::output::round6;
use starplan_format::staffing::{Range, StaffingFile, StaffingLine};

/// Whole managers from a fractional need. The article's worked example rounds to the
/// nearest manager: 412 ÷ 10 = 41.2 → 41 and 412 ÷ 8 = 51.5 → 52.
fn managers(x: f64) -> u64 {
    (x + 0.5 + 1e-9).floor().max(0.0) as u64
}

pub fn staffing(inst: &Instance) -> StaffingFile {
    let p = &inst.policy;
    let mut rows = Vec::new();
    for (r, region) in inst.regions.iter().enumerate() {
        for star in [Star::Three, Star::Two, Star::One] {
            let class = star.home_class();
            let groups: Vec<u32> = inst
                .groups
                .iter()
                .filter(|g| g.region == r && g.class == class)
                .map(|g| g.members)
                .collect();
            let n = groups.len() as f64;
            let members: u64 = groups.iter().map(|&m| u64::from(m)).sum();
            let avg = if groups.is_empty() {
                0.0
            } else {
                members as f64 / n
            };
            let row = p
                .staffing_table
                .iter()
                .find(|row| row.max_avg_members.is_none_or(|max| avg <= max))
                .expect("validated table ends with an open row");
            let groups_rule = Range {
                min: managers(n / row.groups_max),
                max: managers(n / row.groups_min),
            };
            let m = members as f64;
            let members_rule = Range {
                min: managers(m / p.span_max[star.idx()]),
                max: managers(m / p.span_target[star.idx()]),
            };
            let mgrs = inst
                .managers
                .iter()
                .filter(|x| x.region == r && x.star == star && x.available);
            let (current, fte) = mgrs.fold((0, 0.0), |(c, f), x| (c + 1, f + x.capacity));
            rows.push(line(
                region.id.clone(),
                star,
                class,
                groups.len(),
                members,
                Some(Range {
                    min: row.groups_min.round() as u64,
                    max: row.groups_max.round() as u64,
                }),
                groups_rule,
                members_rule,
                current,
                fte,
            ));
        }
    }
    let totals = [Star::Three, Star::Two, Star::One]
        .iter()
        .map(|&star| {
            let mine: Vec<&StaffingLine> =
                rows.iter().filter(|l| l.star == star.number()).collect();
            let sum = |f: &dyn Fn(&StaffingLine) -> Range| {
                mine.iter().fold(Range { min: 0, max: 0 }, |a, l| Range {
                    min: a.min + f(l).min,
                    max: a.max + f(l).max,
                })
            };
            line(
                "*".into(),
                star,
                star.home_class(),
                mine.iter().map(|l| l.groups).sum(),
                mine.iter().map(|l| l.members).sum(),
                None,
                sum(&|l| l.groups_rule),
                sum(&|l| l.members_rule),
                mine.iter().map(|l| l.current).sum(),
                mine.iter().map(|l| l.current_fte).sum(),
            )
        })
        .collect();
    StaffingFile {
        schema_version: starplan_format::SCHEMA_VERSION,
        rows,
        totals,
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "one table row from its parts; rewritten with issue 9"
)]
fn line(
    region: String,
    star: Star,
    class: Class,
    groups: usize,
    members: u64,
    per_manager: Option<Range>,
    groups_rule: Range,
    members_rule: Range,
    current: usize,
    fte: f64,
) -> StaffingLine {
    let required = Range {
        min: groups_rule.min.max(members_rule.min),
        max: groups_rule.max.max(members_rule.max),
    };
    let avg = if groups == 0 {
        0.0
    } else {
        members as f64 / groups as f64
    };
    StaffingLine {
        region,
        star: star.number(),
        class: class.letter().into(),
        groups,
        members,
        avg_members: round6(avg),
        groups_per_manager: per_manager,
        groups_rule,
        members_rule,
        required,
        binding: if members_rule.max > groups_rule.max {
            "members"
        } else {
            "groups"
        }
        .into(),
        current,
        current_fte: round6(fte),
        shortfall: required.min.saturating_sub(current as u64),
        surplus: (current as u64).saturating_sub(required.max),
    }
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
