//! The API on loopback: auth, limits (413, 429), coded 422s equal to the CLI's, cancel, check and staff, probes, metrics and the OpenAPI document.

mod common;

use common::{finished, small_input, Server};
use reqwest::{Client, StatusCode};
use serde_json::Value;

const TOKEN: &str = "s3cret-token";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_guards_everything_but_the_probes() {
    let srv = Server::start(|c| c.token = Some(TOKEN.into())).await;
    let http = Client::new();
    for probe in ["/healthz", "/readyz"] {
        let r = http.get(srv.url(probe)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{probe}");
    }
    for path in ["/metrics", "/openapi.json", "/v1/plans"] {
        let r = http.get(srv.url(path)).send().await.unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNAUTHORIZED,
            "{path} without a token"
        );
        assert!(r.headers().contains_key("www-authenticate"));
        let wrong = http
            .get(srv.url(path))
            .bearer_auth("nope")
            .send()
            .await
            .unwrap();
        assert_eq!(
            wrong.status(),
            StatusCode::UNAUTHORIZED,
            "{path} with a wrong token"
        );
    }
    let ok = http
        .post(srv.url("/v1/plans"))
        .bearer_auth(TOKEN)
        .body(small_input(1, 1, 30))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::ACCEPTED);
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_get_413_415_422_and_400_with_the_cli_codes() {
    let srv = Server::start(|c| {
        c.max_body = 4096;
        c.workers = 0;
    })
    .await;
    let http = Client::new();
    let post = |body: String| http.post(srv.url("/v1/plans")).body(body).send();
    let big = post("x".repeat(5000)).await.unwrap();
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let msg: Value = big.json().await.unwrap();
    assert!(
        msg["error"].as_str().unwrap().contains("4096 bytes"),
        "{msg}"
    );

    // The same codes and JSON paths as the CLI's validation of the same text.
    let text = r#"{"schema_version": 1, "regions": [{"id": "R"}], "managers": [{"id": "M", "region": "R", "star": 4}],
        "groups": [{"id": "G", "region": "X", "class": "A", "members": -5}]}"#;
    let cli = starplan_format::validate::load_input(text).unwrap_err();
    let r = post(text.into()).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    let got: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap().into(),
                e["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = cli
        .iter()
        .map(|e| (e.code.as_str().into(), e.path.clone()))
        .collect();
    assert_eq!(got, want);
    assert!(got.len() >= 3, "{got:?}");

    let syntax = post("{\"schema_version\": 1,".into()).await.unwrap();
    assert_eq!(syntax.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = syntax.json().await.unwrap();
    assert_eq!(e["errors"][0]["code"], "E001");

    let sheet = http
        .post(srv.url("/v1/plans"))
        .header(
            "content-type",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .body("PK")
        .send()
        .await
        .unwrap();
    assert_eq!(sheet.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = sheet.json().await.unwrap();
    assert_eq!(e["errors"][0]["code"], "E122", "a broken workbook: {e}");
    let csv = http
        .post(srv.url("/v1/plans"))
        .header("content-type", "text/csv; charset=utf-8")
        .body("集团编号,区域\n")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let q = http
        .post(srv.url("/v1/plans?gap=2"))
        .body(small_input(1, 1, 20))
        .send()
        .await
        .unwrap();
    assert_eq!(q.status(), StatusCode::BAD_REQUEST);
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_answers_429_and_delete_cancels_queued_jobs() {
    // No workers: jobs stay queued, so the queue limit is exact.
    let srv = Server::start(|c| {
        c.workers = 0;
        c.max_queue = 2;
    })
    .await;
    let http = Client::new();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let r = http
            .post(srv.url("/v1/plans"))
            .body(small_input(2, 1, 20))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        let v: Value = r.json().await.unwrap();
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    let full = http
        .post(srv.url("/v1/plans"))
        .body(small_input(2, 1, 20))
        .send()
        .await
        .unwrap();
    assert_eq!(full.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(full.headers().contains_key("retry-after"));
    let del = http
        .delete(srv.url(&format!("/v1/plans/{}", ids[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), StatusCode::OK);
    let again = http
        .delete(srv.url(&format!("/v1/plans/{}", ids[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "cancelling twice is harmless"
    );
    let room = http
        .post(srv.url("/v1/plans"))
        .body(small_input(2, 1, 20))
        .send()
        .await
        .unwrap();
    assert_eq!(
        room.status(),
        StatusCode::ACCEPTED,
        "a cancelled job frees its place"
    );
    let none = http
        .delete(srv.url("/v1/plans/no-such-job"))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), StatusCode::NOT_FOUND);
    let metrics = http
        .get(srv.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("starplan_jobs{state=\"queued\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("starplan_requests_rejected_total{reason=\"queue_full\"} 1"),
        "{metrics}"
    );
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_runs_to_a_plan_the_checker_accepts_and_check_and_staff_answer_at_once() {
    let srv = Server::start(|_| {}).await;
    let http = Client::new();
    let input = small_input(3, 2, 60);
    let r = http
        .post(srv.url("/v1/plans"))
        .body(input.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let job = finished(&http, &srv.url(&location)).await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["regions"].as_array().unwrap().len(), 2);
    let plan: Value = http
        .get(srv.url(&format!("{location}/plan")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plan, job["plan"]);
    let file = starplan_format::validate::load_input(&input).unwrap();
    let typed: starplan_format::PlanFile = serde_json::from_value(plan.clone()).unwrap();
    assert!(starplan_checker::check(&file, &typed).is_empty());

    let input_value: Value = serde_json::from_str(&input).unwrap();
    let verdict: Value = http
        .post(srv.url("/v1/check"))
        .json(&serde_json::json!({"input": input_value, "plan": plan}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verdict["valid"], true, "{verdict}");
    let mut tampered = plan.clone();
    tampered["regions"][0]["objective"] = serde_json::json!(-1.0);
    let verdict: Value = http
        .post(srv.url("/v1/check"))
        .json(&serde_json::json!({"input": input_value, "plan": tampered}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verdict["valid"], false, "{verdict}");
    let bad = http
        .post(srv.url("/v1/check"))
        .json(&serde_json::json!({"input": {"schema_version": 1, "regions": [{"id": ""}], "managers": [], "groups": []}, "plan": plan}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = bad.json().await.unwrap();
    assert_eq!(e["errors"][0]["path"], "$.input.regions[0].id", "{e}");

    let staff: Value = http
        .post(srv.url("/v1/staff"))
        .body(input.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cli = starplan_workflows::staffing::staffing(&starplan_engine::convert::to_instance(&file));
    assert_eq!(staff, serde_json::to_value(&cli).unwrap());
    let report = http
        .get(srv.url(&format!("{location}/report")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        report.status(),
        StatusCode::OK,
        "tests/upload.rs reads reports"
    );
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_lists_every_route_with_the_cli_schemas() {
    let srv = Server::start(|c| c.workers = 0).await;
    let http = Client::new();
    let doc: Value = http
        .get(srv.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 10);
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            let url = srv.url(&path.replace("{id}", "no-such-job"));
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = http.request(m, url).send().await.unwrap();
            let text = r.text().await.unwrap();
            assert!(
                !text.contains("no route"),
                "{method} {path} is documented but not routed"
            );
        }
    }
    // The input schema has the same properties as `starplan schema input`.
    let cli = serde_json::to_value(schemars::schema_for!(starplan_format::InputFile)).unwrap();
    let served = &doc["components"]["schemas"]["InputFile"];
    assert_eq!(
        served["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        cli["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>()
    );
    for name in [
        "PlanFile",
        "StaffingFile",
        "JobView",
        "ErrorBody",
        "CheckRequest",
    ] {
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} missing"
        );
    }
    let unknown = http.get(srv.url("/v2/nothing")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    srv.stop().await;
}
