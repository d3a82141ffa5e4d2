"""Best known plan and bound per ladder rung from long runs (models/assignment.md, "Where the gap lies").

For each case: `starplan generate` (seed, groups, managers), `starplan solve --export-mps`
at the rung's limit (the plan, its certified and solver-reported bounds), then HiGHS
(highspy, `--highs-threads`) on the exported model from starplan's start for `--seconds`,
and, with `--own-seconds S`, starplan's own long search beside it (`starplan solve
--time-limit S --gap 0 --threads 1`, its certified bound included). With `--pin A,B` HiGHS
runs on core A and starplan's search on core B. Writes benches/best-known.json: per case the
best plan and best bound anyone found, and how, with the commit, date, machine and load. Run
through benches/peers/run.sh's venv:
    benches/peers/.venv/bin/python benches/best_known.py --cases 1000x100:7:10 --seconds 3600 \
        --own-seconds 3600 --pin 1,0
"""
import argparse, json, os, subprocess, tempfile, time, datetime, platform

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "starplan")
OUT = os.path.join(ROOT, "benches", "best-known.json")


def sh(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def highs_long(mps, start, seconds, threads):
    import highspy
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", threads)
    h.setOptionValue("time_limit", float(seconds))
    h.setOptionValue("mip_rel_gap", 1e-4)
    h.readModel(mps)
    if os.path.exists(start):
        h.readSolution(start, 0)
    h.run()
    info = h.getInfo()
    return info.objective_function_value, info.mip_dual_bound


def own_long(inp, seconds, core, work):
    """Starts starplan's own long search (no gap target) as a child process."""
    plan = os.path.join(work, os.path.basename(inp) + ".long.json")
    cmd = [BIN, "solve", inp, "--time-limit", str(seconds), "--gap", "0", "--threads", "1", "-q", "-o", plan]
    if core is not None:
        cmd = ["taskset", "-c", str(core)] + cmd
    return subprocess.Popen(cmd), plan


def case(spec, a, work):
    size, seed, limit = spec.split(":")
    groups, managers = size.split("x")
    inp = os.path.join(work, f"{size}-{seed}.json")
    sh(BIN, "generate", "--seed", seed, "--regions", "1", "--groups", groups, "--managers", managers, "-o", inp)
    plan = os.path.join(work, f"{size}-{seed}.plan.json")
    mps = os.path.join(work, f"mps-{size}-{seed}")
    sh(BIN, "solve", inp, "--time-limit", limit, "--threads", "1", "-q", "--export-mps", mps, "-o", plan)
    r = json.load(open(plan))["regions"][0]
    model = os.path.join(mps, r["id"] + ".mps")
    own = own_long(inp, a.own_seconds, a.pin[1], work) if a.own_seconds else None
    try:
        if a.pin[0] is not None:
            os.sched_setaffinity(0, {a.pin[0]})
        t = time.time()
        primal, dual = highs_long(model, os.path.join(mps, r["id"] + ".start"), a.seconds, a.highs_threads)
        highs_wall = round(time.time() - t, 1)
        os.sched_setaffinity(0, range(os.cpu_count()))
    except BaseException:
        # No hour-long child left behind when HiGHS's side fails or is interrupted.
        if own:
            own[0].kill()
        raise
    plans, bounds = [r["objective"], primal], [r["proof"]["certified_bound"], r["proof"]["solver_bound"], dual]
    mine = None
    if own:
        if own[0].wait() != 0:
            raise subprocess.CalledProcessError(own[0].returncode, own[0].args)
        o = json.load(open(own[1]))["regions"][0]
        mine = {"seconds": a.own_seconds, "status": o["status"], "objective": o["objective"],
                "certified_bound": o["proof"]["certified_bound"], "solver_bound": o["proof"]["solver_bound"]}
        plans.append(o["objective"])
        bounds += [o["proof"]["certified_bound"], o["proof"]["solver_bound"]]
    best_plan = min(x for x in plans if x is not None)
    best_bound = max(x for x in bounds if x is not None)
    return {
        "case": f"{size} seed {seed}", "limit_s": float(limit),
        "starplan": {"objective": r["objective"], "certified_bound": r["proof"]["certified_bound"],
                     "solver_bound": r["proof"]["solver_bound"]},
        "highs_long": {"seconds": a.seconds, "threads": a.highs_threads, "wall_s": highs_wall,
                       "objective": primal, "bound": dual},
        "starplan_long": mine,
        "best_plan": best_plan, "best_bound": best_bound,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default="500x50:11:10,1000x100:7:10")
    ap.add_argument("--seconds", type=int, default=1800)
    ap.add_argument("--highs-threads", type=int, default=1)
    ap.add_argument("--own-seconds", type=int, default=0)
    ap.add_argument("--pin", default=None, help="CORE_HIGHS,CORE_OWN")
    a = ap.parse_args()
    a.pin = [int(c) for c in a.pin.split(",")] if a.pin else [None, None]
    commit = sh("git", "-C", ROOT, "rev-parse", "--short", "HEAD").strip()
    load = open("/proc/loadavg").read().split()[:3]
    cpu = next((l.split(":")[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    old = json.load(open(OUT)) if os.path.exists(OUT) else {"cases": []}
    with tempfile.TemporaryDirectory() as work:
        for spec in a.cases.split(","):
            t = time.time()
            row = case(spec, a, work)
            row.update({"commit": commit, "date": datetime.date.today().isoformat(),
                        "machine": f"{cpu}, {os.cpu_count()} cores", "load_before": load,
                        "wall_s": round(time.time() - t, 1)})
            old["cases"] = [c for c in old["cases"] if c["case"] != row["case"]] + [row]
            json.dump(old, open(OUT, "w"), indent=2)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
