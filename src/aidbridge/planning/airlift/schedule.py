"""Turning an ordered list of airport visits into a timed sortie.

The solver decides the order; the times are recomputed here on the minute grid from
the spec's rules (arrival = departure + flight time; ground time at every stop after
the first; wait for cargo that is not ready), so the published schedule never depends
on how PyVRP happened to represent time internally.
"""

from __future__ import annotations

from dataclasses import dataclass

from .legs import Clock, Legs
from .model import Aircraft, AircraftType, AirliftInput, Consignment, Sortie, Stop


@dataclass
class Visit:
    """An untimed stop: where, and which consignments go on and off there."""

    airport: str
    load: list[str]
    unload: list[str]


def merge_visits(base: str, visits: list[Visit]) -> list[Visit]:
    """Frame ``visits`` with the base and merge consecutive visits to one airport."""
    out = [Visit(base, [], [])]
    for v in visits:
        if v.airport == out[-1].airport:
            out[-1].load += v.load
            out[-1].unload += v.unload
        else:
            out.append(Visit(v.airport, list(v.load), list(v.unload)))
    if len(out) == 1 or out[-1].airport != base:
        out.append(Visit(base, [], []))
    # A load at the final base stop could never be unloaded; the solver never asks
    # for it, and the checker would report it if it did.
    return out


@dataclass(frozen=True)
class Timed:
    sortie: Sortie
    start: int
    end: int


def time_sortie(
    inp: AirliftInput,
    legs: Legs,
    clock: Clock,
    aircraft: Aircraft,
    visits: list[Visit],
    earliest: int,
    consignments: dict[str, Consignment],
) -> Timed | None:
    """Earliest feasible timing of ``visits`` starting no sooner than minute ``earliest``,
    then delayed at the base to absorb waiting on the way; ``None`` if the windows or the
    aircraft's availability cannot be met (range and capacity are the caller's concern)."""
    kind = inp.aircraft_types[aircraft.type]
    ground = inp.ground_minutes
    until = clock.floor(aircraft.available_until)
    start = max(earliest, clock.ceil(aircraft.available_from))
    times = _forward(legs, kind, visits, start, ground, consignments, clock)
    # Waiting at the base costs nothing; waiting at a remote airport ties the aircraft
    # up in the open. Shift the departure by the first wait if no delivery before it
    # would then be late.
    for k in range(1, len(visits) - 1):
        wait = times[k][1] - times[k][0] - ground
        if wait > 0:
            slack = min(
                [wait]
                + [
                    clock.floor(consignments[c].due_by) - times[j][0]
                    for j in range(1, k + 1)
                    for c in visits[j].unload
                ]
            )
            if slack > 0:
                times = _forward(legs, kind, visits, start + slack, ground, consignments, clock)
            break
    for k, v in enumerate(visits):
        arrive = times[k][0]
        if any(arrive > clock.floor(consignments[c].due_by) for c in v.unload):
            return None
    if times[-1][0] > until:
        return None
    stops = tuple(
        Stop(
            airport=v.airport,
            arrive=clock.at(times[k][0]) if k > 0 else None,
            depart=clock.at(times[k][1]) if k < len(visits) - 1 else None,
            load=tuple(v.load),
            unload=tuple(v.unload),
        )
        for k, v in enumerate(visits)
    )
    return Timed(Sortie(aircraft.id, stops), times[0][1], times[-1][0])


def _forward(
    legs: Legs,
    kind: AircraftType,
    visits: list[Visit],
    start: int,
    ground: int,
    consignments: dict[str, Consignment],
    clock: Clock,
) -> list[tuple[int, int]]:
    """(arrive, depart) minutes per visit, leaving as soon as the rules allow."""
    times: list[tuple[int, int]] = []
    depart = start
    for k, v in enumerate(visits):
        ready = max((clock.ceil(consignments[c].ready_at) for c in v.load), default=0)
        if k == 0:
            depart = max(start, ready)
            times.append((depart, depart))
            continue
        arrive = depart + legs.minutes(kind, visits[k - 1].airport, v.airport)
        depart = max(arrive + ground, ready)
        times.append((arrive, depart))
    return times
