"""Timefold Solver as a peer: the region's assignment as a Timefold model, solved from the input.

Invoked by peers.py as a child process, one thread, under an outside timeout:

    python timefold_peer.py INPUT.json STARPLAN_PLAN.json LIMIT OUT.json

It reads the case's generated input and the policy starplan solved it with (the plan's
`provenance.policy`: defaults and `--time-limit` applied), builds the model below, lets
Timefold's default phases run (construction heuristic, then late-acceptance local search
with change and swap moves) for LIMIT seconds of its own clock (JVM start and model
building excluded, as peers.py excludes reading for the MIP peers), one solver thread
(`move_thread_count` NONE), environment NO_ASSERT, random seed = the policy's seed. It
writes OUT.json (Timefold's own score and timings) and OUT.csv (`group,manager` for every
group). peers.py then has `starplan rescore` turn that assignment into a plan and
`starplan check` verify it: the table shows the checker-verified objective, never
Timefold's score, and a plan that breaks a hard rule is marked infeasible.

How the model maps to models/assignment.md (one region, weighted mode):

- Planning entity: a group; planning variable: its manager, from the region's managers
  (C1: every group gets exactly one). Each group starts at its current manager where the
  pair rules allow it (a planner's warm start; starplan's repair starts there too); the
  others are placed by Timefold's construction heuristic.
- Hard constraints (HardSoftScore's hard level), as models/assignment.md's rule table
  states them: C2 a pinned group stays; C3 a group of a frozen book stays and a frozen
  manager takes no other group; C4 no group for an unavailable manager; C5 no forbidden
  star×class pair; C12 a recently moved group stays unless forced to move; and on limited
  (available, non-frozen) managers C6 groups over ⌊Gmax(star)·cap⌋, C7 members over
  Smax(star)·cap, C13 hours over H·cap·(1 + overtime), each by its excess.
- Soft score, in micro-points (objective × 10⁶, rounded per match): ω_elig·pen (C5),
  ω_span·(members − St·cap)⁺ on every available manager (C7's target), ω_mov·c_g for a
  group not with its current manager (C9), and ω_bal times C8: each limited manager's
  convex piecewise penalty of its hours (0 for an idle one) against its pool's level.
- C8's pool levels: the exact C8 takes each star pool's cheapest level, which couples every
  manager of the pool in each move (evaluating it in a constraint ran at about 140 moves a
  second). As starplan's own local search does, the levels are held fixed during a round
  of search (Timefold's construction heuristic and late acceptance) and re-optimised
  between rounds (ROUNDS per run; the first round at the region's level). The pools'
  own term, α·penalty(pool level − region level), is a constant within a round and left
  out. Within a round the soft score is therefore C8 at those levels, an upper bound of
  the exact C8; the checker's figure is the exact one and is the one shown.
- Not modelled: priority mode and the move budgets C10/C11 (`change_control.max_*`): the
  peer refuses such inputs (the bench's generated inputs have neither).
"""

import csv
import json
import logging
import math
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Optional

from timefold.solver.domain import (PlanningEntityCollectionProperty, PlanningId, PlanningScore, PlanningVariable,
                                    ProblemFactCollectionProperty, ValueRangeProvider, planning_entity,
                                    planning_solution)
from timefold.solver.score import ConstraintCollectors, ConstraintFactory, HardSoftScore, Joiners, constraint_provider


# C8's figures for the region being solved, set by set_balance() before the solver is
# built: Timefold translates the constraint functions to Java bytecode, and it translates
# plain functions over module globals (no closures, no nested functions) reliably.
H = 160.0
LEVEL = 0.0
ALPHA = 1.0
FIXED = False
ENDS = ()  # piece ends in hours for a full-time manager (the last one infinite)
SLOPES = ()
W_BAL = 1.0
W_SPAN = 0.05
U = 1_000_000  # micro-points and micro-hours in the integer score
# Rounds of the search per run: the pools' levels are re-optimised between rounds.
ROUNDS = 3


def set_balance(policy):
    """The globals above from the policy (the level is set by region_data)."""
    global H, ALPHA, FIXED, W_BAL
    b = policy["balance"]
    H, ALPHA = float(policy["monthly_hours"]), float(b["across_grades"])
    FIXED, W_BAL = b["levels"] == "region", float(policy["weights"]["balance"])


