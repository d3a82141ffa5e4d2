"""results.jsonl → results.csv and the peers section of BENCHMARKS.md (between its markers)."""

import csv
import os
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEGIN, END = "<!-- peers:begin -->", "<!-- peers:end -->"
# The peers a "best of" ranks: each from its own start. CP-SAT is reported apart (it
# takes the MIP with continuous columns through model_builder and mostly finds no plan);
# the two HiGHS runs from starplan's start are extra (their plans start at starplan's).
RANKED = ["starplan", "highs", "scip", "cbc", "timefold"]
COLUMNS = ["starplan", "stage", "highs", "highs-tuned", "scip", "cbc", "timefold", "cpsat", "highs+start"]
TITLES = {"starplan": "starplan", "stage": "starplan's final plan from", "highs": "HiGHS (defaults)",
          "highs-tuned": "HiGHS, starplan's settings + start (extra)", "scip": "SCIP", "cbc": "CBC",
          "timefold": "Timefold (checked)", "cpsat": "CP-SAT (apart)",
          "highs+start": "HiGHS defaults + starplan's start (extra)"}
STAGES = {"start": "repaired start", "local_search": "local search", "highs": "HiGHS (MIP or LNS)",
          "current": "current layout"}
CSV_FIELDS = ["commit", "size", "seed", "limit", "solver", "status", "objective", "bound", "gap",
              "final_stage", "final_at_s", "own_objective",
              "search_s", "wall_s", "load1", "model_kind", "model_sha", "model_binaries",
              "model_columns", "model_rows", "model_offset", "start_objective", "start_violation",
              "check_ok", "objective_reported", "bound_reported", "impl", "note", "rc", "at", "head",
              "machine", "run_note"]
# Seconds past the limit (wall) before a result is marked as having overrun it.
OVERRUN_S = 1.0


def latest(rows):
    """The last row of each (commit, size, seed, limit, solver)."""
    last = {}
    for r in rows:
        last[(r["commit"], r["size"], r["seed"], r["limit"], r["solver"])] = r
    return list(last.values())


def tol(x):
    return 1e-6 * max(1.0, abs(x)) + 1e-4


def cases_of(rows, commit):
    """{(size, seed, limit): {solver: row}}, peers kept only when on starplan's model."""
    out = {}
    for r in latest(rows):
        if r["commit"] == commit:
            out.setdefault((r["size"], r["seed"], r["limit"]), {})[r["solver"]] = r
    for case in out.values():
        star = case.get("starplan", {})
        for s in [s for s in case if s != "starplan"]:
            if case[s].get("model_sha") != star.get("model_sha"):
                del case[s]
    return out


def size_key(size):
    g, m = size.lower().split("x")
    return int(g), int(m)


def fmt(x, digits=2):
    return "–" if x is None else f"{x:.{digits}f}"


def overran(r, limit):
    """Past the limit by its own clock (peers' wall time also holds Python's start and the reading)."""
    secs = r.get("search_s") if r.get("search_s") is not None else r.get("wall_s")
    return secs is not None and secs > limit + OVERRUN_S


def stage_cell(star):
    """Which step of starplan's solve produced its final plan, and when (plan's progress.final_plan)."""
    stage = star.get("final_stage")
    if stage is None:
        return "not recorded"
    at = star.get("final_at_s")
    return STAGES.get(stage, stage) + ("" if at is None else f", {at:.1f} s")


def cell(r, limit, best):
    if r is None:
        return "not run"
    if r.get("objective") is None:
        return f"no plan ({r.get('status', '?')})"
    obj = fmt(r["objective"])
    if best is not None and r["solver"] in RANKED and r["objective"] <= best + tol(best):
        obj = f"**{obj}**"
    secs = r.get("search_s") if r.get("search_s") is not None else r.get("wall_s")
    mark = "†" if overran(r, limit) else ""
    ok = "" if r["solver"] != "starplan" or r.get("check_ok") else " (check FAILED)"
    return f"{obj} / {fmt(r.get('bound'))} / {fmt(secs, 1)} s{mark}{ok}"


