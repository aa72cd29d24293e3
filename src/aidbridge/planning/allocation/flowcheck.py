"""The certificate's fallback: an independent max-flow (scipy's Dinic), run only when
the cheap proof from the plan's own flows (``cuts.py``) fails, to measure the gap.

scipy is imported inside the functions: importing it costs ~1 s of process time,
more than the whole plan of a 2,000 x 800 instance, and a plan that is proved by a
cut never needs it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import BoolArray, FloatArray, IntArray, Network

_INT32_MAX = np.iinfo(np.int32).max
_LEVEL_TOL = 1e-9
_MAX_STEPS = 30


class TooLarge(Exception):
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
    import scipy.sparse as sp
    from scipy.sparse.csgraph import breadth_first_order, maximum_flow

    n_sup = int(net.supply_qty.shape[0])
    n_need = int(net.need_qty.shape[0])
    if max(int(net.supply_qty.max(initial=0)), int(demand.max(initial=0))) >= _INT32_MAX:
        raise TooLarge
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


def max_units(net: Network, whole: IntArray, k: int) -> int:
    """Most class-k units with every higher need held at the plan's ``whole`` units.

    The feasible vectors of units form a polymatroid, so capping the higher needs at
    the plan's units and maximising the total flow gives ``sum(plan's higher units) +
    max F_k`` (every independent vector extends to a base, all bases have one size).
    """
    higher = net.need_class < k
    demand = np.where(higher, whole, np.where(net.need_class == k, net.need_qty, 0))
    return _max_flow(net, demand).value - int(whole[higher].sum())


def level_bound(net: Network, targets: FloatArray, k: int, lower: float) -> tuple[float, int]:
    """The smallest Hall ratio found: no plan lifts every class-k need above it.

    Any set A of needs gives ``t <= (c(N(A)) - held(A)) / q(A)`` where ``held`` is
    what A's higher-class needs keep and ``q(A)`` the quantity of A's class-k
    needs; the ratio is computed from the data, so it is a bound however A was
    found. A is found by one max-flow asking, just above the witnessed level,
    ``ceil(t x quantity)`` per class-k need and ``ceil(target)`` per higher need:
    the demand the tight set cannot meet. Both sides of the min cut are tried, then
    Dinkelbach steps down from 1.
    """
    if lower >= 1.0 - _LEVEL_TOL:
        return 1.0, 0
    qty = net.need_qty.astype(np.float64)
    in_class = net.need_class == k
    higher = net.need_class < k
    held = np.ceil(targets - 1e-9 * np.maximum(targets, 1.0))
    best, best_size = 1.0, 0
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