def set_level(policy, level):
    global LEVEL, ENDS, SLOPES
    LEVEL = level
    pieces = policy["balance"]["pieces"]
    ENDS = tuple(float("inf") if p["up_to"] is None else p["up_to"] * level * H for p in pieces)
    SLOPES = tuple(float(p["slope"]) for p in pieces)


def penalty(dev, cap):
    """Cost of `dev` hours for capacity `cap`: each piece's slope times |dev| within it."""
    d = abs(dev)
    start = 0.0
    cost = 0.0
    for k in range(len(ENDS)):
        lo = start * cap
        hi = ENDS[k] * cap
        if d > lo:
            cost += SLOPES[k] * (min(d, hi) - lo)
        start = ENDS[k]
    return cost


def pool_at(x, caps, hours, total_cap):
    """A pool's C8 at level x: its managers' deviations and α times its own."""
    cost = ALPHA * penalty((x - LEVEL) * H * total_cap, total_cap)
    for i in range(len(caps)):
        cost += penalty(hours[i] - x * H * caps[i], caps[i])
    return cost


def pool_level(caps, hours):
    """A star pool's cheapest level and its C8 (capacities, hours): the cost is convex and
    piecewise linear in the level, least at a breakpoint, found by bisection over them."""
    total_cap = sum(caps)
    at = lambda x: pool_at(x, caps, hours, total_cap)  # noqa: E731
    if FIXED:
        return LEVEL, at(LEVEL)
    points = [LEVEL] + [w / (H * c) for c, w in zip(caps, hours)]
    for e in ENDS:
        if e != float("inf"):
            points += [LEVEL + e / H, LEVEL - e / H]
            points += [(w + s * e * c) / (H * c) for c, w in zip(caps, hours) for s in (1, -1)]
    points.sort()
    lo, hi = 0, len(points) - 1
    while hi - lo > 2:
        mid = (lo + hi) // 2
        if at(points[mid]) <= at(points[mid + 1]):
            hi = mid + 1
        else:
            lo = mid + 1
    return min(((at(points[i]), points[i]) for i in range(lo, hi + 1)))[::-1]


def c8_u(level_h, cap, hours_u):
    """One manager's C8 match weight in micro-points: its hours against its pool's level."""
    return round(W_BAL * U * penalty(hours_u / U - level_h, cap))


def day(s):
    return date.fromisoformat(s).toordinal() if s else None


def region_data(inp, policy):
    """Managers and groups of the input's one region, with every figure the rules need."""
    if policy.get("mode", "weighted") != "weighted":
        raise SystemExit("timefold peer: priority mode is not modelled")
    cc = policy.get("change_control") or {}
    if any(cc.get(k) is not None for k in ("max_moved_groups", "max_moved_members", "max_book_change")):
        raise SystemExit("timefold peer: move budgets (C10/C11) are not modelled")
    if len(inp["regions"]) != 1:
        raise SystemExit("timefold peer: one region per input")
    H, over = float(policy["monthly_hours"]), float(policy["overtime_allowance"])
    mans = []
    for i, m in enumerate(inp["managers"]):
        star, cap = str(m["star"]), float(m.get("capacity", 1.0))
        avail, frozen = m.get("available", True), m.get("frozen", False)
        mans.append(dict(id=m["id"], index=i, star=m["star"], cap=cap, available=avail, frozen=frozen,
                         limited=avail and not frozen,
                         max_groups=int(policy["max_groups"][star] * cap + 1e-9),
                         span_max=policy["member_span"]["max"][star] * cap,
                         span_target=policy["member_span"]["target"][star] * cap,
                         hours_cap=H * cap * (1 + over)))
    by_id = {m["id"]: m for m in mans}
    as_of, min_days = day(cc.get("as_of")), cc.get("min_days_between_moves")
    groups = []
    for g in inp["groups"]:
        s, mc = policy["service"][g["class"]], policy["move_cost"][g["class"]]
        cur = by_id.get(g.get("current_manager"))
        pen = lambda m: policy["eligibility"][g["class"]][str(m["star"])]  # noqa: E731
        recent = min_days is not None and as_of is not None and g.get("last_moved") \
            and as_of - day(g["last_moved"]) < min_days
        forced = cur is not None and (not cur["available"] or pen(cur) is None)
        allowed = []
        for m in mans:
            stays = cur is m
            frozen_book = cur is not None and cur["frozen"]
            if (m["available"] and (stays if frozen_book else not m["frozen"])
                    and (not g.get("pinned", False) or stays) and pen(m) is not None
                    and (not recent or cur is None or forced or stays)):
                allowed.append((m["index"], pen(m)))
        groups.append(dict(id=g["id"], members=int(g["members"]), current=cur["index"] if cur else None,
                           in_frozen_book=cur is not None and cur["frozen"], pinned=bool(g.get("pinned", False)),
                           must_stay=bool(recent) and cur is not None and not forced,
                           pen=[policy["eligibility"][g["class"]][str(k)] for k in (1, 2, 3)],
                           hours=s["visits_per_month"] * s["hours_per_visit"] + s["hours_per_member"] * g["members"],
                           move_cost=mc["fixed"] + mc["per_member"] * g["members"], allowed=allowed))
    free = sum(g["hours"] for g in groups if not g["in_frozen_book"])
    cap = sum(H * m["cap"] for m in mans if m["limited"])
    set_balance(policy)
    set_level(policy, free / cap if cap > 0 else 0.0)
    return mans, groups


