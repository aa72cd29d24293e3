"""Seeded airlift instances over real European and Turkish airports.

Coordinates come from the ``airportsdata`` package. The fleet mixes the domain's
reference types (An-124, C-17A, A400M, C-130J-30) on a few real military and cargo
bases; consignments run from donor airports to airports near a disaster, with weights,
pallets, priorities and windows drawn from a seeded generator so every benchmark run
sees the same instances.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import airportsdata

TYPES: list[dict[str, Any]] = [
    {"code": "An-124-100", "payload_kg": 120000, "pallets": 36, "cruise_kmh": 800,
     "range_km": 5400, "size": "heavy", "cost_per_hour": 30000},
    {"code": "C-17A", "payload_kg": 77500, "pallets": 18, "cruise_kmh": 830,
     "range_km": 4400, "size": "heavy", "cost_per_hour": 24000},
    {"code": "A400M", "payload_kg": 37000, "pallets": 9, "cruise_kmh": 780,
     "range_km": 3300, "size": "medium", "cost_per_hour": 15000},
    {"code": "C-130J-30", "payload_kg": 19000, "pallets": 8, "cruise_kmh": 640,
     "range_km": 3100, "size": "light", "cost_per_hour": 8000},
]  # fmt: skip

BASES = {
    "An-124-100": ["EDDP"],  # Leipzig (SALIS)
    "C-17A": ["LHPA"],  # Papa (SAC)
    "A400M": ["ETNW", "LFOJ", "LEZG", "LTAG"],  # Wunstorf, Orleans, Zaragoza, Incirlik
    "C-130J-30": ["EHEH", "LIRP", "EKAH", "EPKS"],  # Eindhoven, Pisa, Aarhus, Powidz
}
DONORS = [
    "EDDF", "EDDK", "EHAM", "EBBR", "LFPG", "LFML", "LEMD", "LEBL", "LIRF", "LIMC",
    "LOWW", "LSZH", "EKCH", "ESSA", "ENGM", "EFHK", "EPWA", "LKPR", "LHBP", "LROP",
    "LBSF", "LGAV", "LPPT", "EIDW", "EGLL", "LDZA", "LJLJ", "LZIB", "EVRA", "EYVI",
]  # fmt: skip
AFFECTED = [
    "LTAC", "LTFM", "LTBA", "LTAI", "LTAF", "LTCG", "LTAJ", "LTCC", "LTAN", "LTAY",
    "LTCE", "LTBJ", "LTAT", "LTCR", "LYBE", "LQSA", "LWSK", "LATI", "UKBB", "LUKK",
]  # fmt: skip
SMALL = {"LTAY": "medium", "LTCR": "medium", "LTAT": "light", "LTCE": "medium", "LQSA": "medium"}

SIZES = {"small": (20, 3), "medium": (200, 12), "large": (1000, 40)}


def generate(consignments: int, aircraft: int, seed: int = 1) -> dict[str, Any]:
    """An input document of the spec with ``consignments`` and ``aircraft`` entries."""
    rng = random.Random(seed)
    db = airportsdata.load("ICAO")
    start = datetime(2026, 2, 6, 6, 0, tzinfo=UTC)
    days = 3 if consignments <= 50 else 5 if consignments <= 300 else 7
    mix = ["An-124-100", "C-17A", "A400M", "C-130J-30", "C-130J-30", "A400M", "C-17A"]
    mix += ["C-130J-30", "An-124-100", "A400M", "C-130J-30", "C-17A"]
    fleet, codes = [], set(DONORS) | set(AFFECTED)
    for k in range(aircraft):
        kind = mix[(k - 3) % len(mix)] if k >= 3 else ["C-17A", "A400M", "C-130J-30"][k]
        base = rng.choice(BASES[kind])
        codes.add(base)
        late = timedelta(hours=rng.choice([0, 0, 6, 12]))
        fleet.append({
            "id": f"{kind.split('-')[0].upper()}-{k + 1:02d}", "type": kind, "base": base,
            "available_from": _iso(start + late),
            "available_until": _iso(start + timedelta(days=days) - late / 2),
        })  # fmt: skip
    items = []
    for k in range(consignments):
        origin, dest = rng.choice(DONORS), rng.choice(AFFECTED)
        roll = rng.random()
        weight = rng.randint(500, 6000) if roll < 0.5 else rng.randint(6000, 30000)
        if roll > 0.97:
            weight = rng.randint(60000, 110000)
        pallets = max(1, min(36, round(weight / rng.uniform(1500, 4000))))
        ready = start + timedelta(hours=rng.uniform(0, days * 24 * 0.6))
        window = timedelta(hours=rng.choice([12, 24, 48, 72]))
        items.append({
            "id": f"{dest[:2]}-{k + 1:04d}", "origin": origin, "destination": dest,
            "weight_kg": weight, "pallets": pallets, "priority": rng.choice([1, 2, 2, 3, 3]),
            "ready_at": _iso(ready), "due_by": _iso(ready + window),
        })  # fmt: skip
    airports = [
        {"code": c, "lat": db[c]["lat"], "lon": db[c]["lon"], "max_aircraft": SMALL.get(c, "heavy")}
        for c in sorted(codes)
    ]
    return {
        "airports": airports,
        "aircraft_types": TYPES,
        "fleet": fleet,
        "consignments": items,
        "ground_minutes": 90,
    }


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")
