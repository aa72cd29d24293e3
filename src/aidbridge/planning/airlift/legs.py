"""Leg geometry and the planner's clock.

The planner counts time in whole minutes from an epoch, because the spec checks times
to the minute and PyVRP needs integers. Rounding always goes the safe way: a window
opens at the next whole minute and closes at the previous one, so a plan made on the
minute grid is feasible against the exact times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from aidbridge.planning.geo import great_circle_km

from .model import AircraftType, AirliftInput


@dataclass(frozen=True)
class Clock:
    epoch: datetime

    @classmethod
    def for_input(cls, inp: AirliftInput) -> Clock:
        starts = [a.available_from for a in inp.fleet] or [c.ready_at for c in inp.consignments]
        first = min(starts) if starts else datetime(2000, 1, 1, tzinfo=UTC)
        return cls(first.replace(second=0, microsecond=0))

    def ceil(self, t: datetime) -> int:
        return math.ceil((t - self.epoch) / timedelta(minutes=1))

    def floor(self, t: datetime) -> int:
        return math.floor((t - self.epoch) / timedelta(minutes=1))

    def at(self, minute: int) -> datetime:
        return self.epoch + timedelta(minutes=minute)


@dataclass
class Legs:
    """Distances, flight minutes and costs between the input's airports, per type."""

    inp: AirliftInput
    _km: dict[tuple[str, str], float] = field(default_factory=dict)
    _cost: dict[tuple[str, str, str], float] = field(default_factory=dict)
    _usable: dict[tuple[str, str, str], bool] = field(default_factory=dict)

    def km(self, a: str, b: str) -> float:
        key = (a, b) if a <= b else (b, a)
        if key not in self._km:
            p, q = self.inp.airports[a], self.inp.airports[b]
            self._km[key] = 0.0 if a == b else great_circle_km(p.lat, p.lon, q.lat, q.lon)
        return self._km[key]

    def minutes(self, kind: AircraftType, a: str, b: str) -> int:
        """Flight time rounded to the nearest minute (the spec's tolerance)."""
        return round(self.km(a, b) / kind.cruise_kmh * 60)

    def hours(self, kind: AircraftType, a: str, b: str) -> float:
        return self.km(a, b) / kind.cruise_kmh

    def cost(self, kind: AircraftType, a: str, b: str) -> float:
        key = (kind.code, a, b)
        if key not in self._cost:
            self._cost[key] = self.hours(kind, a, b) * kind.cost_per_hour
        return self._cost[key]

    def in_range(self, kind: AircraftType, a: str, b: str) -> bool:
        return self.km(a, b) <= kind.range_km

    def usable(self, kind: AircraftType, a: str, b: str) -> bool:
        """Whether ``kind`` may fly the leg: within range, both ends admit it."""
        key = (kind.code, a, b)
        if key not in self._usable:
            airports = self.inp.airports
            self._usable[key] = (
                self.in_range(kind, a, b)
                and airports[a].admits(kind.size)
                and airports[b].admits(kind.size)
            )
        return self._usable[key]
