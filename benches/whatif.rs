//! What-if at the speed of a conversation (issue 14): the time of `whatif` against solving the base alone, in the same run, and whether untouched regions equal the base. Writes its section of BENCHMARKS.md.

#[path = "common/sections.rs"]
mod sections;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_starplan")
}

/// Runs starplan and returns its wall time; it must end with a plan for every region.
fn timed(args: &[&str]) -> f64 {
    let t = Instant::now();
    let out = Command::new(bin())
        .args(args)
        .output()
        .expect("starplan runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.elapsed().as_secs_f64()
}

fn read(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// Regions of `runs` (scenario plans in `dir`) that are carried over and equal the base's block.
fn carried_equal(dir: &Path, base: &Value, runs: &[&str]) -> (usize, usize) {
    let block = |p: &Value, id: &str| {
        let of = |k: &str| {
            p[k].as_array()
                .unwrap()
                .iter()
                .filter(|x| x["region"] == id)
                .cloned()
                .collect::<Vec<_>>()
        };
        (
            p["regions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .cloned(),
            of("assignments"),
            of("managers"),
        )
    };
    let (mut carried, mut equal) = (0, 0);
    for run in runs {
        let p = read(&dir.join(format!("{run}.plan.json")));
        for r in p["provenance"]["regions"].as_array().unwrap() {
            if r["origin"] == "carried_over" {
                carried += 1;
                let id = r["id"].as_str().unwrap();
                equal += usize::from(block(&p, id) == block(base, id));
            }
        }
    }
    (carried, equal)
}

/// Two single-region scenarios on a generated province: a manager leaves in one region, a
/// 2-star is promoted in another.
fn scenarios(input: &Path, dir: &Path) -> Vec<PathBuf> {
    let v = read(input);
    let groups = v["groups"].as_array().unwrap();
    let free = |m: &&Value| {
        m["frozen"] != true
            && m["available"] != false
            && !groups
                .iter()
                .any(|g| g["pinned"] == true && g["current_manager"] == m["id"])
    };
    let ms = v["managers"].as_array().unwrap();
    let regions: Vec<&str> = v["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let leaver = ms
        .iter()
        .filter(free)
        .find(|m| m["region"] == regions[0])
        .unwrap();
    let promoted = ms
        .iter()
        .filter(free)
        .find(|m| m["region"] == regions[1] && m["star"] == 2)
        .unwrap();
    let files = [
        json!({"schema_version": 1, "name": "leaves", "unavailable_managers": [leaver["id"]]}),
        json!({"schema_version": 1, "name": "promoted", "update_managers": [{"id": promoted["id"], "star": 3}]}),
    ];
    files
        .iter()
        .map(|f| {
            let p = dir.join(format!("{}.json", f["name"].as_str().unwrap()));
            std::fs::write(&p, f.to_string()).unwrap();
            p
        })
        .collect()
}

struct Case {
    name: String,
    base: f64,
    whatif: f64,
    baseline: f64,
    carried: (usize, usize),
}

fn case(name: &str, input: &Path, scen: &[PathBuf], limit: &str, dir: &Path) -> Case {
    let s = |p: &Path| p.to_string_lossy().to_string();
    let plan = dir.join(format!("{name}.base.json"));
    let base = timed(&[
        "solve",
        &s(input),
        "-o",
        &s(&plan),
        "--time-limit",
        limit,
        "-q",
    ]);
    let mut args = vec!["whatif".to_string(), s(input)];
    args.extend(scen.iter().map(|p| s(p)));
    let run = |extra: &[String], out: &Path| {
        let mut a = args.clone();
        a.extend(["-d".into(), s(out), "--time-limit".into(), limit.into()]);
        a.extend(extra.iter().cloned());
        timed(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let w = dir.join(format!("{name}.w"));
    let whatif = run(&[], &w);
    let wb = dir.join(format!("{name}.wb"));
    let baseline = run(&["--baseline".into(), s(&plan)], &wb);
    let names: Vec<String> = scen
        .iter()
        .map(|p| read(p)["name"].as_str().unwrap().to_string())
        .collect();
    let runs: Vec<&str> = names.iter().map(String::as_str).collect();
    let a = carried_equal(&w, &read(&w.join("base.plan.json")), &runs);
    let b = carried_equal(&wb, &read(&plan), &runs);
    Case {
        name: name.into(),
        base,
        whatif,
        baseline,
        carried: (a.0 + b.0, a.1 + b.1),
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let stamp = sections::stamp("the benchmark");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let gen = dir.join("six.json");
    timed(&[
        "generate",
        "--seed",
        "7",
        "--regions",
        "6",
        "--groups",
        "3600",
        "--managers",
        "160",
        "-o",
        &gen.to_string_lossy(),
    ]);
    let six = case("six", &gen, &scenarios(&gen, dir), "10", dir);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo_sc: Vec<PathBuf> = ["promote-two-hz", "span-1100", "three-leave"]
        .iter()
        .map(|n| root.join(format!("fixtures/scenarios/{n}.json")))
        .collect();
    let demo = case(
        "demo",
        &root.join("fixtures/demo-province.json"),
        &demo_sc,
        "5",
        dir,
    );
    let mut md = format!(
        "## What-if: re-solving only what a scenario changes\n\nWritten by `cargo bench --bench whatif` on {}; {stamp}; cores the run may use: {}.\n\n",
        sections::machine(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    md.push_str("Measured in one run (compare the times of one row with each other; the load is above). `base` is `starplan solve` of the base input alone; `whatif` solves the base and then only the regions each scenario touches, warm from the base; `--baseline` takes a published base plan and solves no base.\n\n");
    md.push_str("| case | time limit s | base s | whatif s | ratio | whatif --baseline s | ratio | carried regions equal to the base |\n|---|---|---|---|---|---|---|---|\n");
    for (c, limit) in [(&six, 10), (&demo, 5)] {
        md.push_str(&format!(
            "| {} | {limit} | {:.1} | {:.1} | {:.2}× | {:.1} | {:.2}× | {} of {} |\n",
            c.name,
            c.base,
            c.whatif,
            c.whatif / c.base,
            c.baseline,
            c.baseline / c.base,
            c.carried.1,
            c.carried.0
        ));
    }
    md.push_str("\n`six` is `generate --seed 7 --regions 6 --groups 3600 --managers 160` with two single-region scenarios (a manager leaves in one region, a 2-star is promoted in another); `demo` is the demo province with its three shipped scenarios (before this change, issue 14 measured 49.6 s for them at `--time-limit 5`, every region of every run solved from scratch).\n\n");
    let targets = format!(
        "- six regions, two single-region scenarios: whatif ≤ 1.5× the base: {} ({:.2}×); with --baseline ≤ 0.6×: {} ({:.2}×); every carried region equals the base's block: {}.\n",
        if six.whatif / six.base <= 1.5 { "met" } else { "not met" },
        six.whatif / six.base,
        if six.baseline / six.base <= 0.6 { "met" } else { "not met" },
        six.baseline / six.base,
        if six.carried.0 == six.carried.1 && demo.carried.0 == demo.carried.1 { "met" } else { "not met" },
    );
    md.push_str(&targets);
    sections::write_section("whatif", &md);
    eprintln!("whatif: wrote its section of BENCHMARKS.md");
}
