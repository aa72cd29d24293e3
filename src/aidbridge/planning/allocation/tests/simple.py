"""An independent, deliberately simple formulation of the spec's objective.

No code is shared with the planner: the "may serve" rule is re-typed from the spec,
the LPs go through HiGHS' modelling layer one pair variable at a time, and leximin is
done the textbook way (raise the common level, then test *each* still-rising need
with its own LP), which is slow but obviously right on tiny instances.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import highspy

TOL = 1e-7


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def pairs(doc: dict[str, Any]) -> list[tuple[int, int]]:
    subs = {(s["need_item"], s["supply_item"]) for s in doc.get("substitutes", [])}
    out = []
    for si, s in enumerate(doc["supplies"]):
        for ni, n in enumerate(doc["needs"]):
            if s["item"] != n["item"] and (n["item"], s["item"]) not in subs:
                continue
            if s["party"] == n["party"]:
                continue
            if s.get("only_for") and n["party"] not in s["only_for"]:
                continue
            if n["party"] in (s.get("not_for") or []):
                continue
            a, b = _date(s.get("available_from")), _date(n.get("needed_by"))
            if a is not None and b is not None and a > b:
                continue
            out.append((si, ni))
    return out


@dataclass
class SimpleOptimum:
    units_by_class: dict[int, float]
    min_fill_by_class: dict[int, float]
    units: list[float]
    """Every need's units in the fractional leximin optimum."""


def _model(
    doc: dict[str, Any], prs: list[tuple[int, int]], fixed: dict[int, float]
) -> tuple[highspy.Highs, dict[tuple[int, int], Any], list[Any]]:
    h = highspy.Highs()
    h.silent()
    x = {p: h.addVariable(lb=0.0) for p in prs}
    for si, s in enumerate(doc["supplies"]):
        out = [x[p] for p in prs if p[0] == si]
        if out:
            h.addConstr(sum(out[1:], out[0]) <= s["quantity"])
    recv: list[Any] = []
    for ni, n in enumerate(doc["needs"]):
        into = [x[p] for p in prs if p[1] == ni]
        expr = sum(into[1:], into[0]) if into else None
        recv.append(expr)
        if expr is not None:
            h.addConstr(expr <= n["quantity"])
            if ni in fixed:
                h.addConstr(expr >= fixed[ni] - TOL)
    return h, x, recv


def _max(
    doc: dict[str, Any],
    prs: list[tuple[int, int]],
    fixed: dict[int, float],
    objective_need: int | None,
    level: tuple[list[int], float] | None,
) -> float:
    """Max of t (level None) or of one need's units, with the fixed needs held."""
    h, _x, recv = _model(doc, prs, fixed)
    t = h.addVariable(lb=0.0, ub=1.0)
    if level is not None:
        members, t_value = level
        for ni in members:
            if recv[ni] is not None:
                h.addConstr(recv[ni] >= t_value * doc["needs"][ni]["quantity"] - TOL)
    if objective_need is None:
        assert level is not None
        for ni in level[0]:
            if recv[ni] is None:
                return 0.0
            h.addConstr(recv[ni] - doc["needs"][ni]["quantity"] * t >= 0)
        # The level is a fraction, but HiGHS' optimality tolerance (1e-7) is absolute:
        # with 2 units shared by needs of 1 and 319,999,999, any level below ~1e-7 looks
        # optimal, and HiGHS stopped at half the true 6.25e-9, so nobody was blocked.
        # Measured in units of the largest need, the objective is as precise as units.
        h.maximize(max(doc["needs"][ni]["quantity"] for ni in level[0]) * t)
        return float(h.val(t))
    if recv[objective_need] is None:
        return 0.0
    h.maximize(recv[objective_need])
    return float(h.val(recv[objective_need]))


def simple_optimum(doc: dict[str, Any]) -> SimpleOptimum:
    prs = pairs(doc)
    needs = doc["needs"]
    # LP solutions are exact to HiGHS' tolerances, relative to the largest number; but
    # never half a unit or more, or a small need that can still rise by a whole unit
    # would be taken as blocked when a huge need sits in the same instance.
    slack = min(0.5, 1e-6 + 1e-7 * max(x["quantity"] for x in needs + doc["supplies"]))
    fixed: dict[int, float] = {}
    units_by_class: dict[int, float] = {}
    min_fill: dict[int, float] = {}
    for k in (1, 2, 3):
        rising = [i for i, n in enumerate(needs) if n["priority"] == k]
        if not rising:
            continue
        first = True
        while rising:
            t = _max(doc, prs, fixed, None, (rising, 0.0))
            if first:
                min_fill[k] = t
                first = False
            blocked = []
            for ni in rising:
                others = [m for m in rising if m != ni]
                best = _max(doc, prs, fixed, ni, (others, t))
                if best <= t * needs[ni]["quantity"] + slack:
                    blocked.append(ni)
            assert blocked, "textbook leximin: someone is always blocked at the max level"
            for ni in blocked:
                fixed[ni] = t * needs[ni]["quantity"]
            rising = [ni for ni in rising if ni not in blocked]
        units_by_class[k] = sum(fixed[i] for i, n in enumerate(needs) if n["priority"] == k)
    return SimpleOptimum(units_by_class, min_fill, [fixed.get(i, 0.0) for i in range(len(needs))])
