"""A map of requesting and assisting nations and the aid flowing between them, as SVG.

The world comes from Natural Earth via the ``world-atlas`` package of the npm registry
(TopoJSON, 1:50m), installed by the set-up scripts (``npm ci``) into ``node_modules``:
no tile server, no network, and the same SVG in the page and in the PDF. Nations are
matched by ISO 3166 numeric code (the TopoJSON ids) through ``pycountry``; a nation's
point is the centroid of its largest polygon, so France sits in Europe, not between
Paris and Cayenne.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
from django.conf import settings
from django.utils.html import escape

log = logging.getLogger(__name__)

Ring = list[tuple[float, float]]
WIDTH, HEIGHT = 520.0, 360.0
COLOURS = {"requesting": "#f1b07a", "assisting": "#8fb8e0", "both": "#c6a3d9"}
LAND, SEA, BORDER, FLOW = "#ecebe6", "#f6fbff", "#ffffff", "#1f4e79"


def atlas_path() -> Path:
    configured = getattr(settings, "AIDBRIDGE_WORLD_ATLAS", None)
    if configured:
        return Path(configured)
    return Path(settings.PROJECT_DIR) / "node_modules" / "world-atlas" / "countries-50m.json"


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-3, or "" when Natural Earth has no ISO id (Kosovo, ...)
    polygons: tuple[tuple[Ring, ...], ...]  # each polygon: outer ring then holes
    centroid: tuple[float, float]  # lon, lat
    bbox: tuple[float, float, float, float]  # lon0, lat0, lon1, lat1 of the main polygon


def _ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area / 2), cx / (3 * area), cy / (3 * area)


@lru_cache(maxsize=2)
def load_countries(path: Path) -> tuple[Country, ...]:
    """Decode the TopoJSON (quantised, delta-encoded arcs) once per process."""
    topo = json.loads(path.read_text())
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring_of(indexes: list[int]) -> Ring:
        ring: Ring = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            ring.extend(points[1:] if ring else points)
        return ring

    countries = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            raw = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            raw = geometry["arcs"]
        else:
            continue
        polygons = tuple(tuple(ring_of(r) for r in poly) for poly in raw)
        main = max(polygons, key=lambda p: _ring_area_centroid(p[0])[0])
        _, cx, cy = _ring_area_centroid(main[0])
        xs, ys = [p[0] for p in main[0]], [p[1] for p in main[0]]
        found = (
            pycountry.countries.get(numeric=geometry.get("id", "")) if "id" in geometry else None
        )
        countries.append(
            Country(
                code=found.alpha_3 if found else "",
                polygons=polygons,
                centroid=(cx, cy),
                bbox=(min(xs), min(ys), max(xs), max(ys)),
            )
        )
    return tuple(countries)


class Projection:
    """Equirectangular, scaled by the cosine of the middle latitude: true enough at the
    scale of a region, and straight lines stay straight for the flows."""

    def __init__(self, lon0: float, lat0: float, lon1: float, lat1: float):
        self.k = math.cos(math.radians((lat0 + lat1) / 2))
        span_x, span_y = (lon1 - lon0) * self.k, lat1 - lat0
        # Widen the short side so the box has the map's aspect ratio.
        if span_x / span_y < WIDTH / HEIGHT:
            extra = (span_y * WIDTH / HEIGHT - span_x) / self.k / 2
            lon0, lon1 = lon0 - extra, lon1 + extra
        else:
            extra = (span_x * HEIGHT / WIDTH - span_y) / 2
            lat0, lat1 = lat0 - extra, lat1 + extra
        self.box = (lon0, lat0, lon1, lat1)
        self.scale = WIDTH / ((lon1 - lon0) * self.k)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        lon0, _, _, lat1 = self.box
        return (lon - lon0) * self.k * self.scale, (lat1 - lat) * self.scale

    def sees(self, bbox: tuple[float, float, float, float]) -> bool:
        lon0, lat0, lon1, lat1 = self.box
        return not (bbox[2] < lon0 or bbox[0] > lon1 or bbox[3] < lat0 or bbox[1] > lat1)


def rings_path(rings: tuple[Ring, ...], project: Projection) -> str:
    """Projected rings, dropping points about a pixel apart (a 1:50m coast has far more
    detail than a 500-pixel map can show; every point costs layout time in the PDF)."""
    out = []
    for ring in rings:
        kept: list[tuple[float, float]] = []
        for lon, lat in ring:
            x, y = project(lon, lat)
            if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 1.2:
                kept.append((x, y))
        xs, ys = [p[0] for p in kept], [p[1] for p in kept]
        # Islands under two pixels across cannot be seen; they only cost PDF layout time.
        if len(kept) >= 3 and max(xs) - min(xs) + max(ys) - min(ys) >= 2:
            out.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z")
    return "".join(out)


def ring_bbox(ring: Ring) -> tuple[float, float, float, float]:
    """The ring's bounding box (min x, min y, max x, max y), to skip what a map does not see."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def land(
    project: Projection,
    countries: tuple[Country, ...],
    title: str,
    css_class: str = "",
    paint: Callable[[Country], tuple[str, str]] | None = None,
) -> list[str]:
    """The first parts of every map's SVG: its frame titled ``title``, the sea, and each
    country the projection sees, in LAND or the colour and attributes ``paint`` gives.
    The caller adds what its map shows on top, then closes the ``<svg>``."""
    classes = f"map {css_class}".strip()
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='{classes}' viewBox='0 0 {WIDTH:.0f} "
        f"{HEIGHT:.0f}' role='img' aria-label='{escape(title)}'><title>{escape(title)}</title>",
        f"<rect width='{WIDTH:.0f}' height='{HEIGHT:.0f}' fill='{SEA}'/>",
    ]
    for country in countries:
        polygons = [p for p in country.polygons if project.sees(ring_bbox(p[0]))]
        d = "".join(rings_path(p, project) for p in polygons)
        if not d:
            continue
        fill, attributes = paint(country) if paint else (LAND, "")
        parts.append(
            f"<path class='country'{attributes} d='{d}' fill='{fill}' stroke='{BORDER}' "
            "stroke-width='0.5' fill-rule='evenodd'/>"
        )
    return parts


