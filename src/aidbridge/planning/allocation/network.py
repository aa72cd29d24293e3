"""The compatibility graph: which supply may serve which need, as numpy arrays.

Tens of thousands of needs and supplies make ~10^8 candidate pairs, so the spec's
"may serve" rule is evaluated in blocks (one block per need item and supply item it
accepts) with numpy broadcasting rather than pair by pair.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ..geo import great_circle_km_array
from .model import AllocationInput

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_NO_DATE_EARLY = np.iinfo(np.int64).min // 4
_NO_DATE_LATE = np.iinfo(np.int64).max // 4


@dataclass(frozen=True, slots=True)
class Network:
    """Needs and supplies by index, and the compatible pairs ("edges")."""

    need_qty: IntArray
    need_class: IntArray
    supply_qty: IntArray
    edge_supply: IntArray
    edge_need: IntArray
    edge_cost: FloatArray
    """Tonne-km per unit sent along the edge (weight of the supply item x distance)."""
    edge_substitute: BoolArray
    by_need_cost: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Pairs ordered by need, then tonne-km: sorted once, for every "nearest pairs"
    start of an LP (one sort instead of one per class and stage)."""

    @property
    def n_edges(self) -> int:
        return int(self.edge_need.shape[0])


def _ordinal(day: dt.date | None, missing: int) -> int:
    return missing if day is None else day.toordinal()


def build_network(problem: AllocationInput) -> Network:
    needs, supplies = problem.needs, problem.supplies
    parties: dict[str, int] = {}

    def party_id(code: str) -> int:
        return parties.setdefault(code, len(parties))

    need_party = np.array([party_id(n.party) for n in needs], dtype=np.int64)
    supply_party = np.array([party_id(s.party) for s in supplies], dtype=np.int64)
    for s in supplies:
        for code in s.only_for | s.not_for:
            party_id(code)
    n_parties = max(len(parties), 1)

    # allowed[s, p]: the earmarks and the own-party rule of supply s admit party p.
    allowed = np.ones((len(supplies), n_parties), dtype=np.bool_)
    for i, s in enumerate(supplies):
        if s.only_for:
            allowed[i, :] = False
            allowed[i, [parties[c] for c in s.only_for]] = True
        if s.not_for:
            allowed[i, [parties[c] for c in s.not_for]] = False
    if len(supplies):
        allowed[np.arange(len(supplies)), supply_party] = False

    need_by = np.array([_ordinal(n.needed_by, _NO_DATE_LATE) for n in needs], dtype=np.int64)
    avail = np.array([_ordinal(s.available_from, _NO_DATE_EARLY) for s in supplies], dtype=np.int64)

    needs_of_item: dict[str, list[int]] = {}
    for i, n in enumerate(needs):
        needs_of_item.setdefault(n.item, []).append(i)
    supplies_of_item: dict[str, list[int]] = {}
    for i, s in enumerate(supplies):
        supplies_of_item.setdefault(s.item, []).append(i)
    accepted: dict[str, list[tuple[str, bool]]] = {code: [(code, False)] for code in problem.items}
    for need_item, supply_item in sorted(problem.substitutes):
        accepted[need_item].append((supply_item, True))

    sup_parts: list[IntArray] = []
    need_parts: list[IntArray] = []
    sub_parts: list[BoolArray] = []
    for need_item, need_idx_list in needs_of_item.items():
        need_idx = np.array(need_idx_list, dtype=np.int64)
        for supply_item, is_sub in accepted[need_item]:
            if supply_item not in supplies_of_item:
                continue
            sup_idx = np.array(supplies_of_item[supply_item], dtype=np.int64)
            mask = allowed[np.ix_(sup_idx, need_party[need_idx])].T
            mask &= avail[sup_idx][None, :] <= need_by[need_idx][:, None]
            rows, cols = np.nonzero(mask)
            need_parts.append(need_idx[rows])
            sup_parts.append(sup_idx[cols])
            sub_parts.append(np.full(rows.shape[0], is_sub, dtype=np.bool_))

    if need_parts:
        edge_need = np.concatenate(need_parts)
        edge_supply = np.concatenate(sup_parts)
        edge_sub = np.concatenate(sub_parts)
    else:
        edge_need = np.zeros(0, dtype=np.int64)
        edge_supply = np.zeros(0, dtype=np.int64)
        edge_sub = np.zeros(0, dtype=np.bool_)

    nan = float("nan")
    need_lat = np.array([n.location.lat if n.location else nan for n in needs])
    need_lon = np.array([n.location.lon if n.location else nan for n in needs])
    sup_lat = np.array([s.location.lat if s.location else nan for s in supplies])
    sup_lon = np.array([s.location.lon if s.location else nan for s in supplies])
    sup_weight_t = np.array([problem.items[s.item].unit_weight_kg / 1000.0 for s in supplies])
    if edge_need.shape[0]:
        dist = great_circle_km_array(
            sup_lat[edge_supply], sup_lon[edge_supply], need_lat[edge_need], need_lon[edge_need]
        )
        # The spec: an entry without a location counts as distance 0.
        dist = np.nan_to_num(dist, nan=0.0)
        cost = sup_weight_t[edge_supply] * dist
    else:
        cost = np.zeros(0)

    return Network(
        need_qty=np.array([n.quantity for n in needs], dtype=np.int64),
        need_class=np.array([n.priority for n in needs], dtype=np.int64),
        supply_qty=np.array([s.quantity for s in supplies], dtype=np.int64),
        edge_supply=edge_supply,
        edge_need=edge_need,
        edge_cost=cost,
        edge_substitute=edge_sub,
        by_need_cost=np.lexsort((cost, edge_need)),
    )
