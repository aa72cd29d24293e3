"""Reading the JSON planning request (spec: docs/specs/airlift.md, "Input").

Two kinds of bad input are told apart, as the spec asks. A document that cannot be
read as a whole (a missing field, a bad number or timestamp, an aircraft of an unknown
type, a duplicate airport) is refused with :class:`AirliftInputError` naming the entry.
A consignment that is well-formed but impossible to honour (unknown airport, window
closing before it opens, an id used twice) is kept out of planning and reported as
unassigned with its reason: one bad line must not block the other flights.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeGuard

from .model import (
    PRIORITIES,
    SIZES,
    Aircraft,
    AircraftType,
    AirliftInput,
    Airport,
    Consignment,
    Unassigned,
)


class AirliftInputError(ValueError):
    """The document is malformed; the message names the offending entry."""


def parse_airlift(doc: Any) -> AirliftInput:
    """Validate a decoded JSON document and return the planner's input."""
    if not isinstance(doc, Mapping):
        raise AirliftInputError("the document must be a JSON object")
    airports = _unique(
        [_airport(f"airports[{i}]", e) for i, e in enumerate(_list(doc, "airports"))],
        "airports",
        lambda a: a.code,
    )
    types = _unique(
        [_type(f"aircraft_types[{i}]", e) for i, e in enumerate(_list(doc, "aircraft_types"))],
        "aircraft_types",
        lambda t: t.code,
    )
    fleet = list(
        _unique(
            [_aircraft(f"fleet[{i}]", e) for i, e in enumerate(_list(doc, "fleet"))],
            "fleet",
            lambda a: a.id,
        ).values()
    )
    for i, plane in enumerate(fleet):
        where = f"fleet[{i}] ({plane.id!r})"
        if plane.type not in types:
            raise AirliftInputError(f"{where}: unknown aircraft type {plane.type!r}")
        if plane.base not in airports:
            raise AirliftInputError(f"{where}: unknown base airport {plane.base!r}")
        if not airports[plane.base].admits(types[plane.type].size):
            raise AirliftInputError(
                f"{where}: base {plane.base} ({airports[plane.base].max_aircraft}) does not "
                f"admit a {types[plane.type].size} {plane.type}"
            )
    ground = doc.get("ground_minutes")
    if not _is_number(ground) or ground < 0 or ground != int(ground):
        raise AirliftInputError(
            f"ground_minutes must be a non-negative whole number of minutes, got {ground!r}"
        )
    raw = [_consignment(f"consignments[{i}]", e) for i, e in enumerate(_list(doc, "consignments"))]
    counts = Counter(c.id for c in raw)
    kept: list[Consignment] = []
    rejected: list[Unassigned] = []
    for c in raw:
        problem = _consignment_problem(c, airports, counts[c.id])
        if problem is not None:
            rejected.append(problem)
        else:
            kept.append(c)
    return AirliftInput(
        airports=airports,
        aircraft_types=types,
        fleet=tuple(fleet),
        consignments=tuple(kept),
        ground_minutes=int(ground),
        rejected=tuple(rejected),
    )


