"""The certificate's cheap proofs (``cuts.py``) against slow, obvious references.

- ``reach`` against a plain breadth-first search, pair by pair, in Python;
- the cut bound on the planner's own flow against scipy's max-flow (the fallback,
  ``flowcheck``), and a spoiled flow is never called maximal;
- the tight-set bound on the level against the Dinkelbach max-flow bound.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.planning.allocation import flowcheck, parse_allocation
from aidbridge.planning.allocation.cuts import (
    PairIndex,
    level_bound_by_tight_set,
    max_units_by_cut,
    reach,
)
from aidbridge.planning.allocation.generate import generate_appeal
from aidbridge.planning.allocation.leximin import leximin_targets
from aidbridge.planning.allocation.network import Network, build_network
from aidbridge.planning.allocation.solve import _whole_units


def _network(n_sup: int, n_need: int, pairs: list[tuple[int, int]]) -> Network:
    es = np.array([s for s, _ in pairs], dtype=np.int64)
    en = np.array([n for _, n in pairs], dtype=np.int64)
    return Network(
        need_qty=np.ones(n_need, dtype=np.int64),
        need_class=np.ones(n_need, dtype=np.int64),
        supply_qty=np.ones(n_sup, dtype=np.int64),
        edge_supply=es,
        edge_need=en,
        edge_cost=np.zeros(es.shape[0]),
        edge_substitute=np.zeros(es.shape[0], dtype=np.bool_),
    )


@st.composite
def graphs(
    draw: st.DrawFn,
) -> tuple[int, int, list[tuple[int, int]], list[int], set[int], set[int]]:
    n_sup, n_need = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    every = [(s, n) for s in range(n_sup) for n in range(n_need)]
    pairs = draw(st.lists(st.sampled_from(every), unique=True, max_size=len(every)))
    flowing = draw(st.lists(st.integers(0, max(len(pairs) - 1, 0)), unique=True))
    flowing = [i for i in flowing if i < len(pairs)]
    start_s = draw(st.sets(st.integers(0, n_sup - 1)))
    start_n = draw(st.sets(st.integers(0, n_need - 1)))
    return n_sup, n_need, pairs, flowing, start_s, start_n


def _plain_reach(
    pairs: list[tuple[int, int]],
    flowing: list[tuple[int, int]],
    start_s: set[int],
    start_n: set[int],
) -> tuple[set[int], set[int]]:
    queue: deque[tuple[str, int]] = deque([("s", s) for s in start_s] + [("n", n) for n in start_n])
    seen = set(queue)
    while queue:
        side, node = queue.popleft()
        if side == "s":
            step = [("n", n) for s, n in pairs if s == node]
        else:
            step = [("s", s) for s, n in flowing if n == node]
        for nxt in step:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return {i for side, i in seen if side == "s"}, {i for side, i in seen if side == "n"}


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_reach_matches_a_plain_search(case: Any) -> None:
    n_sup, n_need, pairs, flowing_at, start_s, start_n = case
    net = _network(n_sup, n_need, pairs)
    flowing = [pairs[i] for i in flowing_at]
    got_s, got_n = reach(
        PairIndex.of(net),
        np.array([s for s, _ in flowing], dtype=np.int64),
        np.array([n for _, n in flowing], dtype=np.int64),
        np.isin(np.arange(n_sup), list(start_s)),
        np.isin(np.arange(n_need), list(start_n)),
    )
    want_s, want_n = _plain_reach(pairs, flowing, start_s, start_n)
    assert set(np.flatnonzero(got_s).tolist()) == want_s
    assert set(np.flatnonzero(got_n).tolist()) == want_n


def _planned(doc: dict[str, Any]) -> tuple[Network, Any, Any, Any]:
    net = build_network(parse_allocation(doc))
    targets, _, witness = leximin_targets(net)
    flows, _, _ = _whole_units(net, targets, np.flatnonzero(witness > 1e-7))
    return net, targets, witness, flows


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([(30, 12), (60, 30), (90, 20)]))
def test_cut_bounds_equal_the_max_flow_and_reject_a_spoiled_flow(
    seed: int, size: tuple[int, int]
) -> None:
    doc = generate_appeal(needs=size[0], supplies=size[1], seed=seed, parties=6)
    net, targets, witness, flows = _planned(doc)
    if net.n_edges == 0:
        return
    index = PairIndex.of(net)
    whole = np.rint(np.bincount(net.edge_need, weights=flows, minlength=net.need_qty.shape[0]))
    qty = net.need_qty.astype(np.float64)
    for k in (1, 2, 3):
        members = net.need_class == k
        if not members.any():
            continue
        proved = max_units_by_cut(net, index, flows, k)
        assert proved == flowcheck.max_units(net, whole.astype(np.int64), k)
        lower = float((targets[members] / qty[members]).min())
        served = np.isin(np.flatnonzero(members), net.edge_need)
        if lower < 1.0 - 1e-9 and served.all():
            found = level_bound_by_tight_set(net, index, witness, targets, k, lower)
            assert found is not None
            reference, _ = flowcheck.level_bound(net, targets, k, lower)
            assert lower - 1e-7 <= found[0] <= reference + 1e-7
        # One unit less on a class-k pair: an augmenting path, never a proof.
        carrying = np.flatnonzero((flows > 0.5) & (net.need_class[net.edge_need] == k))
        if carrying.shape[0]:
            spoiled = flows.copy()
            spoiled[carrying[0]] -= 1
            assert max_units_by_cut(net, index, spoiled, k) is None
