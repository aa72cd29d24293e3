"""The two comparison points of the allocation benchmark.

- ``plan_reference``: the straightforward exact method, one generic LP per step of the
  spec's objective, each built from scratch through HiGHS' modelling layer (one
  variable per compatible pair, constraints as expressions): max F_k; then leximin by
  raising a common level and freezing the needs whose level row has a non-zero dual
  (the textbook rule), one LP per step; then min tonne-km in whole units (same
  rounding box as the planner); then min substitute units with tonne-km held.
  No item families, no pricing, no warm start.
- ``plan_greedy``: first come, first served, what coordinators do by hand: needs in
  submission order take what is compatible, supplies in offer order.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from typing import Any

import highspy
import numpy as np

from aidbridge.planning.allocation import Allocation, AllocationInput, AllocationPlan
from aidbridge.planning.allocation.check import may_serve
from aidbridge.planning.geo import great_circle_km


def pairs_and_costs(
    problem: AllocationInput,
) -> tuple[list[tuple[int, int]], list[float], list[bool]]:
    """Pairs by the checker's plain rule (independent of the planner's numpy builder)."""
    by_item: dict[str, list[int]] = defaultdict(list)
    for si, s in enumerate(problem.supplies):
        by_item[s.item].append(si)
    pairs, costs, subs = [], [], []
    for ni, n in enumerate(problem.needs):
        items = [n.item, *sorted(b for a, b in problem.substitutes if a == n.item)]
        for item in items:
            for si in by_item.get(item, []):
                s = problem.supplies[si]
                if not may_serve(problem, s, n):
                    continue
                km = 0.0
                if s.location is not None and n.location is not None:
                    km = great_circle_km(
                        s.location.lat, s.location.lon, n.location.lat, n.location.lon
                    )
                pairs.append((si, ni))
                costs.append(problem.items[s.item].unit_weight_kg / 1000.0 * km)
                subs.append(item != n.item)
    return pairs, costs, subs


def _slightly_below(units: float) -> float:
    """A held value, loosened by far less than a unit so float noise stays feasible."""
    return units - 1e-6 * (1.0 + units)


class _Model:
    """One fresh LP: pair variables, supply rows, need-intake expressions."""

    def __init__(
        self, problem: AllocationInput, pairs: list[tuple[int, int]], upto_class: int
    ) -> None:
        self.h = highspy.Highs()
        self.h.silent()
        self.h.setOptionValue("threads", 1)
        keep = [i for i, (_, ni) in enumerate(pairs) if problem.needs[ni].priority <= upto_class]
        self.index = keep
        x = self.h.addVariables(len(keep), lb=0.0)
        self.x = [x[j] for j in range(len(keep))]
        out: dict[int, list[Any]] = defaultdict(list)
        into: dict[int, list[Any]] = defaultdict(list)
        for j, i in enumerate(keep):
            si, ni = pairs[i]
            out[si].append(self.x[j])
            into[ni].append(self.x[j])
        for si, vars_ in out.items():
            self.h.addConstr(self.h.qsum(vars_) <= problem.supplies[si].quantity)
        self.intake = {ni: self.h.qsum(vars_) for ni, vars_ in into.items()}
        for ni, expr in self.intake.items():
            self.h.addConstr(expr <= problem.needs[ni].quantity)

    def flows(self, n_pairs: int) -> list[float]:
        values = self.h.vals(self.x)
        out = [0.0] * n_pairs
        for j, i in enumerate(self.index):
            out[i] = float(values[j])
        return out


def plan_reference(
    problem: AllocationInput, budget_s: float = math.inf
) -> tuple[AllocationPlan | None, dict[str, Any]]:
    """Exact plan by the straightforward method, or None when ``budget_s`` runs out."""
    started = time.perf_counter()
    pairs, costs, subs = pairs_and_costs(problem)
    needs = problem.needs
    held: dict[int, float] = {}
    lps = 0
    for k in (1, 2, 3):
        members = [ni for ni, n in enumerate(needs) if n.priority == k]
        if not members:
            continue
        m = _Model(problem, pairs, k)
        for ni, units in held.items():
            if ni in m.intake:
                m.h.addConstr(m.intake[ni] >= _slightly_below(units))
        reach = [ni for ni in members if ni in m.intake]
        if not reach:
            continue
        m.h.maximize(m.h.qsum([m.intake[ni] for ni in reach]))
        lps += 1
        f_k = m.h.getInfo().objective_function_value
        rising = list(reach)
        frozen: dict[int, float] = {}
        while rising:
            if time.perf_counter() - started > budget_s:
                return None, {"lps": lps, "seconds": time.perf_counter() - started}
            m = _Model(problem, pairs, k)
            for ni, units in {**held, **frozen}.items():
                if ni in m.intake:
                    m.h.addConstr(m.intake[ni] >= _slightly_below(units))
            m.h.addConstr(m.h.qsum([m.intake[ni] for ni in reach]) >= _slightly_below(f_k))
            # t may go negative so that it never rests on a bound: then its row duals
            # sum to one and name at least one blocked need.
            t = m.h.addVariable(lb=-1.0, ub=1.0)
            rows = {ni: m.h.addConstr(m.intake[ni] - needs[ni].quantity * t >= 0) for ni in rising}
            m.h.maximize(t)
            lps += 1
            level = max(0.0, float(m.h.val(t)))
            duals = m.h.getSolution().row_dual
            blocked = [ni for ni, row in rows.items() if abs(duals[row.index]) > 1e-9]
            if level >= 1 - 1e-9:
                blocked = list(rising)
            if not blocked:
                status = m.h.modelStatusToString(m.h.getModelStatus())
                raise RuntimeError(f"no level row has a non-zero dual at level {level} ({status})")
            for ni in blocked:
                frozen[ni] = level * needs[ni].quantity
            rising = [ni for ni in rising if ni not in frozen]
        held.update(frozen)

    # Whole units, fewest tonne-km, then exact items, as two more generic LPs.
    m = _Model(problem, pairs, 3)
    targets = {ni: held.get(ni, 0.0) for ni in m.intake}
    for ni, expr in m.intake.items():
        lo, hi = math.floor(targets[ni] + 1e-6), math.ceil(targets[ni] - 1e-6)
        m.h.addConstr(expr >= lo)
        m.h.addConstr(expr <= max(lo, hi))
    for k in (1, 2, 3):
        members = [ni for ni in m.intake if needs[ni].priority == k]
        if members:
            units = round(sum(targets[ni] for ni in members))
            m.h.addConstr(m.h.qsum([m.intake[ni] for ni in members]) == units)
    cost = m.h.qsum([costs[i] * m.x[j] for j, i in enumerate(m.index)])
    m.h.minimize(cost)
    best = m.h.getInfo().objective_function_value
    lps += 1
    sub_terms = [m.x[j] for j, i in enumerate(m.index) if subs[i]]
    if sub_terms:
        m.h.addConstr(cost <= best + 1e-9 * (1 + abs(best)))
        m.h.minimize(m.h.qsum(sub_terms))
        lps += 1
    flows = m.flows(len(pairs))
    allocations = tuple(
        Allocation(problem.supplies[si].id, needs[ni].id, round(f))
        for (si, ni), f in zip(pairs, flows, strict=True)
        if round(f) > 0
    )
    fractional = max((abs(f - round(f)) for f in flows), default=0.0)
    return AllocationPlan(allocations), {
        "lps": lps,
        "seconds": time.perf_counter() - started,
        "max_fraction": fractional,
        "targets": {needs[ni].id: u for ni, u in held.items()},
    }


def plan_greedy(problem: AllocationInput) -> AllocationPlan:
    left = {s.id: s.quantity for s in problem.supplies}
    allocations = []
    for n in problem.needs:
        want = n.quantity
        for s in problem.supplies:
            if want == 0:
                break
            if left[s.id] and may_serve(problem, s, n):
                q = min(want, left[s.id])
                left[s.id] -= q
                want -= q
                allocations.append(Allocation(s.id, n.id, q))
    return AllocationPlan(tuple(allocations))


def objective(problem: AllocationInput, plan: AllocationPlan) -> dict[str, Any]:
    """The spec's figures for any plan: units and min fill per class, tonne-km."""
    got: dict[str, int] = defaultdict(int)
    tkm = 0.0
    supplies = {s.id: s for s in problem.supplies}
    needs = {n.id: n for n in problem.needs}
    for a in plan.allocations:
        got[a.need] += a.quantity
        s, n = supplies[a.supply], needs[a.need]
        if s.location is not None and n.location is not None:
            km = great_circle_km(s.location.lat, s.location.lon, n.location.lat, n.location.lon)
            tkm += a.quantity * problem.items[s.item].unit_weight_kg / 1000.0 * km
    out: dict[str, Any] = {"tonne_km": tkm}
    for k in (1, 2, 3):
        members = [n for n in problem.needs if n.priority == k]
        if members:
            out[f"F{k}"] = sum(got[n.id] for n in members)
            out[f"minfill{k}"] = float(np.min([got[n.id] / n.quantity for n in members]))
    return out
