//! The size ladder: generates each size, solves it with the release binary, checks the plan, and writes BENCHMARKS.md.
//!
//! Run with `cargo bench --bench ladder` (about 10 minutes on 2 cores);
//! `STARPLAN_LADDER=quick` runs the two smallest sizes only.

#[path = "common/sections.rs"]
mod sections;

use starplan::engine::convert::to_instance;
use starplan::engine::region_problem;
use starplan::format::PlanFile;
use starplan::generate::province;
use starplan::model::build_only;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

struct Case {
    name: &'static str,
    regions: usize,
    groups: usize,
    managers: usize,
    time_limit: f64,
}

struct Row {
    case: String,
    groups: usize,
    managers: usize,
    build_s: f64,
    wall_s: f64,
    check_s: f64,
    peak_mb: Option<f64>,
    regions: Vec<starplan::format::output::RegionPlan>,
    valid: bool,
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_starplan")
}

/// Runs `starplan solve`, under GNU time when it is there for the peak memory.
fn solve(input: &Path, plan: &Path, extra: &[&str]) -> (f64, Option<f64>) {
    let time = Path::new("/usr/bin/time").exists();
    let mut cmd = if time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%M"]).arg(bin());
        c
    } else {
        Command::new(bin())
    };
    cmd.arg("solve")
        .arg(input)
        .arg("-o")
        .arg(plan)
        .arg("-q")
        .args(extra);
    let clock = Instant::now();
    let out = cmd.output().expect("starplan runs");
    let wall = clock.elapsed().as_secs_f64();
    let peak = time
        .then(|| {
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .and_then(|l| l.trim().parse::<f64>().ok())
        })
        .flatten()
        .map(|kb| kb / 1024.0);
    (wall, peak)
}

fn run(case: &Case, dir: &Path) -> Row {
    let file = province(7, case.regions, case.groups, Some(case.managers));
    let input = dir.join(format!("{}.json", case.name));
    std::fs::write(&input, serde_json::to_string(&file).unwrap()).unwrap();
    // Model size and build time of the largest region, in process.
    let inst = to_instance(&file);
    let (problem, _) = region_problem(&inst, 0);
    let clock = Instant::now();
    let size = build_only(&problem);
    let build_s = clock.elapsed().as_secs_f64();
    let plan_path = dir.join(format!("{}.plan.json", case.name));
    let (wall_s, peak_mb) = solve(
        &input,
        &plan_path,
        &["--time-limit", &case.time_limit.to_string()],
    );
    let plan: PlanFile =
        serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();
    let clock = Instant::now();
    let valid = Command::new(bin())
        .arg("check")
        .arg(&input)
        .arg(&plan_path)
        .output()
        .unwrap()
        .status
        .success();
    let check_s = clock.elapsed().as_secs_f64();
    let _ = size;
    Row {
        case: case.name.into(),
        groups: file.groups.len(),
        managers: file.managers.len(),
        build_s,
        wall_s,
        check_s,
        peak_mb,
        regions: plan.regions,
        valid,
    }
}

fn opt(v: Option<f64>, prec: usize) -> String {
    v.map_or("–".into(), |x| format!("{x:.prec$}"))
}

