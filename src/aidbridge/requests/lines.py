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
        raise _fail(index, "quantity", gettext("the quantity must be a whole number"))
    try:
        return whole_quantity(value, f"lines.{index}.quantity")
    except ValidationFailed as error:
        raise _fail(
            index, "quantity", gettext("the quantity %(problem)s") % {"problem": error.message}
        ) from None


def _priority(index: int, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3:
        raise _fail(index, "priority", gettext("the priority must be 1 (highest), 2 or 3"))
    return value


def _flag(index: int, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(index, "transport_needed", gettext("transport_needed must be true or false"))
    return value


def _date(index: int, value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(index, "needed_by", gettext("needed_by must be a date (YYYY-MM-DD)")) from None


def _text(index: int, name: str, value: Any, limit: int | None = None) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _fail(index, name, gettext("%(name)s must be text") % {"name": name})
    value = value.strip()
    if limit is not None and len(value) > limit:
        raise _fail(
            index,
            name,
            gettext("%(name)s is longer than %(limit)s characters")
            % {"name": name, "limit": limit},
        )
    return value


def _coordinate(index: int, name: str, value: Any, bound: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(index, name, gettext("%(name)s must be a number") % {"name": name})
    if not -bound <= value <= bound:
        raise _fail(
            index,
            name,
            gettext("%(name)s must lie between -%(bound)s and %(bound)s")
            % {"name": name, "bound": f"{bound:g}"},
        )
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
            raise _fail(
                index,
                "delivery_airport",
                gettext("%(code)s is not a known ICAO airport code") % {"code": repr(code)},
            )
        if lat is not None or lon is not None:
            raise _fail(
                index,
                "delivery_lat",
                gettext(
                    "give an airport or coordinates, not both (an airport's coordinates are known)"
                ),
            )
        return {
            "delivery_airport": airport.icao,
            "delivery_place": place or f"{airport.name}, {airport.city}".strip(", "),
            "delivery_lat": airport.lat,
            "delivery_lon": airport.lon,
        }
    if (lat is None) != (lon is None):
        missing = "delivery_lon" if lon is None else "delivery_lat"
        raise _fail(index, missing, gettext("a place needs both latitude and longitude"))
    if lat is not None and not place:
        raise _fail(index, "delivery_place", gettext("name the place the coordinates point at"))
    if place and lat is None:
        raise _fail(
            index,
            "delivery_lat",
            gettext("give the coordinates of %(place)s or an airport") % {"place": repr(place)},
        )
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
            raise _fail(
                index, unknown[0], gettext("unknown field %(field)s") % {"field": repr(unknown[0])}
            )
        item = raw.get("item")
        if not isinstance(item, Item):
            code = str(item or "").strip().upper()
            if not code:
                raise _fail(index, "item", gettext("choose an item from the catalogue"))
            found = catalogue.get(code)
            if found is None:
                raise _fail(index, "item", gettext("unknown item %(item)s") % {"item": repr(item)})
            item = found
        if not item.active:
            raise _fail(
                index,
                "item",
                gettext("%(code)s is no longer in the catalogue") % {"code": item.code},
            )
        unit = raw.get("unit") or item.unit
        if unit != item.unit:
            raise _fail(
                index,
                "unit",
                gettext("%(code)s is counted in %(unit)s, not %(given)s")
                % {"code": item.code, "unit": repr(item.unit), "given": repr(unit)},
            )
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
