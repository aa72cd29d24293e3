"""Turning the rows of a needs or offers file into checked lines, or problems by cell."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from aidbridge.catalogue.airports import get_airport
from aidbridge.catalogue.models import Item
from aidbridge.core.quantities import MAX_QUANTITY
from aidbridge.core.text import text_problem
from aidbridge.interop.columns import NEEDS, OFFERS, ColumnMap, map_columns
from aidbridge.interop.errors import Problem
from aidbridge.interop.items import ItemNotResolved, ItemResolver
from aidbridge.interop.readers import Table

_YES = {"yes", "y", "true", "1", "oui", "o", "x"}
_NO = {"no", "n", "false", "0", "non", ""}
_INT = re.compile(r"^\+?\d+$")


class CellError(ValueError):
    pass


@dataclass
class NeedLine:
    row: int
    item: Item
    quantity: int
    unit: str
    specification: str = ""
    priority: int = 2
    needed_by: dt.date | None = None
    delivery_airport: str = ""
    delivery_place: str = ""
    delivery_lat: float | None = None
    delivery_lon: float | None = None
    transport_needed: bool = False
    request: str = ""  # the draft RFA (by title) the line goes into; "" for the default


@dataclass
class OfferRow:
    row: int
    rfa: str  # reference; "" for an unsolicited offer
    line: int | None
    item: Item
    quantity: int
    notes: str = ""


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def positive_int(value: Any, what: str = "quantity") -> int:
    if isinstance(value, bool):
        raise CellError(
            gettext("%(what)s must be a whole number greater than 0, not %(value)s")
            % {"what": what, "value": repr(value)}
        )
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(
                gettext("%(what)s must be a whole number greater than 0, not %(value)s")
                % {"what": what, "value": format(value, "g")}
            )
        number = int(value)
    else:
        raw = text(value)
        if not raw:
            raise CellError(gettext("%(what)s is empty") % {"what": what})
        if not _INT.match(raw):
            raise CellError(
                gettext("%(what)s must be a whole number greater than 0, not %(raw)s")
                % {"what": what, "raw": repr(raw)}
            )
        number = int(raw)
    if number <= 0:
        raise CellError(
            gettext("%(what)s must be greater than 0, not %(number)s")
            % {"what": what, "number": number}
        )
    if number > MAX_QUANTITY:
        raise CellError(
            gettext("%(what)s must be at most %(MAX_QUANTITY)s, not %(number)s")
            % {"what": what, "MAX_QUANTITY": format(MAX_QUANTITY, ","), "number": number}
        )
    return number


def parse_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    try:
        return dt.date.fromisoformat(raw[:10] if re.match(r"^\d{4}-\d\d-\d\dT", raw) else raw)
    except ValueError:
        raise CellError(
            gettext("date %(raw)s cannot be read; write it as YYYY-MM-DD") % {"raw": repr(raw)}
        ) from None


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(gettext("%(raw)s is neither yes nor no") % {"raw": repr(raw)})


# Columns a template fills in for every row; a row with nothing else is left unused.
_TEMPLATE_FILLED = frozenset({"item_code", "item_name", "item", "unit", "rfa", "line", "request"})


def is_unused_template_row(cols: ColumnMap, cells: list[Any]) -> bool:
    """A template row the user did not fill (no quantity, nothing but its item)."""
    return not any(
        text(cols.get(cells, name)) for name in cols.index if name not in _TEMPLATE_FILLED
    )


def _no_formulas(table: Table, row: int, cells: list[Any], problems: list[Problem]) -> bool:
    clean = True
    for i, cell in enumerate(cells):
        # The one text rule (core.text): no NUL, at most MAX_TEXT characters a cell.
        problem = text_problem(cell) if isinstance(cell, str) else None
        if problem:
            problems.append(
                Problem(gettext("the cell %(problem)s") % {"problem": problem}, row, table.label(i))
            )
            clean = False
            continue
        if isinstance(cell, str) and cell.lstrip().startswith("="):
            problems.append(
                Problem(
                    gettext(
                        "formula cells are refused (never evaluated): %(value)s; type the "
                        "value instead"
                    )
                    % {"value": repr(cell[:40])},
                    row,
                    table.label(i),
                )
            )
            clean = False
    return clean


def _item(cols: ColumnMap, cells: list[Any], resolver: ItemResolver) -> Item:
    for name in ("item_code", "item", "item_name"):
        value = text(cols.get(cells, name))
        if value:
            try:
                return resolver.resolve(value)
            except ItemNotResolved as exc:
                raise CellError(str(exc)) from None
    raise CellError(gettext("no item given"))


def _item_label(cols: ColumnMap, cells: list[Any]) -> str:
    for name in ("item_code", "item", "item_name"):
        if text(cols.get(cells, name)):
            return cols.labels[name]
    return next(cols.labels[n] for n in ("item_code", "item", "item_name") if n in cols.labels)


class RowChecker:
    """Collects every problem of a row instead of stopping at the first."""

    def __init__(self, table: Table, cols: ColumnMap, row: int, problems: list[Problem]):
        self.table, self.cols, self.row, self.problems = table, cols, row, problems
        self.ok = True

    def check(self, column: str, parse: Any, *args: Any) -> Any:
        try:
            return parse(*args)
        except CellError as exc:
            label = self.cols.labels.get(column, column)
            self.problems.append(Problem(str(exc), self.row, label))
            self.ok = False
            return None


def validate_needs(table: Table, resolver: ItemResolver) -> tuple[list[NeedLine], list[Problem]]:
    cols, problems = map_columns(table, NEEDS)
    if problems:
        return [], problems
    lines: list[NeedLine] = []
    for row, cells in table.rows:
        if is_unused_template_row(cols, cells):
            continue
        if not _no_formulas(table, row, cells, problems):
            continue
        rc = RowChecker(table, cols, row, problems)
        item = rc.check(_item_label(cols, cells), _item, cols, cells, resolver)
        quantity = rc.check("quantity", positive_int, cols.get(cells, "quantity"))
        priority = rc.check("priority", _priority, cols.get(cells, "priority"))
        needed_by = rc.check("needed_by", parse_date, cols.get(cells, "needed_by"))
        transport = rc.check("transport_needed", parse_bool, cols.get(cells, "transport_needed"))
        airport = rc.check("delivery_airport", _airport, cols.get(cells, "delivery_airport"))
        lat = rc.check("delivery_lat", _coordinate, cols.get(cells, "delivery_lat"), 90)
        lon = rc.check("delivery_lon", _coordinate, cols.get(cells, "delivery_lon"), 180)
        unit = text(cols.get(cells, "unit")).lower()
        if item is not None and unit and unit != item.unit:
            rc.check("unit", _raise, f"unit {unit!r} is not {item.code}'s unit ({item.unit})")
        if rc.ok:
            lines.append(
                NeedLine(
                    row=row,
                    item=item,
                    quantity=quantity,
                    unit=item.unit,
                    specification=text(cols.get(cells, "specification")),
                    priority=priority,
                    needed_by=needed_by,
                    delivery_airport=airport,
                    delivery_place=text(cols.get(cells, "delivery_place")),
                    delivery_lat=lat,
                    delivery_lon=lon,
                    transport_needed=transport,
                    request=text(cols.get(cells, "request")),
                )
            )
    if not lines and not problems:
        problems.append(Problem(gettext("the file has no lines with a quantity")))
    return lines, problems


def validate_offer_rows(
    table: Table, resolver: ItemResolver
) -> tuple[list[OfferRow], list[Problem]]:
    """Checks each cell; whether the RFA and line exist is checked by the importer."""
    cols, problems = map_columns(table, OFFERS)
    if problems:
        return [], problems
    rows: list[OfferRow] = []
    for row, cells in table.rows:
        if is_unused_template_row(cols, cells):
            continue
        if not _no_formulas(table, row, cells, problems):
            continue
        rc = RowChecker(table, cols, row, problems)
        item = rc.check(_item_label(cols, cells), _item, cols, cells, resolver)
        quantity = rc.check("quantity", positive_int, cols.get(cells, "quantity"))
        raw_line = cols.get(cells, "line")
        line = rc.check("line", positive_int, raw_line, "line") if text(raw_line) else None
        if rc.ok:
            rows.append(
                OfferRow(
                    row=row,
                    rfa=text(cols.get(cells, "rfa")).upper(),
                    line=line,
                    item=item,
                    quantity=quantity,
                    notes=text(cols.get(cells, "notes")),
                )
            )
    if not rows and not problems:
        problems.append(Problem(gettext("the file has no lines with a quantity")))
    return rows, problems


def _priority(value: Any) -> int:
    if text(value) == "":
        return 2
    number = positive_int(value, "priority")
    if number > 3:
        raise CellError(gettext("priority must be 1, 2 or 3, not %(number)s") % {"number": number})
    return number


def _airport(value: Any) -> str:
    code = text(value).upper()
    if code and get_airport(code) is None:
        raise CellError(gettext("%(code)s is not a known ICAO airport code") % {"code": repr(code)})
    return code


def _coordinate(value: Any, bound: float) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        raw = text(value).replace(",", ".")
        if not raw:
            return None
        try:
            number = float(raw)
        except ValueError:
            raise CellError(gettext("%(raw)s is not a number") % {"raw": repr(raw)}) from None
    if not -bound <= number <= bound:
        raise CellError(
            gettext("%(number)s is not between -%(bound)s and %(bound)s")
            % {"number": format(number, "g"), "bound": format(bound, "g")}
        )
    return number


def _raise(message: str) -> None:
    raise CellError(message)
