"""Feasibility pre-analysis: which aircraft could fly each consignment on its own.

A consignment that no aircraft can carry in a dedicated round trip (base, origin,
destination, base, direct legs) is taken out before the search and reported with the
first reason that rules it out, checked from the most to the least fundamental: airport
size, weight and pallets, the origin-destination leg's range, the fleet, the bases'
range, then time. Reasons name the numbers, so the coordinator sees what would have to
change (a bigger type, a closer base, a later due time).

Design decision: sorties only stop where cargo is handled, never for fuel alone, so a
leg longer than the range is not split through a third airport.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .legs import Clock, Legs
from .model import Aircraft, AircraftType, AirliftInput, Consignment, Unassigned, size_rank


@dataclass(frozen=True)
class Analysis:
    candidates: dict[str, tuple[str, ...]]
    """Consignment id -> ids of the aircraft that could fly it alone."""
    unassigned: tuple[Unassigned, ...]


def _fmt_kg(kg: float) -> str:
    return f"{kg / 1000:g} t" if kg >= 1000 else f"{kg:g} kg"


def _hours(minutes: float) -> str:
    return f"{int(minutes // 60)}h{int(minutes % 60):02d}"


def round_trip(
    inp: AirliftInput, legs: Legs, clock: Clock, plane: Aircraft, c: Consignment
) -> tuple[int, int, int] | None:
    """(departure from origin, arrival at destination, back at base) in minutes for a
    dedicated trip flown as early as possible; ``None`` when a leg cannot be flown."""
    kind = inp.aircraft_types[plane.type]
    path = [plane.base, c.origin, c.destination, plane.base]
    if not all(legs.usable(kind, a, b) for a, b in itertools.pairwise(path)):
        return None
    g = inp.ground_minutes
    t = clock.ceil(plane.available_from)
    if plane.base != c.origin:
        t += legs.minutes(kind, plane.base, c.origin) + g
    dep = max(t, clock.ceil(c.ready_at))
    arr = dep + legs.minutes(kind, c.origin, c.destination)
    back = (
        arr
        if c.destination == plane.base
        else arr + g + legs.minutes(kind, c.destination, plane.base)
    )
    return dep, arr, back


def analyse(inp: AirliftInput, legs: Legs, clock: Clock) -> Analysis:
    candidates: dict[str, tuple[str, ...]] = {}
    unassigned: list[Unassigned] = []
    for c in inp.consignments:
        planes, reason = _candidates(inp, legs, clock, c)
        if planes:
            candidates[c.id] = planes
        else:
            unassigned.append(Unassigned(c.id, reason))
    return Analysis(candidates, tuple(unassigned))


def _candidates(
    inp: AirliftInput, legs: Legs, clock: Clock, c: Consignment
) -> tuple[tuple[str, ...], str]:
    o, d = inp.airports[c.origin], inp.airports[c.destination]
    types = list(inp.aircraft_types.values())
    landing = [t for t in types if o.admits(t.size) and d.admits(t.size)]
    if not landing:
        small = o if size_rank(o.max_aircraft) <= size_rank(d.max_aircraft) else d
        return (), (
            f"no aircraft type can use both {o.code} and {d.code} ({small.code} takes "
            f"{small.max_aircraft} aircraft at most)"
        )
    fits = [t for t in landing if t.payload_kg >= c.weight_kg and t.pallets >= c.pallets]
    if not fits:
        return (), (
            f"no aircraft type can land at {o.code} and {d.code} with {_fmt_kg(c.weight_kg)} "
            f"and {c.pallets} pallets (largest: {_best_capacity(landing)})"
        )
    km = legs.km(o.code, d.code)
    reaching = [t for t in fits if t.range_km >= km]
    if not reaching:
        longest = max(t.range_km for t in fits)
        return (), (
            f"{o.code}-{d.code} is {km:.0f} km, beyond the range of every type that can "
            f"carry it (longest {longest:g} km)"
        )
    codes = {t.code for t in reaching}
    planes = [a for a in inp.fleet if a.type in codes]
    if not planes:
        return (), f"no aircraft in the fleet of a suitable type ({', '.join(sorted(codes))})"
    trips = {a.id: round_trip(inp, legs, clock, a, c) for a in planes}
    flying = [a for a in planes if trips[a.id] is not None]
    if not flying:
        return (), f"no suitable aircraft is based within range of both {o.code} and {d.code}"
    due = clock.floor(c.due_by)
    ok = [
        a.id
        for a in flying
        if (t := trips[a.id]) and t[1] <= due and t[2] <= clock.floor(a.available_until)
    ]
    if ok:
        return tuple(ok), ""
    fastest = min((inp.aircraft_types[a.type] for a in flying), key=lambda t: km / t.cruise_kmh)
    window = (c.due_by - c.ready_at).total_seconds() / 60
    need = km / fastest.cruise_kmh * 60
    if need > window:
        return (), (
            f"window too short: {_hours(window)} from ready_at to due_by, but the fastest "
            f"suitable type ({fastest.code}) needs {_hours(need)} from {o.code} to {d.code}"
        )
    return (), (
        f"no suitable aircraft can reach {o.code} and deliver to {d.code} by due_by "
        "within its availability"
    )


def _best_capacity(types: list[AircraftType]) -> str:
    heaviest = max(types, key=lambda t: t.payload_kg)
    return f"{heaviest.code} {_fmt_kg(heaviest.payload_kg)}, {heaviest.pallets} pallets"
