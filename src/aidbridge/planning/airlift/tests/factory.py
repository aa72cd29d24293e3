"""Small hand-made airlift documents for the tests."""

from __future__ import annotations

from typing import Any

AIRPORTS = {
    # code: (lat, lon)
    "LHPA": (47.3636, 17.5007),  # Papa, SAC base
    "LTAC": (40.1281, 32.9951),  # Ankara
    "LIRF": (41.8003, 12.2389),  # Rome
    "LTCG": (40.9951, 39.7897),  # Trabzon
    "LTAT": (38.4353, 38.0919),  # Malatya
    "EGLL": (51.4706, -0.4619),  # London
    "LPPT": (38.7813, -9.1359),  # Lisbon
}

C17 = {"code": "C-17A", "payload_kg": 77500, "pallets": 18, "cruise_kmh": 830,
       "range_km": 4400, "size": "heavy", "cost_per_hour": 24000}  # fmt: skip
C130 = {"code": "C-130J-30", "payload_kg": 19000, "pallets": 8, "cruise_kmh": 640,
        "range_km": 3100, "size": "light", "cost_per_hour": 8000}  # fmt: skip


def airport(code: str, size: str = "heavy") -> dict[str, Any]:
    lat, lon = AIRPORTS[code]
    return {"code": code, "lat": lat, "lon": lon, "max_aircraft": size}


def aircraft(ident: str, kind: str = "C-17A", base: str = "LHPA", **kw: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "type": kind,
        "base": base,
        "available_from": "2020-04-01T06:00:00Z",
        "available_until": "2020-04-04T18:00:00Z",
        **kw,
    }


def consignment(
    ident: str, origin: str = "LTAC", destination: str = "LIRF", **kw: Any
) -> dict[str, Any]:
    return {
        "id": ident,
        "origin": origin,
        "destination": destination,
        "weight_kg": 12000,
        "pallets": 6,
        "priority": 1,
        "ready_at": "2020-04-01T08:00:00Z",
        "due_by": "2020-04-03T20:00:00Z",
        **kw,
    }


def document(
    consignments: list[dict[str, Any]],
    fleet: list[dict[str, Any]] | None = None,
    types: list[dict[str, Any]] | None = None,
    sizes: dict[str, str] | None = None,
) -> dict[str, Any]:
    sizes = sizes or {}
    return {
        "airports": [airport(code, sizes.get(code, "heavy")) for code in AIRPORTS],
        "aircraft_types": [dict(t) for t in (types or [C17])],
        "fleet": fleet or [aircraft("SAC-1")],
        "consignments": consignments,
        "ground_minutes": 90,
    }
