//! Human-readable tables: the per-region plan summary and the staffing estimate.

use super::table::{fit, Table};
use crate::format::output::{KpiSet, PlanFile, Status};
use crate::format::staffing::StaffingFile;
use std::collections::HashMap;
use std::fmt::Write;

pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Optimal => "optimal",
        Status::Feasible => "feasible",
        Status::Relaxed => "relaxed",
        Status::Infeasible => "infeasible",
        Status::Timeout => "timeout",
        Status::Error => "error",
    }
}

/// The mark after a gap whose bound is the solver's word, not certified.
fn proof_mark(k: crate::format::output::ProofKind) -> &'static str {
    match k {
        crate::format::output::ProofKind::SolverReported => "*",
        _ => "",
    }
}

fn mism(k: &KpiSet) -> usize {
    k.mismatched.forbidden + k.mismatched.under_grade + k.mismatched.over_grade
}

/// What the plan table's columns mean (`solve --help` and README).
pub const PLAN_LEGEND: &str = "\
The summary on stderr, one row per region (before→after = current layout → plan):
  status       optimal (proven within the gap), feasible (stopped at the time limit),
               relaxed (some hard rule had to give), infeasible, timeout, error
  moved        groups that change manager
  gap%         how far the plan may be from the best possible plan, in per cent, by the
               best bound known; * when that bound is HiGHS's word (solver-reported), which
               no one can re-derive
  cert%        the certified gap: its bound is re-derived by `starplan check` from the
               plan's certificate
  cross-grade  groups served by a manager of another grade than their class calls for
               (3★ serves A, 2★ B, 1★ C), forbidden pairs included
  unserved     groups with no manager, or with a leaving one
  over-target  managers whose members exceed their span target
  spread       utilisation of the busiest minus the least busy manager
  total        sums; gap%, cert% and spread are the largest of any region";

fn arrow(before: String, after: Option<String>) -> String {
    format!("{before}→{}", after.unwrap_or("-".into()))
}

/// A region as people name it: `HZ 杭州`.
pub fn region_label(id: &str, names: &HashMap<String, String>) -> String {
    match names.get(id) {
        Some(n) => fit(&format!("{id} {n}"), 14),
        None => fit(id, 14),
    }
}

/// One region's row of the plan table.
fn region_row(
    r: &crate::format::output::RegionPlan,
    names: &HashMap<String, String>,
) -> Vec<String> {
    let (b, a) = (&r.kpis.before, r.kpis.after.as_ref());
    vec![
        region_label(&r.id, names),
        status_word(r.status).into(),
        r.groups.to_string(),
        r.managers.to_string(),
        a.map_or("-".into(), |k| k.groups_moved.to_string()),
        format!(
            "{}{}",
            opt(r.gap.map(|g| g * 100.0), 2),
            proof_mark(r.proof.kind)
        ),
        opt(r.proof.certified_gap.map(|g| g * 100.0), 2),
        format!("{:.1}", r.seconds),
        arrow(mism(b).to_string(), a.map(|k| mism(k).to_string())),
        arrow(
            b.unserved_groups.to_string(),
            a.map(|k| k.unserved_groups.to_string()),
        ),
        arrow(
            b.managers_over_span_target.to_string(),
            a.map(|k| k.managers_over_span_target.to_string()),
        ),
        arrow(
            format!("{:.2}", b.utilisation.spread),
            a.map(|k| format!("{:.2}", k.utilisation.spread)),
        ),
    ]
}

/// The totals row: sums, and the largest gap and spread of any region.
fn totals_row(plan: &PlanFile) -> Vec<String> {
    let rs = &plan.regions;
    let sum =
        |f: &dyn Fn(&crate::format::output::RegionPlan) -> usize| rs.iter().map(f).sum::<usize>();
    let after = |f: &dyn Fn(&KpiSet) -> usize| sum(&|r| r.kpis.after.as_ref().map_or(0, f));
    let most = |f: &dyn Fn(&crate::format::output::RegionPlan) -> f64| {
        rs.iter().map(f).fold(0.0_f64, f64::max)
    };
    vec![
        "total".into(),
        format!("{} regions", rs.len()),
        sum(&|r| r.groups).to_string(),
        sum(&|r| r.managers).to_string(),
        after(&|k| k.groups_moved).to_string(),
        format!("{:.2}", most(&|r| r.gap.unwrap_or(0.0)) * 100.0),
        format!(
            "{:.2}",
            most(&|r| r.proof.certified_gap.unwrap_or(0.0)) * 100.0
        ),
        format!("{:.1}", rs.iter().map(|r| r.seconds).sum::<f64>()),
        format!("{}→{}", sum(&|r| mism(&r.kpis.before)), after(&mism)),
        format!(
            "{}→{}",
            sum(&|r| r.kpis.before.unserved_groups),
            after(&|k| k.unserved_groups)
        ),
        format!(
            "{}→{}",
            sum(&|r| r.kpis.before.managers_over_span_target),
            after(&|k| k.managers_over_span_target)
        ),
        format!(
            "{:.2}→{:.2}",
            most(&|r| r.kpis.before.utilisation.spread),
            most(&|r| r.kpis.after.as_ref().map_or(0.0, |k| k.utilisation.spread))
        ),
    ]
}

