"""Server-side SVG charts: the same markup works in the browser and in the PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.html import escape

from aidbridge.sitreps.labels import label

REQUESTED = "#d9d9d9"
ACCEPTED = "#3b6ea8"
DELIVERED = "#2e8b57"
NBSP = "\u00a0"
FONT = "font-family='DejaVu Sans, sans-serif'"


def _legend(x: float, y: float, entries: list[tuple[str, str]]) -> list[str]:
    out = []
    for colour, text in entries:
        out.append(f"<rect x='{x}' y='{y - 9}' width='10' height='10' fill='{colour}'/>")
        out.append(f"<text x='{x + 14}' y='{y}' font-size='10' {FONT}>{escape(text)}</text>")
        x += 24 + 6.2 * len(text)
    return out


def coverage_chart(by_nation: list[dict[str, Any]], names: dict[str, str], lang: str) -> str:
    """Horizontal bars per requesting nation: requested (100 %), accepted, delivered."""
    title = label("chart_coverage", lang)
    if not by_nation:
        return ""
    left, width, bar, gap = 130, 330, 7, 8
    row_h = 2 * bar + gap
    height = 48 + row_h * len(by_nation)
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart chart-coverage' "
        f"viewBox='0 0 {left + width + 50} {height}' role='img' aria-label='{escape(title)}'>",
        f"<title>{escape(title)}</title>",
    ]
    parts += _legend(
        left,
        14,
        [
            (REQUESTED, label("requested", lang)),
            (ACCEPTED, label("accepted", lang)),
            (DELIVERED, label("delivered", lang)),
        ],
    )
    y = 28
    for row in by_nation:
        name = escape(names.get(row["nation"], row["nation"]))
        parts.append(
            f"<text x='{left - 6}' y='{y + bar + 3}' font-size='10' text-anchor='end' "
            f"{FONT}>{name}</text>"
        )
        parts.append(
            f"<rect x='{left}' y='{y}' width='{width}' height='{2 * bar}' fill='{REQUESTED}'/>"
        )
        for offset, key, colour in ((0, "accepted", ACCEPTED), (bar, "delivered", DELIVERED)):
            w = round(width * min(row[key], 1.0), 1)
            parts.append(
                f"<rect class='bar-{key}' data-nation='{row['nation']}' x='{left}' "
                f"y='{y + offset}' width='{w}' height='{bar}' fill='{colour}'/>"
            )
        pct = f"{round(row['accepted'] * 100)}{NBSP if lang == 'fr' else ''}%"
        parts.append(
            f"<text x='{left + width + 4}' y='{y + bar + 3}' font-size='9' {FONT}>{pct}</text>"
        )
        y += row_h
    for tick in (0, 50, 100):
        x = left + width * tick / 100
        parts.append(
            f"<line x1='{x}' y1='24' x2='{x}' y2='{y}' stroke='#999' stroke-width='0.4' "
            "stroke-dasharray='2,2'/>"
        )
        parts.append(
            f"<text x='{x}' y='{y + 10}' font-size='8' text-anchor='middle' {FONT}>{tick}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def deliveries_chart(per_day: list[dict[str, Any]], lang: str) -> str:
    """Bars of confirmed receipts per day, with the cumulative total as a line."""
    title = label("chart_deliveries", lang)
    if not per_day:
        return ""
    first = date.fromisoformat(per_day[0]["day"])
    last = date.fromisoformat(per_day[-1]["day"])
    days = (last - first).days + 1
    counts = {date.fromisoformat(d["day"]): d["count"] for d in per_day}
    total = sum(counts.values())
    left, top, width, height = 36, 16, 420, 120
    step = width / days
    peak = max(counts.values())
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart chart-deliveries' "
        f"viewBox='0 0 {left + width + 40} {top + height + 30}' role='img' "
        f"aria-label='{escape(title)}'><title>{escape(title)}</title>",
        f"<line x1='{left}' y1='{top + height}' x2='{left + width}' y2='{top + height}' "
        "stroke='#333' stroke-width='0.6'/>",
    ]
    running, points = 0, []
    for i in range(days):
        day = date.fromordinal(first.toordinal() + i)
        count = counts.get(day, 0)
        running += count
        h = height * count / peak
        x = left + i * step
        if count:
            parts.append(
                f"<rect class='bar-day' x='{x + step * 0.1:.1f}' y='{top + height - h:.1f}' "
                f"width='{step * 0.8:.1f}' height='{h:.1f}' fill='{DELIVERED}'/>"
            )
        points.append(f"{x + step / 2:.1f},{top + height - height * running / total:.1f}")
    parts.append(
        f"<polyline points='{' '.join(points)}' fill='none' stroke='{ACCEPTED}' "
        "stroke-width='1.2'/>"
    )
    fmt = "%d/%m" if lang == "fr" else "%b %d"
    for day in (first, last):
        x = left + (day - first).days * step + step / 2
        parts.append(
            f"<text x='{x:.1f}' y='{top + height + 12}' font-size='9' text-anchor='middle' "
            f"{FONT}>{day.strftime(fmt)}</text>"
        )
    parts.append(
        f"<text x='{left - 4}' y='{top + 8}' font-size='9' text-anchor='end' {FONT}>{peak}</text>"
        f"<text x='{left + width + 4}' y='{top + 8}' font-size='9' fill='{ACCEPTED}' "
        f"{FONT}>Σ {total}</text></svg>"
    )
    return "".join(parts)
