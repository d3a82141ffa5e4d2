//! Reruns that repeat: in work mode (`--work-limit`) the same input gives the same plan bytes alone and beside a CPU hog, and batch runs use work mode by default.

mod common;

use common::{checked, json, starplan};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Busy threads in this process, one more than there are cores, stopped when the hog is
/// dropped: threads, not child processes, so that nothing outlives a test that is killed.
struct Hog {
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Hog {
    fn start() -> Hog {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..=cores)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    let mut x = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        x = std::hint::black_box(
                            x.wrapping_mul(6364136223846793005).wrapping_add(1),
                        );
                    }
                })
            })
            .collect();
        Hog { stop, threads }
    }
}

impl Drop for Hog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Two regions (about 380 and 320 groups) that end on their work, not proven within the gap.
fn province(dir: &Path) -> PathBuf {
    let p = dir.join("in.json");
    starplan()
        .args([
            "generate",
            "--seed",
            "5",
            "--regions",
            "2",
            "--groups",
            "700",
        ])
        .args(["--managers", "70", "-o"])
        .arg(&p)
        .assert()
        .success();
    p
}

/// `solve` in work mode with a generous safety stop; the plan's bytes.
fn solve_bytes(input: &Path, plan: &Path) -> Vec<u8> {
    starplan()
        .arg("solve")
        .arg(input)
        .args([
            "--work-limit",
            "1.5",
            "--time-limit",
            "120",
            "--threads",
            "2",
        ])
        .args(["--no-timings", "-q", "-o"])
        .arg(plan)
        .assert()
        .success();
    checked(input, plan);
    std::fs::read(plan).expect("the plan")
}

#[test]
fn the_same_plan_alone_and_beside_a_cpu_hog() {
    let dir = tempfile::tempdir().unwrap();
    let input = province(dir.path());
    let alone = solve_bytes(&input, &dir.path().join("alone.json"));
    let loaded = {
        let _hog = Hog::start();
        solve_bytes(&input, &dir.path().join("loaded.json"))
    };
    let plan = json(&dir.path().join("alone.json"));
    let regions = plan["regions"].as_array().unwrap();
    // The work limit, not the gap, ended at least one region: otherwise the clock could
    // never have mattered and the comparison would prove nothing.
    assert!(
        regions.iter().any(|r| r["status"] == "feasible"),
        "every region was proven before its work ran out: {regions:?}"
    );
    for r in regions {
        let message = r["message"].as_str().unwrap_or("");
        assert!(!message.starts_with("safety stop"), "{message}");
    }
    assert_eq!(
        plan["provenance"]["policy"]["solver"]["work_limit"], 1.5,
        "the work limit is recorded"
    );
    assert!(
        alone == loaded,
        "the plan beside a CPU hog differs from the plan alone"
    );
}

#[test]
fn batch_runs_stop_on_work_by_default_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::small(dir.path(), 3);
    let out = dir.path().join("out");
    starplan()
        .arg("solve")
        .arg(&input)
        .args(["--time-limit", "2", "--no-timings", "-q", "--out-dir"])
        .arg(&out)
        .assert()
        .success();
    let merged = dir.path().join("merged.json");
    starplan()
        .arg("merge")
        .arg(&out)
        .arg("--input")
        .arg(&input)
        .arg("-o")
        .arg(&merged)
        .args(["-q"])
        .assert()
        .success();
    checked(&input, &merged);
    let solver = &json(&merged)["provenance"]["policy"]["solver"];
    // The time limit became the work limit; the clock is the safety stop at 4 times it.
    assert_eq!(solver["work_limit"], 2.0, "{solver}");
    assert_eq!(solver["time_limit_seconds"], 8.0, "{solver}");
    // --work-limit 0: the clock decides, as without --out-dir.
    let clocked = dir.path().join("clocked");
    starplan()
        .arg("solve")
        .arg(&input)
        .args(["--time-limit", "2", "--work-limit", "0", "-q", "--out-dir"])
        .arg(&clocked)
        .arg("-o")
        .arg(dir.path().join("clocked.json"))
        .assert()
        .success();
    let solver = &json(&dir.path().join("clocked.json"))["provenance"]["policy"]["solver"];
    assert!(solver.get("work_limit").is_none(), "{solver}");
    assert_eq!(solver["time_limit_seconds"], 2.0, "{solver}");
}

#[test]
fn a_bad_work_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::small(dir.path(), 1);
    starplan()
        .arg("solve")
        .arg(&input)
        .args(["--work-limit=-1", "-q"])
        .assert()
        .code(2);
    let mut file = json(&input);
    file["policy"] = serde_json::json!({"solver": {"work_limit": 0}});
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, serde_json::to_vec(&file).unwrap()).unwrap();
    let out = starplan()
        .arg("solve")
        .arg(&bad)
        .arg("-q")
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("E053") && text.contains("work_limit"),
        "{text}"
    );
}
