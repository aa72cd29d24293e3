"""The planner: the spec's objective, stage by stage, in whole units.

1. Fractional leximin targets, class by class (``leximin.py``). They fix F_k (the
   leximin point of a polymatroid has the most units) and every need's fair share.
2. Whole units: each need gets its target rounded down or up, each class exactly its
   F_k, with the fewest tonne-km. The constraint matrix (supply rows, need rows, class
   rows: two laminar families) is totally unimodular, so a basic optimum of this LP is
   integral; no rounding heuristic is involved and the LP optimum is the proved bound.
3. Exact items before substitutes: restricted to the optimal face of stage 2 (pairs of
   zero reduced cost, rows with a non-zero dual kept at their bound, which by
   complementary slackness is exactly the set of min-tonne-km plans), minimise the
   substitute units. Only bounds change, so the matrix stays unimodular.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from .check import check_allocation
from .leximin import Progress, leximin_targets
from .lp import INF, PairLp, SolverFailure, cheapest_per_need
from .model import Allocation, AllocationInput, AllocationPlan
from .network import FloatArray, IntArray, Network, build_network

_INITIAL_PAIRS = 6
"""Cheapest pairs per need in the first tonne-km LP; pricing adds what else matters."""


def plan_allocation(
    problem: AllocationInput, progress: Progress | None = None, check: bool = __debug__
) -> AllocationPlan:
    """Solve the spec's objective exactly. ``progress`` receives one line per step."""
    started = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(stage: str, since: float) -> float:
        now = time.perf_counter()
        seconds[stage] = round(now - since, 4)
        if progress is not None:
            progress(f"{stage} done in {now - since:.2f} s")
        return now

    net = build_network(problem)
    mark = lap("network", started)
    targets, classes, support = leximin_targets(net, progress)
    mark = lap("leximin", mark)
    flows, tonne_km_bound, lp_solves = _whole_units(net, targets, support)
    mark = lap("tonne_km_and_substitutes", mark)

    allocations = _allocations(problem, net, flows)
    seconds["total"] = round(time.perf_counter() - started, 4)
    stats = _stats(problem, net, flows, targets, classes, tonne_km_bound, seconds, lp_solves)
    plan = AllocationPlan(
        allocations=allocations,
        stats=stats,
        targets={n.id: float(targets[i]) for i, n in enumerate(problem.needs)},
    )
    if check:
        check_allocation(problem, plan).raise_if_broken()
    return plan


def _whole_units(
    net: Network, targets: FloatArray, support: IntArray
) -> tuple[FloatArray, float, int]:
    n_sup = int(net.supply_qty.shape[0])
    n_need = int(net.need_qty.shape[0])
    if net.n_edges == 0:
        return np.zeros(0), 0.0, 0
    lo = np.clip(np.floor(targets + 1e-6), 0, net.need_qty)
    hi = np.clip(np.ceil(targets - 1e-6), lo, net.need_qty)
    class_units = [float(round(targets[net.need_class == k].sum())) for k in (1, 2, 3)]
    row_lower = np.concatenate([np.full(n_sup, -INF), lo, class_units])
    row_upper = np.concatenate([net.supply_qty.astype(np.float64), hi, class_units])
    edges = np.arange(net.n_edges)
    # The pairs of a fractional plan meeting the targets keep the first LP feasible.
    initial = np.union1d(cheapest_per_need(net, edges, net.edge_cost, _INITIAL_PAIRS), support)
    lp = PairLp(net, edges, net.edge_cost, row_lower, row_upper, initial, class_rows=True)
    lp.solve()
    bound = float(lp.highs.getInfo().objective_function_value)

    flows = lp.flows()
    if (flows[net.edge_substitute] > 0.5).any():
        _prefer_exact_items(lp, net)
        flows = lp.flows()

    whole = np.rint(flows)
    if np.abs(flows - whole).max(initial=0.0) > 1e-5:
        raise SolverFailure("the whole-unit LP returned a fractional vertex")
    del n_need
    return whole, bound, lp.solves


