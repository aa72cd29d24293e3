"""Figures reported with every plan, whichever planner made it."""

from __future__ import annotations

from typing import Any

from .legs import Legs
from .model import AirliftInput, Sortie
from .reasons import ENGLISH

NOT_FITTED = ENGLISH["not_fitted"]  # kept for callers that matched the text


def plan_stats(
    inp: AirliftInput,
    legs: Legs,
    sorties: list[Sortie],
    candidates: dict[str, tuple[str, ...]],
) -> dict[str, Any]:
    """The plan's figures: delivered weight per priority class, cost and flight hours,
    next to the requested weight and an upper bound on what could be delivered."""
    weight = {c.id: c for c in inp.consignments}
    planes = {a.id: a for a in inp.fleet}
    delivered = {p: 0.0 for p in (1, 2, 3)}
    requested = {p: 0.0 for p in (1, 2, 3)}
    bound = {p: 0.0 for p in (1, 2, 3)}
    for c in inp.consignments:
        requested[c.priority] += c.weight_kg
        if c.id in candidates:
            bound[c.priority] += c.weight_kg
    cost = hours = 0.0
    count = 0
    for s in sorties:
        kind = inp.aircraft_types[planes[s.aircraft].type]
        for a, b in zip(s.stops, s.stops[1:], strict=False):
            hours += legs.hours(kind, a.airport, b.airport)
            cost += legs.cost(kind, a.airport, b.airport)
        for stop in s.stops:
            for cid in stop.load:
                delivered[weight[cid].priority] += weight[cid].weight_kg
                count += 1
    return {
        "delivered_kg": {str(p): round(v, 1) for p, v in delivered.items()},
        "deliverable_kg_upper_bound": {str(p): round(v, 1) for p, v in bound.items()},
        "requested_kg": {str(p): round(v, 1) for p, v in requested.items()},
        "cost": round(cost, 2),
        "flight_hours": round(hours, 3),
        "sorties": len(sorties),
        "consignments_delivered": count,
        "consignments_unassigned": len(inp.consignments) + len(inp.rejected) - count,
    }


def rank(inp: AirliftInput, legs: Legs, sorties: list[Sortie]) -> tuple[float, ...]:
    """The spec's objective as a sort key, larger is better: delivered kg of priority
    1, 2, 3, then the negated cost."""
    s = plan_stats(inp, legs, sorties, {})
    d = s["delivered_kg"]
    return (d["1"], d["2"], d["3"], -s["cost"])
