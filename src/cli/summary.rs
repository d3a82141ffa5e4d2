//! Human-readable tables: the per-region plan summary and the staffing estimate.

use crate::format::output::{KpiSet, PlanFile, Status};
use crate::format::staffing::StaffingFile;
use std::fmt::Write;

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Optimal => "optimal",
        Status::Feasible => "feasible",
        Status::Infeasible => "infeasible",
        Status::Timeout => "timeout",
        Status::Error => "error",
    }
}

fn mism(k: &KpiSet) -> usize {
    k.mismatched.forbidden + k.mismatched.under_grade + k.mismatched.over_grade
}

fn opt(v: Option<f64>, prec: usize) -> String {
    v.map_or("-".into(), |x| format!("{x:.prec$}"))
}

pub fn plan_table(plan: &PlanFile) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<8} {:<10} {:>6} {:>5} {:>11} {:>11} {:>7} {:>6} {:>6} {:>9} {:>9} {:>11} {:>13}",
        "region",
        "status",
        "groups",
        "mgrs",
        "objective",
        "bound",
        "gap%",
        "secs",
        "moved",
        "mismatch",
        "unserved",
        "over-target",
        "util spread"
    );
    for r in &plan.regions {
        let b = &r.kpis.before;
        let arrow = |before: String, after: Option<String>| {
            format!("{before}→{}", after.unwrap_or("-".into()))
        };
        let a = r.kpis.after.as_ref();
        let _ = writeln!(
            s,
            "{:<8} {:<10} {:>6} {:>5} {:>11} {:>11} {:>7} {:>6.1} {:>6} {:>9} {:>9} {:>11} {:>13}",
            r.id,
            status_word(r.status),
            r.groups,
            r.managers,
            opt(r.objective, 1),
            opt(r.bound, 1),
            opt(r.gap.map(|g| g * 100.0), 2),
            r.seconds,
            a.map_or("-".into(), |k| k.groups_moved.to_string()),
            arrow(mism(b).to_string(), a.map(|k| mism(k).to_string())),
            arrow(
                b.unserved_groups.to_string(),
                a.map(|k| k.unserved_groups.to_string())
            ),
            arrow(
                b.managers_over_span_target.to_string(),
                a.map(|k| k.managers_over_span_target.to_string())
            ),
            arrow(
                format!("{:.2}", b.utilisation.spread),
                a.map(|k| format!("{:.2}", k.utilisation.spread))
            ),
        );
        if let Some(m) = &r.message {
            let _ = writeln!(s, "         {m}");
        }
    }
    s
}

pub fn staffing_table(est: &StaffingFile) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<8} {:>4} {:>5} {:>6} {:>8} {:>8} {:>11} {:>11} {:>12} {:>10} {:>8} {:>7} {:>9} {:>7}",
        "region",
        "star",
        "class",
        "groups",
        "members",
        "avg",
        "groups/mgr",
        "groups rule",
        "members rule",
        "required",
        "binding",
        "current",
        "shortfall",
        "surplus"
    );
    for l in est.rows.iter().chain(&est.totals) {
        let range = |r: crate::format::staffing::Range| format!("{}–{}", r.min, r.max);
        let _ = writeln!(
            s,
            "{:<8} {:>4} {:>5} {:>6} {:>8} {:>8.1} {:>11} {:>11} {:>12} {:>10} {:>8} {:>7} {:>9} {:>7}",
            l.region,
            format!("{}★", l.star),
            l.class,
            l.groups,
            l.members,
            l.avg_members,
            l.groups_per_manager.map_or("-".into(), range),
            range(l.groups_rule),
            range(l.members_rule),
            range(l.required),
            l.binding,
            l.current,
            l.shortfall,
            l.surplus
        );
    }
    s
}
