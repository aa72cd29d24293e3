"""Why each need got what it got, in words a coordinator can act on.

The planner package announces ``explain_need``; while it is not there, this module
says the same from the plan and the spec's "may serve" rule: no supply of the item,
every candidate excluded (by a date, an earmark, or being the need's own party), or a
shortage shared with the other needs served from the same supplies.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from aidbridge.planning import allocation as planner
from aidbridge.planning.allocation import AllocationInput, AllocationPlan, Need, may_serve

LISTED = 5

_RULES = {
    "own party": "it is the need's own party",
    "only_for": "earmarked for other parties",
    "not_for": "earmarked not for this party",
    "date": "available only after the date needed",
}


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:LISTED])
    return shown + (f" and {len(ids) - LISTED} more" if len(ids) > LISTED else "")


def _blocked_by(problem: AllocationInput, need: Need, supply: Any) -> list[str]:
    reasons = []
    if supply.party == need.party:
        reasons.append("own party")
    if supply.only_for and need.party not in supply.only_for:
        reasons.append("only_for")
    if need.party in supply.not_for:
        reasons.append("not_for")
    if supply.available_from and need.needed_by and supply.available_from > need.needed_by:
        reasons.append("date")
    return reasons


def explain_all(problem: AllocationInput, plan: AllocationPlan) -> dict[str, str]:
    """One sentence or two per need id."""
    own = getattr(planner, "explain_need", None)
    if own is not None:
        return {n.id: str(own(problem, plan, n.id).text()) for n in problem.needs}
    by_item: dict[str, list[Any]] = defaultdict(list)
    for s in problem.supplies:
        by_item[s.item].append(s)
    substitutes: dict[str, list[str]] = defaultdict(list)
    for need_item, supply_item in sorted(problem.substitutes):
        substitutes[need_item].append(supply_item)
    given_to: dict[str, list[tuple[str, int]]] = defaultdict(list)
    served_by: dict[str, list[str]] = defaultdict(list)
    for a in plan.allocations:
        given_to[a.need].append((a.supply, a.quantity))
        served_by[a.supply].append(a.need)
    return {
        n.id: _explain(problem, n, by_item, substitutes, given_to[n.id], served_by)
        for n in problem.needs
    }


def _explain(
    problem: AllocationInput,
    need: Need,
    by_item: dict[str, list[Any]],
    substitutes: dict[str, list[str]],
    given: list[tuple[str, int]],
    served_by: dict[str, list[str]],
) -> str:
    filled = sum(q for _, q in given)
    sources = "; ".join(f"{q} from {s}" for s, q in given)
    if filled >= need.quantity:
        return f"Fully served ({sources})."
    head = f"{filled} of {need.quantity} ({sources})." if given else f"0 of {need.quantity}."
    candidates = [s for item in (need.item, *substitutes[need.item]) for s in by_item[item]]
    if not candidates:
        alternatives = " or a substitute" if substitutes[need.item] else ""
        return f"{head} No standing offer holds {need.item}{alternatives}."
    compatible = [s for s in candidates if may_serve(problem, s, need)]
    if not compatible:
        counts: dict[str, int] = defaultdict(int)
        for s in candidates:
            for reason in _blocked_by(problem, need, s):
                counts[reason] += 1
        why = "; ".join(f"{count} {_RULES[rule]}" for rule, count in counts.items())
        return f"{head} Every supply of the item is excluded: {why}."
    others = sorted({other for s in compatible for other in served_by[s.id]} - {need.id})
    used = _names([s.id for s in compatible])
    if not others:
        return f"{head} The compatible supplies ({used}) hold no more."
    return (
        f"{head} Shortage: the compatible supplies ({used}) are shared with "
        f"{_names(others)}, which rank before or with this need."
    )
