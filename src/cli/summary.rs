//! Human-readable tables: the per-region plan summary and the staffing estimate.

use crate::format::output::{KpiSet, PlanFile, Status};
use crate::format::staffing::StaffingFile;
use std::fmt::Write;

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Optimal => "optimal",
        Status::Feasible => "feasible",
        Status::Relaxed => "relaxed",
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
        "{:<6} {:>4} {:>2} {:>6} {:>7} {:>9} {:>9} {:>9} {:>9} {:>7} {:>6} {:>4} {:>5} {:>4}",
        "region",
        "star",
        "cl",
        "groups",
        "hours",
        "groups",
        "members",
        "hours",
        "required",
        "binds",
        "FTE",
        "hard",
        "short",
        "surp"
    );
    for l in est.rows.iter().chain(&est.totals) {
        let range = |r: crate::format::staffing::Range| r.to_string();
        let _ = writeln!(
            s,
            "{:<6} {:>4} {:>2} {:>6} {:>7.0} {:>9} {:>9} {:>9} {:>9} {:>7} {:>6.1} {:>4} {:>5} {:>4}",
            l.region,
            format!("{}★", l.star),
            l.class,
            l.groups,
            l.hours,
            range(l.groups_rule),
            range(l.members_rule),
            range(l.hours_rule),
            range(l.required),
            l.binding,
            l.current_fte,
            l.hard_shortfall,
            l.shortfall,
            l.surplus
        );
    }
    if !est.exact.is_empty() {
        let _ = writeln!(s, "\nexact (re-solved): managers to add so that every hard rule holds, and what one more is worth");
        let _ = writeln!(
            s,
            "{:<6} {:>4} {:>7} {:>6} {:>11} {:>11} {:>9}",
            "region", "star", "counted", "add", "objective", "one more", "gain"
        );
        for x in &est.exact {
            let _ = writeln!(
                s,
                "{:<6} {:>4} {:>7} {:>6} {:>11} {:>11} {:>9}",
                x.region,
                format!("{}★", x.star),
                x.counted,
                x.added
                    .map_or(format!(">{}", x.searched_up_to), |a| a.to_string()),
                num(x.objective, 1),
                num(x.objective_with_one_more, 1),
                num(x.gain_of_one_more, 1)
            );
        }
    }
    s
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

pub fn whatif_table(w: &crate::format::whatif::WhatIfFile) -> String {
    let mut s = String::new();
    for r in &w.regions {
        let _ = writeln!(s, "region {}", r.id);
        let _ = writeln!(
            s,
            "  {:<16} {:<10} {:>11} {:>9} {:>6} {:>5} {:>9} {:>5} {:>9} {:>5} {:>9} {:>6} {:>8} {:>6}",
            "run", "status", "objective", "Δ", "moved", "Δ", "mismatch", "Δ", "unserved", "Δ", "over-tgt", "Δ", "spread", "Δ"
        );
        for run in &r.runs {
            let (f, d) = (&run.figures, run.delta.as_ref());
            let _ = writeln!(
                s,
                "  {:<16} {:<10} {:>11} {:>9} {:>6} {:>5} {:>9} {:>5} {:>9} {:>5} {:>9} {:>6} {:>8} {:>6}",
                run.run,
                status_word(run.status),
                num(f.objective, 1),
                signed(d.and_then(|d| d.objective), 1),
                num(f.groups_moved, 0),
                signed(d.and_then(|d| d.groups_moved), 0),
                num(f.mismatched, 0),
                signed(d.and_then(|d| d.mismatched), 0),
                num(f.unserved, 0),
                signed(d.and_then(|d| d.unserved), 0),
                num(f.managers_over_span_target, 0),
                signed(d.and_then(|d| d.managers_over_span_target), 0),
                num(f.utilisation_spread, 2),
                signed(d.and_then(|d| d.utilisation_spread), 2),
            );
        }
    }
    s
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
                "  B − A: objective {}, mismatched {}, unserved {}, over span target {}, utilisation spread {}",
                signed(x.objective, 1),
                signed(x.mismatched, 0),
                signed(x.unserved, 0),
                signed(x.managers_over_span_target, 0),
                signed(x.utilisation_spread, 2)
            );
        }
        for m in &r.managers {
            let mut label = m.manager.as_str();
            for (sign, list) in [('+', &m.gained), ('-', &m.lost)] {
                if !list.is_empty() {
                    let _ = writeln!(s, "  {label:<8} {sign}{:<3} {}", list.len(), list.join(" "));
                    label = "";
                }
            }
        }
    }
    s
}

