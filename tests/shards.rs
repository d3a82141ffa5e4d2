//! Shards merged equal one run: N shard processes, the Slurm array scripts and the Kubernetes Indexed Job's commands, each followed by its merge step.

mod batch_common;

use batch_common::{bin, one_run, region_files, repo, small_province, starplan};
use std::process::Stdio;

#[test]
fn three_shard_processes_merged_equal_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_province(dir.path());
    let single = one_run(&input, dir.path());
    let out = dir.path().join("out");
    let shards: Vec<_> = (0..3)
        .map(|i| {
            std::process::Command::new(bin())
                .arg("solve")
                .arg(&input)
                .args([
                    "--no-timings",
                    "-q",
                    "--shard",
                    &format!("{i}/3"),
                    "--out-dir",
                ])
                .arg(&out)
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut s in shards {
        assert!(s.wait().unwrap().success());
    }
    assert_eq!(region_files(&out).len(), 5);
    let merged = dir.path().join("merged.json");
    starplan()
        .arg("merge")
        .arg(&out)
        .arg("--input")
        .arg(&input)
        .arg("-o")
        .arg(&merged)
        .assert()
        .code(0);
    assert!(
        std::fs::read(&merged).unwrap() == single,
        "the merged plan differs from one run"
    );
}

#[test]
fn slurm_array_scripts_and_kubernetes_indexed_job_merge_to_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_province(dir.path());
    let single = one_run(&input, dir.path());
    // Slurm: each array task as Slurm would run it, then the merge step.
    let out = dir.path().join("slurm-out");
    let plan = dir.path().join("slurm-plan.json");
    let env = |c: &mut std::process::Command| {
        c.env("STARPLAN", bin())
            .env("INPUT", &input)
            .env("OUT_DIR", &out)
            .env("PLAN", &plan)
            .env("SHARDS", "3")
            .env("MAX_GAP", "0.01")
            .env("STARPLAN_ARGS", "--no-timings -q")
            .stderr(Stdio::null());
    };
    for i in 0..3 {
        let mut c = std::process::Command::new("bash");
        c.arg(repo("deploy/slurm/solve.sbatch"))
            .env("SLURM_ARRAY_TASK_ID", i.to_string());
        env(&mut c);
        assert!(c.status().unwrap().success(), "array task {i}");
    }
    let mut m = std::process::Command::new("bash");
    m.arg(repo("deploy/slurm/merge.sbatch"));
    env(&mut m);
    assert!(m.status().unwrap().success());
    assert!(
        std::fs::read(&plan).unwrap() == single,
        "Slurm: the merged plan differs"
    );

    // Kubernetes: the manifests' commands, with /data as this folder.
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(&input, data.join("input.json")).unwrap();
    let command = |file: &str| -> Vec<String> {
        let text = std::fs::read_to_string(repo(file)).unwrap();
        let line = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("command: "))
            .unwrap();
        let args: Vec<String> = serde_json::from_str(line).unwrap();
        let here = data.to_string_lossy();
        args.into_iter()
            .skip(1)
            .map(|a| a.replace("/data", &here))
            .collect()
    };
    let solve = command("deploy/k8s/solve-job.yaml");
    let shards: usize = solve
        .iter()
        .find_map(|a| a.strip_prefix("auto/"))
        .unwrap()
        .parse()
        .unwrap();
    for i in 0..shards {
        let ok = std::process::Command::new(bin())
            .args(&solve)
            .arg("--no-timings")
            .env("JOB_COMPLETION_INDEX", i.to_string())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(ok.success(), "index {i}");
    }
    let ok = std::process::Command::new(bin())
        .args(command("deploy/k8s/merge-job.yaml"))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
    assert!(
        std::fs::read(data.join("plan.json")).unwrap() == single,
        "Kubernetes: the merged plan differs"
    );
}
