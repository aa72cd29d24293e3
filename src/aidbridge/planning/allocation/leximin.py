"""Fractional leximin fill targets, class by class, by progressive filling.

For one priority class, the reachable vectors of units received form a polymatroid,
so its leximin-optimal point is unique, is a maximum-units point (step 1 of the spec
comes for free) and is found by progressive filling: raise a common fill level t
(one LP: max t s.t. every active need gets t x quantity), then freeze *every* need
that cannot rise above t while the others keep t, and repeat. Classes are processed
in order with the needs of earlier classes held at their targets.

Which needs are blocked is decided exactly and all at once from the LP's flow, by
reachability in the residual graph (a need can rise iff an augmenting path leads from
it to a supply with spare units or to a need above its floor), so there is one LP
per distinct fill level, not one per need, and each LP is warm-started from the last.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .lp import INF, PairLp, cheapest_per_need
from .network import BoolArray, FloatArray, IntArray, Network

Progress = Callable[[str], None]

_INITIAL_PAIRS = 20
"""Nearest pairs per need in a level LP's first solve (see ``_initial``)."""

_LEVEL_BATCH = 300
"""Most pairs priced into a level LP per round. CPU s of the leximin stage on
10,000 x 10,000 (three runs each, load ~20): 1,000 -> 5.75-5.79, 300 -> 5.41-5.58;
on the 2,000 x 800 appeal instances the same within noise."""

_FLOW_EPS = 1e-7
"""Flows below this many units count as zero (HiGHS' feasibility tolerance)."""


@dataclass(slots=True)
class ClassFilling:
    priority: int
    needs: int
    levels: list[float] = field(default_factory=list)
    lp_solves: int = 0
    seconds: float = 0.0


def _slack_eps(qty: FloatArray) -> FloatArray:
    return 1e-6 + 1e-9 * qty


def _held(units: FloatArray) -> FloatArray:
    """Row floor for a need held at ``units``: a hair below, so that the previous
    solution (feasible to HiGHS' absolute 1e-7 tolerance, which the primal simplex
    uses to the full) stays feasible for the next LP."""
    return np.maximum(0.0, units - 1e-9 * np.maximum(1.0, units) - 2e-7)


def _unblocked(
    es: IntArray,
    en: IntArray,
    flow: FloatArray,
    spare_supply: BoolArray,
    slack_need: BoolArray,
) -> BoolArray:
    """Needs with an augmenting path to spare supply or to a need above its floor.

    Path steps: need -> any compatible supply (more can always be sent on a pair);
    supply -> a need it currently sends to (that need takes its units elsewhere).
    Computed backwards from the good ends, one vectorised sweep per path length.
    """
    good_supply = spare_supply.copy()
    can_rise = slack_need.copy()
    carries = flow > _FLOW_EPS
    while True:
        reach_need = np.zeros_like(can_rise)
        reach_need[en[good_supply[es]]] = True
        reach_supply = np.zeros_like(good_supply)
        reach_supply[es[carries & (can_rise[en] | reach_need[en])]] = True
        new_need = reach_need & ~can_rise
        new_supply = reach_supply & ~good_supply
        can_rise |= reach_need
        good_supply |= reach_supply
        if not new_need.any() and not new_supply.any():
            return can_rise


def leximin_targets(
    net: Network, progress: Progress | None = None
) -> tuple[FloatArray, list[ClassFilling], FloatArray]:
    """Units each need receives in the fractional leximin optimum (the rounding target).

    Also returns the last LP's flow on every pair: it gives every need at least its
    target (the certificate checks it), and its pairs keep the whole-units LP feasible.
    """
    n_need = int(net.need_qty.shape[0])
    qty = net.need_qty.astype(np.float64)
    targets = np.zeros(n_need)
    fixed = np.zeros(n_need, dtype=np.bool_)
    has_edge = np.zeros(n_need, dtype=np.bool_)
    has_edge[net.edge_need] = True
    report: list[ClassFilling] = []
    witness = np.zeros(net.n_edges)

    lp: PairLp | None = None
    for k in (1, 2, 3):
        in_class = net.need_class == k
        active = in_class & has_edge
        info = ClassFilling(priority=k, needs=int(in_class.sum()))
        report.append(info)
        started = time.perf_counter()
        if active.any():
            lp = _fill_class(net, k, qty, targets, fixed, active, witness, info, progress, lp)
        fixed |= in_class
        info.seconds = time.perf_counter() - started
    return targets, report, witness


