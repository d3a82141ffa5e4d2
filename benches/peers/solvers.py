"""Runs one peer solver on one MPS file, one thread, one time limit, and writes what it found.

Invoked by peers.py as a child process (so a crash, a hang or a memory blow-up costs one
result, not the run):

    python solvers.py SOLVER MODEL.mps LIMIT OUT.json [--start FILE.start]
        [--seed S --gap G --no-presolve-above N]   (highs-tuned: starplan's HiGHS options)

OUT.json holds the solver's own figures (status, objective, bound, search seconds); the
solution, as {column name: value} for non-zero values, goes next to it as OUT.sol.json.
peers.py re-evaluates that solution on the model itself, so a solver that reads the MPS
objective constant differently shows up there, not in a silently shifted table.

Reading the file is outside the limit wherever the API allows: HiGHS and SCIP time their
search only, model_builder imports before solving. The CBC binary counts from its own
start (reading included, `-timeMode elapsed`), which costs it a little, never gives it more.
"""

import json
import math
import os
import re
import subprocess
import sys
import time
from importlib.metadata import version

# One thread everywhere, including any OpenMP or BLAS pool a solver might start.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"


def finite(x):
    """A float, or None for missing, NaN or infinite values (JSON has no NaN; solvers
    write "no bound" as ±1e20 or ±inf)."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) and abs(x) < 1e20 else None


def nonzeros(names, values):
    return {n: float(v) for n, v in zip(names, values) if finite(v) and abs(float(v)) > 1e-9}


def read_start(path, names):
    """starplan's `.start` file ("c12 1" lines, HiGHS column names) as a full column vector."""
    index = {n: i for i, n in enumerate(names)}
    values = [0.0] * len(names)
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                values[index[parts[0]]] = float(parts[1])
    return values


def run_highs(mps, limit, start=None, tuned=None):
    """HiGHS at its defaults, or with `tuned` = starplan's own options (crates/model,
    highs_solve.rs `set_options` and `tune`): seed, mip_rel_gap, mip_abs_gap 1e-6, presolve
    off above the binaries threshold, feasibility jump off when it has a start."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", float(limit))
    if h.readModel(mps) != highspy.HighsStatus.kOk:
        return {"status": "error: cannot read the model"}, {}
    names = list(h.getLp().col_names_)
    extra = {}
    if tuned:
        # Each attribute read copies the whole array: read each once.
        lp = h.getLp()
        lo, hi, kinds = list(lp.col_lower_), list(lp.col_upper_), list(lp.integrality_)
        binaries = sum(1 for t, a, b in zip(kinds, lo, hi) if int(t.value) != 0 and a == 0 and b == 1)
        h.setOptionValue("random_seed", int(tuned["seed"]))
        h.setOptionValue("mip_rel_gap", float(tuned["gap"]))
        h.setOptionValue("mip_abs_gap", 1e-6)
        if binaries > tuned["no_presolve_above"]:
            h.setOptionValue("presolve", "off")
        if start:
            h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
        extra["options"] = {"seed": int(tuned["seed"]), "mip_rel_gap": float(tuned["gap"]),
                            "presolve": "off" if binaries > tuned["no_presolve_above"] else "on",
                            "feasibility_jump": not start, "deadline_watch": True}
        # starplan's deadline watch (ffi::solve_watched): HiGHS checks its own time limit
        # only between some steps (a root LP without presolve ran past it by seconds), so
        # the interrupt callbacks stop it at the limit wherever it is.
        deadline = time.monotonic() + float(limit)

        def stop(e):
            if time.monotonic() >= deadline:
                e.interrupt()

        h.cbSimplexInterrupt += stop
        h.cbIpmInterrupt += stop
        h.cbMipInterrupt += stop
    if start:
        sol = highspy.HighsSolution()
        sol.col_value = read_start(start, names)
        sol.value_valid = True
        extra["start_accepted"] = h.setSolution(sol) == highspy.HighsStatus.kOk
    h.run()
    info = h.getInfo()
    has = info.primal_solution_status == 2  # kSolutionStatusFeasible
    out = {
        "status": h.modelStatusToString(h.getModelStatus()),
        "objective": finite(info.objective_function_value) if has else None,
        "bound": finite(info.mip_dual_bound),
        "search_s": h.getRunTime(),
        "nodes": info.mip_node_count,
        "impl": "highspy " + version("highspy"),
        **extra,
    }
    sol = nonzeros(names, h.getSolution().col_value) if has else {}
    return out, sol


def run_scip(mps, limit, start=None):
    try:
        import pyscipopt
    except ImportError:
        return run_model_builder("scip", mps, limit)
    m = pyscipopt.Model()
    m.hideOutput()
    m.readProblem(mps)
    m.setParam("limits/time", float(limit))
    m.setParam("parallel/maxnthreads", 1)
    m.setParam("lp/threads", 1)
    m.optimize()
    has = m.getNSols() > 0
    out = {
        "status": m.getStatus(),
        "objective": finite(m.getObjVal()) if has else None,
        "bound": finite(m.getDualbound()),
        "search_s": m.getSolvingTime(),
        "nodes": m.getNNodes(),
        "impl": "pyscipopt " + version("pyscipopt"),
    }
    sol = {}
    if has:
        best = m.getBestSol()
        vs = m.getVars()
        sol = nonzeros([v.name for v in vs], [m.getSolVal(best, v) for v in vs])
    return out, sol


def run_model_builder(backend, mps, limit):
    """CP-SAT ("sat") or SCIP ("scip") through OR-Tools' model_builder."""
    from ortools.linear_solver.python import model_builder as mb

    m = mb.Model()
    if not m.import_from_mps_file(mps):
        return {"status": "error: cannot read the model"}, {}
    s = mb.Solver(backend)
    s.set_time_limit_in_seconds(float(limit))
    s.set_solver_specific_parameters(
        "num_workers:1" if backend == "sat" else "parallel/maxnthreads = 1"
    )
    status = s.solve(m)
    has = status in (mb.SolveStatus.OPTIMAL, mb.SolveStatus.FEASIBLE)
    out = {
        "status": status.name.lower(),
        "objective": finite(s.objective_value) if has else None,
        "bound": finite(s.best_objective_bound),
        "search_s": s.wall_time,
        "impl": f"ortools {version('ortools')} model_builder {backend}",
    }
    sol = {}
    if has:
        vs = m.get_variables()
        sol = nonzeros([v.name for v in vs], list(s.values(vs)))
    return out, sol


