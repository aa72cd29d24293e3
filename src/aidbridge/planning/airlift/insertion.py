"""A cheapest-insertion heuristic: the alternative PyVRP is measured against.

Consignments are taken by priority, heaviest first; each is inserted (pickup, then its
delivery at most ``SPAN`` visits later) where it adds the least flying cost to one of
the aircraft's sorties, among the positions that keep the sortie feasible. Insertion
costs are computed in constant time and only the cheapest positions are timed, so it
stays quick even on the large instance. Same model as the main planner: one sortie per
aircraft, stops only where cargo is handled.
"""

from __future__ import annotations

import heapq
import itertools
import time

from .analysis import Analysis, analyse
from .check import check_airlift
from .legs import Clock, Legs
from .model import AircraftType, AirliftInput, AirliftPlan, Consignment, Sortie, Unassigned
from .schedule import Visit, merge_visits, time_sortie
from .stats import plan_stats

SPAN = 6
"""Furthest a delivery is placed after its pickup (in visits)."""
TRIES = 8
"""Cheapest positions timed per aircraft before giving up on that aircraft."""

Event = tuple[str, bool]  # (consignment id, is pickup)


def plan_insertion(inp: AirliftInput) -> AirliftPlan:
    """The heuristic's plan, for comparison with :func:`plan_airlift`."""
    started = time.perf_counter()
    clock, legs = Clock.for_input(inp), Legs(inp)
    analysis = analyse(inp, legs, clock)
    routes, sorties = insert(inp, legs, clock, analysis)
    carried = {cid for events in routes.values() for cid, _ in events}
    unassigned = [*inp.rejected, *analysis.unassigned] + [
        Unassigned.because(c.id, "not_fitted", plane=analysis.candidates[c.id][0])
        for c in inp.consignments
        if c.id in analysis.candidates and c.id not in carried
    ]
    ordered = [sorties[a.id] for a in inp.fleet if a.id in sorties]
    stats = plan_stats(inp, legs, ordered, analysis.candidates)
    stats.update(engine="insertion", solve_time_s=round(time.perf_counter() - started, 3))
    plan = AirliftPlan(tuple(ordered), tuple(unassigned), stats)
    stats["violations"] = [str(v) for v in check_airlift(inp, plan)]
    return plan


def insert(
    inp: AirliftInput,
    legs: Legs,
    clock: Clock,
    analysis: Analysis,
    deadline: float = float("inf"),
) -> tuple[dict[str, list[Event]], dict[str, Sortie]]:
    """Events per aircraft and their timed sorties; stops early at ``deadline``
    (a ``time.perf_counter()`` value), having placed the most important first."""
    by_id = {c.id: c for c in inp.consignments}
    planes = {a.id: a for a in inp.fleet}
    routes: dict[str, list[Event]] = {a.id: [] for a in inp.fleet}
    timed: dict[str, Sortie] = {}

    def airport(e: Event) -> str:
        c = by_id[e[0]]
        return c.origin if e[1] else c.destination

    def feasible(plane_id: str, events: list[Event]) -> Sortie | None:
        plane = planes[plane_id]
        kind = inp.aircraft_types[plane.type]
        visits = merge_visits(
            plane.base,
            [Visit(airport(e), [e[0]] if e[1] else [], [] if e[1] else [e[0]]) for e in events],
        )
        if not all(legs.usable(kind, a.airport, b.airport) for a, b in itertools.pairwise(visits)):
            return None
        kg = pallets = 0.0
        for v in visits:
            kg += sum(by_id[x].weight_kg for x in v.load) - sum(
                by_id[x].weight_kg for x in v.unload
            )
            pallets += sum(by_id[x].pallets for x in v.load) - sum(
                by_id[x].pallets for x in v.unload
            )
            if kg > kind.payload_kg or pallets > kind.pallets:
                return None
        result = time_sortie(inp, legs, clock, plane, visits, 0, by_id)
        return result.sortie if result else None

    order = sorted(
        (c for c in inp.consignments if c.id in analysis.candidates),
        key=lambda c: (c.priority, -c.weight_kg, c.id),
    )
    for c in order:
        if time.perf_counter() > deadline:
            break
        options: list[tuple[float, int, str, int, int]] = []
        for plane_id in analysis.candidates[c.id]:
            plane = planes[plane_id]
            kind = inp.aircraft_types[plane.type]
            seq = [plane.base, *(airport(e) for e in routes[plane_id]), plane.base]
            # The cheapest few per aircraft, so one cheap but busy aircraft cannot
            # use up every try.
            cheapest = heapq.nsmallest(TRIES, _positions(legs, kind, seq, c), key=lambda p: p[2])
            options += [
                (extra, len(options) + k, plane_id, i, j)
                for k, (i, j, extra) in enumerate(cheapest)
            ]
        for _, _, plane_id, i, j in sorted(options):
            events = list(routes[plane_id])
            events.insert(j, (c.id, False))
            events.insert(i, (c.id, True))
            sortie = feasible(plane_id, events)
            if sortie is not None:
                routes[plane_id], timed[plane_id] = events, sortie
                break
    return routes, timed


def _positions(
    legs: Legs, kind: AircraftType, seq: list[str], c: Consignment
) -> list[tuple[int, int, float]]:
    """(pickup index, delivery index, added cost) for each insertion, where the indices
    are positions in the event list (``seq`` is that list's airports framed by the base)."""

    def cost(a: str, b: str) -> float:
        return legs.cost(kind, a, b)

    o, d = c.origin, c.destination
    out = []
    for i in range(len(seq) - 1):
        a, b = seq[i], seq[i + 1]
        pick = cost(a, o) + cost(o, b) - cost(a, b)
        out.append((i, i, cost(a, o) + cost(o, d) + cost(d, b) - cost(a, b)))
        for j in range(i + 1, min(len(seq) - 1, i + 1 + SPAN)):
            x, y = seq[j], seq[j + 1]
            out.append((i, j, pick + cost(x, d) + cost(d, y) - cost(x, y)))
    return out
