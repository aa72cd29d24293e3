"""``plan_airlift``: from a validated input to a checked plan."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from .analysis import analyse
from .check import check_airlift
from .legs import Clock, Legs
from .model import AirliftInput, AirliftPlan, Progress, Sortie, Unassigned
from .pdp import build_model
from .routing import solve_routing
from .schedule import Visit, merge_visits, time_sortie

NOT_FITTED = (
    "could be flown on its own (e.g. by {plane}), but the capable aircraft's time and "
    "capacity went to higher-priority, heavier or cheaper-to-fly consignments"
)


def plan_airlift(
    inp: AirliftInput,
    time_limit_s: float = 10.0,
    *,
    seed: int = 0,
    progress: Callable[[Progress], None] | None = None,
) -> AirliftPlan:
    """Plan sorties for ``inp`` with a search of ``time_limit_s`` seconds.

    The plan is verified by the independent checker before it is returned; its
    ``stats['violations']`` lists what the checker found (empty unless there is a bug).
    """
    started = time.perf_counter()
    clock, legs = Clock.for_input(inp), Legs(inp)
    analysis = analyse(inp, legs, clock)
    plannable = [c for c in inp.consignments if c.id in analysis.candidates]
    by_id = {c.id: c for c in inp.consignments}
    sorties: list[Sortie] = []
    extra: list[Unassigned] = []
    engine: dict[str, Any] = {"engine": "pyvrp"}
    if plannable:
        model = build_model(inp, legs, clock, plannable)
        result = solve_routing(model.problem, time_limit_s, seed=seed, progress=progress)
        engine.update(
            iterations=result.iterations,
            objective="strict" if model.objective.strict else "weighted",
            prize_per_kg={str(p): f for p, f in sorted(model.objective.factors.items())},
        )
        used: dict[int, int] = defaultdict(int)
        for route in result.routes:
            plane = model.groups[route.group][used[route.group]]
            used[route.group] += 1
            visits = []
            for v in route.visits:
                c = model.consignments[v.task]
                if v.pickup:
                    visits.append(Visit(c.origin, [c.id], []))
                else:
                    visits.append(Visit(c.destination, [], [c.id]))
            timed = time_sortie(inp, legs, clock, plane, merge_visits(plane.base, visits), 0, by_id)
            if timed is None:  # The model and the schedule disagree: never hide it.
                extra += [
                    Unassigned(
                        model.consignments[v.task].id,
                        f"internal error: the route of {plane.id} could not be timed",
                    )
                    for v in route.visits
                    if v.pickup
                ]
                continue
            sorties.append(timed.sortie)
    carried = {cid for s in sorties for stop in s.stops for cid in stop.load}
    extra += [
        Unassigned(c.id, NOT_FITTED.format(plane=analysis.candidates[c.id][0]))
        for c in plannable
        if c.id not in carried and c.id not in {u.consignment for u in extra}
    ]
    unassigned = (*inp.rejected, *analysis.unassigned, *extra)
    stats = plan_stats(inp, legs, sorties, analysis.candidates)
    stats.update(engine, solve_time_s=round(time.perf_counter() - started, 3))
    plan = AirliftPlan(tuple(sorties), unassigned, stats)
    stats["violations"] = [str(v) for v in check_airlift(inp, plan)]
    return plan


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
