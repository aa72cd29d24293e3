"""The transfer matcher's data: requested patient transfers, offered beds, the plan.

Counts and constraints only. A transfer need is "N patients of this bed type from this
place", never a person: nothing here can carry a name, a birth date or a diagnosis, and
the Django layer keeps it that way (``hospitals`` tests read every model field).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Literal

from ..geo import great_circle_km

Mode = Literal["road", "air"]


class MatchingInputError(ValueError):
    """The input breaks a rule; ``problems`` holds ``(entry, problem)`` pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(f"{entry}: {problem}" for entry, problem in self.problems))


@dataclass(frozen=True, slots=True)
class Place:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class TransportModel:
    """How long moving an intensive-care patient takes, by road or by MEDEVAC flight.

    Road: a fixed hand-over time plus the great-circle distance at an ambulance's mean
    speed, only up to ``road_max_km`` (crews and patients do not stand longer rides).
    Air: a larger fixed time (ambulance to the airfield at both ends, loading) plus the
    distance at cruise speed. The faster of the two is used. The defaults follow the
    spring 2020 transfers (Bergamo to Leipzig by Luftwaffe A310 MedEvac, Strasbourg to
    Freiburg and Saarland by road).
    """

    road_kmh: float = 70.0
    road_handover_min: float = 30.0
    road_max_km: float = 600.0
    air_kmh: float = 650.0
    air_handover_min: float = 180.0

    def trip(self, km: float) -> tuple[float, Mode]:
        """(minutes, mode) of the quicker way to cover ``km``."""
        air = self.air_handover_min + km / self.air_kmh * 60.0
        if km <= self.road_max_km:
            road = self.road_handover_min + km / self.road_kmh * 60.0
            if road <= air:
                return road, "road"
        return air, "air"


@dataclass(frozen=True, slots=True)
class TransferNeed:
    """``count`` patients of region ``region`` needing a ``bed_type`` bed (EDXL-HAVE
    bed type code such as ``AdultICU``), leaving from ``origin``."""

    id: str
    region: str
    bed_type: str
    count: int
    origin: Place
    ventilated: bool = False
    isolation: bool = False


@dataclass(frozen=True, slots=True)
class BedOffer:
    """``beds`` free beds of ``bed_type`` at a hospital, as offered by its nation.

    ``reported_at`` is when the hospital last reported that availability; a report older
    than the input's ``max_report_age`` is not relied upon. ``only_for`` restricts the
    offer to the named needs (an offer made against one request); empty means any.
    """

    id: str
    hospital: str
    bed_type: str
    beds: int
    location: Place
    reported_at: dt.datetime
    ventilation: bool = True
    isolation: bool = False
    only_for: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class MatchingInput:
    needs: tuple[TransferNeed, ...]
    offers: tuple[BedOffer, ...]
    now: dt.datetime
    max_report_age: dt.timedelta = dt.timedelta(hours=48)
    max_minutes: float = 720.0
    """No transfer longer than this (the "in range" of the reasons)."""
    transport: TransportModel = field(default_factory=TransportModel)

    def __post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        seen: set[str] = set()
        for n in self.needs:
            if n.id in seen:
                problems.append((f'need "{n.id}"', "id used twice"))
            seen.add(n.id)
            if n.count < 1:
                problems.append((f'need "{n.id}"', f"count must be at least 1, got {n.count}"))
            if not _valid_place(n.origin):
                problems.append((f'need "{n.id}"', "origin is not a latitude/longitude"))
        seen = set()
        for o in self.offers:
            if o.id in seen:
                problems.append((f'offer "{o.id}"', "id used twice"))
            seen.add(o.id)
            if o.beds < 0:
                problems.append((f'offer "{o.id}"', f"beds must not be negative, got {o.beds}"))
            if not _valid_place(o.location):
                problems.append((f'offer "{o.id}"', "location is not a latitude/longitude"))
            if o.reported_at.tzinfo is None:
                problems.append((f'offer "{o.id}"', "reported_at has no time zone"))
        if self.now.tzinfo is None:
            problems.append(("now", "has no time zone"))
        if not self.max_minutes > 0:
            problems.append(("max_minutes", "must be positive"))
        if problems:
            raise MatchingInputError(problems)

    def is_stale(self, offer: BedOffer) -> bool:
        return self.now - offer.reported_at > self.max_report_age

    def distance_km(self, need: TransferNeed, offer: BedOffer) -> float:
        return great_circle_km(
            need.origin.lat, need.origin.lon, offer.location.lat, offer.location.lon
        )


def _valid_place(p: Place) -> bool:
    return (
        math.isfinite(p.lat)
        and math.isfinite(p.lon)
        and -90 <= p.lat <= 90
        and -180 <= p.lon <= 180
    )


@dataclass(frozen=True, slots=True)
class Transfer:
    need: str
    offer: str
    patients: int
    minutes: float
    mode: Mode
    km: float


Reason = Literal[
    "no_bed_of_type",
    "no_bed_meeting_constraints",
    "capacity_report_too_old",
    "no_bed_in_range",
    "beds_shared_fairly",
]
"""Why a need was not fully matched, in the order they are tested (the first that
explains the whole shortfall is given). ``beds_shared_fairly``: compatible beds exist
but went to regions served less well so far."""


@dataclass(frozen=True, slots=True)
class Shortfall:
    need: str
    patients: int
    reason: Reason


@dataclass(frozen=True, slots=True)
class RegionFill:
    region: str
    requested: int
    matched: int
    share: float
    """The region's fractional leximin share of patients (its fair target)."""

    @property
    def fill(self) -> float:
        return self.matched / self.requested if self.requested else 1.0


@dataclass(frozen=True, slots=True)
class MatchingPlan:
    transfers: tuple[Transfer, ...]
    shortfalls: tuple[Shortfall, ...]
    regions: tuple[RegionFill, ...]
    """Worst-served first."""
    patient_minutes: float
    levels: tuple[float, ...]
    """The leximin fill levels, lowest first, each reached by a group of regions."""
    seconds: float

    @property
    def matched(self) -> int:
        return sum(t.patients for t in self.transfers)
