"""The airlift problem as a pickup-and-delivery routing problem for the routing core.

- Locations: one per base (the route's start and end) and one per airport where cargo
  is handled; a base that also handles cargo appears twice, at zero distance, so the
  first and last stop can carry cargo without ground time being charged twice.
- Profiles: one per aircraft type. A leg the type may not fly (beyond its range, or an
  airport too small for it) is given a duration longer than the whole horizon, so any
  route using it is infeasible.
- Ground time sits on the legs into cargo airports rather than on the visits, because
  several consignments handled in one stop share one turnaround. A visit's time in the
  model is therefore the earliest departure from that stop.
- Objective: PyVRP minimises leg costs minus the prizes of delivered consignments. A
  prize is weight x a factor per priority class; see :func:`prize_factors`.
- Compatibility: each capability some consignment requires (``medevac``) is one more
  load dimension. A consignment requiring it loads 1; an aircraft fitted for it has room
  for every consignment, one that is not has none. So the search is penalised for
  loading it on an unfitted aircraft exactly as for overloading, and a feasible route
  never does. Without requirements the model has its two dimensions, as before.
- Each aircraft flies one sortie over its availability. Returning to base between two
  jobs only adds legs under the spec's objective, and the model lets a sortie chain
  any number of pickups and deliveries, so nothing is lost.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .legs import Clock, Legs
from .model import Aircraft, AirliftInput, Consignment
from .routing import RoutingProblem, Task, VehicleGroup

PRIZE_CAP = 2**36
"""Largest prize handed to PyVRP: prizes, times the penalties PyVRP multiplies them
against, must stay far from int64 overflow."""


@dataclass(frozen=True)
class Objective:
    factors: dict[int, int]
    """Prize per kg by priority class, in cost units."""
    cost_unit: float
    """Currency per cost unit of a leg."""
    strict: bool
    """Whether the factors make the spec's order exact: one kg of a class outweighs all
    the weight of the classes below and any possible cost. Otherwise (large instances)
    each class is worth a fixed multiple of the next: the order holds unless a plan
    could trade a kg of one class for more than that multiple of the class below."""


def prize_factors(inp: AirliftInput, legs: Legs, clock: Clock, cs: list[Consignment]) -> Objective:
    types = [inp.aircraft_types[t] for t in {a.type for a in inp.fleet}]
    longest_leg = max(t.range_km / t.cruise_kmh * t.cost_per_hour for t in types)
    # Cost units are sized so the costliest possible leg is ~1000 units: rounding a leg
    # to a unit loses at most 0.05% of it, and prizes keep room below PRIZE_CAP.
    cost_unit = max(longest_leg / 1000, 1e-9)
    # Every consignment must be worth more than the three legs it can add to a sortie
    # (to its origin, on to its destination, back into the route).
    min_kg = min(math.ceil(c.weight_kg) for c in cs)
    f3 = math.ceil(3 * 1000 / min_kg) + 1
    total: dict[int, int] = defaultdict(int)
    for c in cs:
        total[c.priority] += math.ceil(c.weight_kg)
    heaviest = max(math.ceil(c.weight_kg) for c in cs)
    all_flying = (
        sum(
            (clock.floor(a.available_until) - clock.ceil(a.available_from))
            / 60
            * inp.aircraft_types[a.type].cost_per_hour
            for a in inp.fleet
        )
        / cost_unit
    )
    # Strict order: 1 kg of a class must outweigh every kg of the classes below, and
    # 1 kg of priority 3 any possible cost (all aircraft flying all the time).
    need3, need2 = total[3] + 1, total[2] + 1
    f3_strict = max(f3, math.floor(all_flying) + 1)
    strict = f3_strict * heaviest * need3 * need2 <= PRIZE_CAP
    if strict:
        f3, k2, k1 = f3_strict, need3, need2
    else:
        # Spread what room there is between the two steps, giving a step no more
        # than it needs.
        room = PRIZE_CAP / (f3 * heaviest)
        k2 = max(2, min(need3, int(math.sqrt(room))))
        k1 = max(2, min(need2, int(room / k2)))
    factors = {3: f3, 2: f3 * k2, 1: f3 * k2 * k1}
    return Objective(factors, cost_unit, strict)


@dataclass(frozen=True)
class AirliftModel:
    problem: RoutingProblem
    consignments: list[Consignment]
    groups: list[list[Aircraft]]
    objective: Objective


def build_model(inp: AirliftInput, legs: Legs, clock: Clock, cs: list[Consignment]) -> AirliftModel:
    bases = sorted({a.base for a in inp.fleet})
    cargo = sorted({c.origin for c in cs} | {c.destination for c in cs})
    places = [(b, True) for b in bases] + [(a, False) for a in cargo]
    cargo_loc = {a: len(bases) + k for k, a in enumerate(cargo)}
    n = len(places)
    # Capabilities some consignment requires: each is a load dimension (see the module
    # docstring); the aircraft's other capabilities do not tell them apart.
    needed = sorted(set().union(*(c.requires for c in cs)))
    groups_by_key: dict[tuple[str, str, int, int, tuple[str, ...]], list[Aircraft]] = defaultdict(
        list
    )
    for plane in inp.fleet:
        key = (
            plane.type,
            plane.base,
            clock.ceil(plane.available_from),
            clock.floor(plane.available_until),
            tuple(n for n in needed if n in plane.capabilities),
        )
        groups_by_key[key].append(plane)
    type_codes = sorted({a.type for a in inp.fleet})
    horizon = max(k[3] for k in groups_by_key) + 1
    objective = prize_factors(inp, legs, clock, cs)
    distances, durations = [], []
    for code in type_codes:
        kind = inp.aircraft_types[code]
        dist = np.zeros((n, n), dtype=np.int64)
        dur = np.zeros((n, n), dtype=np.int64)
        for i, (a, a_is_base) in enumerate(places):
            for j, (b, b_is_base) in enumerate(places):
                if a == b:
                    continue
                if not legs.usable(kind, a, b) or (a_is_base and b_is_base):
                    dist[i, j], dur[i, j] = 100_000, horizon + 1
                    continue
                dist[i, j] = round(legs.cost(kind, a, b) / objective.cost_unit)
                dur[i, j] = legs.minutes(kind, a, b) + (0 if b_is_base else inp.ground_minutes)
        distances.append(dist)
        durations.append(dur)
    groups = list(groups_by_key.values())
    vehicles = [
        VehicleGroup(
            count=len(planes),
            capacity=(
                math.floor(inp.aircraft_types[t].payload_kg),
                inp.aircraft_types[t].pallets,
                *(len(cs) if n in fitted else 0 for n in needed),
            ),
            depot=bases.index(base),
            window=(start, end),
            profile=type_codes.index(t),
        )
        for (t, base, start, end, fitted), planes in groups_by_key.items()
    ]
    tasks = [
        Task(
            pickup=cargo_loc[c.origin],
            delivery=cargo_loc[c.destination],
            amount=(
                math.ceil(c.weight_kg),
                c.pallets,
                *(1 if n in c.requires else 0 for n in needed),
            ),
            pickup_window=(max(0, clock.ceil(c.ready_at)), horizon),
            delivery_window=(0, max(0, clock.floor(c.due_by) + inp.ground_minutes)),
            prize=math.ceil(c.weight_kg) * objective.factors[c.priority],
            required=False,
        )
        for c in cs
    ]
    biggest = max(t.prize for t in tasks)
    per_kg = max(objective.factors.values())
    per_pallet = max(t.prize / max(1, t.amount[1]) for t in tasks)
    # Overflow guard: no violation can exceed these, so penalty x violation stays
    # below ~1e17 (int64 ends at 9.2e18).
    worst_warp = (2 * len(tasks) + 2 * len(inp.fleet)) * (horizon + 1)
    worst_load = sum(t.amount[0] for t in tasks) + sum(t.amount[1] for t in tasks) + 1
    ceiling = 1e17 / max(worst_warp, worst_load)
    problem = RoutingProblem(
        coords=[(inp.airports[p].lon, inp.airports[p].lat) for p, _ in places],
        distances=distances,
        durations=durations,
        vehicles=vehicles,
        tasks=tasks,
        penalties=(
            [
                min(2.0 * per_kg, ceiling),
                min(2.0 * per_pallet, ceiling),
                # Carrying one consignment on an aircraft not fitted for it must cost
                # more than any prize it could bring.
                *(min(2.0 * biggest, ceiling) for _ in needed),
            ],
            min(biggest / 10, ceiling),
            1.0,
        ),
        max_penalty=ceiling,
        # An airport is shared by dozens of pickups and deliveries at zero distance
        # from each other; a wide neighbourhood lets moves reach other airports. On the
        # benchmark's large instance, 400 rather than 50 delivers ~20% more weight.
        num_neighbours=400,
    )
    return AirliftModel(problem, cs, groups, objective)
