"""The airlift planner's vocabulary: input, plan and violation records.

Plain frozen dataclasses so the planner, the checker, the command and (later) the
Django adapter share one description of the problem without depending on each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SIZES: tuple[str, ...] = ("light", "medium", "heavy")
"""Aircraft and airport size classes, smallest first (their order is their rank)."""

PRIORITIES: tuple[int, ...] = (1, 2, 3)


def size_rank(size: str) -> int:
    return SIZES.index(size)


@dataclass(frozen=True)
class Airport:
    code: str
    lat: float
    lon: float
    max_aircraft: str

    def admits(self, aircraft_size: str) -> bool:
        return size_rank(self.max_aircraft) >= size_rank(aircraft_size)


@dataclass(frozen=True)
class AircraftType:
    code: str
    payload_kg: float
    pallets: int
    cruise_kmh: float
    range_km: float
    size: str
    cost_per_hour: float


@dataclass(frozen=True)
class Aircraft:
    id: str
    type: str
    base: str
    available_from: datetime
    available_until: datetime
    capabilities: frozenset[str] = frozenset()
    """What the aircraft is fitted for beyond cargo (e.g. ``medevac``)."""


@dataclass(frozen=True)
class Consignment:
    id: str
    origin: str
    destination: str
    weight_kg: float
    pallets: int
    priority: int
    ready_at: datetime
    due_by: datetime
    requires: frozenset[str] = frozenset()
    """Capabilities an aircraft must all have to carry it (e.g. patients: ``medevac``)."""


def can_carry(plane: Aircraft, c: Consignment) -> bool:
    """Whether ``plane`` has every capability ``c`` requires: the compatibility rule of
    the analysis and the search model (the checker tests it its own way)."""
    return c.requires <= plane.capabilities


@dataclass(frozen=True)
class Unassigned:
    consignment: str
    reason: str
    """In English; ``code`` and ``params`` let the application word it otherwise."""
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def because(cls, consignment: str, code: str, **params: Any) -> Unassigned:
        from .reasons import english

        return cls(consignment, english(code, params), code, params)


@dataclass(frozen=True)
class AirliftInput:
    """A validated planning request.

    ``consignments`` holds only consignments that passed validation; those refused
    individually (unknown airport, duplicate id, window inverted) are in ``rejected``
    with their reason, so they are reported as unassigned rather than dropped.
    """

    airports: dict[str, Airport]
    aircraft_types: dict[str, AircraftType]
    fleet: tuple[Aircraft, ...]
    consignments: tuple[Consignment, ...]
    ground_minutes: int
    rejected: tuple[Unassigned, ...] = ()


@dataclass(frozen=True)
class Stop:
    """One airport visit of a sortie. The first stop has no arrival, the last none
    departure (``None``)."""

    airport: str
    arrive: datetime | None
    depart: datetime | None
    load: tuple[str, ...] = ()
    unload: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sortie:
    aircraft: str
    stops: tuple[Stop, ...]


@dataclass(frozen=True)
class AirliftPlan:
    sorties: tuple[Sortie, ...]
    unassigned: tuple[Unassigned, ...]
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Violation:
    """One broken feasibility rule; ``where`` names the sortie/stop/consignment."""

    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.where}: {self.message}"


@dataclass(frozen=True)
class Progress:
    """A progress report from the search, for a terminal display."""

    elapsed_s: float
    time_limit_s: float
    iterations: int
    best_cost: int | None
    """The search's internal objective (cost minus prizes), ``None`` while infeasible."""
    planned: int
    """Tasks (consignments) in the best solution so far."""
    tasks: int
