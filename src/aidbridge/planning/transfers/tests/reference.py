"""An independent reference for the matcher, by the definitions, for the tests.

Plain loops and scipy's ``linprog`` on a dense formulation: no code shared with the
planner beyond the input dataclasses and the transport model (which *is* the rule).
Leximin here follows the definition (a region is fixed when it cannot rise alone),
not the planner's dual argument.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import linprog

from aidbridge.planning.transfers import MatchingInput


def allowed_pairs(problem: MatchingInput) -> list[tuple[int, int, float]]:
    out = []
    for i, n in enumerate(problem.needs):
        for j, o in enumerate(problem.offers):
            if o.bed_type != n.bed_type or o.beds <= 0 or problem.is_stale(o):
                continue
            if (n.ventilated and not o.ventilation) or (n.isolation and not o.isolation):
                continue
            if o.only_for and n.id not in o.only_for:
                continue
            minutes, _ = problem.transport.trip(problem.distance_km(n, o))
            if minutes <= problem.max_minutes:
                out.append((i, j, minutes))
    return out


class Reference:
    def __init__(self, problem: MatchingInput) -> None:
        self.problem = problem
        self.pairs = allowed_pairs(problem)
        self.regions = sorted({n.region for n in problem.needs})
        self.demand = np.array(
            [sum(n.count for n in problem.needs if n.region == r) for r in self.regions],
            dtype=float,
        )
        p, n_pairs = problem, len(self.pairs)
        # Capacity rows (A_ub x <= b_ub) and the region-total matrix.
        a = np.zeros((len(p.needs) + len(p.offers), n_pairs))
        self.region_of = np.zeros((len(self.regions), n_pairs))
        for e, (i, j, _) in enumerate(self.pairs):
            a[i, e] = 1
            a[len(p.needs) + j, e] = 1
            self.region_of[self.regions.index(p.needs[i].region), e] = 1
        self.cap_rows = a
        self.cap = np.array([n.count for n in p.needs] + [o.beds for o in p.offers], dtype=float)

    def _solve(
        self,
        c: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray | None = None,
        t_coef: np.ndarray | None = None,
        total: float | None = None,
    ) -> Any:
        """min c.x (+ t column) s.t. capacities, region totals in [lower, upper]."""
        n_pairs = len(self.pairs)
        extra = 0 if t_coef is None else 1
        rows = [np.hstack([self.cap_rows, np.zeros((self.cap_rows.shape[0], extra))])]
        rhs = [self.cap]
        # -(R x) + lower (+ t D) <= 0
        block = -self.region_of
        if t_coef is not None:
            block = np.hstack([block, t_coef[:, None]])
        rows.append(block)
        rhs.append(-lower)
        if upper is not None:
            rows.append(np.hstack([self.region_of, np.zeros((len(self.regions), extra))]))
            rhs.append(upper)
        bounds = [(0, None)] * n_pairs + ([(0, 1)] if extra else [])
        eq = {} if total is None else {"A_eq": np.ones((1, n_pairs)), "b_eq": [total]}
        res = linprog(
            c, A_ub=np.vstack(rows), b_ub=np.concatenate(rhs), bounds=bounds, method="highs", **eq
        )
        assert res.status == 0, res.message
        return res

    def shares(self) -> np.ndarray:
        n_pairs, k = len(self.pairs), len(self.regions)
        fixed = np.full(k, np.nan)
        while np.isnan(fixed).any():
            active = np.isnan(fixed)
            lower = np.where(active, 0.0, fixed)
            c = np.zeros(n_pairs + 1)
            c[-1] = -1
            t = self._solve(c, lower, t_coef=np.where(active, self.demand, 0.0)).x[-1]
            if t >= 1 - 1e-9:
                fixed[active] = self.demand[active]
                break
            progressed = False
            for r in np.flatnonzero(active):
                floor = np.where(active, t * self.demand, fixed)
                c = np.zeros(n_pairs)
                c[self.region_of[r] > 0] = -1
                best = -self._solve(c, floor - 1e-9).fun
                if best <= t * self.demand[r] + 1e-7:
                    fixed[r] = t * self.demand[r]
                    progressed = True
            assert progressed
        return fixed

    def max_patients(self) -> float:
        c = -np.ones(len(self.pairs))
        return -float(self._solve(c, np.zeros(len(self.regions))).fun)

    def min_minutes(self, shares: np.ndarray) -> float:
        """Least patient-minutes with every region at its share rounded down or up and
        the total at the maximum."""
        lower = np.floor(shares + 1e-6)
        upper = np.ceil(shares - 1e-6)
        c = np.array([m for _, _, m in self.pairs])
        return float(self._solve(c, lower, upper, total=round(self.max_patients())).fun)

    def round_trip(self) -> tuple[np.ndarray, float, float]:
        if not self.pairs:
            return np.zeros(len(self.regions)), 0.0, 0.0
        s = self.shares()
        return s, self.max_patients(), self.min_minutes(s)