def _consignment_problem(
    c: Consignment, airports: Mapping[str, Airport], count: int
) -> Unassigned | None:
    if count > 1:
        return Unassigned.because(c.id, "duplicate", id=c.id, count=count)
    for end in ("origin", "destination"):
        code = getattr(c, end)
        if code not in airports:
            return Unassigned.because(c.id, "unknown_airport", end=end, airport=code)
    if c.origin == c.destination:
        return Unassigned.because(c.id, "same_airport", airport=c.origin)
    if c.ready_at > c.due_by:
        return Unassigned.because(
            c.id, "ready_after_due", ready=_iso(c.ready_at), due=_iso(c.due_by)
        )
    return None


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _list(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc.get(key)
    if not isinstance(value, list):
        raise AirliftInputError(f"{key!r} must be a list")
    return value


def _unique(items: list[Any], section: str, key: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, item in enumerate(items):
        k = key(item)
        if k in out:
            raise AirliftInputError(f"{section}[{i}]: duplicate {section} entry {k!r}")
        out[k] = item
    return out


def _is_number(v: Any) -> TypeGuard[float]:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


class _Entry:
    """Field access for one JSON object with errors that name the entry."""

    def __init__(self, where: str, entry: Any, id_key: str) -> None:
        if not isinstance(entry, Mapping):
            raise AirliftInputError(f"{where}: must be an object")
        self.entry = entry
        ident = entry.get(id_key)
        self.where = f"{where} ({ident!r})" if isinstance(ident, str) else where

    def fail(self, msg: str) -> AirliftInputError:
        return AirliftInputError(f"{self.where}: {msg}")

    def text(self, key: str) -> str:
        v = self.entry.get(key)
        if not isinstance(v, str) or not v.strip():
            raise self.fail(f"{key} must be a non-empty string, got {v!r}")
        return v.strip()

    def number(self, key: str, *, positive: bool = True, lo: float | None = None) -> float:
        v = self.entry.get(key)
        if not _is_number(v):
            raise self.fail(f"{key} must be a number, got {v!r}")
        if positive and v <= 0:
            raise self.fail(f"{key} must be positive, got {v!r}")
        if lo is not None and v < lo:
            raise self.fail(f"{key} must be at least {lo}, got {v!r}")
        return float(v)

    def integer(self, key: str, *, lo: int) -> int:
        v = self.entry.get(key)
        if not _is_number(v) or v != int(v) or v < lo:
            raise self.fail(f"{key} must be a whole number >= {lo}, got {v!r}")
        return int(v)

    def labels(self, key: str) -> frozenset[str]:
        """An optional list of names (capabilities); absent means none."""
        v = self.entry.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise self.fail(f"{key} must be a list of non-empty strings, got {v!r}")
        return frozenset(x.strip() for x in v)

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        v = self.entry.get(key)
        if v not in options:
            raise self.fail(f"{key} must be one of {', '.join(options)}; got {v!r}")
        return str(v)

    def time(self, key: str) -> datetime:
        v = self.entry.get(key)
        if not isinstance(v, str):
            raise self.fail(f"{key} must be an ISO 8601 UTC time string, got {v!r}")
        try:
            t = datetime.fromisoformat(v.replace("Z", "+00:00"))
        except ValueError:
            raise self.fail(f"{key} is not an ISO 8601 time: {v!r}") from None
        # Naive times are read as UTC: the spec says every time is UTC.
        return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def _airport(where: str, raw: Any) -> Airport:
    e = _Entry(where, raw, "code")
    lat = e.number("lat", positive=False)
    lon = e.number("lon", positive=False)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise e.fail(f"coordinates out of range: lat {lat}, lon {lon}")
    return Airport(e.text("code"), lat, lon, e.choice("max_aircraft", SIZES))


def _type(where: str, raw: Any) -> AircraftType:
    e = _Entry(where, raw, "code")
    return AircraftType(
        code=e.text("code"),
        payload_kg=e.number("payload_kg"),
        pallets=e.integer("pallets", lo=0),
        cruise_kmh=e.number("cruise_kmh"),
        range_km=e.number("range_km"),
        size=e.choice("size", SIZES),
        cost_per_hour=e.number("cost_per_hour", positive=False, lo=0),
    )


def _aircraft(where: str, raw: Any) -> Aircraft:
    e = _Entry(where, raw, "id")
    plane = Aircraft(
        id=e.text("id"),
        type=e.text("type"),
        base=e.text("base"),
        available_from=e.time("available_from"),
        available_until=e.time("available_until"),
        capabilities=e.labels("capabilities"),
    )
    if plane.available_until <= plane.available_from:
        raise e.fail("available_until must be after available_from")
    return plane


def _consignment(where: str, raw: Any) -> Consignment:
    e = _Entry(where, raw, "id")
    priority = e.integer("priority", lo=1)
    if priority not in PRIORITIES:
        raise e.fail(f"priority must be 1, 2 or 3, got {priority}")
    return Consignment(
        id=e.text("id"),
        origin=e.text("origin"),
        destination=e.text("destination"),
        weight_kg=e.number("weight_kg"),
        pallets=e.integer("pallets", lo=0),
        priority=priority,
        ready_at=e.time("ready_at"),
        due_by=e.time("due_by"),
        requires=e.labels("requires"),
    )
