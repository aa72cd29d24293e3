"""Merge interchangeable needs and offers before the leximin stages.

The fill levels depend only on who *may* serve whom, not on minutes. Two needs of the
same region with the same compatible offers are interchangeable for any flow, and so
are two offers compatible with the same groups of needs; merging them keeps every
flow's region totals achievable, so the levels of the merged network are exactly those
of the full one. With the usual range (a MEDEVAC flight reaches all of Europe) the
240,000 pairs of the benchmark fall to a few hundred group pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .pairs import FloatArray, IntArray, Pairs


@dataclass(frozen=True)
class Groups:
    need_group: IntArray
    """Group of every need (-1: no compatible pair)."""
    offer_group: IntArray
    """Group of every offer (-1: no compatible pair)."""
    group_region: IntArray
    group_count: FloatArray
    offer_group_beds: FloatArray
    pairs: Pairs
    """Group pairs, as a :class:`Pairs` of group indices (minutes unused)."""


def group(
    pairs: Pairs, need_region: IntArray, need_count: FloatArray, offer_beds: FloatArray
) -> Groups:
    n_need, n_offer = need_count.shape[0], offer_beds.shape[0]
    # Pairs are sorted by need: each need's offers are one slice.
    starts = np.searchsorted(pairs.need, np.arange(n_need + 1))
    need_key: dict[tuple[int, bytes], int] = {}
    need_group = np.full(n_need, -1, dtype=np.int64)
    for i in range(n_need):
        a, b = starts[i], starts[i + 1]
        if a == b:
            continue
        key = (int(need_region[i]), np.sort(pairs.offer[a:b]).tobytes())
        need_group[i] = need_key.setdefault(key, len(need_key))
    n_groups = len(need_key)
    group_region = np.zeros(n_groups, dtype=np.int64)
    for (region, _), g in need_key.items():
        group_region[g] = region
    group_count = np.bincount(
        need_group[need_group >= 0], weights=need_count[need_group >= 0], minlength=n_groups
    ).astype(np.float64)

    # Offers by the set of need groups they serve.
    pg = need_group[pairs.need]
    order = np.lexsort((pg, pairs.offer))
    po, pg = pairs.offer[order], pg[order]
    keep = np.ones(po.shape[0], dtype=np.bool_)
    keep[1:] = (po[1:] != po[:-1]) | (pg[1:] != pg[:-1])
    po, pg = po[keep], pg[keep]
    o_starts = np.searchsorted(po, np.arange(n_offer + 1))
    offer_key: dict[bytes, int] = {}
    offer_group = np.full(n_offer, -1, dtype=np.int64)
    for j in range(n_offer):
        a, b = o_starts[j], o_starts[j + 1]
        if a == b:
            continue
        offer_group[j] = offer_key.setdefault(pg[a:b].tobytes(), len(offer_key))
    used = offer_group >= 0
    offer_group_beds = np.bincount(
        offer_group[used], weights=offer_beds[used], minlength=len(offer_key)
    ).astype(np.float64)

    gn = need_group[pairs.need]
    go = offer_group[pairs.offer]
    code = np.unique(gn * max(1, len(offer_key)) + go)
    g_need = code // max(1, len(offer_key))
    g_offer = code % max(1, len(offer_key))
    zeros = np.zeros(code.shape[0])
    gpairs = Pairs(
        need=g_need,
        offer=g_offer,
        minutes=zeros,
        km=zeros,
        air=np.zeros(code.shape[0], dtype=np.bool_),
        blocker={},
    )
    return Groups(need_group, offer_group, group_region, group_count, offer_group_beds, gpairs)


def spread(
    groups: Groups,
    group_flow: FloatArray,
    pairs: Pairs,
    need_count: FloatArray,
    offer_beds: FloatArray,
) -> FloatArray:
    """A pair flow with the group flow's totals: within a group pair every need may use
    every offer, so filling needs and offers in turn (north-west corner) is feasible."""
    need_left = need_count.astype(np.float64).copy()
    offer_left = offer_beds.astype(np.float64).copy()
    members_n: dict[int, list[int]] = {}
    for i, g in enumerate(groups.need_group):
        if g >= 0:
            members_n.setdefault(int(g), []).append(i)
    members_o: dict[int, list[int]] = {}
    for j, g in enumerate(groups.offer_group):
        if g >= 0:
            members_o.setdefault(int(g), []).append(j)
    position = {
        (int(n), int(o)): e for e, (n, o) in enumerate(zip(pairs.need, pairs.offer, strict=True))
    }
    flow = np.zeros(pairs.size)
    for e in np.flatnonzero(group_flow > 1e-12):
        left = float(group_flow[e])
        needs = members_n[int(groups.pairs.need[e])]
        offers = members_o[int(groups.pairs.offer[e])]
        a = b = 0
        while left > 1e-12 and a < len(needs) and b < len(offers):
            i, j = needs[a], offers[b]
            step = min(left, need_left[i], offer_left[j])
            if step > 0:
                flow[position[(i, j)]] += step
                need_left[i] -= step
                offer_left[j] -= step
                left -= step
            if need_left[i] <= 1e-12:
                a += 1
            if offer_left[j] <= 1e-12:
                b += 1
    return flow
