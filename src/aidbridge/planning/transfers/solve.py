"""Match requested patient transfers to offered beds: fair to regions, then quick.

The objective, in strict order:

1. **Leximin of the regions' fills** (patients matched / patients requested): the
   worst-served region as well served as possible, then the next, and so on. Solved as
   a sequence of LPs ("progressive filling"): maximise the common level ``t`` of the
   regions not yet fixed; every region whose fairness row has a non-zero dual is at
   ``t`` in *every* solution reaching ``t`` (complementary slackness holds between any
   primal and any dual optimum), so it is fixed there and the others go on. A leximin
   flow is also a maximum flow (an augmenting path would raise one region and lower
   none), so no patient is left unmatched to make the fills look even.
2. **Whole patients**: each region gets its fair share rounded down or up, and the
   total stays the maximum flow. The constraint matrix (offers on one side; needs,
   regions and the total nested on the other) is totally unimodular, so the simplex
   vertex of stage 3 is integral: rounding costs no search.
3. **Fewest patient-minutes** of transport within those bounds.

Every stage is optimal over all compatible pairs (``lp.PairModel`` prices them), and
``check_matching`` re-checks feasibility independently of this module.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .groups import group, spread
from .lp import PairModel, SolverFailure
from .model import (
    MatchingInput,
    MatchingPlan,
    RegionFill,
    Shortfall,
    Transfer,
)
from .pairs import FloatArray, compatible_pairs

_DUAL_TOL = 1e-9
_LEVEL_TOL = 1e-9
_INT_TOL = 1e-6
_FIX_SLACK = 1e-7
"""A fixed region's floor sits this far under its share, HiGHS' feasibility tolerance,
so that rounding in one LP cannot make the next one infeasible."""


def match_transfers(problem: MatchingInput) -> MatchingPlan:
    started = time.perf_counter()
    pairs = compatible_pairs(problem)
    regions = sorted({n.region for n in problem.needs})
    region_index = {r: k for k, r in enumerate(regions)}
    need_region = np.array([region_index[n.region] for n in problem.needs], dtype=np.int64)
    need_count = np.array([n.count for n in problem.needs], dtype=np.float64)
    offer_beds = np.array([o.beds for o in problem.offers], dtype=np.float64)
    demand = np.bincount(need_region, weights=need_count, minlength=len(regions)).astype(np.float64)

    groups = group(pairs, need_region, need_count, offer_beds)
    levels_model = PairModel(
        groups.pairs, groups.group_region, groups.offer_group_beds, groups.group_count, demand
    )
    share, levels = _leximin(levels_model, demand)

    # Stages 2 and 3 on the real pairs, started from the leximin flow spread over them
    # (feasible for the rounded bounds) plus the quickest pairs of every need.
    start = spread(groups, levels_model.flows(), pairs, need_count, offer_beds)
    model = PairModel(
        pairs, need_region, offer_beds, need_count, demand, initial=np.flatnonzero(start > 0)
    )
    total = float(round(share.sum()))
    model.drop_level()
    for r in range(len(regions)):
        model.fix_region(r, math.floor(share[r] + _INT_TOL), math.ceil(share[r] - _INT_TOL))
    model.set_total(total, total)
    model.set_pair_costs(pairs.minutes)
    model.solve()
    flows = model.flows()
    rounded = np.rint(flows)
    if pairs.size and np.max(np.abs(flows - rounded)) > _INT_TOL:
        raise SolverFailure("the transport stage ended on a fractional vertex")

    transfers: list[Transfer] = []
    matched = np.zeros(len(problem.needs), dtype=np.int64)
    for e in np.flatnonzero(rounded > 0):
        i, j, n = int(pairs.need[e]), int(pairs.offer[e]), int(rounded[e])
        matched[i] += n
        transfers.append(
            Transfer(
                need=problem.needs[i].id,
                offer=problem.offers[j].id,
                patients=n,
                minutes=float(pairs.minutes[e]),
                mode="air" if pairs.air[e] else "road",
                km=float(pairs.km[e]),
            )
        )
    shortfalls = tuple(
        Shortfall(
            need=n.id,
            patients=n.count - int(matched[i]),
            reason=pairs.blocker.get(i, "beds_shared_fairly"),
        )
        for i, n in enumerate(problem.needs)
        if matched[i] < n.count
    )
    region_matched = np.bincount(need_region, weights=matched, minlength=len(regions))
    fills = sorted(
        (
            RegionFill(
                region=r,
                requested=int(demand[k]),
                matched=int(region_matched[k]),
                share=float(share[k]),
            )
            for k, r in enumerate(regions)
        ),
        key=lambda f: (f.fill, f.region),
    )
    return MatchingPlan(
        transfers=tuple(transfers),
        shortfalls=shortfalls,
        regions=tuple(fills),
        patient_minutes=float(sum(t.patients * t.minutes for t in transfers)),
        levels=tuple(levels),
        seconds=time.perf_counter() - started,
    )


def _leximin(model: PairModel, demand: FloatArray) -> tuple[FloatArray, list[float]]:
    """Each region's fair share of patients, by progressive filling (see the module)."""
    n = demand.shape[0]
    share = np.zeros(n)
    active = np.ones(n, dtype=np.bool_)
    levels: list[float] = []
    while active.any():
        model.solve()
        t = min(1.0, max(0.0, model.level()))
        dual = model.row_duals()[model.region_row0 : model.total_row]
        blocked = active & (np.abs(dual) > _DUAL_TOL)
        if t >= 1.0 - _LEVEL_TOL:
            blocked = active.copy()
        if not blocked.any():
            # Cannot happen at an optimum: the level column's reduced cost forces
            # sum(dual_r * D_r) = 1 over the active rows unless t sits at its bound 1.
            raise SolverFailure("no region's fairness row is binding at the leximin level")
        for r in np.flatnonzero(blocked):
            share[r] = t * demand[r]
            model.fix_region(int(r), share[r] - _FIX_SLACK, math.inf)
        active &= ~blocked
        levels.append(t)
    return share, levels
