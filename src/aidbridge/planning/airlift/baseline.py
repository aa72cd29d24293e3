"""The comparison planner: one dedicated round trip per consignment.

This is how such plans are made by hand: take the consignments by priority (heaviest
first within a class) and give each its own sortie, base - origin - destination -
base, on the cheapest aircraft that is free in time. Each aircraft flies its sorties
one after another. The benchmark sets it beside the PyVRP planner; both pass the same
checker.
"""

from __future__ import annotations

import itertools
import time

from .analysis import analyse
from .check import check_airlift
from .legs import Clock, Legs
from .model import AirliftInput, AirliftPlan, Consignment, Sortie, Unassigned
from .schedule import Visit, merge_visits, time_sortie
from .stats import plan_stats


def plan_round_trips(inp: AirliftInput) -> AirliftPlan:
    started = time.perf_counter()
    clock, legs = Clock.for_input(inp), Legs(inp)
    analysis = analyse(inp, legs, clock)
    planes = {a.id: a for a in inp.fleet}
    by_id = {c.id: c for c in inp.consignments}
    free_at = {a.id: clock.ceil(a.available_from) for a in inp.fleet}
    sorties: list[Sortie] = []
    unassigned: list[Unassigned] = [*inp.rejected, *analysis.unassigned]
    order = sorted(
        (c for c in inp.consignments if c.id in analysis.candidates),
        key=lambda c: (c.priority, -c.weight_kg, c.id),
    )

    def trip_cost(c: Consignment, plane_id: str) -> float:
        plane = planes[plane_id]
        kind = inp.aircraft_types[plane.type]
        path = [plane.base, c.origin, c.destination, plane.base]
        return sum(legs.cost(kind, a, b) for a, b in itertools.pairwise(path))

    for c in order:
        for plane_id in sorted(analysis.candidates[c.id], key=lambda p: trip_cost(c, p)):
            plane = planes[plane_id]
            visits = [Visit(c.origin, [c.id], []), Visit(c.destination, [], [c.id])]
            timed = time_sortie(
                inp, legs, clock, plane, merge_visits(plane.base, visits), free_at[plane_id], by_id
            )
            if timed is not None:
                sorties.append(timed.sortie)
                # A turnaround at base before the next sortie.
                free_at[plane_id] = timed.end + inp.ground_minutes
                break
        else:
            unassigned.append(Unassigned.because(c.id, "busy"))
    stats = plan_stats(inp, legs, sorties, analysis.candidates)
    stats.update(engine="round-trips", solve_time_s=round(time.perf_counter() - started, 3))
    plan = AirliftPlan(tuple(sorties), tuple(unassigned), stats)
    stats["violations"] = [str(v) for v in check_airlift(inp, plan)]
    return plan
