//! deploy/slurm on a real one-host Slurm cluster (scripts/with-slurm): the array with its dependent merge, then faults — SIGTERM and requeue, kill -9 and a resubmission, a truncated region file, a second full submission — each ending with the checker accepting the merged plan.

mod batch_common;
mod slurm_common;

use batch_common::{bin, repo, small_province, starplan};
use serde_json::Value;
use slurm_common::{cluster_up, jobs, slurm, wait_done, wait_for, Batch, Job, Queued};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A submission's array and merge end within this (each region here takes seconds).
const LIMIT: Duration = Duration::from_secs(150);

/// The JSON events of a log (the lines starplan wrote with --log-format json).
fn events(log: &str) -> Vec<Value> {
    log.lines()
        .filter(|l| l.starts_with('{'))
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn count(log: &str, name: &str) -> usize {
    events(log).iter().filter(|e| e["message"] == name).count()
}

/// The `reused` count of the last run in a task's log.
fn reused(log: &str) -> u64 {
    let e = events(log);
    let last = e.iter().rev().find(|e| e["message"] == "run_started");
    last.and_then(|e| e["reused"].as_u64()).unwrap_or(0)
}

fn solve_log(b: &Batch, array: &str, task: usize) -> String {
    b.log(&format!("starplan-solve-{array}_{task}.log"))
}

fn task(all: &[Job], i: usize) -> &Job {
    let i = i.to_string();
    all.iter()
        .find(|j| j.get("ArrayTaskId") == i)
        .unwrap_or_else(|| panic!("no task {i} in {all:?}"))
}

/// The checker accepts the merged plan.
fn checked(b: &Batch) {
    starplan()
        .arg("check")
        .arg(&b.input)
        .arg(b.plan())
        .assert()
        .code(0);
}

/// Every file of the out-dir with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            (n, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Two copies of a region slow enough to be still solving when the test signals its
/// task, and three small regions that finish first.
fn slow_province(dir: &Path) -> PathBuf {
    let gen = |seed: &str, regions: &str, groups: &str| -> Value {
        let a = starplan()
            .args(["generate", "--seed", seed, "--regions", regions])
            .args(["--groups", groups])
            .assert()
            .success();
        serde_json::from_slice(&a.get_output().stdout).unwrap()
    };
    let mut p = gen("5", "1", "2500");
    let one = p.clone();
    for (tag, part) in [("T", one), ("S", gen("6", "3", "240"))] {
        let t = |v: &Value| Value::from(format!("{tag}{}", v.as_str().unwrap()));
        for r in part["regions"].as_array().unwrap() {
            let mut r = r.clone();
            r["id"] = t(&r["id"]);
            p["regions"].as_array_mut().unwrap().push(r);
        }
        for key in ["managers", "groups"] {
            for e in part[key].as_array().unwrap() {
                let mut e = e.clone();
                for field in ["id", "region", "current_manager"] {
                    if e[field].is_string() {
                        e[field] = t(&e[field]);
                    }
                }
                p[key].as_array_mut().unwrap().push(e);
            }
        }
    }
    p["policy"] = serde_json::json!({"solver": {"relative_gap": 0.0, "time_limit_seconds": 120}});
    let path = dir.join("slow.json");
    std::fs::write(&path, p.to_string()).unwrap();
    path
}

struct Case {
    bin: PathBuf,
    submit: PathBuf,
    merge: PathBuf,
    queued: Queued,
}

impl Case {
    /// Submits and waits for the merge; the array's id and the merge's final state.
    fn submit_and_wait(&mut self, b: &Batch) -> (String, Vec<Job>, Job) {
        let (array, merge) = b.submit(&self.bin, &self.submit, &mut self.queued);
        let m = wait_done(&merge, LIMIT).remove(0);
        (array.clone(), wait_done(&array, LIMIT), m)
    }

    /// deploy/slurm/merge.sbatch alone; its job id.
    fn merge_only(&mut self, b: &Batch) -> String {
        b.merge_only(&self.bin, &self.merge, &mut self.queued)
    }

    /// Waits until task `i` has finished a region and is still solving another.
    fn mid_task(&self, b: &Batch, array: &str, i: usize) -> Job {
        wait_for(
            "a task with a finished region and a running one",
            LIMIT,
            || {
                let log = solve_log(b, array, i);
                let started = count(&log, "region_started");
                let finished = count(&log, "region_finished");
                (finished >= 1 && started > finished).then_some(())
            },
        );
        task(&jobs(array), i).clone()
    }
}

/// A normal run, a second full submission (the same files), then a truncated region file.
fn normal_rerun_and_truncated(c: &mut Case, dir: &Path) {
    let b = Batch {
        dir: dir.to_path_buf(),
        input: small_province(dir),
        shards: 3,
        max_gap: Some("0.01".into()),
        args: String::new(),
    };
    let (array, tasks, merge) = c.submit_and_wait(&b);
    assert_eq!(tasks.len(), 3);
    for t in &tasks {
        assert_eq!((t.state(), t.exit()), ("COMPLETED", 0), "{t:?}");
    }
    assert_eq!((merge.state(), merge.exit()), ("COMPLETED", 0), "{merge:?}");
    checked(&b);
    let before = files(&b.out());
    let plan = std::fs::read(b.plan()).unwrap();
    assert_eq!(before.len(), 10, "5 regions, a plan and a record each");

    // Again: every task reuses its regions; no file changes, the plan is the same bytes.
    let (array2, tasks, merge) = c.submit_and_wait(&b);
    assert_ne!(array, array2);
    for (i, t) in tasks.iter().enumerate() {
        assert_eq!(t.state(), "COMPLETED", "{t:?}");
        let log = solve_log(&b, &array2, i);
        assert_eq!(
            count(&log, "region_started"),
            0,
            "task {i} solved again: {log}"
        );
        assert!(reused(&log) >= 1, "task {i}: {log}");
    }
    assert_eq!(merge.state(), "COMPLETED");
    assert!(files(&b.out()) == before, "a rerun changed a region file");
    assert!(std::fs::read(b.plan()).unwrap() == plan, "the plan changed");
    checked(&b);

    // A region file cut short: the merge alone refuses it and writes nothing.
    let (name, bytes) = before
        .iter()
        .find(|(n, _)| n.ends_with(".plan.json"))
        .unwrap();
    std::fs::write(b.out().join(name), &bytes[..bytes.len() / 2]).unwrap();
    let id = c.merge_only(&b);
    let m = wait_done(&id, LIMIT).remove(0);
    assert_eq!((m.state(), m.exit()), ("FAILED", 65), "{m:?}");
    let log = b.log(&format!("starplan-merge-{id}.log"));
    assert!(
        log.contains(name.as_str()) && log.contains("nothing was written"),
        "{log}"
    );
    assert!(
        std::fs::read(b.plan()).unwrap() == plan,
        "a refused merge wrote"
    );
    // A resubmission solves that region again, and only it.
    let region = name.trim_end_matches(".plan.json");
    let (array3, _, merge) = c.submit_and_wait(&b);
    assert_eq!((merge.state(), merge.exit()), ("COMPLETED", 0), "{merge:?}");
    let solved: Vec<Value> = (0..3)
        .flat_map(|i| events(&solve_log(&b, &array3, i)))
        .filter(|e| e["message"] == "region_started")
        .collect();
    assert_eq!(solved.len(), 1, "{solved:?}");
    assert_eq!(solved[0]["region"], region);
    checked(&b);
}

/// `scancel --batch --signal=TERM` of a running task: it keeps its finished regions,
/// requeues itself, and its rerun reuses them.
fn sigterm_and_requeue(c: &mut Case, dir: &Path) {
    let b = Batch {
        dir: dir.to_path_buf(),
        input: slow_province(dir),
        shards: 2,
        max_gap: None,
        args: "--time-limit 6".into(),
    };
    let (array, merge) = b.submit(&c.bin, &c.submit, &mut c.queued);
    let t0 = c.mid_task(&b, &array, 0);
    let id = t0.get("JobId").to_string();
    slurm("scancel", &["--batch", "--signal=TERM", &id]);
    let m = wait_done(&merge, LIMIT).remove(0);
    let t0 = task(&wait_done(&array, LIMIT), 0).clone();
    assert_eq!((t0.state(), t0.exit()), ("COMPLETED", 0), "{t0:?}");
    assert_eq!(t0.restarts(), 1, "{t0:?}");
    let log = solve_log(&b, &array, 0);
    assert!(reused(&log) >= 1, "the requeued task solved again: {log}");
    assert_eq!((m.state(), m.exit()), ("COMPLETED", 0), "{m:?}");
    checked(&b);
}

/// kill -9 of a task's starplan: the task fails, the merge names the missing region and
/// writes nothing; a resubmission finishes it, reusing what was done. With MAX_GAP the
/// merge exits 5 exactly when a region's gap is above it (the plan still written).
fn kill_and_resubmit(c: &mut Case, dir: &Path) {
    let b = Batch {
        dir: dir.to_path_buf(),
        input: slow_province(dir),
        shards: 2,
        max_gap: Some("0.01".into()),
        args: "--time-limit 6".into(),
    };
    let (array, merge) = b.submit(&c.bin, &c.submit, &mut c.queued);
    let t0 = c.mid_task(&b, &array, 0);
    let id = t0.get("JobId").to_string();
    let pids = slurm("scontrol", &["listpids", &id]);
    let pid = pids
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.parse::<u32>().ok())
        .find(|p| {
            std::fs::read_to_string(format!("/proc/{p}/comm")).is_ok_and(|c| c.trim() == "starplan")
        })
        .unwrap_or_else(|| panic!("no starplan process in {pids}"));
    assert!(std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap()
        .success());
    let m = wait_done(&merge, LIMIT).remove(0);
    let t0 = task(&wait_done(&array, LIMIT), 0).clone();
    assert_eq!((t0.state(), t0.exit()), ("FAILED", 137), "{t0:?}");
    assert_eq!((m.state(), m.exit()), ("FAILED", 3), "{m:?}");
    let log = b.log(&format!("starplan-merge-{}.log", m.get("JobId")));
    assert!(log.contains("no plan file"), "{log}");
    assert!(!b.plan().exists());

    let (array2, _, m) = c.submit_and_wait(&b);
    assert!(reused(&solve_log(&b, &array2, 0)) >= 1);
    let plan: Value = serde_json::from_slice(&std::fs::read(b.plan()).unwrap()).unwrap();
    let above = plan["regions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["gap"].as_f64().is_none_or(|g| g > 0.01));
    assert_eq!(m.exit(), if above { 5 } else { 0 }, "{m:?}");
    checked(&b);
}

#[test]
fn slurm_array_merge_and_faults_on_a_one_host_cluster() {
    if !cluster_up() {
        return;
    }
    let mut c = Case {
        bin: bin(),
        submit: repo("deploy/slurm/submit.sh"),
        merge: repo("deploy/slurm/merge.sbatch"),
        queued: Queued::default(),
    };
    type CaseFn = fn(&mut Case, &Path);
    let cases: [(&str, CaseFn); 3] = [
        ("normal, rerun, truncated file", normal_rerun_and_truncated),
        ("SIGTERM and requeue", sigterm_and_requeue),
        ("kill -9 and resubmission", kill_and_resubmit),
    ];
    for (name, case) in cases {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        case(&mut c, dir.path());
        eprintln!(
            "slurm case {name}: {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
}
