//! Exact staffing (`staff --exact`): per region and star, the fewest added managers with which the region's MIP keeps every hard rule, and what one more manager of each star gains, by re-solving.

use super::staffing::hard_shortfall;
use starplan_engine::convert::to_instance;
use starplan_engine::{region_problem, solve, SolveOptions};
use starplan_format::output::Status;
use starplan_format::staffing::ExactLine;
use starplan_format::{InputFile, ManagerIn};

/// Added managers tried beyond the counting estimate before giving up.
const SEARCH: u64 = 8;

/// The input cut down to one region, with `added` new full-time managers of `star`.
fn with_added(input: &InputFile, region: &str, star: i64, added: u64) -> InputFile {
    let mut out = input.clone();
    out.regions.retain(|r| r.id == region);
    out.managers.retain(|m| m.region == region);
    out.groups.retain(|g| g.region == region);
    for k in 1..=added {
        out.managers.push(ManagerIn {
            id: format!("+{star}★-{k}"),
            region: region.to_string(),
            star,
            name: None,
            capacity: 1.0,
            available: true,
            frozen: false,
        });
    }
    out
}

/// Solves the one-region input: its objective when every hard rule holds, else `None`.
fn keeps_rules(input: &InputFile, opts: &SolveOptions) -> Option<f64> {
    let plan = solve(&to_instance(input), opts).ok()?;
    let r = plan.regions.first()?;
    matches!(r.status, Status::Optimal | Status::Feasible)
        .then_some(r.objective)
        .flatten()
}

/// One line per region and star (regions in id order, stars 3, 2, 1).
pub fn exact(input: &InputFile, opts: &SolveOptions) -> Vec<ExactLine> {
    let inst = to_instance(input);
    let mut out = Vec::new();
    for (r, region) in inst.regions.iter().enumerate() {
        let (p, _) = region_problem(&inst, r);
        let hard = hard_shortfall(&p);
        let now = keeps_rules(&with_added(input, &region.id, 3, 0), opts);
        for star in [3i64, 2, 1] {
            out.push(line(
                input,
                &region.id,
                star,
                now,
                hard[(star - 1) as usize],
                opts,
            ));
        }
    }
    out
}

fn line(
    input: &InputFile,
    region: &str,
    star: i64,
    now: Option<f64>,
    hard: u64,
    opts: &SolveOptions,
) -> ExactLine {
    let solve_with = |k: u64| keeps_rules(&with_added(input, region, star, k), opts);
    let (added, objective) = match now {
        Some(o) => (Some(0), Some(o)),
        None => (hard.max(1)..=hard.max(1) + SEARCH)
            .find_map(|k| solve_with(k).map(|o| (k, o)))
            .map_or((None, None), |(k, o)| (Some(k), Some(o))),
    };
    let plus_one = added.and_then(|k| solve_with(k + 1));
    ExactLine {
        region: region.to_string(),
        star: star as u8,
        counted: hard,
        added,
        objective,
        objective_with_one_more: plus_one,
        gain_of_one_more: objective.zip(plus_one).map(|(a, b)| a - b),
        searched_up_to: hard.max(1) + SEARCH,
    }
}
