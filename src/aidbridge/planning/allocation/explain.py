"""Why a need got what it got, from the input and the plan alone.

Works on any plan, including one stored long ago, so a coordinator can answer "why
did Italy get 200 and not 300?" without re-running the solver. The binding reason is
one of: fully served; no supply of the item at all; supplies exist but every one is
excluded (by date, earmark or own party); or the compatible supplies are all given
out, shared with the needs listed (higher priority first, then the same class, whose
fills the planner levelled).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .check import why_not
from .model import AllocationInput, AllocationPlan, Need, Supply

_SHOWN = 10
_REASON_TEXT = {
    "own party": "own party",
    "only_for": "earmarked for others (only_for)",
    "not_for": "earmarked against this party (not_for)",
    "date": "available too late",
}


@dataclass(frozen=True, slots=True)
class Sharer:
    need: str
    party: str
    priority: int
    fill: float
    units_from_shared: int


@dataclass(slots=True)
class NeedExplanation:
    need: Need
    received: int
    target: float | None
    binding: str
    """``served``, ``no_supply``, ``excluded``, ``shortage`` or ``rounding``."""
    sources: list[tuple[str, int]] = field(default_factory=list)
    excluded: dict[str, list[Supply]] = field(default_factory=dict)
    """Item-compatible supplies that may not serve, by the first rule that stops them."""
    exhausted: list[str] = field(default_factory=list)
    sharers: list[Sharer] = field(default_factory=list)

    @property
    def fill(self) -> float:
        return self.received / self.need.quantity

    def text(self) -> str:
        n = self.need
        lines = [
            f"Need {n.id} ({n.party}, {n.item}, priority {n.priority}): "
            f"{self.received} of {n.quantity} units ({self.fill:.1%})."
        ]
        if self.sources:
            lines.append("Receives: " + _listing(f"{q} from {s}" for s, q in self.sources))
        if self.binding == "served":
            lines.append("Fully served.")
        elif self.binding == "no_supply":
            lines.append(f"Bound by: no supply of {n.item} or of an accepted substitute.")
        elif self.binding == "excluded":
            lines.append("Bound by: no compatible supply; every supply of the item is excluded.")
        elif self.binding == "shortage" and not self.sharers:
            lines.append(
                "Bound by: a shortage; every compatible supply "
                f"({_listing(self.exhausted)}) is given to this need in full."
            )
        elif self.binding == "shortage":
            higher = sum(sh.units_from_shared for sh in self.sharers if sh.priority < n.priority)
            lines.append(
                f"Bound by: a shortage shared with {len(self.sharers)} other need(s); "
                f"every compatible supply ({_listing(self.exhausted)}) is given out"
                + (f", {higher} units of it to higher-priority needs:" if higher else ":")
            )
            for sh in self.sharers[:_SHOWN]:
                rank = "higher priority" if sh.priority < n.priority else f"priority {sh.priority}"
                lines.append(
                    f"  {sh.need} ({sh.party}, {rank}, {sh.fill:.1%} filled): "
                    f"{sh.units_from_shared} units from these supplies"
                )
            if len(self.sharers) > _SHOWN:
                lines.append(f"  ... and {len(self.sharers) - _SHOWN} more")
        else:
            lines.append("Bound by: whole units (the fair share is fractional; < 1 unit off).")
        if self.target is not None and self.binding != "served":
            lines.append(f"Fair share (fractional leximin optimum): {self.target:.2f} units.")
        for reason, supplies in self.excluded.items():
            detail = [_excluded_detail(reason, s, n) for s in supplies]
            lines.append(f"Excluded, {_REASON_TEXT[reason]}: {_listing(detail)}")
        return "\n".join(lines)


def _excluded_detail(reason: str, s: Supply, n: Need) -> str:
    if reason == "date":
        return f"{s.id} (from {s.available_from}, needed by {n.needed_by})"
    if reason == "only_for":
        return f"{s.id} (only for {', '.join(sorted(s.only_for))})"
    if reason == "own party":
        return f"{s.id} ({s.party})"
    return s.id


def _listing(parts: object) -> str:
    items = list(parts)  # type: ignore[call-overload]
    shown = ", ".join(str(p) for p in items[:_SHOWN])
    return shown + (f", ... and {len(items) - _SHOWN} more" if len(items) > _SHOWN else "")


class _Index:
    """What every explanation looks up, computed once per plan."""

    def __init__(self, problem: AllocationInput, plan: AllocationPlan) -> None:
        self.problem = problem
        self.plan = plan
        self.needs = {n.id: n for n in problem.needs}
        self.given: dict[str, int] = defaultdict(int)
        self.received: dict[str, int] = defaultdict(int)
        self.by_supply: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self.by_need: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for a in plan.allocations:
            self.given[a.supply] += a.quantity
            self.received[a.need] += a.quantity
            self.by_supply[a.supply].append((a.need, a.quantity))
            self.by_need[a.need].append((a.supply, a.quantity))
        self.of_item: dict[str, list[int]] = defaultdict(list)
        for i, supply in enumerate(problem.supplies):
            self.of_item[supply.item].append(i)
        self.accepts: dict[str, list[str]] = defaultdict(list)
        for need_item, supply_item in problem.substitutes:
            self.accepts[need_item].append(supply_item)

    def candidates(self, need: Need) -> list[Supply]:
        """Supplies of the need's item or an accepted substitute, in input order."""
        found = list(self.of_item.get(need.item, []))
        for item in self.accepts.get(need.item, []):
            found.extend(self.of_item.get(item, []))
        return [self.problem.supplies[i] for i in sorted(found)]

    def explain(self, need: Need) -> NeedExplanation:
        explanation = NeedExplanation(
            need=need,
            received=self.received[need.id],
            target=self.plan.targets.get(need.id),
            binding="served",
            sources=list(self.by_need.get(need.id, [])),
        )
        compatible: list[Supply] = []
        for supply in self.candidates(need):
            reasons = why_not(self.problem, supply, need)
            if not reasons:
                compatible.append(supply)
            else:
                explanation.excluded.setdefault(reasons[0], []).append(supply)
        if explanation.received >= need.quantity:
            return explanation
        if not compatible:
            explanation.binding = "excluded" if explanation.excluded else "no_supply"
            return explanation
        if any(self.given[s.id] < s.quantity for s in compatible):
            explanation.binding = "rounding"
            return explanation
        explanation.binding = "shortage"
        explanation.exhausted = [s.id for s in compatible]
        shared: dict[str, int] = defaultdict(int)
        for s in compatible:
            for other, q in self.by_supply.get(s.id, []):
                if other != need.id:
                    shared[other] += q
        explanation.sharers = sorted(
            (
                Sharer(
                    need=m,
                    party=self.needs[m].party,
                    priority=self.needs[m].priority,
                    fill=self.received[m] / self.needs[m].quantity,
                    units_from_shared=q,
                )
                for m, q in shared.items()
            ),
            key=lambda sh: (sh.priority, sh.fill, sh.need),
        )
        return explanation


def explain_need(problem: AllocationInput, plan: AllocationPlan, need_id: str) -> NeedExplanation:
    """Explain one need; ``KeyError`` naming the id if the input has no such need."""
    index = _Index(problem, plan)
    if need_id not in index.needs:
        raise KeyError(f"no need with id {need_id!r} in the input")
    return index.explain(index.needs[need_id])


def explain_all(problem: AllocationInput, plan: AllocationPlan) -> dict[str, NeedExplanation]:
    """Every need's explanation, keyed by need id, in time linear in the pairs.

    Same result as calling :func:`explain_need` per need, without its per-call scan.
    """
    index = _Index(problem, plan)
    return {n.id: index.explain(n) for n in problem.needs}