def cbc_binary():
    import pulp

    return os.path.join(os.path.dirname(pulp.__file__), "solverdir", "cbc", "linux", "i64", "cbc")


def run_cbc(mps, limit, start=None, out_path=None):
    """The CBC binary pulp ships (pulp's own MPS reader fails on HiGHS-written files)."""
    sol_file = out_path + ".cbc.sol"
    log_file = out_path + ".cbc.log"
    args = [cbc_binary(), mps, "-sec", str(limit), "-timeMode", "elapsed",
            "-threads", "1", "-ratio", "0", "-solve", "-solu", sol_file]
    t = time.monotonic()
    with open(log_file, "w") as log:
        rc = subprocess.call(args, stdout=log, stderr=subprocess.STDOUT)
    search = time.monotonic() - t
    text = open(log_file).read()
    grab = lambda key: re.search(rf"^{key}:\s+(\S+)", text, re.M)
    result = re.search(r"^Result - (.*)$", text, re.M)
    out = {
        "status": result.group(1).strip() if result else f"no result (rc {rc})",
        "objective": None,
        "bound": finite(grab("Lower bound").group(1)) if grab("Lower bound") else None,
        "search_s": search,
        "impl": "cbc {} from pulp {}".format(
            (re.search(r"^Version:\s+(\S+)", text, re.M) or [None, "?"])[1], version("pulp")),
    }
    sol = {}
    if os.path.exists(sol_file):
        lines = open(sol_file).read().splitlines()
        head = lines[0] if lines else ""
        m = re.search(r"objective value\s+(\S+)", head)
        if m and "no integer solution" not in head and not head.startswith("Infeasible"):
            out["objective"] = finite(m.group(1))
            for line in lines[1:]:
                parts = line.replace("**", " ").split()
                if len(parts) >= 3:
                    sol[parts[1]] = float(parts[2])
    return out, sol


RUNNERS = {
    "highs": run_highs,
    "highs+start": run_highs,
    "highs-tuned": run_highs,
    "scip": run_scip,
    "cbc": run_cbc,
    "cpsat": lambda mps, limit, start=None: run_model_builder("sat", mps, limit),
}


def main(argv):
    solver, mps, limit, out_path = argv[1], argv[2], float(argv[3]), argv[4]
    flags = dict(zip(argv[5::2], argv[6::2]))
    kwargs = {"start": flags.get("--start")}
    if solver == "cbc":
        kwargs["out_path"] = out_path
    if solver == "highs-tuned":
        kwargs["tuned"] = {"seed": int(flags["--seed"]), "gap": float(flags["--gap"]),
                           "no_presolve_above": int(flags["--no-presolve-above"])}
    t = time.monotonic()
    out, sol = RUNNERS[solver](mps, limit, **kwargs)
    out["call_s"] = time.monotonic() - t
    with open(out_path + ".sol.json", "w") as f:
        json.dump(sol, f)
    with open(out_path, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main(sys.argv)