# The words the flow map shows, given by the caller in its language (the sitreps' labels).
FLOW_MAP_LABELS = ("map", "map_requesting", "map_assisting", "map_both")


def flow_map(
    flows: list[dict[str, Any]],
    requesting: set[str],
    assisting: set[str],
    labels: Mapping[str, str],
) -> str:
    """The SVG map; nations are coloured by role, flows drawn donor → requester.

    ``labels`` holds the words of :data:`FLOW_MAP_LABELS` (title and legend)."""
    path = atlas_path()
    if not path.exists():
        log.warning("world map data missing at %s (run npm ci)", path)
        return f"<p class='map-missing'>World map data not installed ({escape(str(path))}).</p>"
    countries = load_countries(path)
    by_code = {c.code: c for c in countries if c.code}
    role: dict[str, str] = {}
    for codes, kind in ((requesting, "requesting"), (assisting, "assisting")):
        for code in codes:
            if code in by_code:
                role[code] = kind if role.get(code, kind) == kind else "both"
    project = Projection(*_frame(by_code, requesting, role))

    def paint(country: Country) -> tuple[str, str]:
        if country.code not in role:
            return LAND, ""
        return COLOURS[role[country.code]], f" data-nation='{country.code}'"

    parts = land(project, countries, labels["map"], paint=paint)
    heaviest = max((f["tonnes"] for f in flows), default=0.0) or 1.0
    for f in flows:
        if f["donor"] not in by_code or f["nation"] not in by_code or f["donor"] == f["nation"]:
            continue
        parts.append(_flow(project, by_code[f["donor"]], by_code[f["nation"]], f, heaviest))
    parts.extend(_labels(project, [by_code[c] for c in role]))
    legend_y = HEIGHT - 10
    x = 8.0
    for kind, key in (
        ("requesting", "map_requesting"),
        ("assisting", "map_assisting"),
        ("both", "map_both"),
    ):
        text = escape(labels[key])
        parts.append(
            f"<rect x='{x}' y='{legend_y - 8}' width='10' height='10' fill='{COLOURS[kind]}' "
            f"stroke='#666' stroke-width='0.3'/><text x='{x + 13}' y='{legend_y}' font-size='9' "
            f"font-family='DejaVu Sans, sans-serif'>{text}</text>"
        )
        x += 22 + 5.5 * len(text)
    parts.append("</svg>")
    return "".join(parts)


