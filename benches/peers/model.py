"""The reference reading of an exported model, and what a solution is worth on it.

starplan solves its model in HiGHS and writes it with HiGHS, objective constant included
(as minus the right-hand side of the objective row). HiGHS reading the file back is
therefore the model starplan solved, and every solver's solution is re-evaluated on it:
objective with the constant, worst row, bound and integrality violation.
"""

import json
import os

import numpy as np


class Reference:
    """An MPS file as HiGHS reads it: costs, constant, rows, bounds and integer columns."""

    def __init__(self, mps):
        import highspy

        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        if h.readModel(mps) != highspy.HighsStatus.kOk:
            raise RuntimeError(f"HiGHS cannot read {mps}")
        lp = h.getLp()
        self.names = list(lp.col_names_)
        self.index = {n: i for i, n in enumerate(self.names)}
        self.offset = float(lp.offset_)
        self.cost = np.array(lp.col_cost_)
        self.col_lo, self.col_hi = np.array(lp.col_lower_), np.array(lp.col_upper_)
        self.row_lo, self.row_hi = np.array(lp.row_lower_), np.array(lp.row_upper_)
        a = lp.a_matrix_
        # Column-wise (CSC): entry k of column j sits in row index_[k].
        starts = np.array(a.start_)
        self.a_rows = np.array(a.index_)
        self.a_vals = np.array(a.value_)
        self.a_cols = np.repeat(np.arange(len(self.names)), np.diff(starts))
        self.integer = np.array([int(t.value) != 0 for t in lp.integrality_] or [False] * len(self.names))
        self.columns = len(self.names)
        self.binaries = int(np.sum(self.integer & (self.col_lo == 0) & (self.col_hi == 1)))

    def vector(self, values):
        """A full column vector from {name: value}; names the model lacks are reported."""
        x = np.zeros(self.columns)
        unknown = 0
        for name, v in values.items():
            j = self.index.get(name)
            if j is None:
                unknown += 1
            else:
                x[j] = v
        return x, unknown

    def evaluate(self, values):
        """Objective (constant included) and the worst violation of the solution `values`."""
        x, unknown = self.vector(values)
        act = np.zeros(len(self.row_lo))
        np.add.at(act, self.a_rows, self.a_vals * x[self.a_cols])
        row = np.maximum(self.row_lo - act, act - self.row_hi)
        col = np.maximum(self.col_lo - x, x - self.col_hi)
        frac = np.abs(x - np.round(x))[self.integer]
        worst = max(
            float(row.max(initial=0.0)),
            float(col.max(initial=0.0)),
            float(frac.max(initial=0.0)),
        )
        return {
            "objective": float(self.offset + self.cost @ x),
            "violation": worst,
            "unknown_columns": unknown,
        }


def read_start(path):
    """starplan's `.start` file: "c12 1" lines, HiGHS column names, zeros left out."""
    values = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                values[parts[0]] = float(parts[1])
    return values


def read_solution(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def tolerance(objective):
    """How far a reported objective may sit from its re-evaluation (solver tolerances)."""
    return 1e-6 * max(1.0, abs(objective)) + 1e-4


def reconcile(ref, reported, bound, evaluated):
    """The objective and bound to tabulate, and a note when the solver's figure was shifted.

    A solver that drops or negates the MPS objective constant reports an objective off by
    exactly the constant (or twice it); its bound is off by the same amount, so the same
    shift corrects both. Any other difference is reported as a mismatch, uncorrected.
    """
    if evaluated is None:
        return reported, bound, None
    if reported is None:
        return evaluated["objective"], bound, "objective from the solution only"
    shift = evaluated["objective"] - reported
    if abs(shift) <= tolerance(reported):
        return reported, bound, None
    for k in (1.0, 2.0, -1.0):
        if abs(shift - k * ref.offset) <= tolerance(ref.offset):
            note = f"reported objective and bound shifted by {shift:+.6g} (the MPS constant)"
            return evaluated["objective"], None if bound is None else bound + shift, note
    return reported, bound, f"MISMATCH: reported {reported:.6f}, solution evaluates to {evaluated['objective']:.6f}"
