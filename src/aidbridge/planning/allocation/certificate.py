"""A certificate on every plan: what the first objectives could at best be, by max-flow.

The planner's LPs are exact only up to floating-point tolerances and up to the
correctness of its freezing rule, so every run is checked against bounds computed a
different way, combinatorially, in whole units (scipy's Dinic max-flow, ~10 ms at
2,000 x 800):

- **units per class**: the most units class ``k`` can get while every need of a
  higher class keeps exactly what the plan gives it. The feasible vectors of units
  form a polymatroid, so capping the higher needs at the plan's units and
  maximising the total flow gives ``sum(plan's higher units) + max F_k`` (every
  independent vector extends to a base, and all bases have the same size).
- **max-min fill per class** (the leximin's first level): an upper bound ``U`` from a
  Hall set ``A`` (needs whose compatible supplies cannot give every member more than
  ``U`` of its quantity once higher classes keep their shares), found by Dinkelbach
  steps on max-flows, and a lower bound ``L``: the fractional flow the leximin stage
  ends with is checked, pair by pair, to give every need its target. ``U - L`` is the
  gap on the level; the plan itself must give each need more than ``U x quantity - 1``
  (the spec's rounding rule).
- **tonne-km**: the bound is the whole-unit LP's optimum over every pair (pricing
  proves no omitted pair could lower it); the gap is the plan's tonne-km above it.

Families of items share no pair, so each family is certified on its own network and
the figures add up (units) or take the minimum (levels).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from .network import BoolArray, FloatArray, IntArray, Network

_INT32_MAX = np.iinfo(np.int32).max
_WITNESS_TOL = 1e-6
"""Relative slack of the witness check (HiGHS' feasibility tolerance, with margin)."""
_LEVEL_TOL = 1e-9
_MAX_STEPS = 30


class _TooLarge(Exception):
    """A quantity does not fit the 32-bit capacities of scipy's max-flow."""


@dataclass(slots=True)
class _Flow:
    value: int
    cut_off: BoolArray
    """Needs that cannot be reached from the source in the residual graph."""
    to_sink: BoolArray
    """Needs from which the sink can still be reached in the residual graph."""


def _max_flow(net: Network, demand: IntArray) -> _Flow:
    """Max-flow source -> supply (quantity) -> need (compatible) -> sink (``demand``)."""
    n_sup = int(net.supply_qty.shape[0])
    n_need = int(net.need_qty.shape[0])
    if max(int(net.supply_qty.max(initial=0)), int(demand.max(initial=0))) >= _INT32_MAX:
        raise _TooLarge
    source, sink = n_sup + n_need, n_sup + n_need + 1
    live = demand[net.edge_need] > 0
    rows = np.concatenate(
        [np.full(n_sup, source), net.edge_supply[live], n_sup + np.arange(n_need)]
    )
    cols = np.concatenate([np.arange(n_sup), n_sup + net.edge_need[live], np.full(n_need, sink)])
    # A pair carries at most its supply's quantity: "unbounded" fits in 32 bits.
    cap = np.concatenate([net.supply_qty, np.full(int(live.sum()), _INT32_MAX), demand])
    size = n_sup + n_need + 2
    graph = sp.csr_array((cap.astype(np.int32), (rows, cols)), shape=(size, size))
    result = maximum_flow(graph, source, sink)
    # Residual graph: forward arcs with capacity left, reverse arcs carrying flow.
    residual = (graph.astype(np.int64) - result.flow.astype(np.int64)).tocoo()
    keep = residual.data > 0
    arcs = (residual.row[keep], residual.col[keep])
    ones = np.ones(int(keep.sum()), dtype=np.int8)
    forward = sp.csr_array((ones, arcs), shape=(size, size))
    backward = sp.csr_array((ones, arcs[::-1]), shape=(size, size))
    from_source = np.zeros(size, dtype=np.bool_)
    from_source[breadth_first_order(forward, source, return_predecessors=False)] = True
    into_sink = np.zeros(size, dtype=np.bool_)
    into_sink[breadth_first_order(backward, sink, return_predecessors=False)] = True
    needs = slice(n_sup, n_sup + n_need)
    return _Flow(int(result.flow_value), ~from_source[needs], into_sink[needs])


@dataclass(slots=True)
class _Class:
    needs: int = 0
    units: int = 0
    max_units: int = 0
    level_lower: float = 1.0
    level_upper: float = 1.0
    hall_set: int = 0
    short_needs: int = 0
    """Needs more than one unit below the proved level (the spec's rounding rule)."""
    witness_violation: float = 0.0


@dataclass(slots=True)
class Certificate:
    """Bounds proved by max-flow, accumulated over item families; see the module doc."""

    classes: dict[int, _Class] = field(default_factory=dict)
    tonne_km: float = 0.0
    tonne_km_bound: float = 0.0
    skipped: list[str] = field(default_factory=list)

    def add_family(
        self,
        net: Network,
        received: FloatArray,
        targets: FloatArray,
        witness: FloatArray,
        tonne_km: float,
        tonne_km_bound: float,
    ) -> None:
        """``received``: the plan's whole units per need; ``targets``: the fractional
        leximin units; ``witness``: the fractional flow per pair that meets them."""
        self.tonne_km += tonne_km
        self.tonne_km_bound += tonne_km_bound
        qty = net.need_qty.astype(np.float64)
        # The witness: a flow on compatible pairs within every supply giving every
        # need its target. It proves each target, hence each level L, is reachable.
        sent = np.bincount(net.edge_supply, weights=witness, minlength=net.supply_qty.shape[0])
        got = np.bincount(net.edge_need, weights=witness, minlength=qty.shape[0])
        over_supply = np.maximum(sent - net.supply_qty, 0.0) / np.maximum(net.supply_qty, 1)
        under_need = np.maximum(targets - got, 0.0) / np.maximum(qty, 1.0)
        violation = float(
            max(over_supply.max(initial=0.0), under_need.max(initial=0.0), -witness.min(initial=0))
        )
        whole = np.rint(received).astype(np.int64)
        for k in (1, 2, 3):
            members = net.need_class == k
            if not members.any():
                continue
            info = self.classes.setdefault(k, _Class())
            info.needs += int(members.sum())
            info.units += int(whole[members].sum())
            info.witness_violation = max(info.witness_violation, violation)
            try:
                info.max_units += self._max_units(net, whole, k)
                lower = float((targets[members] / qty[members]).min())
                upper, hall = self._level_bound(net, targets, k, lower)
            except _TooLarge:
                self.skipped.append(f"class {k}: a quantity exceeds 2^31 - 1 units")
                continue
            info.level_lower = min(info.level_lower, lower)
            if upper < info.level_upper:
                info.level_upper, info.hall_set = upper, hall
            short = whole[members] <= upper * qty[members] - 1 - 1e-9 * qty[members]
            info.short_needs += int(short.sum())

    @staticmethod
    def _max_units(net: Network, whole: IntArray, k: int) -> int:
        higher = net.need_class < k
        demand = np.where(higher, whole, np.where(net.need_class == k, net.need_qty, 0))
        return _max_flow(net, demand).value - int(whole[higher].sum())

    @staticmethod
    def _level_bound(net: Network, targets: FloatArray, k: int, lower: float) -> tuple[float, int]:
        """The smallest Hall ratio found: no plan lifts every class-k need above it.

        Any set A of needs gives ``t <= (c(N(A)) - held(A)) / q(A)`` where ``held`` is
        what A's higher-class needs keep and ``q(A)`` the quantity of A's class-k
        needs; the ratio is computed from the data, so it is a bound however A was
        found. A is found by one max-flow asking, just above the witnessed level,
        ``ceil(t x quantity)`` per class-k need and ``ceil(target)`` per higher need:
        the demand the tight set cannot meet. Both sides of the min cut are tried.
        """
        if lower >= 1.0 - _LEVEL_TOL:
            return 1.0, 0
        qty = net.need_qty.astype(np.float64)
        in_class = net.need_class == k
        higher = net.need_class < k
        served = np.zeros(qty.shape[0], dtype=np.bool_)
        served[net.edge_need] = True
        if (in_class & ~served).any():
            return 0.0, 1  # a need no supply may serve: the Hall set of one
        held = np.ceil(targets - 1e-9 * np.maximum(targets, 1.0))
        best, best_size = 1.0, 0
        # Just above the witnessed level first: when the witness is the optimum, one
        # max-flow names the tight set. Otherwise Dinkelbach steps down from 1.
        t = lower * (1.0 + 1e-12) + 1e-15
        for _ in range(_MAX_STEPS):
            demand = np.where(in_class, np.ceil(t * qty), np.where(higher, held, 0.0))
            flow = _max_flow(net, demand.astype(np.int64))
            found = False
            for side in (flow.to_sink, flow.cut_off):
                hall = side & (in_class | higher)
                cut = hall & in_class
                if not cut.any():
                    continue
                supplies = np.zeros(net.supply_qty.shape[0], dtype=np.bool_)
                supplies[net.edge_supply[hall[net.edge_need]]] = True
                capacity = float(net.supply_qty[supplies].sum())
                held_units = float(targets[hall & higher].sum())
                ratio = max(0.0, (capacity - held_units) / float(qty[cut].sum()))
                if ratio < best:
                    best, best_size, found = ratio, int(cut.sum()), True
            if best <= lower + _LEVEL_TOL or (not found and t >= 1.0):
                break
            t = 1.0 if not found and t < best else best * (1.0 - 1e-12)
            if found and t >= best:
                break
        return best, best_size

    def to_stats(self) -> dict[str, Any]:
        classes: dict[str, Any] = {}
        proved = not self.skipped
        for k, info in sorted(self.classes.items()):
            gap_units = info.max_units - info.units
            gap_level = max(0.0, info.level_upper - info.level_lower)
            witness_ok = info.witness_violation <= _WITNESS_TOL
            # The level is proved when the witnessed level meets the Hall bound to
            # within the relative precision of the LP that found it.
            level_ok = gap_level <= 1e-7 and witness_ok
            ok = gap_units == 0 and level_ok and info.short_needs == 0
            proved &= ok
            classes[str(k)] = {
                "units": info.units,
                "max_units": info.max_units,
                "units_gap": gap_units,
                "max_min_fill_upper": round(info.level_upper, 9),
                "max_min_fill_lower": round(info.level_lower, 9),
                "max_min_fill_gap": round(gap_level, 9),
                "hall_set_needs": info.hall_set,
                "needs_short_of_level": info.short_needs,
                "witness_violation": info.witness_violation,
                "proved": ok,
            }
        tkm_gap = self.tonne_km - self.tonne_km_bound
        tkm_ok = tkm_gap <= 1e-6 * (1.0 + abs(self.tonne_km_bound))
        proved &= tkm_ok
        return {
            "optimal": proved,
            "by_class": classes,
            "tonne_km": {
                "plan": round(self.tonne_km, 3),
                "bound": round(self.tonne_km_bound, 3),
                "gap": round(max(tkm_gap, 0.0), 3),
                "proved": tkm_ok,
            },
            "not_checked": list(self.skipped),
            "method": "per class: max units by max-flow (scipy Dinic) with higher classes "
            "held at the plan's units; max-min fill between a checked fractional flow "
            "(lower) and a Hall set found by max-flow (upper); tonne-km against the "
            "whole-unit LP optimum over every pair",
        }


def describe(certificate: dict[str, Any]) -> list[str]:
    """The certificate in a few lines for people: what was proved, or the gap and why."""
    lines = [
        "certificate: optimal (every bound below is met by the plan)"
        if certificate["optimal"]
        else "certificate: NOT proved optimal (see the gaps below)"
    ]
    for k, c in certificate["by_class"].items():
        units = (
            f"{c['units']} units = max-flow {c['max_units']}"
            if c["units_gap"] == 0
            else f"{c['units']} units, {c['units_gap']} below the max-flow {c['max_units']}"
        )
        level = (
            f"max-min fill {c['max_min_fill_lower']:.6f} proved "
            f"(Hall set of {c['hall_set_needs']} needs)"
            if c["max_min_fill_gap"] <= 1e-7
            else f"max-min fill between {c['max_min_fill_lower']:.6f} and "
            f"{c['max_min_fill_upper']:.6f} (gap {c['max_min_fill_gap']:.2g})"
        )
        why = []
        if c["needs_short_of_level"]:
            why.append(f"{c['needs_short_of_level']} needs a unit or more below the level")
        if c["witness_violation"] > 1e-6:
            why.append(f"fractional flow off by {c['witness_violation']:.2g}")
        lines.append(f"  class {k}: {units}; {level}" + (f"; {', '.join(why)}" if why else ""))
    t = certificate["tonne_km"]
    lines.append(
        f"  tonne-km {t['plan']:.1f}, LP bound {t['bound']:.1f}"
        + ("" if t["proved"] else f" (gap {t['gap']:.1f})")
    )
    lines.extend(f"  not checked: {reason}" for reason in certificate["not_checked"])
    return lines