fn main() {
    // `cargo bench` passes --bench; nothing else is accepted.
    let quick = std::env::var("STARPLAN_LADDER").is_ok_and(|v| v == "quick");
    let mut cases = vec![
        Case {
            name: "500x50",
            regions: 1,
            groups: 500,
            managers: 50,
            time_limit: 10.0,
        },
        Case {
            name: "1000x100",
            regions: 1,
            groups: 1000,
            managers: 100,
            time_limit: 10.0,
        },
    ];
    if !quick {
        cases.push(Case {
            name: "2000x200",
            regions: 1,
            groups: 2000,
            managers: 200,
            time_limit: 30.0,
        });
        cases.push(Case {
            name: "5000x500",
            regions: 1,
            groups: 5000,
            managers: 500,
            time_limit: 60.0,
        });
        cases.push(Case {
            name: "province-20",
            regions: 20,
            groups: 30000,
            managers: 3000,
            time_limit: 25.0,
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    for c in &cases {
        eprintln!("ladder: {} …", c.name);
        rows.push(run(c, dir.path()));
    }
    // Speed-up of regions in parallel: the demo province, 5 s per region, 1 and 2 workers.
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-province.json");
    let p = dir.path().join("speedup.plan.json");
    let (one, _) = solve(&demo, &p, &["--time-limit", "5", "--threads", "1"]);
    let (two, _) = solve(&demo, &p, &["--time-limit", "5", "--threads", "2"]);

    let mut md = table(&rows, &cases, one, two, quick);
    targets(&mut md, &rows, &cases, one, two);
    // Only the ladder's own section: the peer and fairness tables are written by their scripts.
    sections::write_section("ladder", md.trim_start_matches("# Benchmarks\n"));
    eprintln!("ladder: wrote its section of BENCHMARKS.md");
}

/// The best plan and bound known for a case (benches/best-known.json, written by
/// benches/best_known.py from long runs), keyed "SIZE seed N".
fn best_known(case: &str) -> Option<(f64, f64)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/best-known.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let key = format!("{case} seed 7");
    let c = v["cases"]
        .as_array()?
        .iter()
        .find(|c| c["case"] == key.as_str())?;
    Some((c["best_plan"].as_f64()?, c["best_bound"].as_f64()?))
}

/// The best known plan and bound for a single-region rung, counting this run's own plan and
/// bounds: the long runs are older, and a rung's 10 s plan has beaten them.
fn known_with(case: &str, first: &starplan::format::output::RegionPlan) -> Option<(f64, f64)> {
    let (plan, bound) = best_known(case)?;
    let p = &first.proof;
    let bound = [p.certified_bound, p.solver_bound]
        .into_iter()
        .flatten()
        .fold(bound, f64::max);
    Some((first.objective.map_or(plan, |o| o.min(plan)), bound))
}

/// The ladder's table, with the machine, the commit and the speed-up of regions in parallel.
fn table(rows: &[Row], cases: &[Case], one: f64, two: f64, quick: bool) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `cargo bench --bench ladder` ({}), on {}; {}.",
        if quick { "quick ladder" } else { "full ladder" },
        sections::machine(),
        sections::stamp("the ladder")
    );
    let _ = writeln!(md, "Each size is `starplan generate --seed 7 --regions R --groups G --managers M`, solved by the release binary");
    let _ = writeln!(md, "(`starplan solve --time-limit T`, HiGHS on one thread per region, regions on all cores), then checked by `starplan check` (its time is `check s`).");
    let _ = writeln!(md, "`solved model` is the model HiGHS solved for the first region (binaries / rows: the priced model on the large sizes); `build s` is the full model's build time, in process. Peak memory is the solve's maximum RSS (GNU time).");
    let _ = writeln!(md, "`certified` is the bound `starplan check` re-derives from the plan's certificate, `solver` HiGHS's (or the LP's) reported bound; `best plan` and `best bound` are the best known from long runs (benches/best-known.json) and this run, and the certified gap splits into the plan's gap (plan − best plan) and the proof's (best plan − certified), both over the plan's objective.\n");
    let _ = writeln!(
        md,
        "| case | groups | managers | solved model | build s | limit s | wall s | status | objective | certified | solver | cert gap % | solver gap % | best plan | best bound | plan gap % | proof gap % | check s | peak MB | checked |"
    );
    let _ = writeln!(md, "|{}", "---|".repeat(20));
    for (r, c) in rows.iter().zip(cases) {
        let first = &r.regions[0];
        let worst = |f: &dyn Fn(&starplan::format::output::RegionPlan) -> Option<f64>| {
            r.regions
                .iter()
                .filter_map(f)
                .fold(None, |a: Option<f64>, g| Some(a.map_or(g, |a| a.max(g))))
        };
        let sum =
            |f: &dyn Fn(&starplan::format::output::RegionPlan) -> Option<f64>| -> Option<f64> {
                r.regions.iter().map(f).sum::<Option<f64>>()
            };
        let mut statuses: Vec<String> = r
            .regions
            .iter()
            .map(|x| format!("{:?}", x.status).to_lowercase())
            .collect();
        statuses.sort();
        statuses.dedup();
        let single = r.regions.len() == 1;
        let known = single.then(|| known_with(&r.case, first)).flatten();
        let o = first.objective;
        let split = |a: Option<f64>, b: Option<f64>| match (a, b, o) {
            (Some(a), Some(b), Some(o)) => Some((a - b) / o.abs().max(1.0) * 100.0),
            _ => None,
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} / {} | {:.2} | {} | {:.1} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {} | {} |",
            r.case,
            r.groups,
            r.managers,
            first.model.binaries,
            first.model.rows,
            r.build_s,
            c.time_limit,
            r.wall_s,
            statuses.join(", "),
            opt(sum(&|x| x.objective), 1),
            opt(sum(&|x| x.proof.certified_bound), 1),
            opt(sum(&|x| x.proof.solver_bound), 1),
            opt(worst(&|x| x.proof.certified_gap).map(|g| g * 100.0), 2),
            opt(worst(&|x| x.proof.solver_gap).map(|g| g * 100.0), 2),
            opt(known.map(|k| k.0), 1),
            opt(known.map(|k| k.1), 1),
            opt(split(o, known.map(|k| k.0)), 2),
            opt(split(known.map(|k| k.0), first.proof.certified_bound), 2),
            r.check_s,
            opt(r.peak_mb, 0),
            if r.valid { "yes" } else { "NO" }
        );
    }
    let _ = writeln!(md, "\nFor the province, the gaps are the worst region's, and objective and bounds are sums over regions (no best known).");
    let _ = writeln!(md, "\nRegions in parallel, demo province (8 regions), `--time-limit 5`: 1 worker {one:.1} s, 2 workers {two:.1} s, speed-up {:.2}× (the engine's worker pool, models/assignment.md).", one / two);
    md
}

