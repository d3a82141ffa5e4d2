//! `starplan serve` as a process on loopback: jobs survive kill -9 (queued ones run, the interrupted one runs again), SIGTERM stops it cleanly, and the README's curl session works as written.

use reqwest::blocking::Client;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_starplan"))
}

/// A running `starplan serve` on 127.0.0.1 with a free port.
struct Serve {
    child: Child,
    base: String,
}

impl Serve {
    fn start(dir: &Path, extra: &[&str]) -> Serve {
        let mut child = Command::new(bin())
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(dir.join("data"))
            .args(["--log-format", "json"])
            .args(extra)
            .current_dir(dir)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("the server logs its address").unwrap();
            let v: Value = serde_json::from_str(&line).unwrap_or_default();
            if v["message"] == "listening" {
                break v["addr"].as_str().unwrap().to_string();
            }
        };
        // Keep reading the log so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Serve {
            child,
            base: format!("http://{addr}"),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn province(seed: u64, regions: usize, groups: usize) -> String {
    let file = starplan::generate::province(seed, regions, groups, None);
    serde_json::to_string(&file).unwrap()
}

fn submit(http: &Client, srv: &Serve, body: String, query: &str) -> String {
    let r = http
        .post(srv.url(&format!("/v1/plans{query}")))
        .body(body)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 202);
    r.json::<Value>().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn job(http: &Client, srv: &Serve, id: &str, wait: u32) -> Value {
    http.get(srv.url(&format!("/v1/plans/{id}?wait={wait}")))
        .send()
        .unwrap()
        .json()
        .unwrap()
}

#[test]
fn jobs_survive_kill_9_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let http = Client::builder()
        .timeout(Duration::from_secs(90))
        .build()
        .unwrap();
    let first = Serve::start(dir.path(), &["--workers", "1"]);
    // A job that takes seconds (one large region, gap 0), then small ones queued behind it.
    let mut slow: Value = serde_json::from_str(&province(5, 1, 1500)).unwrap();
    slow["policy"] = serde_json::json!({"solver": {"relative_gap": 0.0}});
    let slow_id = submit(&http, &first, slow.to_string(), "?time_limit=5");
    let small: Vec<(String, String)> = (0..5)
        .map(|i| {
            let input = province(40 + i, 1, 40);
            (submit(&http, &first, input.clone(), ""), input)
        })
        .collect();
    let until = Instant::now() + Duration::from_secs(60);
    while job(&http, &first, &slow_id, 0)["state"] != "running" {
        assert!(Instant::now() < until, "the slow job never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(first); // SIGKILL: no chance to tidy up

    let second = Serve::start(dir.path(), &["--workers", "2"]);
    let done = |id: &str| {
        let until = Instant::now() + Duration::from_secs(120);
        loop {
            let v = job(&http, &second, id, 30);
            if v["state"] == "done" {
                return v;
            }
            assert!(Instant::now() < until, "job {id} did not finish: {v}");
        }
    };
    let v = done(&slow_id);
    assert_eq!(v["attempts"], 2, "the interrupted job runs again: {v}");
    for (id, input) in &small {
        let v = done(id);
        assert_eq!(v["attempts"], 1);
        let file = starplan::validate::load_input(input).unwrap();
        let plan: starplan::format::PlanFile = serde_json::from_value(v["plan"].clone()).unwrap();
        assert!(
            starplan::checker::check(&file, &plan).is_empty(),
            "job {id}"
        );
    }
    let mut second = second;
    let sent = Instant::now();
    let pid = second.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = second.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(
        sent.elapsed() < Duration::from_secs(10),
        "{:?}",
        sent.elapsed()
    );
}

/// The README's curl session (between the curl-session markers), run with bash against a
/// server started as the README says, on a free port instead of 8080.
#[test]
fn readme_curl_session_works_as_written() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("<!-- curl-session:begin -->")
        .expect("begin marker");
    let end = readme
        .find("<!-- curl-session:end -->")
        .expect("end marker");
    let block = &readme[start..end];
    let script = block
        .split_once("```sh\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("one sh block")
        .0;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("token"),
        "7f3c1e0a9b5d4c2e8f6a1b3d5c7e9f0a\n",
    )
    .unwrap();
    let srv = Serve::start(dir.path(), &["--token-file", "token"]);
    let script = script.replace("http://127.0.0.1:8080", &srv.base);
    let path = format!(
        "{}:{}",
        bin().parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script])
        .current_dir(dir.path())
        .env("PATH", path)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{text}");
    assert!(out.status.success(), "the README session failed:\n{text}");
    for expected in [
        "plan is valid",
        "\"valid\":true",
        "E020",
        "HTTP 422",
        "HTTP 401",
        "starplan_jobs{state=\"done\"}",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the session:\n{text}"
        );
    }
}
