"""Optimality proofs from the plan's own flows: residual reachability and cuts, in numpy.

A max-flow solver recomputes what the planner already has. The planner ends with a
flow (the whole-unit plan, and the fractional leximin "witness"); whether a flow is
maximal, and which set of needs is tight, is read off its *residual graph*, and the
proof is a cut whose capacity is summed from the input data and checked against every
compatible pair. So the certificate costs one breadth-first search per class over the
pairs (a few ms at 2,000 x 800, ~0.1 s at 10,000 x 10,000) and needs no scipy, whose
import alone costs more than the whole search. Only when a proof fails does the
certificate fall back to an independent max-flow (``flowcheck.py``) to measure the gap.

Residual graph of the network source -> supply (quantity) -> need (compatible pair,
unbounded) -> sink (demand), for a flow ``f`` on the pairs:

- supply -> need along every compatible pair (a pair's capacity is unbounded);
- need -> supply along every pair carrying flow (the supply can take units back).

The searches alternate those two steps, each pair looked at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import BoolArray, FloatArray, IntArray, Network


@dataclass(frozen=True, slots=True)
class PairIndex:
    """Every compatible pair grouped by supply (CSR), built once per network."""

    n_sup: int
    n_need: int
    ptr: IntArray
    need: IntArray

    @classmethod
    def of(cls, net: Network) -> PairIndex:
        n_sup = int(net.supply_qty.shape[0])
        order = np.argsort(net.edge_supply, kind="stable")
        counts = np.bincount(net.edge_supply, minlength=n_sup)
        ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return cls(n_sup, int(net.need_qty.shape[0]), ptr, net.edge_need[order])


def _gather(ptr: IntArray, values: IntArray, rows: IntArray) -> IntArray:
    """``values[ptr[r]:ptr[r+1]]`` for every ``r`` in ``rows``, concatenated."""
    starts = ptr[rows]
    counts = ptr[rows + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return values[shift + np.arange(total)]


def reach(
    index: PairIndex,
    flow_supply: IntArray,
    flow_need: IntArray,
    start_supply: BoolArray,
    start_need: BoolArray,
) -> tuple[BoolArray, BoolArray]:
    """Supplies and needs reached from the start sets by residual steps.

    ``flow_supply``/``flow_need``: the pairs carrying flow. From a reached supply every
    compatible need is reached; from a reached need every supply sending to it.
    """
    order = np.argsort(flow_need, kind="stable")
    by_need_ptr = np.concatenate(
        [[0], np.cumsum(np.bincount(flow_need, minlength=index.n_need))]
    ).astype(np.int64)
    senders = flow_supply[order]
    got_s, got_n = start_supply.copy(), start_need.copy()
    front_s, front_n = np.flatnonzero(got_s), np.flatnonzero(got_n)
    while front_s.shape[0] or front_n.shape[0]:
        found = _gather(index.ptr, index.need, front_s)
        found = np.unique(found[~got_n[found]])
        got_n[found] = True
        front_n = np.concatenate([front_n, found])
        found = _gather(by_need_ptr, senders, front_n)
        front_s = np.unique(found[~got_s[found]])
        got_s[front_s] = True
        front_n = np.zeros(0, dtype=np.int64)
    return got_s, got_n


def cut_covers_every_pair(net: Network, supplies: BoolArray, needs: BoolArray) -> bool:
    """Every compatible pair has its supply in ``supplies`` or its need in ``needs``."""
    return bool((supplies[net.edge_supply] | needs[net.edge_need]).all())


def max_units_by_cut(net: Network, index: PairIndex, flows: FloatArray, k: int) -> int | None:
    """The plan's class-k units, proved maximal by a cut, or None when the residual
    graph of the plan has an augmenting path (the plan is not maximal, or the flows
    are not whole).

    Network: higher-class needs demand exactly the plan's units (held), class-k needs
    their quantity, lower classes nothing; the flow is the plan's on classes <= k.
    Cut: supplies not reached from the source (their quantity) plus needs reached
    (their demand); it covers every pair by construction, checked anyway.
    """
    cls = net.need_class
    live = (flows > 0.5) & (cls[net.edge_need] <= k)
    es, en = net.edge_supply[live], net.edge_need[live]
    units = np.rint(flows[live]).astype(np.int64)
    sent = np.bincount(es, weights=units, minlength=index.n_sup).astype(np.int64)
    received = np.bincount(en, weights=units, minlength=index.n_need).astype(np.int64)
    demand = np.where(cls < k, received, np.where(cls == k, net.need_qty, 0))
    open_supply = sent < net.supply_qty
    got_s, got_n = reach(index, es, en, open_supply, np.zeros(index.n_need, dtype=np.bool_))
    if (got_n & (received < demand)).any():
        return None  # an augmenting path: more class-k units were possible
    cut_supplies = ~got_s
    capacity = int(net.supply_qty[cut_supplies].sum()) + int(demand[got_n].sum())
    value = int(received[cls <= k].sum())
    if capacity != value or not cut_covers_every_pair(net, cut_supplies, got_n | (demand == 0)):
        return None
    return value - int(received[cls < k].sum())


def level_bound_by_tight_set(
    net: Network, index: PairIndex, witness: FloatArray, targets: FloatArray, k: int, level: float
) -> tuple[float, int] | None:
    """An upper bound on class k's max-min fill from the tight set of the witness.

    A need *can rise* when a residual path leads from it to a supply with spare units
    or to a need receiving more than it must keep (a class-k need above ``level``, a
    higher need above its target). The needs of class <= k that cannot rise form a
    set A whose compatible supplies N(A) are full and send only into A, so no plan
    holding the higher classes at their targets lifts every class-k need of A above
    ``(quantity(N(A)) - targets(A, higher)) / quantity(A, class k)``. The ratio is
    computed from the data for whatever A the search found, so it is a bound even if
    the witness were wrong; a wrong witness only makes it loose (and the certificate
    then asks the max-flow fallback). Returns (bound, class-k needs in A), or None
    when A holds no class-k need.
    """
    cls = net.need_class
    qty = net.need_qty.astype(np.float64)
    cap = net.supply_qty.astype(np.float64)
    live = (witness > 0.0) & (cls[net.edge_need] <= k)
    es, en = net.edge_supply[live], net.edge_need[live]
    sent = np.bincount(es, weights=witness[live], minlength=index.n_sup)
    got = np.bincount(en, weights=witness[live], minlength=index.n_need)
    # A pair carrying a trace of flow (LP noise) would let a tight need "rise" by
    # taking that trace back; only real flows are residual arcs.
    real = witness[live] > 1e-7 * cap[es] + 1e-3
    es, en = es[real], en[real]
    keep = np.where(cls == k, level * qty, targets)
    # Tolerances well above the LP's errors (each held need may be short by ~1e-9 of
    # its units, and a supply's error is the sum over its needs). They only decide
    # which needs the search puts in A; the ratio is computed from the data, so a
    # truly spare supply judged full can only make the bound loose, never wrong.
    slack = (cls <= k) & (got > keep + 1e-6 * qty + 1e-4)
    spare = sent < cap - 1e-6 * cap - 1e-3
    _, can_n = reach(index, es, en, spare, slack)
    # reach() walks supply -> need along every pair and need -> supply along flow; a
    # need can rise iff a *good* supply is compatible, a supply is good iff it sends
    # to a need that can rise: the same two steps, run from the good ends.
    hall = (cls <= k) & ~can_n
    cut = hall & (cls == k)
    if not cut.any():
        return None
    neighbours = np.zeros(index.n_sup, dtype=np.bool_)
    neighbours[net.edge_supply[hall[net.edge_need]]] = True
    held = float(targets[hall & (cls < k)].sum())
    ratio = max(0.0, (float(cap[neighbours].sum()) - held) / float(qty[cut].sum()))
    return ratio, int(cut.sum())
