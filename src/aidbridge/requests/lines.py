"""Checking the lines of a request for assistance before anything is written.

A line arrives as a mapping (from the API, the demo loader or a script) and leaves as
the field values of a ``RequestLine``. Every refusal names the line and the field
(``lines.2.quantity``) so the requester can find it in a long request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext

from aidbridge.catalogue.airports import get_airport
from aidbridge.catalogue.models import Item
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.quantities import whole_quantity

LINE_FIELDS = frozenset(
    {
        "item",
        "quantity",
        "unit",
        "specification",
        "priority",
        "needed_by",
        "delivery_airport",
        "delivery_place",
        "delivery_lat",
        "delivery_lon",
        "transport_needed",
    }
)
MAX_LINES = 200


def _fail(index: int, name: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        gettext("line %(value)s: %(message)s") % {"value": index + 1, "message": message},
        field=f"lines.{index}.{name}",
    )


def _quantity(index: int, value: Any) -> int:
    # bool is an int in Python, and 2.0 would pass int(); neither is a count of items.
    if isinstance(value, float):
        raise _fail(index, "quantity", "the quantity must be a whole number")
    try:
        return whole_quantity(value, f"lines.{index}.quantity")
    except ValidationFailed as error:
        raise _fail(index, "quantity", f"the quantity {error.message}") from None


def _priority(index: int, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3:
        raise _fail(index, "priority", "the priority must be 1 (highest), 2 or 3")
    return value


def _flag(index: int, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(index, "transport_needed", "transport_needed must be true or false")
    return value


def _date(index: int, value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(index, "needed_by", "needed_by must be a date (YYYY-MM-DD)") from None


def _text(index: int, name: str, value: Any, limit: int | None = None) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _fail(index, name, f"{name} must be text")
    value = value.strip()
    if limit is not None and len(value) > limit:
        raise _fail(index, name, f"{name} is longer than {limit} characters")
    return value


def _coordinate(index: int, name: str, value: Any, bound: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(index, name, f"{name} must be a number")
    if not -bound <= value <= bound:
        raise _fail(index, name, f"{name} must lie between -{bound:g} and {bound:g}")
    return float(value)


def _delivery(index: int, raw: Mapping[str, Any]) -> dict[str, Any]:
    """An ICAO airport (coordinates from airportsdata) or a named place with lat/lon."""
    code = _text(index, "delivery_airport", raw.get("delivery_airport")).upper()
    place = _text(index, "delivery_place", raw.get("delivery_place"), 200)
    lat = _coordinate(index, "delivery_lat", raw.get("delivery_lat"), 90)
    lon = _coordinate(index, "delivery_lon", raw.get("delivery_lon"), 180)
    if code:
        airport = get_airport(code)
        if airport is None:
            raise _fail(index, "delivery_airport", f"{code!r} is not a known ICAO airport code")
        if lat is not None or lon is not None:
            raise _fail(
                index,
                "delivery_lat",
                "give an airport or coordinates, not both (an airport's coordinates are known)",
            )
        return {
            "delivery_airport": airport.icao,
            "delivery_place": place or f"{airport.name}, {airport.city}".strip(", "),
            "delivery_lat": airport.lat,
            "delivery_lon": airport.lon,
        }
    if (lat is None) != (lon is None):
        missing = "delivery_lon" if lon is None else "delivery_lat"
        raise _fail(index, missing, "a place needs both latitude and longitude")
    if lat is not None and not place:
        raise _fail(index, "delivery_place", "name the place the coordinates point at")
    if place and lat is None:
        raise _fail(index, "delivery_lat", f"give the coordinates of {place!r} or an airport")
    return {
        "delivery_airport": "",
        "delivery_place": place,
        "delivery_lat": lat,
        "delivery_lon": lon,
    }


def clean_lines(raw_lines: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Check every line and return the values to store, in order; refuse the first bad one."""
    if not isinstance(raw_lines, Sequence) or isinstance(raw_lines, (str, bytes)):
        raise ValidationFailed(gettext("lines must be a list"), field="lines")
    if len(raw_lines) > MAX_LINES:
        raise ValidationFailed(
            gettext("a request holds at most %(MAX_LINES)s lines") % {"MAX_LINES": MAX_LINES},
            field="lines",
        )
    codes = {
        str(raw.get("item")).strip().upper()
        for raw in raw_lines
        if isinstance(raw, Mapping) and isinstance(raw.get("item"), str)
    }
    catalogue = {i.code.upper(): i for i in Item.objects.filter(code__in=codes)} if codes else {}
    cleaned = []
    for index, raw in enumerate(raw_lines):
        if not isinstance(raw, Mapping):
            raise ValidationFailed(
                gettext("line %(value)s must be an object") % {"value": index + 1},
                field=f"lines.{index}",
            )
        unknown = sorted(set(raw) - LINE_FIELDS)
        if unknown:
            raise _fail(index, unknown[0], f"unknown field {unknown[0]!r}")
        item = raw.get("item")
        if not isinstance(item, Item):
            code = str(item or "").strip().upper()
            if not code:
                raise _fail(index, "item", "choose an item from the catalogue")
            found = catalogue.get(code)
            if found is None:
                raise _fail(index, "item", f"unknown item {item!r}")
            item = found
        if not item.active:
            raise _fail(index, "item", f"{item.code} is no longer in the catalogue")
        unit = raw.get("unit") or item.unit
        if unit != item.unit:
            raise _fail(index, "unit", f"{item.code} is counted in {item.unit!r}, not {unit!r}")
        cleaned.append(
            {
                "item": item,
                "quantity": _quantity(index, raw.get("quantity")),
                "unit": unit,
                "specification": _text(index, "specification", raw.get("specification")),
                "priority": _priority(index, raw.get("priority", 2)),
                "needed_by": _date(index, raw.get("needed_by")),
                "transport_needed": _flag(index, raw.get("transport_needed", False)),
                **_delivery(index, raw),
            }
        )
    return cleaned