def _initial(net: Network, cols: IntArray, witness: FloatArray) -> IntArray:
    """First pairs of a class's level LP: what carried flow before, plus the nearest
    few of the class's own needs (positions into the network's pairs).

    Measured on the medium benchmark (CPU s for the whole plan): all pairs 6.1,
    3 per need 8.3, 10 -> 4.3, 20 -> 2.3, 30 -> 2.7, 50 -> 3.3. Too few pairs cost
    pricing rounds; too many make every simplex iteration dear.
    """
    return np.union1d(
        cols[cheapest_per_need(net, cols, _INITIAL_PAIRS)],
        np.flatnonzero(witness > _FLOW_EPS),
    )


def _fill_class(
    net: Network,
    k: int,
    qty: FloatArray,
    targets: FloatArray,
    fixed: BoolArray,
    active: BoolArray,
    witness: FloatArray,
    info: ClassFilling,
    progress: Progress | None,
    lp: PairLp | None,
) -> PairLp:
    """Progressive filling of class k, in the LP of the classes before when there is
    one: one HiGHS model for all classes, so class k starts from the basis that class
    k - 1 ended with instead of a cold solve (issue 11's 2,000 x 800: the three cold
    first solves per family were two thirds of the leximin's simplex time).

    The model's columns are pairs of every class, priced in as they help: a pair of
    a need that is not rising yet has no objective and only uses up a supply, so
    pricing never brings it in early.
    """
    n_sup = int(net.supply_qty.shape[0])
    n_need = int(qty.shape[0])
    in_class = np.flatnonzero(net.need_class[net.edge_need] == k)
    cols = np.flatnonzero(net.need_class[net.edge_need] <= k)
    es, en = net.edge_supply[cols], net.edge_need[cols]
    floor_units = np.where(fixed, targets, 0.0)
    active_idx = np.flatnonzero(active)
    t_col = 0
    if lp is None:
        row_lower = np.concatenate([np.full(n_sup, -INF), _held(floor_units)])
        row_upper = np.concatenate([net.supply_qty.astype(np.float64), np.full(n_need, INF)])
        lp = PairLp(
            net,
            np.arange(net.n_edges),
            np.zeros(net.n_edges),
            row_lower,
            row_upper,
            initial=_initial(net, in_class, witness),
            extra=(n_sup + active_idx, -qty[active_idx], 0.0, 1.0, -1.0),
        )
    else:
        for n in active_idx:
            lp.highs.changeCoeff(int(n_sup + n), t_col, -float(qty[n]))
        lp.add_pairs(_initial(net, in_class, witness))
    solves_before = lp.solves
    t_floor = 0.0
    supply_cap = net.supply_qty.astype(np.float64)
    while active.any():
        lp.highs.changeColBounds(t_col, t_floor, 1.0)
        # The level t is a fraction but HiGHS' optimality tolerance is absolute: a
        # level of 1e-6 (82 units for a need of 80 million) would pass for zero. The
        # objective is the level in units of the largest rising need instead.
        lp.highs.changeColCost(t_col, -float(qty[active].max()))
        lp.solve(_LEVEL_BATCH)
        t = float(min(1.0, max(t_floor, lp.values()[t_col])))
        flow = lp.flows()[cols]
        if t >= 1.0 - 1e-9:
            blocked = active.copy()
            t = 1.0
        else:
            received = np.bincount(en, weights=flow, minlength=n_need)
            sent = np.bincount(es, weights=flow, minlength=n_sup)
            floor_now = np.where(active, t * qty, floor_units)
            slack = received > floor_now + _slack_eps(qty)
            spare = sent < supply_cap - _slack_eps(supply_cap)
            blocked = active & ~slack & ~_unblocked(es, en, flow, spare, slack)
            if not blocked.any():
                # Only reachable through numerical noise; the LP duals still name needs
                # that are tight in every optimum, so progress is guaranteed.
                duals = lp.row_duals()[n_sup:]
                blocked = active & (np.abs(duals) > 1e-9)
                if not blocked.any():
                    blocked = active & ~slack
        idx = np.flatnonzero(blocked)
        targets[idx] = t * qty[idx]
        floor_units[idx] = targets[idx]
        active &= ~blocked
        for n in idx:
            lp.highs.changeCoeff(int(n_sup + n), t_col, 0.0)
        lp.highs.changeRowsBounds(  # type: ignore[attr-defined]
            idx.shape[0],
            (n_sup + idx).astype(np.int32),
            _held(targets[idx]),
            np.full(idx.shape[0], INF),
        )
        witness[:] = 0.0
        witness[cols] = np.maximum(flow, 0.0)
        t_floor = t
        info.levels.append(t)
        info.lp_solves = lp.solves - solves_before
        if progress is not None:
            progress(
                f"class {k}: fill level {len(info.levels)} = {t:.4f}, "
                f"{int(active.sum())} needs still rising"
            )
    return lp
