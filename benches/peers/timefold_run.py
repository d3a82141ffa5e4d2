"""Timefold's run in the peer table: timefold_peer.py on the case's input, then its assignment
turned into a plan by `starplan rescore` and verified by `starplan check`.

The figure the table shows is the objective of that checked plan (the checker re-derives
every term, T1), never Timefold's own score. A plan that breaks a hard rule is not written
by rescore; its rule codes are recorded and the cell reads "infeasible".
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# The JVM's start and the translation of the constraints come before Timefold's clock.
JVM_START_S = 15.0


def codes_of(text):
    """The violation codes of `starplan rescore --format json`'s output, if it printed them."""
    try:
        return sorted({v["code"] for v in json.loads(text)})
    except (ValueError, TypeError, KeyError):
        return []


def hard(code):
    """Rule codes (C1, C13, ...) are hard rules; the other checks are figures."""
    return code.startswith("C") and code[1:].isdigit()


def run(args, case, limit, out, timed, slack):
    csv_path, plan_out = out + ".csv", out + ".plan.json"
    for stale in (csv_path, plan_out):
        if os.path.exists(stale):
            os.remove(stale)
    cmd = [sys.executable, os.path.join(HERE, "timefold_peer.py"), case.input, case.plan, f"{limit:g}", out]
    load = os.getloadavg()[0]
    rc, wall = timed(cmd, limit + slack + JVM_START_S, out + ".log")
    rec = {"load1": load, "wall_s": wall, "rc": rc}
    if not os.path.exists(out):
        tail = open(out + ".log").read()[-300:].strip().replace("\n", " | ")
        what = f"killed after {wall:.0f} s" if rc in (124, 137) else f"crashed (rc {rc})"
        return {**rec, "status": what, "log_tail": tail}
    own = json.load(open(out))
    rec.update({k: own.get(k) for k in ("status", "search_s", "setup_s", "rounds", "impl")})
    # Timefold's own figure, kept in results.jsonl only: the table shows the checker's.
    rec["own_objective"], rec["own_score"] = own.get("own_objective"), own.get("own_score")
    rec["objective"], rec["bound"] = None, None
    if not os.path.exists(csv_path) or own.get("status") == "unassigned groups":
        return rec
    rescore = subprocess.run([args.starplan, "rescore", case.input, case.plan, "--edits", csv_path,
                              "-o", plan_out, "--format", "json"], capture_output=True, text=True)
    if rescore.returncode != 0 or not os.path.exists(plan_out):
        codes = codes_of(rescore.stdout)
        rec["violations"] = codes
        broken = [c for c in codes if hard(c)]
        rec["status"] = ("infeasible: breaks " + ", ".join(broken)) if broken else \
            f"rescore failed (rc {rescore.returncode}): {(rescore.stdout + rescore.stderr)[-200:]}"
        return rec
    check = subprocess.run([args.starplan, "check", case.input, plan_out], capture_output=True, text=True)
    rec["check_ok"] = check.returncode == 0
    if not rec["check_ok"]:
        rec["status"] = "check failed"
        rec["check_tail"] = (check.stdout + check.stderr)[-300:]
        return rec
    region = json.load(open(plan_out))["regions"][0]
    rec["objective"] = region.get("objective")
    rec["evaluated_by"] = "starplan rescore + check"
    return rec
