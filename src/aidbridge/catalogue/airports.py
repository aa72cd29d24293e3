"""Airports by ICAO code, from the ``airportsdata`` package (no hand-made list)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import airportsdata


@dataclass(frozen=True)
class Airport:
    icao: str
    name: str
    city: str
    country: str  # ISO 3166-1 alpha-2, as airportsdata gives it
    lat: float
    lon: float


@cache
def _all() -> dict[str, Airport]:
    return {
        code: Airport(
            icao=code,
            name=row["name"],
            city=row["city"],
            country=row["country"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
        )
        for code, row in airportsdata.load("ICAO").items()
    }


def get_airport(icao: str) -> Airport | None:
    """The airport with this ICAO code, or None. Codes are matched case-insensitively."""
    return _all().get(icao.strip().upper())


def search_airports(text: str, limit: int = 20) -> list[Airport]:
    """Airports whose code, name or city contains ``text``, codes first."""
    needle = text.strip().lower()
    if not needle:
        return []
    exact = [a for a in _all().values() if a.icao.lower() == needle]
    rest = [
        a
        for a in _all().values()
        if a.icao.lower() != needle and (needle in a.name.lower() or needle in a.city.lower())
    ]
    return (exact + sorted(rest, key=lambda a: a.icao))[:limit]
