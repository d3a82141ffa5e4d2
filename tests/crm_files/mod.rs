//! Files shaped the way CRMs and office tools write them, made from an input: a workbook with merged title cells, a two-row header, numbers stored as text, formulas with cached results, date cells, blank and totals rows and a hidden stale sheet; and GBK CSV with title rows.

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};
use serde_json::Value;

/// One cell as a CRM writes it.
#[derive(Clone)]
pub enum C {
    E,
    T(String),
    N(f64),
    /// A formula and the result the office tool cached.
    F(&'static str, f64),
    /// A date cell, as YYYY-MM-DD.
    D(String),
}

fn t(s: impl Into<String>) -> C {
    C::T(s.into())
}

fn text(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or("").to_string()
}

/// The groups' data rows: ids with trailing spaces, classes as `A类`, members as numbers,
/// as text (`1,234`, ` 35 `) or as a formula, the current manager's id and name, 是/否
/// for pinned, and last_moved as a date cell. A blank row after every 50th group, and a
/// totals row at the end.
pub fn group_rows(input: &Value) -> Vec<Vec<C>> {
    let names: std::collections::BTreeMap<String, String> = input["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (text(m, "id"), text(m, "name")))
        .collect();
    let mut rows = Vec::new();
    let mut total = 0.0;
    for (i, g) in input["groups"].as_array().unwrap().iter().enumerate() {
        let n = g["members"].as_u64().unwrap();
        total += n as f64;
        let members = match i % 4 {
            0 => C::N(n as f64),
            1 if n >= 1000 => t(format!("{},{:03}", n / 1000, n % 1000)),
            1 | 2 => t(format!(" {n} ")),
            _ => C::N(n as f64),
        };
        let cm = text(g, "current_manager");
        rows.push(vec![
            t(format!("{} ", text(g, "id"))),
            t(text(g, "name")),
            t(text(g, "region")),
            t(format!("{}类", text(g, "class"))),
            members,
            if cm.is_empty() { C::E } else { t(cm.clone()) },
            names.get(&cm).map_or(C::E, |s| t(s.clone())),
            t(if g["pinned"] == true { "是" } else { "否" }),
            g["last_moved"].as_str().map_or(C::E, |d| C::D(d.into())),
        ]);
        if i % 50 == 49 {
            rows.push(vec![C::E; 9]);
        }
    }
    let mut totals = vec![C::E; 9];
    totals[0] = t("合计");
    totals[4] = C::F("=SUM(E5:E9999)", total);
    rows.push(totals);
    rows
}

/// The managers' rows: star as `3星`, capacity as `80%` text, 是/否 flags.
pub fn manager_rows(input: &Value) -> Vec<Vec<C>> {
    let yes = |b: bool| t(if b { "是" } else { "否" });
    input["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let cap = m["capacity"].as_f64().unwrap_or(1.0);
            vec![
                t(text(m, "id")),
                t(text(m, "name")),
                t(text(m, "region")),
                t(format!("{}星", m["star"])),
                t(format!("{}%", cap * 100.0)),
                yes(m["available"] != false),
                yes(m["frozen"] == true),
            ]
        })
        .collect()
}

pub const MANAGER_HEADER: [&str; 7] = ["工号", "姓名", "区域", "星级", "人力系数", "在岗", "冻结"];

fn put(ws: &mut Worksheet, r: u32, c: u16, v: &C) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    match v {
        C::E => {}
        C::T(s) => {
            ws.write_string(r, c, s).unwrap();
        }
        C::N(x) => {
            ws.write_number(r, c, *x).unwrap();
        }
        C::F(f, x) => {
            let formula = Formula::new(*f).set_result(x.to_string());
            ws.write_formula(r, c, formula).unwrap();
        }
        C::D(d) => {
            let day = ExcelDateTime::parse_from_str(d).unwrap();
            ws.write_datetime_with_format(r, c, &day, &date).unwrap();
        }
    }
}

/// The CRM workbook: 集团客户清单 (merged title
/// over row 1, an export-time row, a two-row header with 客户经理 merged over 工号 | 姓名
/// and the other headers merged down over both rows, the data from row 5), a hidden stale
/// sheet named 集团 (a built-in name), then 客户经理
/// (a title row, the header on row 2).
pub fn workbook(input: &Value) -> Vec<u8> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = book.add_worksheet();
    ws.set_name("集团客户清单").unwrap();
    ws.merge_range(0, 0, 0, 8, "集团客户清单（导出）", &bold)
        .unwrap();
    ws.write_string(1, 0, "导出时间：2026-12-01 08:00").unwrap();
    let tall = ["集团编号", "集团名称", "区域", "集团等级", "成员数（人）"];
    for (c, h) in tall.iter().enumerate() {
        ws.merge_range(2, c as u16, 3, c as u16, h, &bold).unwrap();
    }
    ws.merge_range(2, 5, 2, 6, "客户经理", &bold).unwrap();
    ws.write_string_with_format(3, 5, "工号", &bold).unwrap();
    ws.write_string_with_format(3, 6, "姓名", &bold).unwrap();
    ws.merge_range(2, 7, 3, 7, "锁定", &bold).unwrap();
    ws.merge_range(2, 8, 3, 8, "上次调整日期", &bold).unwrap();
    for (r, row) in group_rows(input).iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            put(ws, r as u32 + 4, c as u16, v);
        }
    }
    let stale = book.add_worksheet();
    stale.set_name("集团").unwrap();
    for (c, h) in ["集团编号", "区域", "集团等级", "成员数"]
        .iter()
        .enumerate()
    {
        stale.write_string(0, c as u16, *h).unwrap();
    }
    stale.write_string(1, 0, "OLD-1").unwrap();
    stale.write_string(1, 1, "已撤销").unwrap();
    stale.set_hidden(true);

    let ms = book.add_worksheet();
    ms.set_name("客户经理").unwrap();
    ms.merge_range(0, 0, 0, 6, "客户经理名单", &bold).unwrap();
    for (c, h) in MANAGER_HEADER.iter().enumerate() {
        ms.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in manager_rows(input).iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            put(ms, r as u32 + 2, c as u16, v);
        }
    }
    book.save_to_buffer().unwrap()
}

/// A CSV file in GBK as Excel on a Chinese Windows saves it, with `above` rows over the
/// header; formulas come out as their results and dates as `2025/6/30`.
pub fn gbk_csv(above: &[&str], header: &[&str], rows: &[Vec<C>]) -> Vec<u8> {
    let cell = |v: &C| match v {
        C::E => String::new(),
        C::T(s) if s.contains(',') => format!("\"{s}\""),
        C::T(s) => s.clone(),
        C::N(x) | C::F(_, x) => x.to_string(),
        C::D(d) => {
            let p: Vec<u32> = d.split('-').map(|x| x.parse().unwrap()).collect();
            format!("{}/{}/{}", p[0], p[1], p[2])
        }
    };
    let mut text = String::new();
    for a in above {
        text += &format!("{a}{}\r\n", ",".repeat(header.len() - 1));
    }
    text += &(header.join(",") + "\r\n");
    for r in rows {
        text += &(r.iter().map(cell).collect::<Vec<_>>().join(",") + "\r\n");
    }
    let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad, "GBK holds every character");
    bytes.into_owned()
}
