//! Tables of the certification and of the management-model choice.

use super::table::{fit, Table};
use std::fmt::Write;

pub fn certification_table(c: &crate::format::certify::CertificationFile) -> String {
    use crate::format::certify::Verdict;
    let mut t = Table::new(&["manager", "region", "star", "verdict", "reason"]).text_columns(2);
    for d in c.decisions.iter().filter(|d| d.verdict != Verdict::Kept) {
        let verdict = match d.verdict {
            Verdict::Promoted => "promoted",
            Verdict::Demoted => "demoted",
            Verdict::HeldBack => "held back",
            Verdict::Kept => "kept",
        };
        t.row(vec![
            d.manager.clone(),
            d.region.clone(),
            format!("{}→{}", d.star_before, d.star_after),
            verdict.into(),
            fit(&d.reason, 60),
        ]);
    }
    let mut s = t.render();
    let kept = c
        .decisions
        .iter()
        .filter(|d| d.verdict == Verdict::Kept)
        .count();
    let _ = writeln!(s, "({kept} managers kept their grade)\n");
    let mut t = Table::new(&["region", "star", "before", "after", "quota", "required"]);
    for g in &c.counts {
        t.row(vec![
            g.region.clone(),
            format!("{}★", g.star),
            g.before.to_string(),
            g.after.to_string(),
            g.quota.map_or("-".into(), |q| q.to_string()),
            g.required.to_string(),
        ]);
    }
    s.push_str(&t.render());
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
    let mut t = Table::new(&["variable", "weight", "supporting", "parallel", "vertical"]);
    for v in &c.variables {
        let label = v.name.clone().unwrap_or_else(|| v.id.clone());
        t.row(vec![
            fit(&label, 36),
            format!("{:.3}", v.weight),
            format!("{:.1}", v.scores.supporting),
            format!("{:.1}", v.scores.parallel),
            format!("{:.1}", v.scores.vertical),
        ]);
    }
    s.push_str(&t.render());
    let _ = writeln!(s);
    for tot in &out.totals {
        let _ = writeln!(
            s,
            "{}. {:<11} {:>7.3}",
            tot.rank,
            name(tot.model),
            tot.total
        );
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
    let mut t = Table::new(&["variable", "weight", "weight tie", "score tie"]).text_columns(1);
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
        t.row(vec![
            fit(&x.variable, 20),
            format!("{:.3}", x.weight),
            w,
            sc,
        ]);
    }
    s.push_str(&t.render());
    s
}
