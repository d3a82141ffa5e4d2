//! Proofs the checker re-derives (models/assignment.md, "Proofs"): the certified bound from its certificate, a relabelled infeasible region, an invented relaxation and an edited recorded policy are each rejected with their code, a solver-reported bound is labelled, and `check`, `merge` and POST /v1/check give one verdict on the same files.

mod common;

use common::{json, starplan};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A generated one-region province solved by the CLI with a time limit (an override the plan
/// records), checked.
fn solved(dir: &Path, extra: &[&str]) -> (PathBuf, PathBuf) {
    let input = dir.join("input.json");
    starplan()
        .args([
            "generate",
            "--seed",
            "5",
            "--regions",
            "1",
            "--groups",
            "300",
            "--managers",
            "30",
            "-o",
        ])
        .arg(&input)
        .assert()
        .success();
    let plan = dir.join("plan.json");
    starplan()
        .arg("solve")
        .arg(&input)
        .args([
            "--time-limit",
            "4",
            "--threads",
            "1",
            "--no-timings",
            "-q",
            "-o",
        ])
        .arg(&plan)
        .args(extra)
        .assert()
        .code(0);
    common::checked(&input, &plan);
    (input, plan)
}

/// `check --json` on a plan edited by `edit`: exit code and verdict.
fn check_edited(input: &Path, plan: &Path, edit: impl Fn(&mut Value)) -> (i32, Value) {
    let mut v = json(plan);
    edit(&mut v);
    let forged = plan.with_extension("forged.json");
    std::fs::write(&forged, serde_json::to_vec(&v).unwrap()).unwrap();
    let out = starplan()
        .arg("check")
        .arg(input)
        .arg(&forged)
        .arg("--json")
        .output()
        .unwrap();
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), verdict)
}

fn codes(verdict: &Value) -> Vec<String> {
    let mut c: Vec<String> = verdict["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code"].as_str().unwrap().to_string())
        .collect();
    c.sort();
    c.dedup();
    c
}

#[test]
fn the_certified_bound_is_re_derived_and_a_forged_one_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let (input, plan) = solved(dir.path(), &[]);
    let p = json(&plan);
    let r = &p["regions"][0];
    let cb = r["proof"]["certified_bound"]
        .as_f64()
        .expect("a certified bound");
    let objective = r["objective"].as_f64().unwrap();
    assert!(cb <= objective && r["proof"]["certificate"].is_object());
    let (code, verdict) = check_edited(&input, &plan, |_| {});
    assert_eq!((code, codes(&verdict)), (0, vec![]));
    assert_eq!(verdict["regions"][0]["proof"], r["proof"]["kind"]);
    // The certified bound raised to the objective, the gap to 0 and the status to optimal.
    let (code, verdict) = check_edited(&input, &plan, |v| {
        let r = &mut v["regions"][0];
        let o = r["objective"].clone();
        r["proof"]["certified_bound"] = o.clone();
        r["proof"]["certified_gap"] = 0.0.into();
        r["proof"]["kind"] = "certified".into();
        r["bound"] = o;
        r["gap"] = 0.0.into();
        r["status"] = "optimal".into();
    });
    assert_eq!(code, 1);
    assert!(codes(&verdict).contains(&"T5".to_string()), "{verdict}");
    // A multiplier of the wrong sign proves nothing.
    let (code, verdict) = check_edited(&input, &plan, |v| {
        v["regions"][0]["proof"]["certificate"]["managers"][0]["c6"] = 1.0.into();
    });
    assert_eq!((code, codes(&verdict)), (1, vec!["T5".to_string()]));
    // `bound` alone raised: it is no longer the larger of the two bounds.
    let (code, verdict) = check_edited(&input, &plan, |v| {
        v["regions"][0]["bound"] = v["regions"][0]["objective"].clone();
    });
    assert_eq!(code, 1);
    assert!(codes(&verdict).contains(&"T2".to_string()), "{verdict}");
}

#[test]
fn a_solver_reported_bound_is_labelled_never_certified() {
    let dir = tempfile::tempdir().unwrap();
    let (input, plan) = solved(dir.path(), &[]);
    let (code, verdict) = check_edited(&input, &plan, |v| {
        let r = &mut v["regions"][0];
        let o = r["objective"].clone();
        r["proof"]["solver_bound"] = o.clone();
        r["proof"]["solver_gap"] = 0.0.into();
        r["proof"]["kind"] = "solver_reported".into();
        r["bound"] = o;
        r["gap"] = 0.0.into();
        r["status"] = "optimal".into();
    });
    // Nobody can disprove HiGHS's word; the verdict says whose word it is.
    assert_eq!(code, 0, "{verdict}");
    let words = verdict["regions"][0]["verdict"].as_str().unwrap();
    assert!(words.contains("not certified"), "{words}");
    assert_eq!(verdict["regions"][0]["proof"], "solver_reported");
}

