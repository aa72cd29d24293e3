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
from typing import Any

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

    def parts(self) -> list[Part]:
        """The explanation as reason codes with their parameters, one per line, for a
        caller to word in its reader's language (:func:`english` words them here)."""
        n = self.need
        out: list[Part] = [
            (
                "need",
                {
                    "need": n.id,
                    "party": n.party,
                    "item": n.item,
                    "priority": n.priority,
                    "received": self.received,
                    "quantity": n.quantity,
                    "fill": self.fill,
                },
            )
        ]
        if self.sources:
            out.append(("receives", {"sources": [[s, q] for s, q in self.sources]}))
        if self.binding == "served":
            out.append(("served", {}))
        elif self.binding == "no_supply":
            out.append(("no_supply", {"item": n.item}))
        elif self.binding == "excluded":
            out.append(("all_excluded", {}))
        elif self.binding == "shortage" and not self.sharers:
            out.append(("shortage_alone", {"supplies": list(self.exhausted)}))
        elif self.binding == "shortage":
            higher = sum(sh.units_from_shared for sh in self.sharers if sh.priority < n.priority)
            out.append(
                (
                    "shortage_shared",
                    {
                        "count": len(self.sharers),
                        "supplies": list(self.exhausted),
                        "higher": higher,
                    },
                )
            )
            for sh in self.sharers[:_SHOWN]:
                out.append(
                    (
                        "sharer",
                        {
                            "need": sh.need,
                            "party": sh.party,
                            "priority": sh.priority,
                            "higher": sh.priority < n.priority,
                            "fill": sh.fill,
                            "units": sh.units_from_shared,
                        },
                    )
                )
            if len(self.sharers) > _SHOWN:
                out.append(("more_sharers", {"count": len(self.sharers) - _SHOWN}))
        else:
            out.append(("rounding", {}))
        if self.target is not None and self.binding != "served":
            out.append(("fair_share", {"target": self.target}))
        for reason, supplies in self.excluded.items():
            detail = [_excluded_detail(reason, s, n) for s in supplies]
            out.append(("excluded", {"reason": reason, "supplies": detail}))
        return out

    def text(self) -> str:
        return "\n".join(english(code, params) for code, params in self.parts())


Part = tuple[str, dict[str, Any]]


def english(code: str, p: dict[str, Any]) -> str:
    """One line of an explanation in English (the planner's own wording, for the CLI
    and the API; pages word the same codes in the reader's language)."""
    if code == "need":
        return (
            f"Need {p['need']} ({p['party']}, {p['item']}, priority {p['priority']}): "
            f"{p['received']} of {p['quantity']} units ({p['fill']:.1%})."
        )
    if code == "receives":
        return "Receives: " + _listing(f"{q} from {s}" for s, q in p["sources"])
    if code == "served":
        return "Fully served."
    if code == "no_supply":
        return f"Bound by: no supply of {p['item']} or of an accepted substitute."
    if code == "all_excluded":
        return "Bound by: no compatible supply; every supply of the item is excluded."
    if code == "shortage_alone":
        return (
            "Bound by: a shortage; every compatible supply "
            f"({_listing(p['supplies'])}) is given to this need in full."
        )
    if code == "shortage_shared":
        higher = p["higher"]
        return (
            f"Bound by: a shortage shared with {p['count']} other need(s); "
            f"every compatible supply ({_listing(p['supplies'])}) is given out"
            + (f", {higher} units of it to higher-priority needs:" if higher else ":")
        )
    if code == "sharer":
        rank = "higher priority" if p["higher"] else f"priority {p['priority']}"
        return (
            f"  {p['need']} ({p['party']}, {rank}, {p['fill']:.1%} filled): "
            f"{p['units']} units from these supplies"
        )
    if code == "more_sharers":
        return f"  ... and {p['count']} more"
    if code == "rounding":
        return "Bound by: whole units (the fair share is fractional; < 1 unit off)."
    if code == "fair_share":
        return f"Fair share (fractional leximin optimum): {p['target']:.2f} units."
    if code == "excluded":
        detail = [_english_detail(p["reason"], d) for d in p["supplies"]]
        return f"Excluded, {_REASON_TEXT[p['reason']]}: {_listing(detail)}"
    raise KeyError(code)


def _excluded_detail(reason: str, s: Supply, n: Need) -> dict[str, Any]:
    if reason == "date":
        return {"supply": s.id, "from": str(s.available_from), "needed_by": str(n.needed_by)}
    if reason == "only_for":
        return {"supply": s.id, "only_for": sorted(s.only_for)}
    if reason == "own party":
        return {"supply": s.id, "party": s.party}
    return {"supply": s.id}


def _english_detail(reason: str, d: dict[str, Any]) -> str:
    if reason == "date":
        return f"{d['supply']} (from {d['from']}, needed by {d['needed_by']})"
    if reason == "only_for":
        return f"{d['supply']} (only for {', '.join(d['only_for'])})"
    if reason == "own party":
        return f"{d['supply']} ({d['party']})"
    return str(d["supply"])


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