def _prefer_exact_items(lp: PairLp, net: Network) -> None:
    solution = lp.highs.getSolution()
    row_dual = np.asarray(solution.row_dual)
    row_value = np.asarray(solution.row_value)
    tol = 1e-9 * (1.0 + float(np.abs(net.edge_cost).max(initial=0.0)))
    reduced = lp.reduced_costs(row_dual)
    off_face = reduced > tol
    lower = np.asarray(lp.highs.getLp().row_lower_)
    upper = np.asarray(lp.highs.getLp().row_upper_)
    tight = np.flatnonzero(np.abs(row_dual) > tol)
    at_lower = np.abs(row_value[tight] - lower[tight]) <= np.abs(row_value[tight] - upper[tight])
    fixed_at = np.where(at_lower, lower[tight], upper[tight])
    lp.highs.changeRowsBounds(  # type: ignore[attr-defined]
        tight.shape[0], tight.astype(np.int32), fixed_at, fixed_at
    )

    cols = lp.col_pos
    n_cols = cols.shape[0]
    col_index = np.arange(lp.n_extra, lp.n_extra + n_cols, dtype=np.int32)
    new_cost = np.where(net.edge_substitute[lp.edges], 1.0, 0.0)
    new_cost[off_face] = math.inf  # never priced in again
    lp.highs.changeColsCost(n_cols, col_index, np.where(off_face[cols], 0.0, new_cost[cols]))
    closed = off_face[cols]
    lp.highs.changeColsBounds(
        int(closed.sum()),
        col_index[closed],
        np.zeros(int(closed.sum())),
        np.zeros(int(closed.sum())),
    )
    lp.cost = new_cost
    lp.solve()


def _allocations(
    problem: AllocationInput, net: Network, flows: FloatArray
) -> tuple[Allocation, ...]:
    used = np.flatnonzero(flows > 0.5)
    order = used[np.lexsort((net.edge_supply[used], net.edge_need[used]))]
    return tuple(
        Allocation(
            supply=problem.supplies[int(net.edge_supply[e])].id,
            need=problem.needs[int(net.edge_need[e])].id,
            quantity=int(flows[e]),
        )
        for e in order
    )


def _stats(
    problem: AllocationInput,
    net: Network,
    flows: FloatArray,
    targets: FloatArray,
    classes: list[Any],
    tonne_km_bound: float,
    seconds: dict[str, float],
    lp_solves: int,
) -> dict[str, Any]:
    n_need = int(net.need_qty.shape[0])
    received = np.bincount(net.edge_need, weights=flows, minlength=n_need)
    fill = received / np.maximum(net.need_qty, 1)
    target_fill = targets / np.maximum(net.need_qty, 1)
    by_class: dict[str, dict[str, Any]] = {}
    for info in classes:
        members = net.need_class == info.priority
        if not members.any():
            continue
        by_class[str(info.priority)] = {
            "needs": int(members.sum()),
            "requested": int(net.need_qty[members].sum()),
            "filled": int(received[members].sum()),
            "min_fill": round(float(fill[members].min()), 6),
            "bound_max_units": round(float(targets[members].sum())),
            "bound_leximin_min_fill": round(float(target_fill[members].min()), 6),
            "fill_levels": [round(level, 6) for level in info.levels],
            "lp_solves": info.lp_solves,
            "seconds": round(info.seconds, 4),
        }
    tonne_km = float(np.dot(flows, net.edge_cost)) if net.n_edges else 0.0
    return {
        "needs": n_need,
        "supplies": int(net.supply_qty.shape[0]),
        "compatible_pairs": net.n_edges,
        "by_class": by_class,
        "tonne_km": round(tonne_km, 3),
        "bound_tonne_km": round(tonne_km_bound, 3),
        "substitute_units": int(flows[net.edge_substitute].sum()) if net.n_edges else 0,
        "whole_unit_lp_solves": lp_solves,
        "seconds": seconds,
        "method": "leximin by progressive filling (HiGHS LP, residual-graph freezing), "
        "then a totally unimodular min tonne-km LP and an exact-items LP on its optimal face",
    }
