//! The load test on loopback: 200 small-region submissions from 20 concurrent clients with malformed and oversized bodies mixed in. Every valid job must finish with a plan the checker accepts, and no job may be lost; latency and throughput go to target/tmp/service-load.md for `scripts/bench-service`.

mod common;

use common::{small_input, Server};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const VALID: usize = 200;
const MALFORMED: usize = 20;
const OVERSIZED: usize = 10;
const CLIENTS: usize = 20;
const MAX_BODY: usize = 64 * 1024;

#[derive(Clone)]
enum Item {
    Valid(String),
    Malformed(String),
    Oversized(String),
}

fn items() -> Vec<Item> {
    let mut v: Vec<Item> = (0..VALID)
        .map(|i| Item::Valid(small_input(1000 + i as u64, 1, 24 + i % 16)))
        .collect();
    for i in 0..MALFORMED {
        let bad = if i % 2 == 0 {
            "{\"schema_version\": 1, \"regions\": [".to_string()
        } else {
            r#"{"schema_version": 1, "regions": [{"id": "R"}], "managers": [], "groups": [{"id": "G", "region": "R", "class": "Z", "members": 3}]}"#.to_string()
        };
        v.insert(i * 10 + 3, Item::Malformed(bad));
    }
    for i in 0..OVERSIZED {
        v.insert(i * 20 + 7, Item::Oversized(" ".repeat(MAX_BODY + 1)));
    }
    v
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Submits every item from `CLIENTS` tasks; returns (job id, input) of the accepted ones
/// and each POST's latency in seconds.
async fn submit_all(srv: &Server, work: Vec<Item>) -> (Vec<(String, String)>, Vec<f64>) {
    let queue = Arc::new(Mutex::new(work));
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (queue, accepted, latencies) = (queue.clone(), accepted.clone(), latencies.clone());
        let url = srv.url("/v1/plans");
        tasks.push(tokio::spawn(async move {
            let http = Client::new();
            loop {
                let Some(item) = queue.lock().unwrap().pop() else {
                    break;
                };
                let (body, want) = match &item {
                    Item::Valid(b) => (b.clone(), StatusCode::ACCEPTED),
                    Item::Malformed(b) => (b.clone(), StatusCode::UNPROCESSABLE_ENTITY),
                    Item::Oversized(b) => (b.clone(), StatusCode::PAYLOAD_TOO_LARGE),
                };
                let t = Instant::now();
                let r = http
                    .post(&url)
                    .body(body.clone())
                    .send()
                    .await
                    .expect("POST");
                latencies.lock().unwrap().push(t.elapsed().as_secs_f64());
                assert_eq!(r.status(), want);
                let v: Value = r.json().await.expect("a JSON answer");
                if let Item::Valid(_) = item {
                    accepted
                        .lock()
                        .unwrap()
                        .push((v["id"].as_str().unwrap().to_string(), body));
                } else {
                    assert!(v["error"].is_string(), "{v}");
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("client task");
    }
    let a = accepted.lock().unwrap().clone();
    let l = latencies.lock().unwrap().clone();
    (a, l)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_jobs_from_twenty_clients_all_finish_checked() {
    let srv = Server::start(|c| {
        c.max_body = MAX_BODY;
        c.workers = 2;
        c.threads_per_job = 1;
    })
    .await;
    let clock = Instant::now();
    let (accepted, mut post_latency) = submit_all(&srv, items()).await;
    assert_eq!(accepted.len(), VALID);
    let http = Client::new();
    let mut job_seconds = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    for (id, input) in &accepted {
        let job = common::finished(&http, &srv.url(&format!("/v1/plans/{id}"))).await;
        assert!(
            Instant::now() < deadline,
            "the load test is bounded to 5 minutes"
        );
        assert_eq!(job["state"], "done", "{job}");
        let file = starplan_format::validate::load_input(input).unwrap();
        let plan: starplan_format::PlanFile = serde_json::from_value(job["plan"].clone()).unwrap();
        let violations = starplan_checker::check(&file, &plan);
        assert!(violations.is_empty(), "job {id}: {violations:?}");
        let t = |k: &str| chrono::DateTime::parse_from_rfc3339(job[k].as_str().unwrap()).unwrap();
        job_seconds.push((t("finished_at") - t("submitted_at")).num_milliseconds() as f64 / 1000.0);
    }
    let wall = clock.elapsed().as_secs_f64();
    // None lost, none invented: the store holds exactly the accepted jobs, all done.
    let list: Value = http
        .get(srv.url("/v1/plans?limit=1000"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jobs = list["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), VALID);
    assert!(jobs.iter().all(|j| j["state"] == "done"));
    let metrics = http
        .get(srv.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains(&format!("starplan_jobs_submitted_total {VALID}")));
    assert!(metrics.contains(&format!(
        "starplan_requests_rejected_total{{reason=\"too_large\"}} {OVERSIZED}"
    )));
    assert!(metrics.contains(&format!(
        "starplan_requests_rejected_total{{reason=\"invalid\"}} {MALFORMED}"
    )));
    srv.stop().await;
    post_latency.sort_by(f64::total_cmp);
    job_seconds.sort_by(f64::total_cmp);
    write_figures(&post_latency, &job_seconds, wall);
}

fn cpu() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {cores} cores")
}

/// The BENCHMARKS.md section, for `scripts/bench-service` to splice in.
fn write_figures(post: &[f64], job: &[f64], wall: f64) {
    let ms = |v: f64| format!("{:.1}", v * 1000.0);
    let md = format!(
        "## Service load test\n\n\
Written by `scripts/bench-service` (the load test `cargo test --release -p starplan-service --test load`), on {cpu}; {stamp}. \
The machine may be shared, so the figures are a floor, not a capacity.\n\
{VALID} valid submissions (one region of 24–39 groups each) plus {MALFORMED} malformed and {OVERSIZED} oversized bodies, \
from {CLIENTS} concurrent clients over loopback; `starplan serve` defaults but `--workers 2 --threads 1 --max-body {MAX_BODY}`. \
Every valid job finished with a plan the checker accepts; none was lost.\n\n\
| figure | value |\n|---|---|\n\
| POST /v1/plans latency p50 (accepted and stored with fsync, or refused) | {} ms |\n\
| POST /v1/plans latency p99 | {} ms |\n\
| job latency p50 (submitted → finished, server clock) | {} ms |\n\
| job latency p99 | {} ms |\n\
| throughput (valid jobs ÷ wall time from the first POST to the last job read) | {:.1} jobs/s |\n\
| wall time | {:.1} s |\n",
        ms(percentile(post, 0.5)),
        ms(percentile(post, 0.99)),
        ms(percentile(job, 0.5)),
        ms(percentile(job, 0.99)),
        VALID as f64 / wall,
        wall,
        cpu = cpu(),
        // scripts/bench-service states the commit, date and load it started at.
        stamp = std::env::var("STARPLAN_BENCH_STAMP")
            .unwrap_or_else(|_| "run outside scripts/bench-service, no commit recorded".into()),
    );
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("service-load.md");
    std::fs::write(&out, &md).expect("write the figures");
    eprintln!("{md}\nwritten to {}", out.display());
}
