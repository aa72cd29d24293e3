"""The legs of an airlift plan on a map, as server-side SVG.

Draws on the shared world map (:mod:`aidbridge.core.worldmap`, which also draws the
sitreps' flow map: Natural Earth from the ``world-atlas`` npm package, its projection
and coastline simplification) so the
page needs no tiles, no script and no network. Each aircraft's legs get one colour;
airports are dots labelled with their ICAO code; bases are squares.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from django.utils.html import escape

from aidbridge.core.worldmap import (
    HEIGHT,
    Projection,
    atlas_path,
    land,
    load_countries,
)

PALETTE = ("#1f4e79", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#2c3e50")


def legs_of(run_output: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """``(aircraft, from, to)`` for every leg flown, in plan order."""
    out = []
    for sortie in (run_output or {}).get("sorties", []):
        codes = [stop["airport"] for stop in sortie["stops"]]
        out += [(sortie["aircraft"], a, b) for a, b in pairwise(codes)]
    return out


def leg_map(
    airports: list[dict[str, Any]], legs: list[tuple[str, str, str]], bases: set[str], title: str
) -> str:
    path = atlas_path()
    if not path.exists():
        return f"<p class='map-missing'>World map data not installed ({escape(str(path))}).</p>"
    where = {a["code"]: (a["lon"], a["lat"]) for a in airports}
    used = {code for _, a, b in legs for code in (a, b)} or set(where)
    points = [where[c] for c in used if c in where]
    if not points:
        return ""
    lon0, lon1 = min(p[0] for p in points), max(p[0] for p in points)
    lat0, lat1 = min(p[1] for p in points), max(p[1] for p in points)
    pad_x, pad_y = max(3.0, (lon1 - lon0) * 0.15), max(2.0, (lat1 - lat0) * 0.15)
    project = Projection(lon0 - pad_x, lat0 - pad_y, lon1 + pad_x, lat1 + pad_y)
    parts = land(project, load_countries(path), title, "leg-map")
    colours = {
        plane: PALETTE[i % len(PALETTE)]
        for i, plane in enumerate(dict.fromkeys(p for p, _, _ in legs))
    }
    for plane, a, b in legs:
        (x0, y0), (x1, y1) = project(*where[a]), project(*where[b])
        parts.append(
            f"<line class='leg' data-aircraft='{escape(plane)}' data-from='{a}' data-to='{b}' "
            f"x1='{x0:.1f}' y1='{y0:.1f}' x2='{x1:.1f}' y2='{y1:.1f}' stroke='{colours[plane]}' "
            "stroke-width='1.8' stroke-opacity='0.8'/>"
        )
    for code in sorted(used):
        if code not in where:
            continue
        x, y = project(*where[code])
        mark = (
            f"<rect x='{x - 3:.1f}' y='{y - 3:.1f}' width='6' height='6' fill='#333'/>"
            if code in bases
            else f"<circle cx='{x:.1f}' cy='{y:.1f}' r='2.5' fill='#333'/>"
        )
        parts.append(
            f"<g class='airport' data-icao='{code}'>{mark}<text x='{x + 4:.1f}' y='{y - 4:.1f}' "
            f"font-size='9' font-family='DejaVu Sans, sans-serif' fill='#222'>{code}</text></g>"
        )
    x = 8.0
    for plane, colour in colours.items():
        parts.append(
            f"<rect x='{x}' y='{HEIGHT - 18}' width='12' height='4' fill='{colour}'/>"
            f"<text x='{x + 15}' y='{HEIGHT - 12}' font-size='9' "
            f"font-family='DejaVu Sans, sans-serif'>{escape(plane)}</text>"
        )
        x += 24 + 5.5 * len(plane)
    parts.append("</svg>")
    return "".join(parts)
