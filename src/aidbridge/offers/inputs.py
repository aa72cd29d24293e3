"""Checking what a donor gives when making an offer, before anything is written.

Every refusal names the offending field as the API client sent it (``lines.2.quantity``)
so the same messages serve the API, the demo loader and later the pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext

from aidbridge.catalogue.airports import get_airport
from aidbridge.catalogue.models import Item
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.quantities import whole_quantity
from aidbridge.requests.models import RequestForAssistance, RequestLine


@dataclass(frozen=True)
class Origin:
    available_from: date | None
    airport: str
    place: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class LineInput:
    request_line: RequestLine | None
    item: Item
    quantity: int
    notes: str


def origin(available_from: Any, airport: str, place: str, lat: Any, lon: Any) -> Origin:
    if available_from is not None and not isinstance(available_from, date):
        raise ValidationFailed(gettext("must be a date"), field="available_from")
    airport = (airport or "").strip().upper()
    if airport and get_airport(airport) is None:
        raise ValidationFailed(
            gettext("%(airport)s is not a known ICAO airport code") % {"airport": airport},
            field="origin_airport",
        )
    if (lat is None) != (lon is None):
        field = "origin_lon" if lon is None else "origin_lat"
        raise ValidationFailed(gettext("give both latitude and longitude, or neither"), field=field)
    if lat is not None and not -90 <= float(lat) <= 90:
        raise ValidationFailed(gettext("must be between -90 and 90"), field="origin_lat")
    if lon is not None and not -180 <= float(lon) <= 180:
        raise ValidationFailed(gettext("must be between -180 and 180"), field="origin_lon")
    return Origin(
        available_from=available_from,
        airport=airport,
        place=(place or "").strip(),
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
    )


def _specs(lines: Any) -> list[Mapping[str, Any]]:
    if isinstance(lines, (Mapping, str)) or not isinstance(lines, Iterable):
        raise ValidationFailed(gettext("must be a list of lines"), field="lines")
    specs = list(lines)
    if not specs:
        raise ValidationFailed(gettext("an offer needs at least one line"), field="lines")
    for i, spec in enumerate(specs):
        if not isinstance(spec, Mapping):
            raise ValidationFailed(gettext("must be an object"), field=f"lines.{i}")
    return specs


def _notes(spec: Mapping[str, Any]) -> str:
    return str(spec.get("notes") or "").strip()


def lines_against(rfa: RequestForAssistance, lines: Any) -> list[LineInput]:
    """Lines of an offer against ``rfa``: each names one of its request lines, once."""
    specs = _specs(lines)
    rfa_lines = {ln.pk: ln for ln in rfa.lines.select_related("item")}
    out: list[LineInput] = []
    seen: set[int] = set()
    for i, spec in enumerate(specs):
        field = f"lines.{i}.request_line"
        given = spec.get("request_line")
        line_id = given.pk if isinstance(given, RequestLine) else given
        if isinstance(line_id, bool) or not isinstance(line_id, int):
            raise ValidationFailed(
                gettext("give the id of one of the request's lines"), field=field
            )
        if line_id not in rfa_lines:
            raise ValidationFailed(
                gettext("%(rfa)s has no line %(line_id)s") % {"rfa": rfa, "line_id": line_id},
                field=field,
            )
        if line_id in seen:
            raise ValidationFailed(
                gettext("this request line is already in this offer"), field=field
            )
        seen.add(line_id)
        quantity = whole_quantity(spec.get("quantity"), f"lines.{i}.quantity")
        need = rfa_lines[line_id]
        out.append(LineInput(need, need.item, quantity, _notes(spec)))
    return out


def catalogue_lines(lines: Any) -> list[LineInput]:
    """Lines of an unsolicited offer: each names an active catalogue item by code."""
    specs = _specs(lines)
    given = [s.get("item") for s in specs]
    codes = [g.code if isinstance(g, Item) else g for g in given]
    known = {
        it.code: it for it in Item.objects.filter(code__in=[c for c in codes if isinstance(c, str)])
    }
    out: list[LineInput] = []
    for i, (spec, code) in enumerate(zip(specs, codes, strict=True)):
        item = known.get(code) if isinstance(code, str) else None
        if item is None or not item.active:
            raise ValidationFailed(
                gettext("unknown catalogue item %(code)s") % {"code": repr(code)},
                field=f"lines.{i}.item",
            )
        quantity = whole_quantity(spec.get("quantity"), f"lines.{i}.quantity")
        out.append(LineInput(None, item, quantity, _notes(spec)))
    return out
