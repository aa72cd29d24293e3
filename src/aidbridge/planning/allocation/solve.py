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
4. The certificate (``certificate.py``): bounds on stages 1-2 proved another way
   (cuts of the plans' residual graphs, summed from the data and checked on every
   pair; a max-flow measures the gap when one does not close), so that tolerances or
   a wrong freezing decision in stage 1 show up as a gap on the run instead of a plan
   called optimal.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from .certificate import Certificate
from .check import check_allocation
from .families import item_families
from .leximin import ClassFilling, Progress, leximin_targets
from .lp import INF, PairLp, SolverFailure, cheapest_per_need
from .model import Allocation, AllocationInput, AllocationPlan
from .network import FloatArray, IntArray, Network, build_network

_INITIAL_PAIRS = 6
"""Cheapest pairs per need in the first tonne-km LP; pricing adds what else matters."""


def plan_allocation(
    problem: AllocationInput, progress: Progress | None = None, check: bool = __debug__
) -> AllocationPlan:
    """Solve the spec's objective exactly. ``progress`` receives one line per step."""
    started, started_cpu = time.perf_counter(), time.process_time()
    seconds = {"network": 0.0, "leximin": 0.0, "whole_units": 0.0, "certificate": 0.0}
    # CPU seconds beside wall seconds: on a shared machine wall time is the neighbours'.
    cpu = dict.fromkeys(seconds, 0.0)
    n_need = len(problem.needs)
    acc = _Totals(
        targets=np.zeros(n_need),
        received=np.zeros(n_need),
        classes={k: ClassFilling(priority=k, needs=0) for k in (1, 2, 3)},
    )
    allocations: list[Allocation] = []
    certificate = Certificate()
    families = item_families(problem)
    for number, family in enumerate(families, start=1):
        label = f"[{number}/{len(families)} {family.items[0]}]"
        say = None if progress is None else _prefixed(progress, label)
        mark, mark_cpu = time.perf_counter(), time.process_time()
        net = build_network(family.problem)
        seconds["network"] += time.perf_counter() - mark
        cpu["network"] += time.process_time() - mark_cpu
        if net.n_edges == 0:
            continue
        mark, mark_cpu = time.perf_counter(), time.process_time()
        targets, classes, witness = leximin_targets(net, say)
        seconds["leximin"] += time.perf_counter() - mark
        cpu["leximin"] += time.process_time() - mark_cpu
        mark, mark_cpu = time.perf_counter(), time.process_time()
        flows, bound, solves = _whole_units(net, targets, np.flatnonzero(witness > 1e-7))
        seconds["whole_units"] += time.perf_counter() - mark
        cpu["whole_units"] += time.process_time() - mark_cpu
        if progress is not None:
            progress(f"{label} {net.n_edges} pairs planned")

        index = np.array(family.need_index, dtype=np.int64)
        acc.targets[index] = targets
        received = np.bincount(net.edge_need, weights=flows, minlength=index.shape[0]).astype(
            np.float64
        )
        acc.received[index] = received
        acc.add(net, flows, bound, solves, classes)
        mark, mark_cpu = time.perf_counter(), time.process_time()
        certificate.add_family(net, flows, targets, witness, _tonne_km(net, flows), bound)
        seconds["certificate"] += time.perf_counter() - mark
        cpu["certificate"] += time.process_time() - mark_cpu
        allocations.extend(_allocations(family.problem, net, flows))

    seconds["total"] = time.perf_counter() - started
    cpu["total"] = time.process_time() - started_cpu
    plan = AllocationPlan(
        allocations=tuple(allocations),
        stats={
            **_stats(problem, acc, len(families), seconds, cpu),
            "certificate": certificate.to_stats(),
        },
        targets={n.id: float(acc.targets[i]) for i, n in enumerate(problem.needs)},
    )
    if check:
        check_allocation(problem, plan).raise_if_broken()
    return plan


def _prefixed(progress: Progress, label: str) -> Progress:
    return lambda message: progress(f"{label} {message}")


@dataclass(slots=True)
class _Totals:
    """Figures summed over item families."""

    targets: FloatArray
    received: FloatArray
    classes: dict[int, ClassFilling]
    pairs: int = 0
    tonne_km: float = 0.0
    tonne_km_bound: float = 0.0
    substitute_units: int = 0
    whole_unit_lp_solves: int = 0

    def add(
        self,
        net: Network,
        flows: FloatArray,
        bound: float,
        solves: int,
        classes: list[ClassFilling],
    ) -> None:
        self.pairs += net.n_edges
        self.tonne_km += _tonne_km(net, flows)
        self.tonne_km_bound += bound
        self.substitute_units += int(flows[net.edge_substitute].sum())
        self.whole_unit_lp_solves += solves
        for info in classes:
            total = self.classes[info.priority]
            total.levels.extend(info.levels)
            total.lp_solves += info.lp_solves
            total.seconds += info.seconds


def _tonne_km(net: Network, flows: FloatArray) -> float:
    # Not np.dot: on vectors this long OpenBLAS hands the sum to its worker threads,
    # which then spin for milliseconds: 0.8 CPU s of the 10,000 x 10,000 plan went
    # there (OPENBLAS_NUM_THREADS=1 gave the same plan 0.8 s sooner).
    return float((flows * net.edge_cost).sum())


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
    initial = np.union1d(cheapest_per_need(net, edges, _INITIAL_PAIRS), support)
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
    acc: _Totals,
    n_families: int,
    seconds: dict[str, float],
    cpu: dict[str, float],
) -> dict[str, Any]:
    qty = np.array([n.quantity for n in problem.needs], dtype=np.float64)
    priority = np.array([n.priority for n in problem.needs], dtype=np.int64)
    fill = acc.received / np.maximum(qty, 1.0)
    target_fill = acc.targets / np.maximum(qty, 1.0)
    by_class: dict[str, dict[str, Any]] = {}
    for k, info in acc.classes.items():
        members = priority == k
        if not members.any():
            continue
        by_class[str(k)] = {
            "needs": int(members.sum()),
            "requested": int(qty[members].sum()),
            "filled": int(acc.received[members].sum()),
            "min_fill": round(float(fill[members].min()), 6),
            # Proved: the LP optimum of the max-units / max-min-fill problems.
            "bound_max_units": round(float(acc.targets[members].sum())),
            "bound_leximin_min_fill": round(float(target_fill[members].min()), 6),
            "fill_levels": sorted({round(level, 6) for level in info.levels}),
            "lp_solves": info.lp_solves,
            "seconds": round(info.seconds, 4),
        }
    return {
        "needs": len(problem.needs),
        "supplies": len(problem.supplies),
        "compatible_pairs": acc.pairs,
        "item_families": n_families,
        "by_class": by_class,
        "tonne_km": round(acc.tonne_km, 3),
        "bound_tonne_km": round(acc.tonne_km_bound, 3),
        "substitute_units": acc.substitute_units,
        "whole_unit_lp_solves": acc.whole_unit_lp_solves,
        "seconds": {stage: round(value, 4) for stage, value in seconds.items()},
        "cpu_seconds": {stage: round(value, 4) for stage, value in cpu.items()},
        "method": "per item family: leximin by progressive filling (HiGHS LP priced over "
        "every pair, residual-graph freezing), then a totally unimodular min tonne-km LP "
        "and an exact-items LP on its optimal face; optimality as proved by 'certificate'",
    }
