"""Server-side SVG charts: the same markup works in the browser and in the PDF."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Protocol

from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape

from aidbridge.sitreps.labels import label

REQUESTED = "#d9d9d9"
ACCEPTED = "#3b6ea8"
DELIVERED = "#2e8b57"
NBSP = "\u00a0"
FONT = "font-family='DejaVu Sans, sans-serif'"


def day_label(day: date, lang: str) -> str:
    """``day`` as the reader writes dates, with the year ("5 Mar 2020", "05/03/2020")."""
    with translation.override(lang):
        return date_format(day, "SHORT_DATE_FORMAT")


def percent(share: float, lang: str) -> str:
    return f"{round(share * 100)}{NBSP if lang == 'fr' else ''}%"


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
        pct = percent(row["accepted"], lang)
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
    for day in (first, last):
        x = left + (day - first).days * step + step / 2
        parts.append(
            f"<text x='{x:.1f}' y='{top + height + 12}' font-size='9' text-anchor='middle' "
            f"{FONT}>{day_label(day, lang)}</text>"
        )
    parts.append(
        f"<text x='{left - 4}' y='{top + 8}' font-size='9' text-anchor='end' {FONT}>{peak}</text>"
        f"<text x='{left + width + 4}' y='{top + 8}' font-size='9' fill='{ACCEPTED}' "
        f"{FONT}>Σ {total}</text></svg>"
    )
    return "".join(parts)


class SharePoint(Protocol):
    """One day of a share-over-time chart (``ledger.timeline.CoveragePoint``)."""

    @property
    def day(self) -> date: ...
    @property
    def lines(self) -> int: ...
    @property
    def accepted(self) -> float: ...
    @property
    def delivered(self) -> float: ...


def share_over_time_chart(points: Sequence[SharePoint], lang: str) -> str:
    """Steps of the share of requested units accepted and delivered, from the first day
    to the last, under the requested 100 %; every day with a change carries a marker
    whose data attributes hold its figures."""
    if not points:
        return ""
    title = label("chart_share_time", lang)
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)
    left, top, width, height = 40, 24, 400, 120
    desc = label("chart_share_desc", lang).format(
        first=day_label(first, lang),
        last=day_label(last, lang),
        lines=points[-1].lines,
        accepted=percent(points[-1].accepted, lang),
        delivered=percent(points[-1].delivered, lang),
    )

    def x(day: date) -> float:
        return round(left + width * (day - first).days / span, 1)

    def y(share: float) -> float:
        return round(top + height * (1 - share), 1)

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart chart-share-time' "
        f"viewBox='0 0 {left + width + 40} {top + height + 30}' role='img' "
        f"aria-label='{escape(title)}'><title>{escape(title)}</title>"
        f"<desc>{escape(desc)}</desc>",
    ]
    parts += _legend(
        left,
        12,
        [
            (REQUESTED, label("requested_all", lang)),
            (ACCEPTED, label("accepted", lang)),
            (DELIVERED, label("delivered", lang)),
        ],
    )
    for tick, stroke in (
        (0, "stroke='#333' stroke-width='0.6'"),
        (50, "stroke='#999' stroke-width='0.4' stroke-dasharray='2,2'"),
        (100, f"stroke='{REQUESTED}' stroke-width='2'"),
    ):
        at = y(tick / 100)
        parts.append(
            f"<line x1='{left}' y1='{at}' x2='{left + width}' y2='{at}' {stroke}/>"
            f"<text x='{left - 4}' y='{at + 3}' font-size='9' text-anchor='end' "
            f"{FONT}>{percent(tick / 100, lang)}</text>"
        )
    for key, colour in (("accepted", ACCEPTED), ("delivered", DELIVERED)):
        steps, previous = [], 0.0
        for p in points:
            share = getattr(p, key)
            steps.append(f"{x(p.day)},{y(previous)} {x(p.day)},{y(share)}")
            previous = share
        parts.append(
            f"<polyline class='line-{key}' points='{' '.join(steps)}' fill='none' "
            f"stroke='{colour}' stroke-width='1.6'/>"
        )
        parts += [
            f"<circle class='point-{key}' data-day='{p.day.isoformat()}' "
            f"data-share='{getattr(p, key):.4f}' cx='{x(p.day)}' cy='{y(getattr(p, key))}' "
            f"r='2' fill='{colour}'><title>{day_label(p.day, lang)}: "
            f"{percent(getattr(p, key), lang)}</title></circle>"
            for p in points
        ]
    for day, anchor in ((first, "start"), (last, "end")):
        parts.append(
            f"<text x='{x(day)}' y='{top + height + 14}' font-size='9' text-anchor='{anchor}' "
            f"{FONT}>{day_label(day, lang)}</text>"
        )
    parts += _month_ticks(first, last, x, top + height, lang)
    parts.append("</svg>")
    return "".join(parts)


def _month_ticks(
    first: date, last: date, x: Callable[[date], float], base: float, lang: str
) -> list[str]:
    """A tick on the first of each month between ``first`` and ``last``, named where it
    does not crowd the first and last days' labels (a span of weeks needs none)."""
    if (last - first).days < 45:
        return []
    out: list[str] = []
    month = date(first.year, first.month, 1)
    while True:
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        if month >= last:
            return out
        at = x(month)
        out.append(f"<line x1='{at}' y1='{base}' x2='{at}' y2='{base + 4}' stroke='#333'/>")
        if at - x(first) > 64 and x(last) - at > 72:
            with translation.override(lang):
                name = date_format(month, "N")
            out.append(
                f"<text x='{at}' y='{base + 14}' font-size='8' text-anchor='middle' "
                f"fill='#555' {FONT}>{escape(name)}</text>"
            )
