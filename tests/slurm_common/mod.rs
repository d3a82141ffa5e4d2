//! Helpers of the Slurm test: bounded commands, job states from `scontrol`, submissions through deploy/slurm/submit.sh, and a guard that cancels every job it queued.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Whether a one-host cluster is up (scripts/with-slurm sets STARPLAN_SLURM). Without one,
/// the test is skipped outside CI and fails in CI.
pub fn cluster_up() -> bool {
    if std::env::var_os("STARPLAN_SLURM").is_some() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but no Slurm cluster is up: run this test under scripts/with-slurm"
    );
    eprintln!("skipped: no Slurm cluster (run under scripts/with-slurm to start one)");
    false
}

/// Kills the child when dropped, so a failed assertion leaves no process behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs a command to its end within `limit`, or kills it and panics.
pub fn run(cmd: Command, limit: Duration) -> Output {
    try_run(cmd, limit).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs a command to its end within `limit`; an error when it cannot start or is killed
/// for running too long.
pub fn try_run(mut cmd: Command, limit: Duration) -> Result<Output, String> {
    let shown = format!("{cmd:?}");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = Child(
        cmd.spawn()
            .map_err(|e| format!("cannot start {shown}: {e}"))?,
    );
    let mut out = child.0.stdout.take().expect("piped");
    let mut err = child.0.stderr.take().expect("piped");
    // Readers on threads, so a chatty command cannot block on a full pipe.
    let read_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let read_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let until = Instant::now() + limit;
    let status = loop {
        if let Some(s) = child.0.try_wait().expect("try_wait") {
            break s;
        }
        if Instant::now() > until {
            return Err(format!("{shown} ran past {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Ok(Output {
        status,
        stdout: read_out.join().unwrap_or_default(),
        stderr: read_err.join().unwrap_or_default(),
    })
}

/// A short Slurm client command (scontrol, scancel, sbatch): its standard output; it
/// must succeed within 30 s.
pub fn slurm(program: &str, args: &[&str]) -> String {
    let mut c = Command::new(program);
    c.args(args);
    let out = run(c, Duration::from_secs(30));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One job (or array task) as `scontrol show job -o` describes it.
#[derive(Debug, Clone)]
pub struct Job {
    pub fields: BTreeMap<String, String>,
}

impl Job {
    pub fn get(&self, key: &str) -> &str {
        self.fields.get(key).map_or("", String::as_str)
    }
    pub fn state(&self) -> &str {
        self.get("JobState")
    }
    /// The exit code of the batch script (the part before the signal in `ExitCode=C:S`).
    pub fn exit(&self) -> i32 {
        let code = self.get("ExitCode");
        code.split(':').next().unwrap_or("").parse().unwrap_or(-1)
    }
    pub fn restarts(&self) -> u32 {
        self.get("Restarts").parse().unwrap_or(0)
    }
    pub fn done(&self) -> bool {
        matches!(
            self.state(),
            "COMPLETED" | "FAILED" | "CANCELLED" | "TIMEOUT" | "NODE_FAIL" | "OUT_OF_MEMORY"
        )
    }
}

/// Every task of a job (one line per array task), by its id.
pub fn jobs(id: &str) -> Vec<Job> {
    slurm("scontrol", &["show", "job", "-o", id])
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Job {
            fields: l
                .split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
        .collect()
}

/// Polls until `f` gives a value, or panics after `limit` naming `what`.
pub fn wait_for<T>(what: &str, limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let until = Instant::now() + limit;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < until, "waited {limit:?} for {what}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Waits until every task of the job has ended; its tasks then.
pub fn wait_done(id: &str, limit: Duration) -> Vec<Job> {
    wait_for(&format!("job {id} to end"), limit, || {
        let all = jobs(id);
        assert!(
            !all.iter()
                .any(|j| j.get("Reason") == "DependencyNeverSatisfied"),
            "job {id} can never start: {all:?}"
        );
        (!all.is_empty() && all.iter().all(Job::done)).then_some(all)
    })
}

/// The jobs a test queued; cancelled when dropped, so a failed case leaves none running.
#[derive(Default)]
pub struct Queued(Vec<String>);

impl Drop for Queued {
    fn drop(&mut self) {
        for id in &self.0 {
            let mut c = Command::new("scancel");
            c.arg(id);
            let _ = try_run(c, Duration::from_secs(10));
        }
    }
}

/// One submission's folder: input, shared out-dir, merged plan and the jobs' logs.
pub struct Batch {
    pub dir: PathBuf,
    pub input: PathBuf,
    pub shards: usize,
    pub max_gap: Option<String>,
    pub args: String,
}

impl Batch {
    pub fn out(&self) -> PathBuf {
        self.dir.join("out")
    }
    pub fn plan(&self) -> PathBuf {
        self.dir.join("plan.json")
    }
    fn env(&self, c: &mut Command, bin: &Path) {
        c.current_dir(&self.dir)
            .env("STARPLAN", bin)
            .env("INPUT", &self.input)
            .env("OUT_DIR", self.out())
            .env("PLAN", self.plan())
            .env("SHARDS", self.shards.to_string())
            .env("STARPLAN_ARGS", &self.args)
            .env_remove("MAX_GAP");
        if let Some(g) = &self.max_gap {
            c.env("MAX_GAP", g);
        }
    }
    /// deploy/slurm/submit.sh: the array's id and the merge's id.
    pub fn submit(&self, bin: &Path, script: &Path, queued: &mut Queued) -> (String, String) {
        let mut c = Command::new("bash");
        c.arg(script);
        self.env(&mut c, bin);
        let out = run(c, Duration::from_secs(30));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "submit.sh: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let ids: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
        assert_eq!(ids.len(), 2, "submit.sh printed {text:?}");
        queued.0.extend(ids.iter().cloned());
        (ids[0].clone(), ids[1].clone())
    }
    /// deploy/slurm/merge.sbatch alone, as an operator would queue it.
    pub fn merge_only(&self, bin: &Path, script: &Path, queued: &mut Queued) -> String {
        let mut c = Command::new("sbatch");
        c.args(["--parsable", "--export=ALL"]).arg(script);
        self.env(&mut c, bin);
        let out = run(c, Duration::from_secs(30));
        assert!(out.status.success(), "sbatch merge.sbatch");
        let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
        queued.0.push(id.clone());
        id
    }
    /// The log of a job: `<name>-<array>_<task>.log` or `<name>-<id>.log` in the folder.
    pub fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_default()
    }
}