/// The targets, each met or not, from the measured rows.
fn targets(md: &mut String, rows: &[Row], cases: &[Case], one: f64, two: f64) {
    let _ = writeln!(*md, "\n## Targets\n");
    let verdict = |ok: bool| if ok { "met" } else { "not met" };
    let cert = |r: &Row| {
        r.regions
            .iter()
            .map(|x| x.proof.certified_gap.unwrap_or(f64::INFINITY))
            .fold(0.0_f64, f64::max)
    };
    for (r, c) in rows.iter().zip(cases) {
        let g = cert(r);
        let _ = writeln!(
            *md,
            "- {}: certified gap ≤ 1 % at {} s{}: {} ({}).",
            r.case,
            c.time_limit,
            if r.regions.len() > 1 {
                " in every region"
            } else {
                ""
            },
            verdict(g <= 0.01),
            if g.is_finite() {
                format!("{:.2} %", g * 100.0)
            } else {
                "a region without a certified bound".into()
            }
        );
    }
    if let Some((r, c)) = rows.iter().zip(cases).find(|(r, _)| r.case == "5000x500") {
        let _ = writeln!(*md, "- 5 000 × 500, checking the certificate well under the solve: {} (check {:.2} s, solve {:.1} s at a {} s limit).", verdict(r.check_s < 0.2 * r.wall_s), r.check_s, r.wall_s, c.time_limit);
        let _ = writeln!(*md, "- 5 000 × 500, full model build under 2 s: {} ({:.2} s); the solve builds the priced model instead (models/assignment.md).", verdict(r.build_s < 2.0), r.build_s);
        let _ = writeln!(
            *md,
            "- 5 000 × 500, peak memory under 1 GB: {} ({} MB).",
            verdict(r.peak_mb.is_some_and(|m| m < 1024.0)),
            opt(r.peak_mb, 0)
        );
    }
    if let Some(r) = rows.iter().find(|r| r.case == "province-20") {
        let _ = writeln!(
            *md,
            "- 20-region province under 5 minutes on 2 cores (solve): {} ({:.1} s).",
            verdict(r.wall_s < 300.0),
            r.wall_s
        );
    }
    let _ = writeln!(
        *md,
        "- regions in parallel: speed-up ≥ 1.8× with 2 workers over one: {} ({:.2}×).",
        verdict(one / two >= 1.8),
        one / two
    );
    let beats = rows.iter().all(|r| {
        r.regions.iter().all(|x| {
            let below = |b: Option<f64>| x.objective.zip(b).is_none_or(|(o, b)| o <= b + 1e-6);
            below(x.baselines.greedy) && below(x.baselines.current)
        })
    });
    let _ = writeln!(*md, "- every region's plan at least as good as the greedy baseline (and the current layout, where every group has one): {}.", verdict(beats));
}
