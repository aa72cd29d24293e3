"""One HiGHS model over the compatible pairs, priced over all of them, built on a few.

Rows: offers ``0..M-1`` (at most the offered beds), needs ``M..M+N-1`` (at most the
patients), regions ``M+N..M+N+R-1`` (the fairness rows), then one row for the total.
Column 0 is the fill level ``t`` of the leximin stages; pairs follow. A basic solution
uses few pairs, so the model starts from the quickest pairs of each need and adds the
pairs whose reduced cost shows they could improve the objective; when none is left the
solution is optimal over *all* pairs, by LP duality — the restriction is a speed-up,
never an approximation.
"""

from __future__ import annotations

import highspy
import numpy as np

from .pairs import FloatArray, IntArray, Pairs

INF = highspy.kHighsInf
PRICE_TOL = 1e-9
BATCH = 2_000
START_PER_NEED = 3


class SolverFailure(RuntimeError):
    """HiGHS did not reach an optimum on an LP that is feasible by construction."""


class PairModel:
    def __init__(
        self,
        pairs: Pairs,
        need_region: IntArray,
        offer_beds: FloatArray,
        need_count: FloatArray,
        region_demand: FloatArray,
        initial: IntArray | None = None,
    ) -> None:
        self.pairs = pairs
        self.n_offer = int(offer_beds.shape[0])
        self.n_need = int(need_count.shape[0])
        self.n_region = int(region_demand.shape[0])
        self.region_row0 = self.n_offer + self.n_need
        self.total_row = self.region_row0 + self.n_region
        self.pair_region = need_region[pairs.need] if pairs.size else np.zeros(0, dtype=np.int64)
        self.cost = np.zeros(pairs.size)
        self.in_model = np.zeros(pairs.size, dtype=np.bool_)
        self.col_pos = np.zeros(0, dtype=np.int64)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        self.highs = h
        lower = np.concatenate(
            [np.zeros(self.n_offer + self.n_need), np.zeros(self.n_region), [0.0]]
        )
        upper = np.concatenate([offer_beds, need_count, np.full(self.n_region, INF), [INF]]).astype(
            np.float64
        )
        h.addRows(
            int(lower.shape[0]),
            lower,
            upper,
            0,
            np.zeros(1, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        # The level column: -D_r in every region row (sum of the region's pairs >= t D_r).
        rows = np.arange(self.region_row0, self.total_row, dtype=np.int32)
        h.addCol(-1.0, 0.0, 1.0, self.n_region, rows, -np.asarray(region_demand, dtype=np.float64))
        start = self._quickest(START_PER_NEED)
        if initial is not None:
            start = np.union1d(start, initial)
        self.add_pairs(start)

    def _quickest(self, k: int) -> IntArray:
        """The ``k`` quickest pairs of every need (pairs are sorted by need, minutes)."""
        need = self.pairs.need
        if need.shape[0] == 0:
            return np.zeros(0, dtype=np.int64)
        first = np.searchsorted(need, need, side="left")
        rank = np.arange(need.shape[0]) - first
        return np.flatnonzero(rank < k)

    def add_pairs(self, positions: IntArray) -> None:
        positions = positions[~self.in_model[positions]]
        m = int(positions.shape[0])
        if m == 0:
            return
        index = np.empty(4 * m, dtype=np.int32)
        index[0::4] = self.pairs.offer[positions]
        index[1::4] = self.n_offer + self.pairs.need[positions]
        index[2::4] = self.region_row0 + self.pair_region[positions]
        index[3::4] = self.total_row
        self.highs.addCols(
            m,
            self.cost[positions],
            np.zeros(m),
            np.full(m, INF),
            4 * m,
            np.arange(0, 4 * m, 4, dtype=np.int32),
            index,
            np.ones(4 * m),
        )
        self.in_model[positions] = True
        self.col_pos = np.concatenate([self.col_pos, positions])

    def set_pair_costs(self, cost: FloatArray) -> None:
        self.cost = np.asarray(cost, dtype=np.float64)
        cols = np.arange(1, 1 + self.col_pos.shape[0], dtype=np.int32)
        if cols.shape[0]:
            self.highs.changeColsCost(int(cols.shape[0]), cols, self.cost[self.col_pos])

    def solve(self) -> None:
        """Optimise over all pairs, pricing in the ones that improve the objective."""
        fell_back = False
        while True:
            self.highs.run()
            status = self.highs.getModelStatus()
            if status == highspy.HighsModelStatus.kInfeasible and not self.in_model.all():
                # Bounds set from an earlier stage's values may need pairs not yet in.
                self.add_pairs(np.flatnonzero(~self.in_model))
                continue
            if status != highspy.HighsModelStatus.kOptimal:
                if not fell_back:
                    fell_back = True
                    self.highs.setOptionValue("simplex_strategy", 4)
                    continue
                raise SolverFailure(f"HiGHS stopped with {self.highs.modelStatusToString(status)}")
            dual = np.asarray(self.highs.getSolution().row_dual, dtype=np.float64)
            d = self.reduced_costs(dual)
            candidates = np.flatnonzero((d < -PRICE_TOL) & ~self.in_model)
            if candidates.shape[0] == 0:
                return
            if candidates.shape[0] > BATCH:
                candidates = candidates[np.argpartition(d[candidates], BATCH)[:BATCH]]
            self.add_pairs(candidates)

    def reduced_costs(self, dual: FloatArray) -> FloatArray:
        p = self.pairs
        return (
            self.cost
            - dual[p.offer]
            - dual[self.n_offer + p.need]
            - dual[self.region_row0 + self.pair_region]
            - dual[self.total_row]
        )

    def level(self) -> float:
        return float(self.highs.getSolution().col_value[0])

    def row_duals(self) -> FloatArray:
        return np.asarray(self.highs.getSolution().row_dual, dtype=np.float64)

    def region_totals(self) -> FloatArray:
        return np.bincount(self.pair_region, weights=self.flows(), minlength=self.n_region).astype(
            np.float64
        )

    def flows(self) -> FloatArray:
        out = np.zeros(self.pairs.size)
        values = np.asarray(self.highs.getSolution().col_value, dtype=np.float64)
        out[self.col_pos] = values[1:]
        return out

    def fix_region(self, region: int, lower: float, upper: float) -> None:
        row = self.region_row0 + region
        self.highs.changeCoeff(row, 0, 0.0)
        self.highs.changeRowBounds(row, lower, upper)

    def drop_level(self) -> None:
        """Leave the leximin stages: the level column no longer counts."""
        self.highs.changeColCost(0, 0.0)
        self.highs.changeColBounds(0, 0.0, 0.0)

    def set_total(self, lower: float, upper: float) -> None:
        self.highs.changeRowBounds(self.total_row, lower, upper)