pub fn certification_table(c: &crate::format::certify::CertificationFile) -> String {
    use crate::format::certify::Verdict;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<8} {:<8} {:>6} {:<9} reason",
        "manager", "region", "star", "verdict"
    );
    for d in c.decisions.iter().filter(|d| d.verdict != Verdict::Kept) {
        let verdict = match d.verdict {
            Verdict::Promoted => "promoted",
            Verdict::Demoted => "demoted",
            Verdict::HeldBack => "held back",
            Verdict::Kept => "kept",
        };
        let _ = writeln!(
            s,
            "{:<8} {:<8} {:>6} {:<9} {}",
            d.manager,
            d.region,
            format!("{}→{}", d.star_before, d.star_after),
            verdict,
            d.reason
        );
    }
    let kept = c
        .decisions
        .iter()
        .filter(|d| d.verdict == Verdict::Kept)
        .count();
    let _ = writeln!(s, "({kept} managers kept their grade)\n");
    let _ = writeln!(
        s,
        "{:<8} {:>4} {:>7} {:>6} {:>6} {:>10}",
        "region", "star", "before", "after", "quota", "required"
    );
    for g in &c.counts {
        let _ = writeln!(
            s,
            "{:<8} {:>4} {:>7} {:>6} {:>6} {:>10}",
            g.region,
            format!("{}★", g.star),
            g.before,
            g.after,
            g.quota.map_or("-".into(), |q| q.to_string()),
            g.required.to_string()
        );
    }
    if let Some(r) = &c.resolve {
        let _ = writeln!(
            s,
            "\nre-solve: {} groups freed, {} moved",
            r.freed_groups.len(),
            r.moved_groups.len()
        );
    }
    s
}

pub fn choice_table(
    c: &crate::format::choice::CriteriaFile,
    out: &crate::format::choice::ChoiceFile,
) -> String {
    let name = |m: crate::format::choice::Model| {
        serde_json::to_value(m)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    };
    let mut s = String::new();
    if let Some(n) = &c.note {
        let _ = writeln!(s, "note: {n}\n");
    }
    let _ = writeln!(
        s,
        "{:<28} {:>7} {:>11} {:>9} {:>9}",
        "variable", "weight", "supporting", "parallel", "vertical"
    );
    for v in &c.variables {
        let label = v.name.clone().unwrap_or_else(|| v.id.clone());
        let _ = writeln!(
            s,
            "{:<28} {:>7.3} {:>11.1} {:>9.1} {:>9.1}",
            label, v.weight, v.scores.supporting, v.scores.parallel, v.scores.vertical
        );
    }
    let _ = writeln!(s);
    for t in &out.totals {
        let _ = writeln!(s, "{}. {:<11} {:>7.3}", t.rank, name(t.model), t.total);
    }
    let _ = writeln!(
        s,
        "\nchoice: {} (lead {:.3}); strategy: {}\n",
        name(out.choice),
        out.margin,
        out.strategy
    );
    let _ = writeln!(
        s,
        "sensitivity: the single change that makes another model tie with the choice"
    );
    let _ = writeln!(
        s,
        "{:<16} {:>7} {:>26} {:>34}",
        "variable", "weight", "weight tie", "score tie"
    );
    for x in &out.sensitivity {
        let w = x.weight_tie.as_ref().map_or("none".into(), |t| {
            format!("→ {:.3} ({:+.3}) {}", t.to, t.change, name(t.rival))
        });
        let sc = x.score_tie.as_ref().map_or("none".into(), |t| {
            format!(
                "{} {:.2} → {:.2} ties {}",
                name(t.model),
                t.from,
                t.to,
                name(t.rival)
            )
        });
        let _ = writeln!(
            s,
            "{:<16} {:>7.3} {:>26} {:>34}",
            x.variable, x.weight, w, sc
        );
    }
    s
}
