//! One cell to one JSON value of the input format, reading what spreadsheets hold: 是/否, 3星, 50 %, date cells, ids typed as numbers.

use crate::table::{cell_text, Cell};
use serde_json::{json, Value};

/// How a field's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Class,
    Whole,
    Star,
    Share,
    Flag,
    Date,
}

/// The kind of a field of the input format.
pub fn kind(field: &str) -> Kind {
    match field {
        "class" => Kind::Class,
        "members" => Kind::Whole,
        "star" => Kind::Star,
        "capacity" => Kind::Share,
        "available" | "pinned" | "frozen" => Kind::Flag,
        "last_moved" => Kind::Date,
        _ => Kind::Text,
    }
}

/// The JSON value of a cell; `None` for an empty cell (the field takes its default). A
/// value that cannot be read is passed on as text, so that validation reports it with the
/// field's own code (E030 members, E031 class, E032 star, E033 capacity, E002 flags).
pub fn value(kind: Kind, c: &Cell) -> Option<Value> {
    if *c == Cell::Empty {
        return None;
    }
    let text = cell_text(c);
    let read = match (kind, c) {
        (Kind::Text, _) => Some(json!(text)),
        (Kind::Class, _) => class(&text),
        (Kind::Whole | Kind::Star, Cell::Number(x)) if x.fract() == 0.0 => Some(json!(*x as i64)),
        (Kind::Whole, _) => whole(&text).map(|n| json!(n)),
        (Kind::Star, _) => star(&text),
        (Kind::Share, Cell::Number(x)) => Some(json!(x)),
        (Kind::Share, _) => share(&text),
        (Kind::Flag, Cell::Bool(b)) => Some(json!(b)),
        (Kind::Flag, _) => flag(&text),
        (Kind::Date, Cell::Number(x)) => serial_date(*x).map(|d| json!(d)),
        (Kind::Date, _) => Some(json!(date_text(&text))),
    };
    Some(read.unwrap_or(json!(text)))
}

/// A whole number typed as text: `1,200`, ` 35 `, `35.0` (as number cells stored as text
/// come out of some exports).
fn whole(t: &str) -> Option<i64> {
    let t = t.trim().replace([',', '，'], "");
    t.parse::<i64>().ok().or_else(|| {
        let x = t.parse::<f64>().ok()?;
        (x.fract() == 0.0 && x.abs() < 9e15).then_some(x as i64)
    })
}

/// A date typed as text: `2025/6/30`, `2025.6.30`, `2025年6月30日` become `2025-06-30`;
/// anything else is passed on for validation to report (E100).
fn date_text(t: &str) -> String {
    let t = t.trim();
    let parts: Vec<&str> = t
        .trim_end_matches('日')
        .split(['/', '.', '-', '年', '月'])
        .collect();
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.trim().parse().ok()).collect();
    match nums.as_deref() {
        Some(&[y, m, d]) if parts[0].len() == 4 => {
            match chrono::NaiveDate::from_ymd_opt(y as i32, m, d) {
                Some(day) => day.format("%Y-%m-%d").to_string(),
                None => t.to_string(),
            }
        }
        _ => t.to_string(),
    }
}

fn class(t: &str) -> Option<Value> {
    let t = t.trim_end_matches(['类', '级', '等']).trim().to_uppercase();
    ["A", "B", "C"].contains(&t.as_str()).then(|| json!(t))
}

fn star(t: &str) -> Option<Value> {
    let t = t.trim();
    if !t.is_empty() && t.chars().all(|c| c == '★') {
        return Some(json!(t.chars().count()));
    }
    let t = t.trim_end_matches(['星', '★']).trim();
    let n = match t {
        "一" => 1,
        "二" | "两" => 2,
        "三" => 3,
        _ => t.parse::<i64>().ok()?,
    };
    Some(json!(n))
}

fn share(t: &str) -> Option<Value> {
    match t.trim().strip_suffix(['%', '％']) {
        Some(p) => p.trim().parse::<f64>().ok().map(|x| json!(x / 100.0)),
        None => t.trim().parse::<f64>().ok().map(|x| json!(x)),
    }
}

fn flag(t: &str) -> Option<Value> {
    match t.trim().to_lowercase().as_str() {
        "是" | "y" | "yes" | "true" | "1" | "√" | "在岗" => Some(json!(true)),
        "否" | "n" | "no" | "false" | "0" | "×" | "离岗" => Some(json!(false)),
        _ => None,
    }
}

/// An Excel date serial number (1900 date system) as YYYY-MM-DD.
fn serial_date(x: f64) -> Option<String> {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    (x.fract() == 0.0 && (1.0..2_958_466.0).contains(&x))
        .then(|| base + chrono::Duration::days(x as i64))
        .map(|d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn reads_what_planners_type() {
        assert_eq!(value(Kind::Star, &t("3星")), Some(json!(3)));
        assert_eq!(value(Kind::Star, &t("二星")), Some(json!(2)));
        assert_eq!(value(Kind::Star, &t("★")), Some(json!(1)));
        assert_eq!(value(Kind::Star, &Cell::Number(2.0)), Some(json!(2)));
        assert_eq!(value(Kind::Class, &t("b类")), Some(json!("B")));
        assert_eq!(value(Kind::Whole, &t("1,200")), Some(json!(1200)));
        assert_eq!(value(Kind::Share, &t("50%")), Some(json!(0.5)));
        assert_eq!(value(Kind::Flag, &t("否")), Some(json!(false)));
        assert_eq!(value(Kind::Flag, &t("maybe")), Some(json!("maybe")));
        assert_eq!(value(Kind::Text, &Cell::Number(12.0)), Some(json!("12")));
        assert_eq!(value(Kind::Text, &t("007")), Some(json!("007")));
        assert_eq!(
            value(Kind::Date, &Cell::Number(45658.0)),
            Some(json!("2025-01-01"))
        );
        assert_eq!(value(Kind::Text, &Cell::Empty), None);
        assert_eq!(value(Kind::Whole, &t(" 35.0 ")), Some(json!(35)));
        assert_eq!(value(Kind::Whole, &t("35.5")), Some(json!("35.5")));
        assert_eq!(value(Kind::Date, &t("2025/6/3")), Some(json!("2025-06-03")));
        assert_eq!(
            value(Kind::Date, &t("2025年6月30日")),
            Some(json!("2025-06-30"))
        );
        assert_eq!(value(Kind::Date, &t("2025/2/30")), Some(json!("2025/2/30")));
    }
}
