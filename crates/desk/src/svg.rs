//! The utilisation chart of a region as inline SVG: one row per manager, grouped by grade, a grey bar before and a coloured bar after, and the 100 % line.

use crate::report::esc;
use crate::view::RegionView;
use crate::words::Lang;
use std::fmt::Write;

const LABEL: f64 = 190.0;
const PLOT: f64 = 560.0;
const ROW: f64 = 16.0;
const HEADING: f64 = 18.0;

/// Colour of the after bar by grade.
fn colour(star: i64) -> &'static str {
    match star {
        3 => "#1565c0",
        2 => "#00897b",
        _ => "#7cb342",
    }
}

/// The chart. Each manager has `rect.bar.before` and, when the region has a plan,
/// `rect.bar.after`; the browser test counts them.
pub fn utilisation(r: &RegionView, l: Lang) -> String {
    let top = r
        .managers
        .iter()
        .flat_map(|m| [Some(m.utilisation.0), m.utilisation.1])
        .flatten()
        .fold(1.2_f64, f64::max);
    let x = |u: f64| LABEL + (u / top).clamp(0.0, 1.0) * PLOT;
    let stars: Vec<i64> = {
        let mut s: Vec<i64> = r.managers.iter().map(|m| m.m.star).collect();
        s.dedup();
        s
    };
    let height = r.managers.len() as f64 * ROW + stars.len() as f64 * HEADING + 24.0;
    let mut s = String::new();
    let _ = writeln!(s, "<svg class=\"util\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" role=\"img\">",
        w = LABEL + PLOT + 60.0);
    let mut y = 4.0;
    for star in stars {
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{}\" font-weight=\"bold\">{star}★ {}</text>",
            y + 12.0,
            l.pick("managers", "客户经理")
        );
        y += HEADING;
        for m in r.managers.iter().filter(|m| m.m.star == star) {
            let name =
                m.m.name
                    .as_deref()
                    .map_or(m.m.id.clone(), |n| format!("{n} {}", m.m.id));
            let away = if m.m.available {
                ""
            } else {
                l.pick(" (leaving)", "（离岗）")
            };
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}{away}</text>",
                LABEL - 6.0,
                y + 11.0,
                esc(&name)
            );
            let (b, a) = m.utilisation;
            let _ = writeln!(s, "<rect class=\"bar before\" x=\"{LABEL}\" y=\"{y}\" width=\"{:.1}\" height=\"5\" fill=\"#b0b0b0\"><title>{:.0} %</title></rect>",
                x(b) - LABEL, b * 100.0);
            if let Some(a) = a {
                let _ = writeln!(s, "<rect class=\"bar after\" x=\"{LABEL}\" y=\"{}\" width=\"{:.1}\" height=\"8\" fill=\"{}\"><title>{:.0} %</title></rect>",
                    y + 6.0, x(a) - LABEL, colour(star), a * 100.0);
                let _ = writeln!(
                    s,
                    "<text x=\"{}\" y=\"{}\" fill=\"#444\">{:.0} %</text>",
                    x(a) + 4.0,
                    y + 13.0,
                    a * 100.0
                );
            }
            y += ROW;
        }
    }
    let one = x(1.0);
    let _ = writeln!(s, "<line x1=\"{one}\" y1=\"0\" x2=\"{one}\" y2=\"{}\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"/>", y);
    let _ = writeln!(
        s,
        "<text x=\"{one}\" y=\"{}\" text-anchor=\"middle\" fill=\"#c62828\">100 %</text>",
        y + 14.0
    );
    s.push_str("</svg>\n");
    s
}
