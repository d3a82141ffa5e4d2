"""The equal-time peer table: starplan and its peers on the model starplan exports.

For each size and seed: `starplan generate`, then `starplan solve --time-limit T --threads 1
--export-mps` (its plan checked by `starplan check`), then each peer, one after another,
on the exported `<region>.mps` with one thread and the same limit T, each in its own
process under an outside timeout; Timefold (timefold_peer.py) solves the case's input
instead, and its assignment is rescored and checked by starplan (timefold_run.py). Every result is one line of results.jsonl; a rerun skips
what is already there for the same starplan commit, size, seed, limit, solver and model.
report.py turns the lines into results.csv and the section of BENCHMARKS.md.

Run it through run.sh, which makes the virtual environment and builds starplan.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import cases  # noqa: E402
import report  # noqa: E402
import timefold_run as timefold  # noqa: E402
from model import Reference, read_solution, reconcile  # noqa: E402

PEERS = ["highs", "highs-tuned", "scip", "cbc", "timefold", "cpsat", "highs+start"]
LIMITS = {"500x50": 10, "1000x100": 10, "2000x200": 30, "5000x500": 60}
# A solution this far outside a row, bound or integrality is not counted as a plan.
MAX_VIOLATION = 1e-3


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default=",".join(LIMITS), help="GROUPSxMANAGERS list, e.g. 500x50,1000x100")
    p.add_argument("--seeds", default="7,11,43", help="generator seeds, e.g. 7,11,43")
    p.add_argument("--limit", type=float, help="one time limit in seconds for every size (default: 10/10/30/60 by size)")
    p.add_argument("--solvers", default=",".join(PEERS), help="peers to run: " + ",".join(PEERS))
    p.add_argument("--slack", type=float, default=None, help="seconds past the limit before a run is killed (default max(20, limit))")
    p.add_argument("--starplan", default=os.path.join(ROOT, "target", "release", "starplan"))
    p.add_argument("--work", default=os.path.join(HERE, "work"), help="inputs, models and logs (git-ignored)")
    p.add_argument("--results", default=os.path.join(HERE, "results.jsonl"))
    p.add_argument("--benchmarks", default=os.path.join(ROOT, "BENCHMARKS.md"))
    p.add_argument("--note", default="", help="a line about the runs made now (e.g. the machine's load), kept with their results and shown in the Markdown section")
    p.add_argument("--force", action="store_true", help="rerun even what results.jsonl already holds")
    p.add_argument("--report-only", action="store_true", help="rewrite results.csv and BENCHMARKS.md from results.jsonl")
    args = p.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    args.seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    args.solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    bad = [s for s in args.solvers if s not in PEERS]
    if bad:
        p.error(f"unknown solver(s) {bad}; choose from {PEERS}")
    return args


def limit_for(args, size):
    return args.limit if args.limit is not None else float(LIMITS.get(size, 10))


def timed(cmd, timeout, log_path):
    """Runs `cmd` under `timeout` (TERM, then KILL 5 s later); returns (rc, wall seconds)."""
    full = ["timeout", "--kill-after=5", f"{timeout:.0f}"] + cmd
    t = time.monotonic()
    with open(log_path, "w") as log:
        rc = subprocess.call(full, stdout=log, stderr=subprocess.STDOUT)
    return rc, time.monotonic() - t


def killed(rc):
    return rc in (124, 137)


def run_peer(args, solver, case, limit, ref):
    """One peer on the case's model: its own figures, re-evaluated on the reference model."""
    out = os.path.join(case.dir, f"{solver}.json")
    for stale in (out, out + ".sol.json"):
        if os.path.exists(stale):
            os.remove(stale)
    if solver == "timefold":
        return timefold.run(args, case, limit, out, timed, slack(args, limit))
    cmd = [sys.executable, os.path.join(HERE, "solvers.py"), solver, case.mps, str(limit), out]
    if solver == "highs+start":
        if not case.start:
            return {"status": "skipped: starplan wrote no start"}
        cmd += ["--start", case.start]
    if solver == "highs-tuned":
        # starplan's own options, and its start where it gave HiGHS one.
        cmd += case.highs_options() + (["--start", case.start] if case.start else [])
    load = os.getloadavg()[0]
    rc, wall = timed(cmd, limit + slack(args, limit), out + ".log")
    rec = {"load1": load, "wall_s": wall, "rc": rc}
    if not os.path.exists(out):
        tail = open(out + ".log").read()[-300:].strip().replace("\n", " | ")
        what = f"killed after {wall:.0f} s" if killed(rc) else f"crashed (rc {rc})"
        return {**rec, "status": what, "log_tail": tail}
    rec.update(json.load(open(out)))
    sol = read_solution(out + ".sol.json")
    evaluated = ref.evaluate(sol) if sol else None
    if evaluated:
        rec["evaluated"] = evaluated
        if evaluated["violation"] > MAX_VIOLATION or evaluated["unknown_columns"]:
            rec["note"] = f"solution breaks the model (violation {evaluated['violation']:.3g}); not counted"
            rec["objective"] = None
            return rec
    objective, bound, note = reconcile(ref, rec.get("objective"), rec.get("bound"), evaluated)
    rec["objective_reported"], rec["bound_reported"] = rec.get("objective"), rec.get("bound")
    rec["objective"], rec["bound"] = objective, bound
    if note:
        rec["note"] = note
    return rec