/// The per-region summary with a totals row; `names` maps region ids to names.
pub fn plan_table(plan: &PlanFile, names: &HashMap<String, String>) -> String {
    let head = [
        "region",
        "status",
        "groups",
        "mgrs",
        "moved",
        "gap%",
        "cert%",
        "secs",
        "cross-grade",
        "unserved",
        "over-target",
        "spread",
    ];
    let mut t = Table::new(&head).text_columns(2);
    for r in &plan.regions {
        t.row(region_row(r, names));
    }
    t.rule();
    t.row(totals_row(plan));
    let mut s = t.render();
    for r in plan.regions.iter().filter(|r| r.message.is_some()) {
        let _ = writeln!(s, "{}: {}", r.id, r.message.as_deref().unwrap_or(""));
    }
    s
}

/// What the staffing table's columns mean: one line per column of [`STAFF_COLUMNS`], in
/// its order, and nothing else (`staff --help` prints it, README quotes it, tests/cli.rs
/// holds both to the table the binary prints).
pub const STAFF_LEGEND: &str = "\
One row per region and grade (the class that grade serves), then totals (region *):
  region      the region's id
  ★           the managers' grade
  class       the class that grade serves: 3★ A, 2★ B, 1★ C
  groups      groups of that class
  hours       their monthly service hours (visits × hours per visit + members × hours per member)
  by groups   managers the groups rule asks for (groups ÷ groups per manager, 表3 for A)
  by members  managers the members rule asks for (members ÷ span maximum … span target)
  by hours    managers the hours rule asks for (hours ÷ monthly hours, with overtime … at target)
  required    the largest of the three rules at each end (full-time managers)
  binding     the rule that sets the upper end of required: groups, members or hours
  FTE         the grade's managers today, in full-time equivalents (summed capacity)
  hard        managers missing before the hard rules (C6, C7, C13) can hold at all
  short       whole managers to hire: required's lower end − FTE rounded up, at least hard
  spare       FTE − required's upper end rounded down, when positive";

/// The staffing table's column headers, in the order [`STAFF_LEGEND`] explains them.
pub const STAFF_COLUMNS: [&str; 14] = [
    "region",
    "★",
    "class",
    "groups",
    "hours",
    "by groups",
    "by members",
    "by hours",
    "required",
    "binding",
    "FTE",
    "hard",
    "short",
    "spare",
];

pub fn staffing_table(est: &StaffingFile) -> String {
    let mut t = Table::new(&STAFF_COLUMNS).text_columns(1);
    for (i, l) in est.rows.iter().chain(&est.totals).enumerate() {
        if i == est.rows.len() {
            t.rule();
        }
        let range = |r: crate::format::staffing::Range| r.to_string();
        t.row(vec![
            l.region.clone(),
            format!("{}★", l.star),
            l.class.clone(),
            l.groups.to_string(),
            format!("{:.0}", l.hours),
            range(l.groups_rule),
            range(l.members_rule),
            range(l.hours_rule),
            range(l.required),
            l.binding.clone(),
            format!("{:.1}", l.current_fte),
            l.hard_shortfall.to_string(),
            l.shortfall.to_string(),
            l.surplus.to_string(),
        ]);
    }
    let mut s = t.render();
    if !est.exact.is_empty() {
        s.push_str("\nexact (re-solved): managers to add so that every hard rule holds, and what one more is worth\n");
        s.push_str(&exact_table(est));
    }
    s
}

