"""Feasibility pre-analysis: which aircraft could fly each consignment on its own.

A consignment that no aircraft can carry in a dedicated round trip (base, origin,
destination, base, direct legs) is taken out before the search and reported with the
first reason that rules it out, checked from the most to the least fundamental: the
aircraft's fitting (a consignment may require capabilities, e.g. ``medevac``), airport
size, weight and pallets, the origin-destination leg's range, the fleet, the bases'
range, then time. Reasons name the numbers, so the coordinator sees what would have to
change (a bigger type, a closer base, a later due time).

Design decision: sorties only stop where cargo is handled, never for fuel alone, so a
leg longer than the range is not split through a third airport.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from .legs import Clock, Legs
from .model import (
    Aircraft,
    AircraftType,
    AirliftInput,
    Consignment,
    Unassigned,
    can_carry,
    size_rank,
)


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
        planes, (code, params) = _candidates(inp, legs, clock, c)
        if planes:
            candidates[c.id] = planes
        else:
            unassigned.append(Unassigned.because(c.id, code, **params))
    return Analysis(candidates, tuple(unassigned))


def _candidates(
    inp: AirliftInput, legs: Legs, clock: Clock, c: Consignment
) -> tuple[tuple[str, ...], tuple[str, dict[str, Any]]]:
    """The aircraft that could fly it alone, or none and why (a reason code)."""
    o, d = inp.airports[c.origin], inp.airports[c.destination]
    fleet = list(inp.fleet)
    types = list(inp.aircraft_types.values())
    if c.requires:
        # Checked first: without an aircraft fitted for it (a MEDEVAC fit for patients),
        # no size, load or range question matters. The later reasons then speak of the
        # capable aircraft and their types only.
        fleet = [a for a in fleet if can_carry(a, c)]
        if not fleet:
            return (), ("no_capable_aircraft", {"requires": ", ".join(sorted(c.requires))})
        fitted = {a.type for a in fleet}
        types = [t for t in types if t.code in fitted]
    landing = [t for t in types if o.admits(t.size) and d.admits(t.size)]
    if not landing:
        small = o if size_rank(o.max_aircraft) <= size_rank(d.max_aircraft) else d
        return (), (
            "no_type_lands",
            {
                "origin": o.code,
                "destination": d.code,
                "small": small.code,
                "size": small.max_aircraft,
            },
        )
    fits = [t for t in landing if t.payload_kg >= c.weight_kg and t.pallets >= c.pallets]
    if not fits:
        return (), (
            "too_heavy",
            {
                "origin": o.code,
                "destination": d.code,
                "weight": _fmt_kg(c.weight_kg),
                "pallets": c.pallets,
                "largest": _best_capacity(landing),
            },
        )
    km = legs.km(o.code, d.code)
    reaching = [t for t in fits if t.range_km >= km]
    if not reaching:
        longest = max(t.range_km for t in fits)
        return (), (
            "out_of_range",
            {"origin": o.code, "destination": d.code, "km": km, "longest": longest},
        )
    codes = {t.code for t in reaching}
    planes = [a for a in fleet if a.type in codes]
    if not planes:
        return (), ("no_aircraft_of_type", {"types": ", ".join(sorted(codes))})
    trips = {a.id: round_trip(inp, legs, clock, a, c) for a in planes}
    flying = [a for a in planes if trips[a.id] is not None]
    if not flying:
        return (), ("no_base_in_range", {"origin": o.code, "destination": d.code})
    due = clock.floor(c.due_by)
    ok = [
        a.id
        for a in flying
        if (t := trips[a.id]) and t[1] <= due and t[2] <= clock.floor(a.available_until)
    ]
    if ok:
        return tuple(ok), ("", {})
    fastest = min((inp.aircraft_types[a.type] for a in flying), key=lambda t: km / t.cruise_kmh)
    window = (c.due_by - c.ready_at).total_seconds() / 60
    need = km / fastest.cruise_kmh * 60
    if need > window:
        return (), (
            "window_too_short",
            {
                "window": _hours(window),
                "type": fastest.code,
                "need": _hours(need),
                "origin": o.code,
                "destination": d.code,
            },
        )
    return (), ("not_in_time", {"origin": o.code, "destination": d.code})


def _best_capacity(types: list[AircraftType]) -> str:
    heaviest = max(types, key=lambda t: t.payload_kg)
    return f"{heaviest.code} {_fmt_kg(heaviest.payload_kg)}, {heaviest.pallets} pallets"
