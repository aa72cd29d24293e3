"""Which offered bed may take which requested transfer, and why a need found none.

Everything is computed per bed type with numpy: a need can only ever use a bed of its
own type, so the pair matrix of a type is needs-of-that-type x offers-of-that-type, and
no global needs x offers matrix (2,000 x 1,500 for the benchmark) is ever built.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..geo import great_circle_km_array
from .model import MatchingInput, Reason

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Pairs:
    """The compatible (need, offer) pairs, as parallel arrays sorted by need."""

    need: IntArray
    offer: IntArray
    minutes: FloatArray
    km: FloatArray
    air: npt.NDArray[np.bool_]
    blocker: dict[int, Reason]
    """For each need with no compatible pair at all: the first reason why."""

    @property
    def size(self) -> int:
        return int(self.need.shape[0])


def compatible_pairs(problem: MatchingInput) -> Pairs:
    tm = problem.transport
    by_type_needs: dict[str, list[int]] = defaultdict(list)
    by_type_offers: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(problem.needs):
        by_type_needs[n.bed_type].append(i)
    for j, o in enumerate(problem.offers):
        if o.beds > 0:
            by_type_offers[o.bed_type].append(j)

    parts: list[tuple[IntArray, IntArray, FloatArray, FloatArray, npt.NDArray[np.bool_]]] = []
    blocker: dict[int, Reason] = {}
    for bed_type, need_idx in by_type_needs.items():
        ni = np.asarray(need_idx, dtype=np.int64)
        oj = np.asarray(by_type_offers.get(bed_type, []), dtype=np.int64)
        needs = [problem.needs[i] for i in need_idx]
        offers = [problem.offers[j] for j in oj]
        # Each mask is (needs, offers); a need's reason is the first mask that empties
        # its row, so the order of the masks is the order of the reasons.
        allowed = np.ones((len(needs), len(offers)), dtype=np.bool_)
        for col, o in enumerate(offers):
            if o.only_for:
                allowed[:, col] = [n.id in o.only_for for n in needs]
        vent = np.array([n.ventilated for n in needs], dtype=np.bool_)[:, None]
        iso = np.array([n.isolation for n in needs], dtype=np.bool_)[:, None]
        o_vent = np.array([o.ventilation for o in offers], dtype=np.bool_)[None, :]
        o_iso = np.array([o.isolation for o in offers], dtype=np.bool_)[None, :]
        fits = allowed & (~vent | o_vent) & (~iso | o_iso)
        fresh = np.array([not problem.is_stale(o) for o in offers], dtype=np.bool_)[None, :]
        usable = fits & fresh
        lat1 = np.array([n.origin.lat for n in needs])[:, None]
        lon1 = np.array([n.origin.lon for n in needs])[:, None]
        lat2 = np.array([o.location.lat for o in offers])[None, :]
        lon2 = np.array([o.location.lon for o in offers])[None, :]
        km = great_circle_km_array(lat1, lon1, lat2, lon2).reshape(len(needs), len(offers))
        air_min = tm.air_handover_min + km / tm.air_kmh * 60.0
        road_min = np.where(
            km <= tm.road_max_km, tm.road_handover_min + km / tm.road_kmh * 60.0, np.inf
        )
        by_air = air_min < road_min
        minutes = np.minimum(air_min, road_min)
        ok = usable & (minutes <= problem.max_minutes)

        for row, i in enumerate(need_idx):
            if ok[row].any():
                continue
            if not allowed[row].any():
                blocker[i] = "no_bed_of_type"
            elif not fits[row].any():
                blocker[i] = "no_bed_meeting_constraints"
            elif not usable[row].any():
                blocker[i] = "capacity_report_too_old"
            else:
                blocker[i] = "no_bed_in_range"
        rows, cols = np.nonzero(ok)
        parts.append((ni[rows], oj[cols], minutes[rows, cols], km[rows, cols], by_air[rows, cols]))

    if parts:
        need = np.concatenate([p[0] for p in parts])
        offer = np.concatenate([p[1] for p in parts])
        minutes_all = np.concatenate([p[2] for p in parts])
        km_all = np.concatenate([p[3] for p in parts])
        air_all = np.concatenate([p[4] for p in parts])
    else:
        need = offer = np.zeros(0, dtype=np.int64)
        minutes_all = km_all = np.zeros(0)
        air_all = np.zeros(0, dtype=np.bool_)
    order = np.lexsort((minutes_all, need))
    return Pairs(
        need=need[order],
        offer=offer[order],
        minutes=minutes_all[order],
        km=km_all[order],
        air=air_all[order],
        blocker=blocker,
    )