fn exact_table(est: &StaffingFile) -> String {
    let mut t = Table::new(&[
        "region",
        "★",
        "counted",
        "add",
        "objective",
        "one more",
        "gain",
    ])
    .text_columns(1);
    for x in &est.exact {
        t.row(vec![
            x.region.clone(),
            format!("{}★", x.star),
            x.counted.to_string(),
            x.added
                .map_or(format!(">{}", x.searched_up_to), |a| a.to_string()),
            num(x.objective, 1),
            num(x.objective_with_one_more, 1),
            num(x.gain_of_one_more, 1),
        ]);
    }
    t.render()
}

fn opt(v: Option<f64>, prec: usize) -> String {
    num(v, prec)
}

fn num(v: Option<f64>, prec: usize) -> String {
    v.map_or("-".into(), |x| format!("{x:.prec$}"))
}

fn signed(v: Option<f64>, prec: usize) -> String {
    v.map_or("".into(), |x| {
        let shown = format!("{x:+.prec$}");
        // A change too small to show at this precision reads as none, not as "-0.00".
        if shown
            .trim_start_matches(['+', '-'])
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            "=".into()
        } else {
            shown
        }
    })
}

/// A figure with its change against the base: `12 (+3)`.
fn with_delta(v: Option<f64>, d: Option<f64>, prec: usize) -> String {
    match signed(d, prec).as_str() {
        "" | "=" => num(v, prec),
        s => format!("{} ({s})", num(v, prec)),
    }
}

/// What the what-if table's columns mean (`whatif --help` and README).
pub const WHATIF_LEGEND: &str = "\
The table, per region, one row per run; (±n) is the change against the base:
  objective   the plan's weighted objective (lower is better)
  changed     groups whose manager differs from the base run's plan
  moved       groups that change manager against the current layout
  cross-grade, unserved, over-target, spread: as in `solve --help`
  carried     the scenario does not touch the region: its plan is the base's, unchanged";

pub fn whatif_table(w: &crate::format::whatif::WhatIfFile) -> String {
    let mut t = Table::new(&[
        "region",
        "run",
        "status",
        "objective",
        "changed",
        "moved",
        "cross-grade",
        "unserved",
        "over-target",
        "spread",
    ])
    .text_columns(3);
    for r in &w.regions {
        for (i, run) in r.runs.iter().enumerate() {
            let (f, d) = (&run.figures, run.delta.as_ref());
            let status = if run.carried_over {
                "carried".into()
            } else {
                status_word(run.status).to_string()
            };
            t.row(vec![
                if i == 0 { r.id.clone() } else { String::new() },
                fit(&run.run, 16),
                status,
                with_delta(f.objective, d.and_then(|d| d.objective), 1),
                run.changed_from_base.map_or("-".into(), |n| n.to_string()),
                with_delta(f.groups_moved, d.and_then(|d| d.groups_moved), 0),
                with_delta(f.mismatched, d.and_then(|d| d.mismatched), 0),
                with_delta(f.unserved, d.and_then(|d| d.unserved), 0),
                with_delta(
                    f.managers_over_span_target,
                    d.and_then(|d| d.managers_over_span_target),
                    0,
                ),
                with_delta(
                    f.utilisation_spread,
                    d.and_then(|d| d.utilisation_spread),
                    2,
                ),
            ]);
        }
    }
    t.render()
}

pub fn diff_table(d: &crate::format::whatif::DiffFile) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "A = {}\nB = {}\n{} groups change manager",
        d.a, d.b, d.changed_groups
    );
    for r in &d.regions {
        let _ = writeln!(s, "region {}: {} groups change", r.id, r.changes.len());
        if let Some(x) = &r.delta {
            let _ = writeln!(
                s,
                "  B − A: objective {}, cross-grade {}, unserved {}, over span target {}, spread {}",
                signed(x.objective, 1),
                signed(x.mismatched, 0),
                signed(x.unserved, 0),
                signed(x.managers_over_span_target, 0),
                signed(x.utilisation_spread, 2)
            );
        }
        let mut t = Table::new(&["  manager", "", "groups"]).text_columns(2);
        for m in &r.managers {
            let mut label = format!("  {}", m.manager);
            for (sign, list) in [('+', &m.gained), ('-', &m.lost)] {
                if !list.is_empty() {
                    t.row(vec![
                        std::mem::take(&mut label),
                        format!("{sign}{}", list.len()),
                        fit(&list.join(" "), 70),
                    ]);
                }
            }
        }
        if !r.managers.is_empty() {
            s.push_str(&t.render());
        }
    }
    s
}