def _frame(
    by_code: dict[str, Country], requesting: set[str], role: dict[str, str]
) -> tuple[float, float, float, float]:
    """The box the map shows: the affected area (the requesting nations' main land), with
    the assisting nations that lie near it. A donor far away (the United States for a
    European crisis) stays off the map and its flow comes in from the edge, so the
    affected area is not shrunk to a corner of a world map."""
    core = [by_code[c] for c in requesting if c in by_code] or [
        by_code[c] for c in role if c in by_code
    ]
    if not core:
        core = [by_code[c] for c in ("FRA", "DEU", "ITA") if c in by_code]
    lon0, lat0 = min(c.bbox[0] for c in core), min(c.bbox[1] for c in core)
    lon1, lat1 = max(c.bbox[2] for c in core), max(c.bbox[3] for c in core)
    reach_x, reach_y = max(15.0, (lon1 - lon0) * 0.6), max(10.0, (lat1 - lat0) * 0.6)
    for code in role:
        country = by_code.get(code)
        if country is None:
            continue
        lon, lat = country.centroid
        if lon0 - reach_x <= lon <= lon1 + reach_x and lat0 - reach_y <= lat <= lat1 + reach_y:
            lon0, lat0 = min(lon0, country.bbox[0]), min(lat0, country.bbox[1])
            lon1, lat1 = max(lon1, country.bbox[2]), max(lat1, country.bbox[3])
    pad_x, pad_y = max(3.0, (lon1 - lon0) * 0.08), max(2.0, (lat1 - lat0) * 0.08)
    # Never past the poles: that left an empty stripe at the top.
    return lon0 - pad_x, max(-85.0, lat0 - pad_y), lon1 + pad_x, min(85.0, lat1 + pad_y)


LABEL_H, CHAR_W, MARGIN = 10.0, 6.2, 4.0
# Where a label may sit around its point, tried in this order: right, left, above, below.
OFFSETS = ((3, -3), (-3, -3), (3, 10), (-3, 10), (0, -6), (0, 13))


def _labels(project: Projection, countries: list[Country]) -> list[str]:
    """A dot and a code per nation; codes placed greedily where they overlap no code
    already placed (the least overlap when every place is taken), kept inside the map.
    A nation off the map is labelled at the edge, towards where it lies."""
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for country in sorted(countries, key=lambda c: (-c.centroid[1], c.code)):
        x, y = project(*country.centroid)
        inside = 0 <= x <= WIDTH and 0 <= y <= HEIGHT
        x, y = min(max(x, MARGIN), WIDTH - MARGIN), min(max(y, MARGIN), HEIGHT - MARGIN)
        width = CHAR_W * len(country.code)
        best: tuple[float, tuple[float, float, float, float]] | None = None
        for dx, dy in OFFSETS:
            left = x + dx - (width if dx < 0 else width / 2 if dx == 0 else 0)
            left = min(max(left, 1.0), WIDTH - width - 1)
            top = min(max(y + dy - LABEL_H + 2, 1.0), HEIGHT - LABEL_H - 1)
            box = (left, top, left + width, top + LABEL_H)
            overlap = sum(_overlap(box, other) for other in placed)
            if best is None or overlap < best[0]:
                best = (overlap, box)
            if overlap == 0:
                break
        assert best is not None
        box = best[1]
        placed.append(box)
        dot = f"<circle cx='{x:.1f}' cy='{y:.1f}' r='2' fill='#333'/>" if inside else ""
        out.append(
            f"{dot}<text class='map-label' x='{box[0]:.1f}' y='{box[3] - 2:.1f}' "
            f"font-size='9' font-weight='bold' font-family='DejaVu Sans, sans-serif' "
            f"fill='#222'>{country.code}</text>"
        )
    return out


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _flow(
    project: Projection, donor: Country, nation: Country, flow: dict[str, Any], heaviest: float
) -> str:
    (x0, y0), (x1, y1) = project(*donor.centroid), project(*nation.centroid)
    # A gentle arc, bent to the left of the direction of travel, so A→B and B→A differ.
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    cx, cy = mx - dy * 0.2, my + dx * 0.2
    width = 0.8 + 4.2 * math.sqrt(flow["tonnes"] / heaviest)
    # Arrowhead along the curve's end tangent (from the control point to the end).
    tx, ty = x1 - cx, y1 - cy
    tl = math.hypot(tx, ty) or 1.0
    ux, uy = tx / tl, ty / tl
    size = 4 + width
    bx, by = x1 - ux * size, y1 - uy * size
    head = (
        f"{x1:.1f},{y1:.1f} {bx - uy * size / 2:.1f},{by + ux * size / 2:.1f} "
        f"{bx + uy * size / 2:.1f},{by - ux * size / 2:.1f}"
    )
    return (
        f"<g class='flow' data-from='{donor.code}' data-to='{nation.code}'>"
        f"<path d='M{x0:.1f},{y0:.1f} Q{cx:.1f},{cy:.1f} {bx:.1f},{by:.1f}' fill='none' "
        f"stroke='{FLOW}' stroke-opacity='0.75' stroke-width='{width:.1f}' "
        "stroke-linecap='round'/>"
        f"<polygon points='{head}' fill='{FLOW}' fill-opacity='0.85'/></g>"
    )
