//! The HTML report in a real headless browser (Debian's chromium, installed by scripts/with-browser): what is drawn is counted in the rendered page, and a screenshot is kept.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn starplan() -> Command {
    Command::cargo_bin("starplan").unwrap()
}

/// The browser: $STARPLAN_BROWSER (set by scripts/with-browser, and then required), else
/// chromium on the PATH; `None` skips the test on a machine without one, except under CI
/// (`CI` set), where a missing browser fails the test instead of passing it silently.
fn browser() -> Option<PathBuf> {
    if let Some(b) = std::env::var_os("STARPLAN_BROWSER").filter(|b| !b.is_empty()) {
        return Some(PathBuf::from(b));
    }
    let found = std::env::var_os("PATH")?
        .to_string_lossy()
        .split(':')
        .map(|d| Path::new(d).join("chromium"))
        .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no chromium was found: run the tests through scripts/with-browser"
        );
        eprintln!("no chromium: run through scripts/with-browser to include the browser test");
    }
    found
}

/// A page that loads the report in a frame and writes, per region, how many bars have a
/// drawn (non-empty) box, and its status.
const HARNESS: &str = r#"<!DOCTYPE html><html><body><iframe id="f" src="report.html" width="1200" height="900"></iframe><pre id="out">pending</pre>
<script>
document.getElementById('f').onload = function () {
  var d = this.contentDocument, res = {};
  d.querySelectorAll('section.region').forEach(function (s) {
    var n = function (sel) { return Array.prototype.filter.call(s.querySelectorAll(sel), function (r) { var b = r.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length; };
    res[s.dataset.region] = {before: n('rect.bar.before'), after: n('rect.bar.after'), status: s.dataset.status};
  });
  document.getElementById('out').textContent = JSON.stringify(res);
};
</script></body></html>"#;

/// The browser under coreutils' `timeout`: a browser that hangs is killed (TERM after 120 s,
/// KILL 10 s later) and the test fails instead of waiting for ever.
fn headless(browser: &Path, dir: &Path) -> std::process::Command {
    let mut c = std::process::Command::new("timeout");
    c.args(["--kill-after=10", "120"]).arg(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--allow-file-access-from-files",
    ])
    .arg(format!("--user-data-dir={}", dir.join("profile").display()));
    c
}

#[test]
fn the_report_draws_a_bar_per_manager_in_a_real_browser() {
    let Some(browser) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Two regions with plans and one that cannot have one (no managers).
    let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/no-managers-region.json");
    let plan = d.join("plan.json");
    starplan()
        .arg("solve")
        .arg(&input)
        .arg("-o")
        .arg(&plan)
        .args(["--no-timings", "-q"])
        .assert()
        .code(3);
    // Exit 3 (a region without a plan): the plan written for the others is still checked.
    common::checked(&input, &plan);
    starplan()
        .arg("report")
        .arg(&input)
        .arg(&plan)
        .arg("-o")
        .arg(d.join("report.html"))
        .args(["--lang", "zh"])
        .assert()
        .success();
    std::fs::write(d.join("harness.html"), HARNESS).unwrap();
    let out = headless(&browser, d)
        .args(["--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("file://{}", d.join("harness.html").display()))
        .output()
        .expect("the browser runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let json = dom
        .split("<pre id=\"out\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or("");
    let drawn: serde_json::Value = serde_json::from_str(&json.replace("&quot;", "\""))
        .unwrap_or_else(|_| panic!("no result in the page: {dom}"));
    let p: serde_json::Value = serde_json::from_slice(&std::fs::read(&plan).unwrap()).unwrap();
    for r in p["regions"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let busy = p["managers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["region"] == id && m["utilisation"].as_f64().unwrap() > 0.0)
            .count();
        assert_eq!(drawn[id]["status"], r["status"], "{id}");
        assert_eq!(
            drawn[id]["after"].as_u64().unwrap() as usize,
            busy,
            "{id}: one after-bar per busy manager"
        );
        assert!(
            drawn[id]["before"].as_u64().unwrap() as usize
                <= r["managers"].as_u64().unwrap() as usize
        );
    }
    // A screenshot to look at (kept under target/ for people; the test only needs it made).
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report.png");
    let status = headless(&browser, d)
        .args(["--window-size=1200,1600"])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", d.join("report.html").display()))
        .status()
        .unwrap();
    assert!(status.success() && std::fs::metadata(&shot).unwrap().len() > 10_000);
}
