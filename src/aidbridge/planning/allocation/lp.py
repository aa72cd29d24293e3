"""Transportation LPs in HiGHS, priced over all pairs but built on a few.

Every LP of the planner has one column per compatible pair (a +1 in the supply's row,
a +1 in the need's row, optionally a +1 in the need's class row) plus at most one
extra column. A basic solution uses at most one pair per row, yet a medium instance
has ~200,000 pairs and a simplex iteration costs in proportion to the columns. So the
LP starts from a few pairs per need and adds pairs by *pricing*: after each solve the
reduced cost of every pair is computed at once with numpy from the row duals, and the
pairs that could improve the objective are added (warm start kept). When none is
left the solution is optimal for the full LP, by LP duality.
"""

from __future__ import annotations

import highspy
import numpy as np

from .network import FloatArray, IntArray, Network

INF = highspy.kHighsInf
_PRICE_TOL = 1e-9
_BATCH = 1_000
"""Most pairs priced in per round. Whole-unit LP CPU s on the first 10 families of
10,000 x 10,000 (bench/allocation.py's ``large``): 20,000 -> 2.5, 3,000 -> 1.7,
1,000 -> 1.4, 500 -> 1.6; on 2,000 x 800 the same within noise. A big batch swells
every later simplex iteration with pairs a basis of a few hundred rows never uses."""


class SolverFailure(RuntimeError):
    """HiGHS did not reach an optimum on an LP that is feasible by construction."""


def new_highs() -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    # Shared small machines: one thread is as fast here and plays nice with neighbours.
    h.setOptionValue("threads", 1)
    # Primal simplex: each re-solve changes bounds and adds priced columns, which keeps
    # the basis primal feasible. CPU s of the whole plan on issue 11's 2,000 x 800
    # instances (bench/allocation.py): dual (HiGHS' default) 2.75-2.85, primal 1.4-1.7.
    h.setOptionValue("simplex_strategy", 4)
    return h


def cheapest_per_need(net: Network, edges: IntArray, k: int) -> IntArray:
    """Positions (into ``edges``, ascending pair indices) of the ``k`` pairs of least
    tonne-km of every need."""
    order = net.by_need_cost
    if order.shape[0] != net.n_edges:
        order = np.lexsort((net.edge_cost, net.edge_need))
    member = np.zeros(net.n_edges, dtype=np.bool_)
    member[edges] = True
    order = order[member[order]]
    sorted_need = net.edge_need[order]
    first = np.searchsorted(sorted_need, sorted_need, side="left")
    rank = np.arange(order.shape[0]) - first
    return np.searchsorted(edges, np.sort(order[rank < k]))


class PairLp:
    """A minimisation LP over the pairs ``edges`` (indices into the network's pairs).

    Rows: supplies ``0..S-1``, needs ``S..S+N-1``, then, with ``class_rows``, one row per
    priority class (``S+N+k-1``). The extra column, when given, is column 0.
    """

    def __init__(
        self,
        net: Network,
        edges: IntArray,
        cost: FloatArray,
        row_lower: FloatArray,
        row_upper: FloatArray,
        initial: IntArray,
        class_rows: bool = False,
        extra: tuple[IntArray, FloatArray, float, float, float] | None = None,
    ) -> None:
        self.net = net
        self.n_sup = int(net.supply_qty.shape[0])
        n_need = int(net.need_qty.shape[0])
        self.edges = edges
        self.cost = np.asarray(cost, dtype=np.float64)
        self.es = net.edge_supply[edges]
        self.en = net.edge_need[edges]
        self.ek = net.need_class[self.en] - 1 if class_rows else None
        self.class_row0 = self.n_sup + n_need
        self.in_model = np.zeros(edges.shape[0], dtype=np.bool_)
        self.col_pos = np.zeros(0, dtype=np.int64)
        self.n_extra = 0 if extra is None else 1
        self.solves = 0
        self.fell_back = False
        self.highs = new_highs()
        h = self.highs
        n_rows = int(row_lower.shape[0])
        h.addRows(
            n_rows,
            np.asarray(row_lower, dtype=np.float64),
            np.asarray(row_upper, dtype=np.float64),
            0,
            np.zeros(1, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        if extra is not None:
            rows, values, lower, upper, col_cost = extra
            order = np.argsort(rows)
            h.addCol(
                col_cost,
                lower,
                upper,
                int(rows.shape[0]),
                rows[order].astype(np.int32),
                np.asarray(values, dtype=np.float64)[order],
            )
        self.add_pairs(initial)

    def add_pairs(self, positions: IntArray) -> None:
        positions = positions[~self.in_model[positions]]
        if positions.shape[0] == 0:
            return
        per = 2 if self.ek is None else 3
        m = int(positions.shape[0])
        index = np.empty(per * m, dtype=np.int32)
        index[0::per] = self.es[positions]
        index[1::per] = self.n_sup + self.en[positions]
        if self.ek is not None:
            index[2::per] = self.class_row0 + self.ek[positions]
        self.highs.addCols(
            m,
            self.cost[positions],
            np.zeros(m),
            np.full(m, INF),
            per * m,
            np.arange(0, per * m, per, dtype=np.int32),
            index,
            np.ones(per * m),
        )
        self.in_model[positions] = True
        self.col_pos = np.concatenate([self.col_pos, positions])

    def reduced_costs(self, row_dual: FloatArray) -> FloatArray:
        d = self.cost - row_dual[self.es] - row_dual[self.n_sup + self.en]
        if self.ek is not None:
            d = d - row_dual[self.class_row0 + self.ek]
        return d

    def solve(self, batch: int = _BATCH) -> None:
        """Optimise over all pairs, adding the most attractive ones batch by batch."""
        while True:
            self.highs.run()
            self.solves += 1
            status = self.highs.getModelStatus()
            if status == highspy.HighsModelStatus.kInfeasible and not self.in_model.all():
                # The pairs so far cannot meet the row bounds (tolerances of an earlier
                # stage); the full LP is feasible by construction.
                self.add_pairs(np.flatnonzero(~self.in_model))
                continue
            if status != highspy.HighsModelStatus.kOptimal and not self.fell_back:
                # Primal simplex sometimes stalls on a degenerate re-solve ("Unknown");
                # the dual simplex from the same basis finishes it.
                self.fell_back = True
                self.highs.setOptionValue("simplex_strategy", 1)
                continue
            if status != highspy.HighsModelStatus.kOptimal:
                name = self.highs.modelStatusToString(status)
                raise SolverFailure(f"HiGHS stopped with {name}")
            d = self.reduced_costs(np.asarray(self.highs.getSolution().row_dual))
            candidates = np.flatnonzero((d < -_PRICE_TOL) & ~self.in_model)
            if candidates.shape[0] == 0:
                return
            if candidates.shape[0] > batch:
                candidates = candidates[np.argpartition(d[candidates], batch)[:batch]]
            self.add_pairs(candidates)

    def values(self) -> FloatArray:
        return np.asarray(self.highs.getSolution().col_value, dtype=np.float64)

    def flows(self) -> FloatArray:
        """Flow on every pair of ``edges`` (zero for pairs never added)."""
        out = np.zeros(self.edges.shape[0])
        out[self.col_pos] = self.values()[self.n_extra :]
        return out

    def row_duals(self) -> FloatArray:
        return np.asarray(self.highs.getSolution().row_dual, dtype=np.float64)