def consistency(case, key):
    """Figures that cannot all be right if the exported model is the one starplan solved."""
    notes, star = [], case.get("starplan", {})
    size, seed, limit = key
    where = f"{size} seed {seed}"
    so, sb = star.get("objective"), star.get("bound")
    if star.get("start_violation", 0) > 1e-6:
        notes.append(f"{where}: starplan's start breaks its exported model by {star['start_violation']:.3g}")
    if so is not None and star.get("start_objective") is not None and star["start_objective"] < so - tol(so):
        notes.append(f"{where}: starplan's start is worth {star['start_objective']:.4f} on the model, below its plan {so:.4f}")
    for s, r in case.items():
        if s == "starplan":
            continue
        po, pb = r.get("objective"), r.get("bound")
        if po is not None and sb is not None and po < sb - tol(sb):
            notes.append(f"{where}: {TITLES[s]} plan {po:.4f} is below starplan's bound {sb:.4f}")
        if pb is not None and so is not None and star.get("model_kind") == "full" and pb > so + tol(so):
            notes.append(f"{where}: {TITLES[s]} bound {pb:.4f} is above starplan's plan {so:.4f}")
        if r.get("note"):
            notes.append(f"{where}: {TITLES[s]}: {r['note']}")
        if s in ("highs+start", "highs-tuned") and r.get("start_accepted") is False:
            notes.append(f"{where}: {TITLES[s]}: HiGHS rejected starplan's start")
        # Timefold's own score holds each pool's level fixed, so it can only be above the
        # checked objective (up to its micro-point rounding); below it, the models differ.
        own = r.get("own_objective")
        if s == "timefold" and own is not None and po is not None and own < po - 1e-3 * max(1.0, abs(po)):
            notes.append(f"{where}: Timefold's own score {own:.4f} is below its checked objective {po:.4f}")
    return notes


def checks(cases):
    """How the exported models were checked against starplan's own figures, in numbers."""
    stars = [c["starplan"] for c in cases.values() if c.get("starplan", {}).get("start_objective") is not None
             and c["starplan"].get("objective") is not None]
    equal = sum(abs(s["start_objective"] - s["objective"]) <= tol(s["objective"]) for s in stars)
    above = sum(s["start_objective"] >= s["objective"] - tol(s["objective"]) for s in stars)
    peers = [r for c in cases.values() for s, r in c.items() if s != "starplan" and r.get("evaluated")]
    off = sum(1 for r in peers if r.get("note"))
    tf = [r for c in cases.values() for s, r in c.items() if s == "timefold" and r.get("objective") is not None]
    own_above = sum(r["own_objective"] >= r["objective"] - 1e-3 * max(1.0, abs(r["objective"])) for r in tf
                    if r.get("own_objective") is not None)
    speeds = [x["moves_per_s"] for c in cases.values() for x in (c.get("timefold") or {}).get("rounds") or []
              if x.get("moves_per_s")]
    speed = f"; it evaluated {min(speeds)}–{max(speeds)} moves a second (its log, per round)" if speeds else ""
    timefold = (f" Timefold: {len(tf)} plans rescored and checked by starplan; its own score is at least the "
                f"checked objective in {own_above} of them (its C8 holds pool levels fixed within a round){speed}.") \
        if tf else ""
    return (f"Checks: starplan's start, evaluated on its exported model (MPS objective constant included), is worth "
            f"at least starplan's plan in {above} of {len(stars)} cases and exactly the plan in {equal} "
            f"(there the plan is the start, which pins the constant); {len(peers)} peer solutions re-evaluated "
            f"on the model, {off} with a note below." + timefold)


