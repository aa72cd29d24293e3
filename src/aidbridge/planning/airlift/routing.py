"""The routing core: a pickup-and-delivery problem with time windows, solved by PyVRP.

Kept free of airlift vocabulary (airports, aircraft, kilograms) so that the same core
runs on published benchmarks (bench/airlift.py feeds it the Li & Lim instances) and on
airlift plans: what is measured on the benchmark is what plans the sorties.

Everything is integral, as PyVRP requires: the airlift model counts time in minutes and
cost in currency units; the benchmark in thousandths of a distance unit.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from pyvrp import (
    Activity,
    ActivityType,
    Depot,
    IteratedLocalSearch,
    IteratedLocalSearchCallbacks,
    IteratedLocalSearchParams,
    Location,
    PenaltyManager,
    PenaltyParams,
    ProblemData,
    RandomNumberGenerator,
    Route,
    Shipment,
    Solution,
    VehicleType,
)
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.search import (
    OPERATORS,
    LocalSearch,
    NeighbourhoodParams,
    PerturbationManager,
    PerturbationParams,
    compute_neighbours,
)
from pyvrp.stop import MaxRuntime

from .model import Progress

Matrix = npt.NDArray[np.int64]
Window = tuple[int, int]
NO_LIMIT = int(np.iinfo(np.int64).max)


@dataclass(frozen=True)
class Task:
    """Carry ``amount`` from location ``pickup`` to location ``delivery``."""

    pickup: int
    delivery: int
    amount: tuple[int, ...]
    pickup_window: Window = (0, NO_LIMIT)
    delivery_window: Window = (0, NO_LIMIT)
    pickup_service: int = 0
    delivery_service: int = 0
    prize: int = 0
    required: bool = True


@dataclass(frozen=True)
class VehicleGroup:
    """``count`` identical vehicles starting and ending at location ``depot``."""

    count: int
    capacity: tuple[int, ...]
    depot: int
    window: Window = (0, NO_LIMIT)
    profile: int = 0


@dataclass(frozen=True)
class RoutingProblem:
    """Locations are indices into the matrices; one distance and one duration matrix
    per profile (a vehicle group's profile picks them). Distance is what is minimised."""

    coords: Sequence[tuple[float, float]]
    distances: Sequence[Matrix]
    durations: Sequence[Matrix]
    vehicles: Sequence[VehicleGroup]
    tasks: Sequence[Task]
    penalties: tuple[list[float], float, float] | None = None
    """Initial penalties per unit of excess load (per dimension), time warp and
    distance. Left to PyVRP when ``None``; set them when prizes dwarf distances,
    or the search drifts among infeasible solutions that collect large prizes."""
    num_neighbours: int = 50
    """Size of PyVRP's granular neighbourhood (its default is 50). Widen it when many
    tasks share a location: the nearest 50 are then mostly at the same few places."""
    max_penalty: float | None = None
    """Ceiling on every penalty; PyVRP multiplies penalties by violations in int64, so a
    model with large prizes and long forbidden legs must keep the product bounded."""


@dataclass(frozen=True)
class Visit:
    task: int
    pickup: bool
    start: int


@dataclass(frozen=True)
class RouteResult:
    group: int
    start: int
    visits: tuple[Visit, ...]
    feasible: bool = True


@dataclass(frozen=True)
class RoutingResult:
    routes: tuple[RouteResult, ...]
    cost: int
    distance: int
    feasible: bool
    iterations: int
    runtime_s: float
    unplanned: tuple[int, ...] = field(default=())


def build_data(problem: RoutingProblem) -> ProblemData:
    depots = sorted({g.depot for g in problem.vehicles})
    depot_index = {loc: k for k, loc in enumerate(depots)}
    locations = [Location(x=x, y=y) for x, y in problem.coords]
    shipments = [
        Shipment(
            pickup_location=t.pickup,
            delivery_location=t.delivery,
            pickup_tw_early=t.pickup_window[0],
            pickup_tw_late=t.pickup_window[1],
            pickup_service_duration=t.pickup_service,
            delivery_tw_early=t.delivery_window[0],
            delivery_tw_late=t.delivery_window[1],
            delivery_service_duration=t.delivery_service,
            amount=list(t.amount),
            prize=t.prize,
            required=t.required,
        )
        for t in problem.tasks
    ]
    vehicle_types = [
        VehicleType(
            num_available=g.count,
            capacity=list(g.capacity),
            start_depot=depot_index[g.depot],
            end_depot=depot_index[g.depot],
            tw_early=g.window[0],
            tw_late=g.window[1],
            profile=g.profile,
        )
        for g in problem.vehicles
    ]
    return ProblemData(
        locations=locations,
        clients=[],
        depots=[Depot(location=loc) for loc in depots],
        vehicle_types=vehicle_types,
        distance_matrices=list(problem.distances),  # type: ignore[arg-type]
        duration_matrices=list(problem.durations),  # type: ignore[arg-type]
        shipments=shipments,
    )


class _Callbacks(IteratedLocalSearchCallbacks):
    """Throttled progress reports (at most ~4 a second) from inside the search."""

    def __init__(self, report: Callable[[Progress], None], limit: float, tasks: int) -> None:
        self.tasks = tasks
        self.report = report
        self.limit = limit
        self.started = time.perf_counter()
        self.last = 0.0
        self.iterations = 0

    def on_iteration(self, current, candidate, best, cost_evaluator) -> None:
        self.iterations += 1
        now = time.perf_counter() - self.started
        if now - self.last >= 0.25:
            self.last = now
            feasible = best.is_feasible()
            self.report(
                Progress(
                    elapsed_s=now,
                    time_limit_s=self.limit,
                    iterations=self.iterations,
                    best_cost=cost_evaluator.cost(best) if feasible else None,
                    planned=best.num_shipments(),
                    tasks=self.tasks,
                )
            )


class _CpuTimeLimit:
    """PyVRP stopping criterion on process CPU time."""

    def __init__(self, seconds: float) -> None:
        self.end = time.process_time() + seconds

    def __call__(self, best_cost: float) -> bool:
        return time.process_time() >= self.end


def solve_routing(
    problem: RoutingProblem,
    time_limit_s: float,
    *,
    seed: int = 0,
    progress: Callable[[Progress], None] | None = None,
    initial: Sequence[tuple[int, Sequence[tuple[int, bool]]]] = (),
    cpu_time: bool = False,
) -> RoutingResult:
    """Run PyVRP's iterated local search on ``problem`` for ``time_limit_s`` seconds.

    ``initial`` optionally warm-starts the search: routes as (vehicle group, visits),
    a visit being (task index, is pickup). Without it PyVRP starts from a random
    solution improved by one local search.

    ``cpu_time`` counts the limit in this process's CPU seconds instead of wall-clock
    seconds, so that a benchmark on a shared machine measures the same search effort
    whatever else is running."""
    clock = time.process_time if cpu_time else time.perf_counter
    started = clock()
    data = build_data(problem)
    rng = RandomNumberGenerator(seed=seed)
    perturbation = PerturbationManager(PerturbationParams())
    ls = LocalSearch(
        data,
        rng,
        compute_neighbours(data, NeighbourhoodParams(num_neighbours=problem.num_neighbours)),
        perturbation,
    )
    for op in OPERATORS:
        if op.supports(data):
            ls.add_operator(op(data))
    params = PenaltyParams()
    if problem.penalties is None:
        penalties = params.midpoint_penalties(data)
    else:
        penalties = problem.penalties
        biggest = max([*penalties[0], penalties[1], penalties[2]])
        ceiling = problem.max_penalty or max(params.max_penalty, 100 * biggest)
        params = PenaltyParams(max_penalty=ceiling, min_penalty=min(params.min_penalty, ceiling))
    pm = PenaltyManager(penalties, params)
    if initial:
        init = Solution(
            data,
            [
                Route(
                    data,
                    [
                        Activity(ActivityType.PICKUP if p else ActivityType.DELIVERY, t)
                        for t, p in visits
                    ],
                    group,
                )
                for group, visits in initial
                if visits
            ],
        )
    else:
        init = ls(Solution.make_random(data, rng), pm.max_cost_evaluator(), exhaustive=True)
    callbacks = _Callbacks(progress, time_limit_s, len(problem.tasks)) if progress else None
    ils = IteratedLocalSearch(
        data,
        pm,
        ls,
        init,
        IteratedLocalSearchParams(callbacks=callbacks),  # type: ignore[arg-type]
    )
    remaining = max(0.0, time_limit_s - (clock() - started))
    stop = _CpuTimeLimit(remaining) if cpu_time else MaxRuntime(remaining)
    with warnings.catch_warnings():
        # Raised when a penalty sits at its ceiling; the best solution is feasible
        # regardless (the caller checks), so this is no news for a user of the planner.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = ils.run(stop, collect_stats=False, display=False)
    best = result.best
    routes = tuple(
        RouteResult(
            group=route.vehicle_type(),
            start=route.start_time(),
            visits=tuple(
                Visit(task=a.idx, pickup=a.is_pickup(), start=a.start_time)
                for a in route
                if a.is_pickup() or a.is_delivery()
            ),
            feasible=route.is_feasible(),
        )
        for route in best.routes()
    )
    served = {v.task for r in routes for v in r.visits}
    return RoutingResult(
        routes=routes,
        cost=int(result.cost()) if best.is_feasible() else -1,
        distance=int(best.distance()),
        feasible=best.is_feasible(),
        iterations=int(result.num_iterations),
        runtime_s=clock() - started,
        unplanned=tuple(i for i in range(len(problem.tasks)) if i not in served),
    )
