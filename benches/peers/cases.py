"""One case of the peer table (size, seed, limit): its input, starplan's solve and check, the exported model; and the run's metadata (commit, machine)."""

import glob
import hashlib
import json
import os
import re
import subprocess
import time

from model import Reference, read_start

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The paths that make starplan's solve: a commit that touches none of them (this bench,
# the docs) keeps the results recorded for the commit before it.
SOLVER_PATHS = ["crates", "src", "models", "Cargo.toml", "Cargo.lock"]


def git(*args):
    return subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True).stdout.strip()


def commit():
    """The last commit that changed starplan's solve, "+dirty" when its sources differ from it."""
    last = git("log", "-1", "--format=%h", "--abbrev=10", "--", *SOLVER_PATHS)
    dirty = git("status", "--porcelain", "--", *SOLVER_PATHS)
    return last + ("+dirty" if dirty else "")


def machine():
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) / 1024 / 1024
    return f"{cpu}, {os.cpu_count()} cores (nproc), {mem:.0f} GiB"


def meta(args):
    return {"commit": commit(), "head": git("rev-parse", "--short=10", "HEAD"), "machine": machine()}


def price_above():
    """The pricing threshold (candidate pairs) as the model crate states it."""
    try:
        text = open(os.path.join(ROOT, "crates", "model", "src", "solve.rs")).read()
        return int(re.search(r"PRICE_ABOVE: usize = ([\d_]+)", text).group(1).replace("_", ""))
    except (OSError, AttributeError):
        return 150_000


def no_presolve_above():
    """The binaries above which starplan's HiGHS runs without presolve, as the model crate states it."""
    try:
        text = open(os.path.join(ROOT, "crates", "model", "src", "highs_solve.rs")).read()
        return int(re.search(r"NO_PRESOLVE_ABOVE: usize = ([\d_]+)", text).group(1).replace("_", ""))
    except (OSError, AttributeError):
        return 30_000


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


class Case:
    def __init__(self, args, commit_id, size, seed, limit):
        self.args = args
        self.size, self.seed, self.limit = size, seed, limit
        self.groups, self.managers = (int(x) for x in size.lower().split("x"))
        self.dir = os.path.join(args.work, commit_id, f"{size}-s{seed}-t{limit:g}")
        os.makedirs(self.dir, exist_ok=True)
        self.input = os.path.join(self.dir, "input.json")
        self.plan = os.path.join(self.dir, "plan.json")
        self.mps_dir = os.path.join(self.dir, "mps")

    def _models(self, ext):
        # The strict model is <region>.mps; stage and relaxed models carry a second suffix.
        found = [p for p in glob.glob(os.path.join(self.mps_dir, f"*.{ext}"))
                 if "." not in os.path.basename(p)[: -len(ext) - 1]]
        return sorted(found)

    @property
    def mps(self):
        found = self._models("mps")
        return found[0] if found else None

    @property
    def start(self):
        found = self._models("start")
        return found[0] if found else None

    def has_model(self):
        return self.mps is not None

    def generate(self):
        if os.path.exists(self.input):
            return
        subprocess.run([self.args.starplan, "generate", "--seed", str(self.seed), "--regions", "1",
                        "--groups", str(self.groups), "--managers", str(self.managers),
                        "-o", self.input], check=True)

    def run_starplan(self, timed, timeout):
        """starplan's solve (the model exported), its check, and what the plan states."""
        self.generate()
        for old in glob.glob(os.path.join(self.mps_dir, "*")) + [self.plan]:
            if os.path.exists(old):
                os.remove(old)
        load = os.getloadavg()[0]
        rc, wall = timed([self.args.starplan, "solve", self.input, "-o", self.plan,
                          "--time-limit", f"{self.limit:g}", "--threads", "1",
                          "--export-mps", self.mps_dir, "-q"],
                         timeout, os.path.join(self.dir, "starplan.log"))
        rec = {"load1": load, "wall_s": wall, "rc": rc, "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
               "machine": machine()}
        if os.path.exists(self.plan):
            rec.update(self.plan_figures())
            check = subprocess.run([self.args.starplan, "check", self.input, self.plan],
                                   capture_output=True, text=True)
            rec["check_ok"] = check.returncode == 0
            if check.returncode != 0:
                rec["check_tail"] = (check.stdout + check.stderr)[-300:]
        else:
            rec["status"] = f"killed after {wall:.0f} s" if rc in (124, 137) else f"no plan (rc {rc})"
        # The model is written before HiGHS starts, so peers can run on it even then.
        if self.has_model():
            rec.update(self.model_figures(rec))
        return rec

    def highs_options(self):
        """starplan's HiGHS options for this case: the policy's seed and gap as its plan records them."""
        solver = json.load(open(self.plan))["provenance"]["policy"]["solver"]
        return ["--seed", str(solver.get("seed", 0)), "--gap", str(solver["relative_gap"]),
                "--no-presolve-above", str(no_presolve_above())]

    def plan_figures(self):
        region = json.load(open(self.plan))["regions"][0]
        model = region.get("model") or {}
        final = (region.get("progress") or {}).get("final_plan") or {}
        return {
            "final_stage": final.get("stage"), "final_at_s": final.get("seconds"),
            "region": region["id"], "status": region["status"],
            "objective": region.get("objective"), "bound": region.get("bound"),
            "gap": region.get("gap"), "search_s": region.get("seconds"),
            "plan_groups": region.get("groups"), "plan_managers": region.get("managers"),
            "plan_binaries": model.get("binaries"),
        }

    def model_figures(self, rec):
        """The exported model's size and constant, whether it is the priced one, and the start's worth on it.

        The plan does not say which path ran: the model is taken as priced when the region
        has more pairs than the pricing threshold and the solved model keeps under half of them.
        """
        ref = Reference(self.mps)
        pairs = (rec.get("plan_groups") or self.groups) * (rec.get("plan_managers") or self.managers)
        binaries = rec.get("plan_binaries") or ref.binaries
        priced = pairs > price_above() and binaries < pairs / 2
        out = {
            "model_sha": sha(self.mps), "model_kind": "priced" if priced else "full",
            "model_columns": ref.columns, "model_binaries": ref.binaries,
            "model_rows": len(ref.row_lo), "model_offset": ref.offset,
        }
        if self.start:
            ev = ref.evaluate(read_start(self.start))
            out["start_objective"], out["start_violation"] = ev["objective"], ev["violation"]
        return out
