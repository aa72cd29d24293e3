"""A certificate on every plan: what the first objectives could at best be.

The planner's LPs are exact only up to floating-point tolerances and up to the
correctness of its freezing rule, so every run is checked against bounds proved
another way, combinatorially, over every compatible pair:

- **units per class**: the most units class ``k`` can get while every need of a
  higher class keeps exactly what the plan gives it. Proved by a cut read off the
  residual graph of the plan's own whole-unit flow (``cuts.max_units_by_cut``):
  its capacity, summed from the data, equals the plan's units, so no flow does
  better. (The feasible vectors of units form a polymatroid, so holding the higher
  needs at the plan's units loses nothing: every independent vector extends to a
  base, and all bases have the same size.)
- **max-min fill per class** (the leximin's first level): a lower bound ``L``, the
  fractional flow the leximin stage ends with, checked pair by pair to give every
  need its target; an upper bound ``U`` from a Hall set ``A`` (needs whose
  compatible supplies cannot give every member more than ``U`` of its quantity once
  higher classes keep their shares), the tight set of that same flow
  (``cuts.level_bound_by_tight_set``). ``U - L`` is the gap on the level; the plan
  itself must give each need more than ``U x quantity - 1`` (the spec's rounding).
- **tonne-km**: the bound is the whole-unit LP's optimum over every pair (pricing
  proves no omitted pair could lower it); the gap is the plan's tonne-km above it.

When a cut does not close (an augmenting path, a loose Hall set), an independent
max-flow (``flowcheck.py``, scipy's Dinic, imported only then) measures the gap, so
a wrong plan is reported with its true shortfall. Families of items share no pair,
so each family is certified on its own network and the figures add up (units) or
take the minimum (levels).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import flowcheck
from .cuts import PairIndex, level_bound_by_tight_set, max_units_by_cut
from .network import FloatArray, Network

_WITNESS_TOL = 1e-6
"""Relative slack of the witness check (HiGHS' feasibility tolerance, with margin)."""
_LEVEL_TOL = 1e-7
"""A level is proved when the Hall bound meets the witnessed level this closely."""


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
    fallbacks: int = 0
    """Bounds the cut proof could not close, measured by the max-flow fallback."""


@dataclass(slots=True)
class Certificate:
    """Bounds proved by cuts (or max-flow), summed over item families; see the module doc."""

    classes: dict[int, _Class] = field(default_factory=dict)
    tonne_km: float = 0.0
    tonne_km_bound: float = 0.0
    skipped: list[str] = field(default_factory=list)

    def add_family(
        self,
        net: Network,
        flows: FloatArray,
        targets: FloatArray,
        witness: FloatArray,
        tonne_km: float,
        tonne_km_bound: float,
    ) -> None:
        """``flows``: the plan's whole units per pair; ``targets``: the fractional
        leximin units per need; ``witness``: the fractional flow per pair that meets
        them."""
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
        whole = np.rint(np.bincount(net.edge_need, weights=flows, minlength=qty.shape[0])).astype(
            np.int64
        )
        index = PairIndex.of(net)
        served = np.zeros(qty.shape[0], dtype=np.bool_)
        served[net.edge_need] = True
        for k in (1, 2, 3):
            members = net.need_class == k
            if not members.any():
                continue
            info = self.classes.setdefault(k, _Class())
            info.needs += int(members.sum())
            info.units += int(whole[members].sum())
            info.witness_violation = max(info.witness_violation, violation)
            lower = float((targets[members] / qty[members]).min())
            try:
                by_cut = max_units_by_cut(net, index, flows, k)
                if by_cut is None:
                    info.fallbacks += 1
                    by_cut = flowcheck.max_units(net, whole, k)
                info.max_units += by_cut
                if lower >= 1.0 - 1e-9:
                    upper, hall = 1.0, 0
                elif (members & ~served).any():
                    upper, hall = 0.0, 1  # a need no supply may serve: the Hall set of one
                else:
                    found = level_bound_by_tight_set(net, index, witness, targets, k, lower)
                    upper, hall = (2.0, 0) if found is None else found
                    if upper > lower + _LEVEL_TOL:
                        info.fallbacks += 1
                        upper, hall = min(
                            (upper, hall), flowcheck.level_bound(net, targets, k, lower)
                        )
            except flowcheck.TooLarge:
                self.skipped.append(f"class {k}: a quantity exceeds 2^31 - 1 units")
                continue
            info.level_lower = min(info.level_lower, lower)
            if upper < info.level_upper:
                info.level_upper, info.hall_set = upper, hall
            short = whole[members] <= upper * qty[members] - 1 - 1e-9 * qty[members]
            info.short_needs += int(short.sum())

    def to_stats(self) -> dict[str, Any]:
        classes: dict[str, Any] = {}
        proved = not self.skipped
        for k, info in sorted(self.classes.items()):
            gap_units = info.max_units - info.units
            gap_level = max(0.0, info.level_upper - info.level_lower)
            witness_ok = info.witness_violation <= _WITNESS_TOL
            # The level is proved when the witnessed level meets the Hall bound to
            # within the relative precision of the LP that found it.
            level_ok = gap_level <= _LEVEL_TOL and witness_ok
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
                "max_flow_fallbacks": info.fallbacks,
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
            "method": "per class: max units by a cut of the plan's residual graph checked "
            "on every pair (max-flow when it does not close) with higher classes held at "
            "the plan's units; max-min fill between a checked fractional flow (lower) and "
            "the Hall set of its tight needs (upper); tonne-km against the whole-unit LP "
            "optimum over every pair",
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