def slack(args, limit):
    return args.slack if args.slack is not None else max(20.0, limit)


def run_case(args, store, size, seed, meta):
    limit = limit_for(args, size)
    case = cases.Case(args, meta["commit"], size, seed, limit)
    key = dict(commit=meta["commit"], size=size, seed=seed, limit=limit)
    # The note travels with the results it describes (a resumed run keeps it).
    noted = {"run_note": args.note} if args.note else {}
    star = store.get(**key, solver="starplan")
    if args.force or star is None or not case.has_model():
        print(f"peers: {size} seed {seed}: starplan, {limit:g} s", file=sys.stderr, flush=True)
        star = {**key, "solver": "starplan", "head": meta["head"], **noted, **case.run_starplan(timed, limit + slack(args, limit))}
        store.add(star)
    if not case.has_model():
        print(f"peers: {size} seed {seed}: no model exported, peers skipped", file=sys.stderr)
        return
    ref = None
    for solver in args.solvers:
        done = store.get(**key, solver=solver)
        if done and done.get("model_sha") == star.get("model_sha") and not args.force:
            continue
        ref = ref or Reference(case.mps)
        print(f"peers: {size} seed {seed}: {solver}", file=sys.stderr, flush=True)
        rec = run_peer(args, solver, case, limit, ref)
        store.add({**key, "solver": solver, "model_sha": star.get("model_sha"), "at": now(), **noted, **rec})


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


class Store:
    """results.jsonl: one JSON object per run; the last line for a key wins."""

    def __init__(self, path):
        self.path = path
        self.rows = []
        if os.path.exists(path):
            with open(path) as f:
                self.rows = [json.loads(line) for line in f if line.strip()]

    def get(self, **key):
        match = [r for r in self.rows if all(r.get(k) == v for k, v in key.items())]
        return match[-1] if match else None

    def add(self, row):
        self.rows.append(row)
        with open(self.path, "a") as f:
            f.write(json.dumps(row, sort_keys=True) + "\n")


def main(argv):
    args = parse_args(argv)
    meta = cases.meta(args)
    store = Store(args.results)
    command = "benches/peers/run.sh " + " ".join(argv)
    if not args.report_only:
        for size in args.sizes:
            for seed in args.seeds:
                run_case(args, store, size, seed, meta)
    report.write(store.rows, meta, args, command)


if __name__ == "__main__":
    main(sys.argv[1:])