def table(cases):
    head = ["size", "seed", "limit s", "model"] + [TITLES[c] for c in COLUMNS] + ["load"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key in sorted(cases, key=lambda k: (size_key(k[0]), k[1], k[2])):
        case = cases[key]
        star = case.get("starplan", {})
        objs = [case[s]["objective"] for s in RANKED if s in case and case[s].get("objective") is not None]
        best = min(objs) if objs else None
        model = f"{star.get('model_kind', '?')}, {star.get('model_binaries', '?')} bin"
        loads = [r["load1"] for r in case.values() if r.get("load1") is not None]
        load = f"{min(loads):.1f}–{max(loads):.1f}" if loads else "–"
        row = [key[0].replace("x", "×"), str(key[1]), f"{key[2]:g}", model]
        row += [stage_cell(star) if c == "stage" else cell(case.get(c), key[2], best) for c in COLUMNS] + [load]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def summary(cases):
    """Per size: on how many seeds starplan's plan is at least as good as every peer's."""
    by_size = {}
    for (size, _, limit), case in cases.items():
        star = case.get("starplan", {}).get("objective")
        peers = [case[s]["objective"] for s in RANKED[1:] if s in case and case[s].get("objective") is not None]
        ahead = star is not None and (not peers or star <= min(peers) + tol(min(peers)))
        n, k = by_size.get((size, limit), (0, 0))
        by_size[(size, limit)] = (n + 1, k + ahead)
    lines = [f"- {s.replace('x', '×')} at {lim:g} s: starplan at least as good as every ranked peer on {k} of {n} seeds."
             for (s, lim), (n, k) in sorted(by_size.items(), key=lambda x: size_key(x[0][0]))]
    stages = {}
    for case in cases.values():
        st = case.get("starplan", {}).get("final_stage")
        stages[st] = stages.get(st, 0) + 1
    said = ", ".join(f"{STAGES.get(k, k or 'not recorded')} in {v}" for k, v in sorted(stages.items(), key=str))
    return lines + [f"- starplan's final plan came from: {said} of {len(cases)} cases."]


def heads_of(cases):
    """The commits the runs of the table were made at (HEAD, the harness included)."""
    return ", ".join(sorted({c["starplan"]["head"] for c in cases.values() if c.get("starplan", {}).get("head")}))


def section(rows, meta, args, command):
    commits = [r["commit"] for r in rows if r["solver"] == "starplan"]
    commit = meta["commit"] if meta["commit"] in commits else (commits[-1] if commits else meta["commit"])
    cases = cases_of(rows, commit)
    machines = sorted({c["starplan"]["machine"] for c in cases.values() if "machine" in c.get("starplan", {})})
    impls = sorted({r["impl"] for c in cases.values() for r in c.values() if r.get("impl")})
    md = [BEGIN, "## Equal-time peers", "",
          f"Written by `{command}` from `{os.path.relpath(args.results, ROOT)}` on {time.strftime('%Y-%m-%d')}; "
          f"starplan {commit} (the last commit that changed its solve; harness at {heads_of(cases) or meta['head']}); "
          f"machine: {'; '.join(machines) or meta['machine']}."]
    run_notes = sorted({r["run_note"] for c in cases.values() for r in c.values() if r.get("run_note")})
    md += ["", *[f"**{n}**" for n in run_notes]] if run_notes else []
    md += ["", "Each case is `starplan generate --seed S --regions 1 --groups G --managers M`, solved by "
           "`starplan solve --time-limit T --threads 1 --export-mps DIR` (plan verified by `starplan check`). "
           "Each peer then solves the exported `<region>.mps` alone, one thread, the same limit T, one solver at a time. "
           "Above the pricing threshold the exported model is the priced (restricted) one: peers then solve the "
           "smaller model starplan's pricing built, and their bounds hold for it only.",
           "", "Cell: objective / bound / seconds. starplan's seconds are the region's whole time (start, pricing, "
           "MIP); peers' are their search time with reading excluded (CBC: wall time from its start; Timefold: its "
           "rounds of search, each round's copy of the problem into Java and back included, the JVM's start and the "
           "translation of its constraints excluded). "
           "**Bold**: the best plan among the ranked solvers: starplan, HiGHS at its defaults, SCIP, CBC and Timefold, "
           "each from its own start. Not ranked: the two HiGHS columns marked extra start from starplan's start "
           "(the exported `.start`, its local-search plan), so their plans are at least as good as that start by "
           "construction; \"starplan's settings\" is HiGHS with the options starplan's MIP sets (one thread, the "
           "policy's seed and gap, mip_abs_gap 1e-6, presolve off above the binaries threshold of "
           "crates/model/src/highs_solve.rs, feasibility jump off with a start); \"defaults\" changes only the thread "
           "count and time limit. CP-SAT is reported apart: it gets the same MIP through OR-Tools' model_builder, "
           "continuous columns included, and is not given a model it can solve well. "
           "\"starplan's final plan from\": the step of the solve whose plan starplan kept (the plan's "
           "`progress.final_plan`) and, for local search, the second it ended; HiGHS's plans (MIP or the "
           "neighbourhoods) carry no time. "
           "Timefold (`timefold_peer.py`, its docstring maps it to models/assignment.md) solves the case's input, "
           "not the MPS, from the current layout, one solver thread: the pair rules (C2–C5, C12), C6, C7 and C13 as "
           "hard constraints, C5, C7's target, C8 and C9 as soft score with the policy's weights (micro-points); its "
           "C8 holds each pool's level fixed within a round and re-optimises it between rounds (as starplan's local "
           "search does), so its own figure is an upper bound of the exact C8; priority mode and move budgets "
           "(C10, C11) are not modelled (the generated inputs have neither). Its plan is rescored by `starplan rescore` and verified by `starplan check`: "
           "the figure shown is that checked objective, never Timefold's score, and \"infeasible\" marks a plan that "
           "breaks a hard rule; it has no bound. "
           "†: more than 1 s past the limit by the seconds shown. Load: the 1-minute load average before each run of the case.",
           "", *table(cases), "", *summary(cases), "", checks(cases)]
    notes = [n for key, case in sorted(cases.items()) for n in consistency(case, key)]
    if notes:
        md += ["", "Notes:", *[f"- {n}" for n in notes]]
    md += ["", "Solvers: " + ", ".join(impls) + ".", END]
    return "\n".join(md) + "\n"


def write(rows, meta, args, command):
    csv_path = os.path.splitext(args.results)[0] + ".csv"
    with open(csv_path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS, extrasaction="ignore")
        w.writeheader()
        for r in latest(rows):
            w.writerow(r)
    text = open(args.benchmarks).read() if os.path.exists(args.benchmarks) else "# Benchmarks\n"
    new = section(rows, meta, args, command)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + new.rstrip("\n") + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + new
    with open(args.benchmarks, "w") as f:
        f.write(text)
    print(f"peers: wrote {csv_path} and the peers section of {args.benchmarks}")
