"""``plan_airlift``: from a validated input to a checked plan."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from .analysis import analyse
from .check import check_airlift
from .insertion import insert
from .legs import Clock, Legs
from .model import AirliftInput, AirliftPlan, Progress, Sortie, Unassigned
from .pdp import build_model
from .routing import solve_routing
from .schedule import Visit, merge_visits, time_sortie
from .stats import NOT_FITTED, plan_stats


def plan_airlift(
    inp: AirliftInput,
    time_limit_s: float = 10.0,
    *,
    seed: int = 0,
    progress: Callable[[Progress], None] | None = None,
    warm_start: bool = True,
) -> AirliftPlan:
    """Plan sorties for ``inp`` with a search of ``time_limit_s`` seconds.

    The plan is verified by the independent checker before it is returned; its
    ``stats['violations']`` lists what the checker found (empty unless there is a bug).
    ``warm_start`` starts PyVRP from the insertion heuristic's plan (see
    :mod:`.insertion`) rather than from a random solution.
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
        initial = []
        if warm_start:
            # The insertion heuristic places priority 1 first; PyVRP then improves on
            # it. Capped at a quarter of the time, it stops early on large instances.
            task = {c.id: k for k, c in enumerate(model.consignments)}
            group = {a.id: g for g, planes in enumerate(model.groups) for a in planes}
            deadline = started + time_limit_s / 4
            routes, _ = insert(inp, legs, clock, analysis, deadline)
            initial = [
                (group[plane], [(task[cid], pickup) for cid, pickup in events])
                for plane, events in routes.items()
            ]
        remaining = max(0.05, time_limit_s - (time.perf_counter() - started))
        result = solve_routing(
            model.problem, remaining, seed=seed, progress=progress, initial=initial
        )
        engine.update(
            iterations=result.iterations,
            objective="strict" if model.objective.strict else "weighted",
            prize_per_kg={str(p): f for p, f in sorted(model.objective.factors.items())},
        )
        used: dict[int, int] = defaultdict(int)
        for route in result.routes:
            plane = model.groups[route.group][used[route.group]]
            used[route.group] += 1
            if not route.feasible:  # Only if the search never got out of infeasibility.
                extra += [
                    Unassigned(
                        model.consignments[v.task].id,
                        f"the search found no feasible sortie for {plane.id} with it in "
                        f"{time_limit_s:g} s; try a longer time limit",
                    )
                    for v in route.visits
                    if v.pickup
                ]
                continue
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
