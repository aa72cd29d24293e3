"""The transfers map, as SVG: receiving hospitals with their free beds by type, and the
accepted transfers as flows from where the patients leave to the hospital taking them.

The coasts and borders are the sitreps' world map (``core.worldmap``: Natural Earth
from the ``world-atlas`` npm package, same projection), framed here on the hospitals
and the origins rather than on nations. A hospital's dot grows with its free beds;
its tooltip lists them by EDXL-HAVE bed type, stale reports marked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from aidbridge.core.worldmap import (
    FLOW,
    Projection,
    atlas_path,
    land,
    load_countries,
)

HOSPITAL, STALE = "#c0392b", "#999999"


@dataclass(frozen=True)
class HospitalPoint:
    name: str
    lat: float
    lon: float
    free: tuple[tuple[str, int, bool], ...]  # (bed type label, available, stale)


@dataclass(frozen=True)
class Flow:
    origin: tuple[float, float]  # lat, lon
    hospital: tuple[float, float]
    patients: int
    air: bool
    label: str


def _frame(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
    pad_x, pad_y = max(2.0, (lon1 - lon0) * 0.15), max(1.5, (lat1 - lat0) * 0.15)
    return lon0 - pad_x, max(-85.0, lat0 - pad_y), lon1 + pad_x, min(85.0, lat1 + pad_y)


def transfer_map(hospitals: list[HospitalPoint], flows: list[Flow]) -> str:
    """The SVG, or "" when there is nothing to place (no hospital with coordinates)."""
    return _drawn(tuple(hospitals), tuple(flows), get_language() or "en")


@lru_cache(maxsize=32)
def _drawn(hospitals: tuple[HospitalPoint, ...], flows: tuple[Flow, ...], lang: str) -> str:
    # Projecting the coasts costs more than the rest of the page, which refreshes itself
    # while a run is queued: drawn once per distinct picture and language.
    points = [(h.lat, h.lon) for h in hospitals] + [f.origin for f in flows]
    path = atlas_path()
    if not points or not path.exists():
        return ""
    project = Projection(*_frame(points))
    title = _("Receiving hospitals and accepted transfers")
    parts = land(project, load_countries(path), title, "transfer-map")
    most = max((f.patients for f in flows), default=1) or 1
    for f in flows:
        (x0, y0), (x1, y1) = (
            project(f.origin[1], f.origin[0]),
            project(f.hospital[1], f.hospital[0]),
        )
        width = 1.0 + 3.5 * math.sqrt(f.patients / most)
        dash = " stroke-dasharray='5 3'" if f.air else ""
        cx, cy = (x0 + x1) / 2 - (y1 - y0) * 0.2, (y0 + y1) / 2 + (x1 - x0) * 0.2
        parts.append(
            f"<g class='transfer-flow' data-patients='{f.patients}'><title>{escape(f.label)}"
            f"</title><path d='M{x0:.1f},{y0:.1f} Q{cx:.1f},{cy:.1f} {x1:.1f},{y1:.1f}' "
            f"fill='none' stroke='{FLOW}' stroke-opacity='0.75' stroke-width='{width:.1f}'"
            f"{dash} stroke-linecap='round'/></g>"
        )
    for h in hospitals:
        x, y = project(h.lon, h.lat)
        beds = sum(n for _, n, stale in h.free if not stale)
        r = 2.5 + 1.2 * math.sqrt(beds)
        fresh = any(not stale for *_, stale in h.free)
        lines = [h.name] + [
            f"{kind}: {n}" + (f" ({_('stale')})" if stale else "") for kind, n, stale in h.free
        ]
        parts.append(
            f"<g class='hospital' data-free='{beds}'><title>{escape(chr(10).join(lines))}</title>"
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}' fill='{HOSPITAL if fresh else STALE}'"
            " fill-opacity='0.8' stroke='#fff' stroke-width='0.6'/></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