#[test]
fn relabelled_infeasible_invented_relaxation_and_edited_policy_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let (input, plan) = solved(dir.path(), &[]);
    let region = json(&plan)["regions"][0]["id"].clone();
    let (code, verdict) = check_edited(&input, &plan, |v| {
        let r = &mut v["regions"][0];
        r["status"] = "infeasible".into();
        for k in ["objective", "bound", "gap"] {
            r[k] = Value::Null;
        }
        r["proof"] = serde_json::json!({"kind": "none", "certified_bound": null, "certified_gap": null, "solver_bound": null, "solver_gap": null});
        r["terms"] = serde_json::json!([]);
        r["kpis"]["after"] = Value::Null;
        v["assignments"] = serde_json::json!([]);
    });
    assert_eq!(code, 1);
    let c = codes(&verdict);
    // No proof that a group has no manager (I1), and loads left for a region without a plan.
    assert!(
        c.contains(&"I1".into()) && c.contains(&"L1".into()),
        "{c:?}"
    );
    let (code, verdict) = check_edited(&input, &plan, |v| {
        let least = v["managers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["region"] == region)
            .min_by_key(|m| m["groups"].as_u64().unwrap())
            .unwrap()["id"]
            .clone();
        let r = &mut v["regions"][0];
        r["status"] = "relaxed".into();
        r["relaxations"] =
            serde_json::json!([{"rule": "C6", "subject": least, "unit": "groups", "amount": 3.0}]);
    });
    assert_eq!(code, 1);
    assert!(codes(&verdict).contains(&"R2".into()), "{verdict}");
    let (code, verdict) = check_edited(&input, &plan, |v| {
        v["provenance"]["policy"]["solver"]["relative_gap"] = 0.9.into();
        v["regions"][0]["status"] = "optimal".into();
    });
    assert_eq!(code, 1);
    let c = codes(&verdict);
    assert!(
        c.contains(&"V1".into()) && c.contains(&"T4".into()),
        "{c:?}"
    );
}

/// A running `starplan serve` on 127.0.0.1 with a free port, killed and waited on drop.
struct Serve {
    child: Child,
    base: String,
}

impl Serve {
    fn start(dir: &Path) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_starplan"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--log-format",
                "json",
                "--data-dir",
            ])
            .arg(dir.join("data"))
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut serve = Serve {
            child,
            base: String::new(),
        };
        for line in lines.by_ref() {
            let v: Value = serde_json::from_str(&line.unwrap()).unwrap_or_default();
            if v["message"] == "listening" {
                serve.base = format!("http://{}", v["addr"].as_str().unwrap());
                break;
            }
        }
        assert!(
            !serve.base.is_empty(),
            "the server never said where it listens"
        );
        std::thread::spawn(move || lines.for_each(drop));
        serve
    }

    fn check(&self, input: &Path, plan: &Path) -> Value {
        let body = serde_json::json!({"input": json(input), "plan": json(plan)});
        reqwest::blocking::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .unwrap()
            .post(format!("{}/v1/check", self.base))
            .json(&body)
            .send()
            .unwrap()
            .json()
            .unwrap()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What both verdicts must share: validity, the policy used, each region's proof in words,
/// the violation codes.
fn shared(v: &Value) -> Value {
    serde_json::json!({"valid": v["valid"], "policy": v["policy"], "regions": v["regions"], "codes": codes(v)})
}

#[test]
fn check_merge_and_the_service_give_one_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.json");
    starplan()
        .args([
            "generate",
            "--seed",
            "8",
            "--regions",
            "2",
            "--groups",
            "160",
            "-o",
        ])
        .arg(&input)
        .assert()
        .success();
    let out = dir.path().join("out");
    let sets = [
        "--set",
        "weights.moves=2",
        "--time-limit",
        "3",
        "--threads",
        "1",
        "--no-timings",
    ];
    starplan()
        .arg("solve")
        .arg(&input)
        .args(sets)
        .arg("--out-dir")
        .arg(&out)
        .arg("-q")
        .assert()
        .success();
    let merged = dir.path().join("merged.json");
    // merge re-checks with the checker's verdict and writes only a valid plan.
    starplan()
        .arg("merge")
        .arg(&out)
        .arg("--input")
        .arg(&input)
        .arg("-o")
        .arg(&merged)
        .arg("-q")
        .assert()
        .success();
    let single = dir.path().join("single.json");
    starplan()
        .arg("solve")
        .arg(&input)
        .args(sets)
        .arg("-q")
        .arg("-o")
        .arg(&single)
        .assert()
        .success();
    let serve = Serve::start(dir.path());
    // Shards run in work mode by default (W = the time limit, a safety stop of 4 W), and
    // their plans record it; the single run stops on the clock.
    let batch = serde_json::json!([
        "weights.moves=2",
        "solver.time_limit_seconds=12",
        "solver.work_limit=3"
    ]);
    let clock = serde_json::json!(["weights.moves=2", "solver.time_limit_seconds=3"]);
    for (plan, expected) in [(&merged, batch), (&single, clock)] {
        let recorded = json(plan)["provenance"]["overrides"].clone();
        assert_eq!(recorded, expected);
        let (code, cli) = check_edited(&input, plan, |_| {});
        let api = serve.check(&input, plan);
        assert_eq!(code, 0, "{cli}");
        assert_eq!(shared(&cli), shared(&api));
        let forged =
            |v: &mut Value| v["provenance"]["overrides"] = serde_json::json!(["weights.moves=3"]);
        let (code, cli) = check_edited(&input, plan, forged);
        let api = serve.check(&input, &plan.with_extension("forged.json"));
        assert_eq!(code, 1);
        assert!(codes(&cli).contains(&"V1".to_string()), "{cli}");
        assert_eq!(shared(&cli), shared(&api));
    }
}