@dataclass
class Manager:
    id: Annotated[str, PlanningId]
    star: int
    cap: float
    available: bool
    frozen: bool
    limited: bool
    max_groups: int
    span_max: float
    span_target: float
    hours_cap_u: int
    level_h: float  # this round's pool level × monthly hours × capacity (limited managers)


@planning_entity
@dataclass
class Group:
    id: Annotated[str, PlanningId]
    members: int
    hours_u: int
    move_u: int
    current: Optional[str]
    pinned: bool
    frozen_book: bool
    must_stay: bool  # C12: moved recently, and not forced to move
    pen_u: list  # C5 micro-points by star (index star − 1); −1: the pair is forbidden
    manager: Annotated[Optional[Manager], PlanningVariable(value_range_provider_refs=["managers"])] = \
        field(default=None)


@planning_solution
@dataclass
class Plan:
    managers: Annotated[list[Manager], ProblemFactCollectionProperty, ValueRangeProvider(id="managers")]
    groups: Annotated[list[Group], PlanningEntityCollectionProperty]
    score: Annotated[Optional[HardSoftScore], PlanningScore] = field(default=None)


@constraint_provider
def constraints(cf: ConstraintFactory):
    limited = cf.for_each(Group).filter(lambda g: g.manager.limited)
    busy = limited.group_by(lambda g: g.manager, ConstraintCollectors.sum(lambda g: g.hours_u))
    idle = cf.for_each(Manager).filter(lambda m: m.limited).if_not_exists(
        Group, Joiners.equal(lambda m: m.id, lambda g: g.manager.id))
    hard = HardSoftScore.of_hard(U)  # a broken pair rule or group too many weighs as an hour over C13
    return [
        cf.for_each(Group).filter(lambda g: g.pinned and g.manager.id != g.current)
        .penalize(hard).as_constraint("C2 pinned"),
        cf.for_each(Group).filter(lambda g: g.manager.id != g.current and (g.frozen_book or g.manager.frozen))
        .penalize(hard).as_constraint("C3 frozen"),
        cf.for_each(Group).filter(lambda g: not g.manager.available)
        .penalize(hard).as_constraint("C4 unavailable"),
        cf.for_each(Group).filter(lambda g: g.pen_u[g.manager.star - 1] < 0)
        .penalize(hard).as_constraint("C5 forbidden pair"),
        cf.for_each(Group).filter(lambda g: g.must_stay and g.manager.id != g.current)
        .penalize(hard).as_constraint("C12 moved recently"),
        limited.group_by(lambda g: g.manager, ConstraintCollectors.count())
        .filter(lambda m, n: n > m.max_groups)
        .penalize(hard, lambda m, n: n - m.max_groups).as_constraint("C6 max_groups"),
        limited.group_by(lambda g: g.manager, ConstraintCollectors.sum(lambda g: g.members))
        .filter(lambda m, n: n > m.span_max)  # 100 members over weigh as an hour over
        .penalize(HardSoftScore.ONE_HARD, lambda m, n: math.ceil(n - m.span_max) * (U // 100))
        .as_constraint("C7 span max"),
        busy.filter(lambda m, hu: hu > m.hours_cap_u)
        .penalize(HardSoftScore.ONE_HARD, lambda m, hu: hu - m.hours_cap_u).as_constraint("C13 hours"),
        cf.for_each(Group).filter(lambda g: g.pen_u[g.manager.star - 1] > 0)
        .penalize(HardSoftScore.ONE_SOFT, lambda g: g.pen_u[g.manager.star - 1]).as_constraint("C5 eligibility"),
        cf.for_each(Group).filter(lambda g: g.manager.available)
        .group_by(lambda g: g.manager, ConstraintCollectors.sum(lambda g: g.members))
        .filter(lambda m, n: n > m.span_target)
        .penalize(HardSoftScore.ONE_SOFT, lambda m, n: round(W_SPAN * U * (n - m.span_target)))
        .as_constraint("C7 span target"),
        cf.for_each(Group).filter(lambda g: g.current is not None and g.manager.id != g.current)
        .penalize(HardSoftScore.ONE_SOFT, lambda g: g.move_u).as_constraint("C9 moves"),
        busy.penalize(HardSoftScore.ONE_SOFT, lambda m, hu: c8_u(m.level_h, m.cap, hu))
        .as_constraint("C8 balance"),
        idle.penalize(HardSoftScore.ONE_SOFT, lambda m: c8_u(m.level_h, m.cap, 0))
        .as_constraint("C8 balance (idle)"),
    ]


def build(mans, groups, weights, levels, assign):
    """The Timefold problem for one region: pools at `levels` (by star), each group at
    `assign[g]` (a manager index or None)."""
    global W_SPAN
    w_elig, w_mov = float(weights["eligibility"]), float(weights["moves"])
    W_SPAN = float(weights["span"])
    ms = [Manager(m["id"], m["star"], m["cap"], m["available"], m["frozen"], m["limited"], m["max_groups"],
                  m["span_max"], m["span_target"], round(m["hours_cap"] * U),
                  levels.get(m["star"], LEVEL) * H * m["cap"]) for m in mans]
    gs = []
    for g, a in zip(groups, assign):
        pen = [-1 if p is None else round(w_elig * U * p) for p in g["pen"]]
        start = ms[a] if a is not None and any(i == a for i, _ in g["allowed"]) else None
        gs.append(Group(g["id"], g["members"], round(g["hours"] * U), round(w_mov * U * g["move_cost"]),
                        mans[g["current"]]["id"] if g["current"] is not None else None,
                        g["pinned"], g["in_frozen_book"], g["must_stay"], pen, start))
    return Plan(ms, gs)


def pools_term(mans, levels):
    """ω_bal·α·penalty of each pool's level against the region's: the part of C8 that is a
    constant within a round, left out of the score and added back to Timefold's own figure."""
    total = 0.0
    for star in {m["star"] for m in mans if m["limited"]}:
        cap = sum(m["cap"] for m in mans if m["limited"] and m["star"] == star)
        total += W_BAL * ALPHA * penalty((levels.get(star, LEVEL) - LEVEL) * H * cap, cap)
    return total


def best_levels(mans, groups, assign):
    """Each star pool's cheapest level for a complete assignment (as starplan's local search
    re-optimises its levels between passes)."""
    hours = [0.0] * len(mans)
    for g, a in zip(groups, assign):
        hours[a] += g["hours"]
    levels = {}
    for star in {m["star"] for m in mans if m["limited"]}:
        pool = [i for i, m in enumerate(mans) if m["limited"] and m["star"] == star]
        levels[star] = pool_level([mans[i]["cap"] for i in pool], [hours[i] for i in pool])[0]
    return levels


class Speeds(logging.Handler):
    """Timefold's own move evaluation speed of each round, read from its INFO log line."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.per_round = []

    def emit(self, record):
        m = re.search(r"Solving ended.*move evaluation speed \((\d+)/sec\)", record.getMessage())
        if m:
            self.per_round.append(int(m.group(1)))


def solve(mans, groups, weights, limit, seed):
    """Rounds of Timefold's default phases, each with the pools' levels fixed at the best
    levels of the plan it starts from, until `limit` seconds (all rounds, rebuilds included)."""
    from timefold.solver import SolverFactory
    from timefold.solver.config import (Duration, EnvironmentMode, MoveThreadCount, ScoreDirectorFactoryConfig,
                                        SolverConfig, SolverConfigOverride, TerminationConfig)

    config = SolverConfig(
        solution_class=Plan, entity_class_list=[Group],
        environment_mode=EnvironmentMode.NO_ASSERT, random_seed=seed,
        move_thread_count=MoveThreadCount.NONE,
        score_director_factory_config=ScoreDirectorFactoryConfig(constraint_provider_function=constraints),
        termination_config=TerminationConfig(spent_limit=Duration(milliseconds=int(limit * 1000))))
    # Translating the constraints to Java is setup, like reading a model file: before the clock.
    factory = SolverFactory.create(config)
    speeds = Speeds()
    log = logging.getLogger("timefold.solver")
    log.setLevel(logging.INFO)
    log.propagate = False
    log.addHandler(speeds)
    index = {m["id"]: i for i, m in enumerate(mans)}
    assign = [g["current"] for g in groups]
    levels, rounds, result = {}, [], None
    t0 = time.monotonic()
    span, overhead = max(1.0, limit / ROUNDS), 0.0
    while True:
        # Each round's copy of the problem into Java and back counts within the limit, so
        # the next round is shortened by the last one's overhead.
        left = limit - (time.monotonic() - t0) - overhead
        if left < 0.2 or (result is not None and left < 0.5):
            break
        ms = int(min(span, left) * 1000)
        started, levels_used = time.monotonic(), dict(levels)
        override = SolverConfigOverride(termination_config=TerminationConfig(spent_limit=Duration(milliseconds=ms)))
        result = factory.build_solver(override).solve(build(mans, groups, weights, levels, assign))
        overhead = max(overhead, time.monotonic() - started - ms / 1000)
        rounds.append({"end_s": time.monotonic() - t0, "spent_limit_s": ms / 1000, "score": str(result.score),
                       "moves_per_s": speeds.per_round[-1] if speeds.per_round else None})
        # An infeasible round goes on too: the next round starts from its best plan.
        if any(g.manager is None for g in result.groups):
            break
        assign = [index[g.manager.id] for g in result.groups]
        levels = best_levels(mans, groups, assign)
    return result, time.monotonic() - t0, rounds, levels_used


def main(argv):
    inp_path, plan_path, limit, out_path = argv[1], argv[2], float(argv[3]), argv[4]
    from importlib.metadata import version

    t = time.monotonic()
    inp = json.load(open(inp_path))
    policy = json.load(open(plan_path))["provenance"]["policy"]
    mans, groups = region_data(inp, policy)
    if any(not g["allowed"] for g in groups):
        json.dump({"status": "a group has no allowed manager", "impl": "timefold " + version("timefold")},
                  open(out_path, "w"))
        return
    setup = time.monotonic() - t
    result, search, rounds, levels = solve(mans, groups, policy["weights"], limit, int(policy["solver"].get("seed", 0)))
    unassigned = [g.id for g in result.groups if g.manager is None]
    with open(out_path + ".csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["group", "manager"])
        for g in result.groups:
            if g.manager is not None:
                w.writerow([g.id, g.manager.id])
    score = result.score
    json.dump({
        "status": "unassigned groups" if unassigned else ("feasible" if score.is_feasible else "hard rules broken"),
        "own_score": str(score), "own_objective": -score.soft_score / U + pools_term(mans, levels),
        "search_s": search, "setup_s": setup, "rounds": rounds,
        "impl": "timefold " + version("timefold"),
    }, open(out_path, "w"), indent=1)


if __name__ == "__main__":
    main(sys.argv)
