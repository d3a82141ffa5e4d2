//! Workbook uploads and the plan report on loopback (two servers, one test each): a workbook shaped as a CRM exports it (a merged title row, an export-time row, a blank and a totals row, text numbers) goes through the same import as `starplan import`, its plan passes the checker and has an HTML report; an unread current-manager column is 422 with E125 at its cell, CSV is 415; no current manager is E126 unless `?all_new=true`.

mod common;

use common::{finished, Server};
use reqwest::{Client, StatusCode};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn yes(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

/// The groups and managers of `file` as a CRM workbook; the current managers under `cm`.
fn crm_workbook(file: &Value, cm: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = book.add_worksheet();
    ws.set_name("集团").unwrap();
    ws.merge_range(0, 0, 0, 4, "集团客户清单（导出）", &bold)
        .unwrap();
    ws.write_string(1, 0, "导出时间：2026-12-01").unwrap();
    let header = [
        "集团编号",
        "区域",
        "集团等级",
        "成员数",
        cm,
        "锁定",
        "上次调整日期",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let groups = file["groups"].as_array().unwrap();
    let mut r = 3;
    for (i, g) in groups.iter().enumerate() {
        let s = |k: &str| g[k].as_str().unwrap_or("").to_string();
        ws.write_string(r, 0, format!("{} ", s("id"))).unwrap();
        ws.write_string(r, 1, s("region")).unwrap();
        ws.write_string(r, 2, format!("{}类", s("class"))).unwrap();
        ws.write_string(r, 3, g["members"].to_string()).unwrap();
        ws.write_string(r, 4, s("current_manager")).unwrap();
        ws.write_string(r, 5, yes(g["pinned"] == true)).unwrap();
        ws.write_string(r, 6, s("last_moved")).unwrap();
        r += if i == 5 { 2 } else { 1 };
    }
    ws.write_string(r, 0, "合计").unwrap();
    let ms = book.add_worksheet();
    ms.set_name("客户经理").unwrap();
    for (c, h) in ["工号", "区域", "星级", "人力系数", "在岗", "冻结"]
        .iter()
        .enumerate()
    {
        ms.write_string(0, c as u16, *h).unwrap();
    }
    for (i, m) in file["managers"].as_array().unwrap().iter().enumerate() {
        let r = i as u32 + 1;
        ms.write_string(r, 0, m["id"].as_str().unwrap()).unwrap();
        ms.write_string(r, 1, m["region"].as_str().unwrap())
            .unwrap();
        ms.write_string(r, 2, format!("{}星", m["star"])).unwrap();
        let cap = m["capacity"].as_f64().unwrap_or(1.0);
        ms.write_number(r, 3, cap).unwrap();
        ms.write_string(r, 4, yes(m["available"] != false)).unwrap();
        ms.write_string(r, 5, yes(m["frozen"] == true)).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crm_workbook_is_planned_checked_and_reported() {
    let srv = Server::start(|_| {}).await;
    let http = Client::new();
    let file = starplan_format::generate::province(3, 1, 40, None);
    let value = serde_json::to_value(&file).unwrap();
    let r = http
        .post(srv.url("/v1/plans"))
        .header("content-type", XLSX)
        .body(crm_workbook(&value, "现客户经理"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let job = finished(&http, &srv.url(&location)).await;
    assert_eq!(job["state"], "done", "{job}");
    let plan: starplan_format::output::PlanFile =
        serde_json::from_value(job["plan"].clone()).unwrap();
    assert_eq!(plan.assignments.len(), file.groups.len());
    let violations = starplan_checker::check(&file, &plan);
    assert!(violations.is_empty(), "{violations:?}");
    for (lang, word) in [("en", "<html lang=\"en\""), ("zh", "<html lang=\"zh-CN\"")] {
        let report = http
            .get(srv.url(&format!("{location}/report?lang={lang}")))
            .send()
            .await
            .unwrap();
        assert_eq!(report.status(), StatusCode::OK);
        let html = report.text().await.unwrap();
        assert!(html.contains(word), "{lang}");
        assert!(
            html.contains(&file.regions[0].id),
            "the report names the region"
        );
    }
    let bad_lang = http
        .get(srv.url(&format!("{location}/report?lang=fr")))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_lang.status(), StatusCode::BAD_REQUEST);

    let unread = http
        .post(srv.url("/v1/plans"))
        .header("content-type", XLSX)
        .body(crm_workbook(&value, "客户经理工号"))
        .send()
        .await
        .unwrap();
    assert_eq!(unread.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = unread.json().await.unwrap();
    assert_eq!(e["errors"][0]["code"], "E125", "{e}");
    assert_eq!(e["errors"][0]["path"], "[upload.xlsx]集团!E3", "{e}");
    let csv = http
        .post(srv.url("/v1/plans"))
        .header("content-type", "text/csv")
        .body("集团编号,区域\n")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_current_manager_is_e126_unless_the_upload_says_all_are_new() {
    let srv = Server::start(|_| {}).await;
    let http = Client::new();
    let file = starplan_format::generate::province(4, 1, 30, None);
    let value = serde_json::to_value(&file).unwrap();
    // The current managers left out: E126, unless the upload says every group is new.
    let mut blank = value.clone();
    for g in blank["groups"].as_array_mut().unwrap() {
        g.as_object_mut().unwrap().remove("current_manager");
        g.as_object_mut().unwrap().remove("pinned");
    }
    for all_new in ["", "?all_new=true"] {
        let r = http
            .post(srv.url(&format!("/v1/plans{all_new}")))
            .header("content-type", XLSX)
            .body(crm_workbook(&blank, "现客户经理"))
            .send()
            .await
            .unwrap();
        if all_new.is_empty() {
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let e: Value = r.json().await.unwrap();
            assert_eq!(e["errors"][0]["code"], "E126", "{e}");
        } else {
            assert_eq!(r.status(), StatusCode::ACCEPTED);
            let location = r.headers()["location"].to_str().unwrap().to_string();
            let job = finished(&http, &srv.url(&location)).await;
            let plan = serde_json::from_value(job["plan"].clone()).unwrap();
            let file = serde_json::from_value(blank.clone()).unwrap();
            assert!(starplan_checker::check(&file, &plan).is_empty());
        }
    }
    srv.stop().await;
}
