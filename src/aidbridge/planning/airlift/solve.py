"""``plan_airlift``: from a validated input to a checked plan."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from .analysis import analyse
from .check import check_airlift
from .insertion import insert
from .legs import Clock, Legs
from .model import AirliftInput, AirliftPlan, Progress, Sortie, Unassigned
from .pdp import AirliftModel, build_model
from .routing import RoutingResult, solve_routing
from .schedule import Visit, merge_visits, time_sortie
from .stats import plan_stats, rank


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
    sorties: list[Sortie] = []
    extra: list[Unassigned] = []
    engine: dict[str, Any] = {"engine": "pyvrp"}
    if plannable:
        model = build_model(inp, legs, clock, plannable)
        initial: list[tuple[int, list[tuple[int, bool]]]] = []
        fallback: list[Sortie] = []
        if warm_start:
            # The insertion heuristic places priority 1 first; PyVRP then improves on
            # it. Capped at a quarter of the time, it stops early on large instances.
            task = {c.id: k for k, c in enumerate(model.consignments)}
            group = {a.id: g for g, planes in enumerate(model.groups) for a in planes}
            routes, timed = insert(inp, legs, clock, analysis, started + time_limit_s / 4)
            fallback = [timed[a.id] for a in inp.fleet if a.id in timed]
            initial = [
                (group[plane], [(task[cid], pickup) for cid, pickup in events])
                for plane, events in routes.items()
            ]
        spent = time.perf_counter() - started
        remaining = max(0.05, time_limit_s - spent)

        def report(p: Progress) -> None:  # on the whole planning time, not the search's
            if progress:
                progress(replace(p, elapsed_s=p.elapsed_s + spent, time_limit_s=time_limit_s))

        result = solve_routing(
            model.problem,
            remaining,
            seed=seed,
            progress=report if progress else None,
            initial=initial,
        )
        sorties, extra = _sorties(inp, legs, clock, model, result, time_limit_s)
        # PyVRP weighs the priority classes with finite factors (see pdp.Objective); if
        # that ever trades against the spec's strict order, the heuristic's plan wins.
        if fallback and rank(inp, legs, fallback) > rank(inp, legs, sorties):
            sorties, extra = fallback, []
            engine["engine"] = "insertion (PyVRP's plan ranked lower in the spec's order)"
        engine.update(
            iterations=result.iterations,
            objective="strict" if model.objective.strict else "weighted",
            prize_per_kg={str(p): f for p, f in sorted(model.objective.factors.items())},
        )
    carried = {cid for s in sorties for stop in s.stops for cid in stop.load}
    explained = {u.consignment for u in extra}
    extra += [
        Unassigned.because(c.id, "not_fitted", plane=analysis.candidates[c.id][0])
        for c in plannable
        if c.id not in carried and c.id not in explained
    ]
    unassigned = (*inp.rejected, *analysis.unassigned, *extra)
    stats = plan_stats(inp, legs, sorties, analysis.candidates)
    stats.update(engine, solve_time_s=round(time.perf_counter() - started, 3))
    plan = AirliftPlan(tuple(sorties), unassigned, stats)
    stats["violations"] = [str(v) for v in check_airlift(inp, plan)]
    return plan


def _sorties(
    inp: AirliftInput,
    legs: Legs,
    clock: Clock,
    model: AirliftModel,
    result: RoutingResult,
    time_limit_s: float,
) -> tuple[list[Sortie], list[Unassigned]]:
    """PyVRP's routes as timed sorties, and the consignments of any route that could
    not be used, with the reason."""
    by_id = {c.id: c for c in inp.consignments}
    sorties: list[Sortie] = []
    dropped: list[Unassigned] = []
    used: dict[int, int] = defaultdict(int)
    for route in result.routes:
        plane = model.groups[route.group][used[route.group]]
        used[route.group] += 1
        loaded = [model.consignments[v.task] for v in route.visits if v.pickup]
        if not route.feasible:  # Only if the search never got out of infeasibility.
            dropped += [
                Unassigned.because(c.id, "no_feasible_sortie", plane=plane.id, seconds=time_limit_s)
                for c in loaded
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
            dropped += [Unassigned.because(c.id, "not_timed", plane=plane.id) for c in loaded]
            continue
        sorties.append(timed.sortie)
    return sorties, dropped
