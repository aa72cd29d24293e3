"""The plan's legs as GeoJSON, for a map (any web map library reads it).

Each leg is a LineString feature from one stop to the next, with the aircraft, the
times and what is aboard; each airport used is a Point feature. Coordinates are
[lon, lat] as GeoJSON requires. Legs are drawn straight in lon/lat; a web map may
draw them as great circles.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from .jsonio import iso_minute
from .model import AirliftInput, AirliftPlan


def plan_to_geojson(inp: AirliftInput, plan: AirliftPlan) -> dict[str, Any]:
    features: list[dict[str, Any]] = []
    used: set[str] = set()
    for sortie in plan.sorties:
        aboard: list[str] = []
        for a, b in pairwise(sortie.stops):
            aboard = [c for c in aboard if c not in a.unload] + list(a.load)
            p, q = inp.airports[a.airport], inp.airports[b.airport]
            used |= {p.code, q.code}
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[p.lon, p.lat], [q.lon, q.lat]],
                    },
                    "properties": {
                        "aircraft": sortie.aircraft,
                        "from": p.code,
                        "to": q.code,
                        "depart": iso_minute(a.depart) if a.depart else None,
                        "arrive": iso_minute(b.arrive) if b.arrive else None,
                        "aboard": aboard,
                    },
                }
            )
    for code in sorted(used):
        airport = inp.airports[code]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [airport.lon, airport.lat]},
                "properties": {"airport": code},
            }
        )
    return {"type": "FeatureCollection", "features": features}
