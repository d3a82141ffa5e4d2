//! The report: one self-contained HTML file (inline CSS and SVG, no script, no network) that a branch manager can open anywhere.

use crate::view::{RegionView, View};
use crate::words::{self, Lang};
use std::fmt::Write;

/// Text safe inside HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const CSS: &str = r#"
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Zen Hei",sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:18px;margin-top:36px;border-bottom:2px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;font-size:13px;margin:4px 0 10px}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}
td.l,th.l{text-align:left}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;color:#fff;font-size:13px}
.optimal{background:#2e7d32}.feasible{background:#558b2f}.relaxed{background:#ef6c00}
.infeasible,.timeout,.error{background:#c62828}
.home{background:#e8f5e9}.forbidden{background:#ffebee}
.meaning{color:#555;font-size:14px}.note{color:#777;font-size:12px}
svg text{font-size:11px}
"#;

/// The whole report.
pub fn html(v: &View, l: Lang) -> String {
    let mut s = String::new();
    let title = l.pick("Account manager plan", "客户经理配置方案");
    let _ = write!(s, "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{CSS}</style></head><body>\n", l.pick("en", "zh-CN"));
    let _ = writeln!(s, "<h1>{title}</h1>");
    overview(&mut s, v, l);
    for r in &v.regions {
        region(&mut s, v, r, l);
    }
    if let Some(p) = &v.plan.provenance {
        let _ = writeln!(
            s,
            "<p class=\"note\">starplan {} · input {}</p>",
            esc(&p.starplan_version),
            &p.input_hash[..12.min(p.input_hash.len())]
        );
    }
    s.push_str("</body></html>\n");
    s
}

fn overview(s: &mut String, v: &View, l: Lang) {
    let _ = writeln!(s, "<table class=\"overview\"><tr><th class=\"l\">{}</th><th class=\"l\">{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"l\">{}</th></tr>",
        l.pick("region", "区域"), l.pick("status", "状态"), l.pick("groups", "集团"), l.pick("managers", "客户经理"), l.pick("moved", "调整"), l.pick("gap", "差距"), l.pick("proof", "证明"));
    for r in &v.regions {
        let p = r.plan;
        let _ = writeln!(s, "<tr><td class=\"l\"><a href=\"#r-{id}\">{name}</a></td><td class=\"l\"><span class=\"badge {cls}\">{word}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td></tr>",
            p.groups, p.managers,
            p.kpis.after.as_ref().map_or("-".into(), |k| k.groups_moved.to_string()),
            p.gap.map_or("-".into(), |g| format!("{:.2} %", g * 100.0)),
            esc(&words::proof(l, p)),
            id = esc(&p.id), name = esc(&v.region_name(&p.id)), cls = words::status(Lang::En, p.status), word = words::status(l, p.status));
    }
    s.push_str("</table>\n");
}

fn region(s: &mut String, v: &View, r: &RegionView, l: Lang) {
    let p = r.plan;
    let _ = writeln!(
        s,
        "<section class=\"region\" id=\"r-{id}\" data-region=\"{id}\" data-status=\"{st}\">",
        id = esc(&p.id),
        st = words::status(Lang::En, p.status)
    );
    let _ = writeln!(
        s,
        "<h2>{} <span class=\"badge {}\">{}</span></h2>",
        esc(&v.region_name(&p.id)),
        words::status(Lang::En, p.status),
        words::status(l, p.status)
    );
    let _ = writeln!(s, "<p class=\"meaning\">{}</p>", esc(&words::meaning(l, p)));
    if let Some(m) = &p.message {
        let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(m));
    }
    kpis(s, r, l);
    let _ = writeln!(
        s,
        "<h3>{}</h3>",
        l.pick(
            "Utilisation by manager, before (grey) → after (colour), by grade",
            "客户经理利用率：调整前（灰）→ 调整后（彩），按星级"
        )
    );
    s.push_str(&crate::svg::utilisation(r, l));
    matrix(s, r, l);
    moves(s, r, l);
    over_limits(s, r, l);
    diagnoses(s, r, l);
    s.push_str("</section>\n");
}

fn kpis(s: &mut String, r: &RegionView, l: Lang) {
    let (b, a) = (&r.plan.kpis.before, r.plan.kpis.after.as_ref());
    let mism = |k: &starplan_format::output::KpiSet| {
        k.mismatched.forbidden + k.mismatched.under_grade + k.mismatched.over_grade
    };
    let rows: [(&str, &str, String, Option<String>); 6] = [
        (
            "groups moved",
            "调整集团数",
            "0".into(),
            a.map(|k| k.groups_moved.to_string()),
        ),
        (
            "cross-grade groups",
            "星级错配集团",
            mism(b).to_string(),
            a.map(|k| mism(k).to_string()),
        ),
        (
            "unserved groups",
            "无人服务集团",
            b.unserved_groups.to_string(),
            a.map(|k| k.unserved_groups.to_string()),
        ),
        (
            "managers over span target",
            "超成员目标的客户经理",
            b.managers_over_span_target.to_string(),
            a.map(|k| k.managers_over_span_target.to_string()),
        ),
        (
            "managers over a hard limit",
            "超硬上限的客户经理",
            (b.managers_over_span_max + b.managers_over_max_groups).to_string(),
            a.map(|k| (k.managers_over_span_max + k.managers_over_max_groups).to_string()),
        ),
        (
            "utilisation spread",
            "利用率极差",
            format!("{:.2}", b.utilisation.spread),
            a.map(|k| format!("{:.2}", k.utilisation.spread)),
        ),
    ];
    let _ = writeln!(
        s,
        "<table class=\"kpis\"><tr><th class=\"l\"></th><th>{}</th><th>{}</th></tr>",
        l.pick("before", "调整前"),
        l.pick("after", "调整后")
    );
    for (en, zh, before, after) in rows {
        let _ = writeln!(
            s,
            "<tr><td class=\"l\">{}</td><td>{before}</td><td>{}</td></tr>",
            l.pick(en, zh),
            after.unwrap_or("-".into())
        );
    }
    s.push_str("</table>\n");
}

fn matrix(s: &mut String, r: &RegionView, l: Lang) {
    let _ = writeln!(s, "<h3>{}</h3><table class=\"matrix\"><tr><th class=\"l\"></th><th>A</th><th>B</th><th>C</th></tr>",
        l.pick("Groups by manager grade × group class, before → after (green: the grade meant for the class)", "客户经理星级 × 集团等级（调整前 → 调整后，绿色为对应星级）"));
    for star in (0..3).rev() {
        let _ = write!(s, "<tr><th class=\"l\">{}★</th>", star + 1);
        for class in 0..3 {
            let home = if star + class == 2 {
                " class=\"home\""
            } else {
                ""
            };
            let after = r
                .matrix
                .1
                .map_or("-".into(), |m| m[star][class].to_string());
            let _ = write!(s, "<td{home}>{} → {after}</td>", r.matrix.0[star][class]);
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table>\n");
}

fn moves(s: &mut String, r: &RegionView, l: Lang) {
    if r.moves_by_reason.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "<h3>{}</h3><table class=\"moves\"><tr><th class=\"l\">{}</th><th>{}</th></tr>",
        l.pick("Moves by reason", "调整原因"),
        l.pick("reason", "原因"),
        l.pick("groups", "集团数")
    );
    for (k, n) in &r.moves_by_reason {
        let _ = writeln!(
            s,
            "<tr><td class=\"l\">{}</td><td>{n}</td></tr>",
            words::reason_kind(l, *k)
        );
    }
    s.push_str("</table>\n");
}

fn over_limits(s: &mut String, r: &RegionView, l: Lang) {
    let flagged: Vec<_> = r
        .managers
        .iter()
        .filter(|m| !m.flags.0.is_empty() || !m.flags.1.is_empty())
        .collect();
    if flagged.is_empty() {
        return;
    }
    let _ = writeln!(s, "<h3>{}</h3><table class=\"limits\"><tr><th class=\"l\">{}</th><th>★</th><th class=\"l\">{}</th><th class=\"l\">{}</th></tr>",
        l.pick("Managers over a limit", "超限客户经理"), l.pick("manager", "客户经理"), l.pick("before", "调整前"), l.pick("after", "调整后"));
    for m in flagged {
        let name =
            m.m.name
                .as_deref()
                .map_or(m.m.id.clone(), |n| format!("{n} ({})", m.m.id));
        let _ = writeln!(s, "<tr><td class=\"l\">{}</td><td>{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td></tr>",
            esc(&name), m.m.star, esc(&words::flags(l, &m.flags.0)), esc(&words::flags(l, &m.flags.1)));
    }
    s.push_str("</table>\n");
}

fn diagnoses(s: &mut String, r: &RegionView, l: Lang) {
    let p = r.plan;
    if p.diagnoses.is_empty() && p.relaxations.is_empty() {
        return;
    }
    let _ = writeln!(s, "<h3>{}</h3><table class=\"diagnoses\"><tr><th class=\"l\">{}</th><th class=\"l\">{}</th><th class=\"l\">{}</th></tr>",
        l.pick("Diagnoses and actions", "诊断与建议"), l.pick("code", "代码"), l.pick("finding", "问题"), l.pick("action", "建议"));
    for d in &p.diagnoses {
        let _ = writeln!(
            s,
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td></tr>",
            d.code.code(),
            esc(&d.message),
            esc(&d.action)
        );
    }
    for x in &p.relaxations {
        let _ = writeln!(s, "<tr><td class=\"l\">{}</td><td class=\"l\">{} {}: {} {:?}</td><td class=\"l\"></td></tr>",
            x.rule.code(), l.pick("relaxed for", "放宽"), esc(x.subject.as_deref().unwrap_or("-")), x.amount, x.unit);
    }
    s.push_str("</table>\n");
}
