"""The columns of the needs and offers files: header names and HXL hashtags.

The same names and tags are used by the exports and the templates, so an exported file
can be imported again. HXL has no standard tag for requested or offered quantities; we
use attributes on ``#item+num`` (``+requested``, ``+offered``...), as the README says.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from aidbridge.interop.errors import Problem
from aidbridge.interop.readers import Table


@dataclass(frozen=True)
class Column:
    name: str  # the canonical header
    tag: str  # the HXL hashtag spec (attributes sorted as libhxl prints them)
    help: str
    required: bool = False
    aliases: tuple[str, ...] = ()


ITEM_CODE = Column("item_code", "#item+code", "catalogue code, e.g. VENT-ICU")
ITEM_NAME = Column("item_name", "#item+name", "English or French catalogue name")
# "item" takes a code or a name; a file needs one of the three item columns.
ITEM = Column("item", "", "catalogue code or English/French name", aliases=("article",))

NEEDS = (
    Column(
        "request",
        "#meta+request",
        "title of the draft RFA the line goes into; empty: the title given with the upload",
        aliases=("rfa_title",),
    ),
    ITEM_CODE,
    ITEM_NAME,
    ITEM,
    Column("quantity", "#item+num+requested", "whole number > 0", True, ("qty", "quantite")),
    Column("unit", "#item+unit", "optional; must be the item's unit", aliases=("unite",)),
    Column("specification", "#item+spec", "free text", aliases=("spec", "description")),
    Column("priority", "#meta+priority", "1 (highest) to 3; default 2", aliases=("priorite",)),
    Column("needed_by", "#date+needed", "date, YYYY-MM-DD", aliases=("date_needed",)),
    Column("delivery_airport", "#loc+code+icao", "ICAO code, e.g. LIRF", aliases=("airport",)),
    Column(
        "delivery_place", "#loc+name", "a named place (with its coordinates)", aliases=("place",)
    ),
    Column("delivery_lat", "#geo+lat", "latitude of the named place", aliases=("lat",)),
    Column("delivery_lon", "#geo+lon", "longitude of the named place", aliases=("lon",)),
    Column("transport_needed", "#meta+transport", "yes or no; default no"),
)

OFFERS = (
    Column("rfa", "#meta+rfa", "RFA reference, e.g. RFA-2020-0007; empty: unsolicited"),
    Column("line", "#meta+line", "line number in that RFA; empty: the line with that item"),
    ITEM_CODE,
    ITEM_NAME,
    ITEM,
    Column("quantity", "#item+num+offered", "whole number > 0", True, ("qty", "quantite")),
    Column("notes", "#meta+notes", "free text"),
)

# Columns the exports add (figures, references): ignored on import, so an export can be
# edited and imported again without deleting them first.
EXPORT_ONLY = frozenset(
    {
        "crisis",
        "requester",
        "requester_name",
        "reference",
        "offer",
        "donor",
        "donor_name",
        "title",
        "status",
        "position",
        "requested",
        "offered",
        "accepted",
        "declined",
        "dispatched",
        "delivered",
        "outstanding",
        "coverage",
        "item_name_fr",
        "created_at",
        "available_from",
        "line",
        "mode",
        "transport_reference",
        "dispatched_at",
        "received_at",
        "note",
    }
)


def normalise_header(text: str) -> str:
    text = text.strip().lower()
    text = text.translate(str.maketrans("éèêàç", "eeeac"))
    return re.sub(r"[\s\-./]+", "_", text).strip("_")


@dataclass
class ColumnMap:
    """Where each known column is in the file: canonical name -> (index, label)."""

    index: dict[str, int]
    labels: dict[str, str]

    def get(self, cells: list[Any], name: str) -> Any:
        i = self.index.get(name)
        return None if i is None else cells[i]


def map_columns(table: Table, spec: tuple[Column, ...]) -> tuple[ColumnMap, list[Problem]]:
    problems: list[Problem] = []
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    if table.tags is not None:
        _map_by_tag(table, spec, index, problems)
    else:
        _map_by_header(table, spec, index, problems)
    for name, i in index.items():
        labels[name] = table.label(i)
    if not {"item", "item_code", "item_name"} & index.keys():
        expected = " or ".join(
            f"{c.name} ({c.tag})" if table.tags is not None and c.tag else c.name
            for c in spec
            if c.name.startswith("item")
        )
        problems.append(
            Problem(
                gettext("missing column: an item column is needed (%(expected)s)")
                % {"expected": expected}
            )
        )
    for column in spec:
        if column.required and column.name not in index:
            want = column.tag if table.tags is not None else column.name
            problems.append(
                Problem(
                    gettext("missing column: %(want)s (%(help)s)")
                    % {"want": want, "help": column.help}
                )
            )
    return ColumnMap(index, labels), problems


def _map_by_header(
    table: Table, spec: tuple[Column, ...], index: dict[str, int], problems: list[Problem]
) -> None:
    names = {c.name: c.name for c in spec}
    names.update({alias: c.name for c in spec for alias in c.aliases})
    for i, header in enumerate(table.headers):
        key = normalise_header(header)
        if not key:
            if any(cells[i] not in (None, "") for _, cells in table.rows):
                problems.append(
                    Problem(gettext("column %(value)s has values but no header") % {"value": i + 1})
                )
            continue
        if key not in names and key in EXPORT_ONLY:
            continue
        if key not in names:
            near = list(
                dict.fromkeys(names[n] for n in difflib.get_close_matches(key, list(names), 3, 0.6))
            )
            hint = (
                gettext("; did you mean %(names)s?") % {"names": gettext(" or ").join(near)}
                if near
                else ""
            )
            known = ", ".join(c.name for c in spec)
            problems.append(
                Problem(
                    gettext("unknown column %(header)s%(hint)s (known: %(known)s)")
                    % {"header": repr(header), "hint": hint, "known": known}
                )
            )
            continue
        name = names[key]
        if name in index:
            problems.append(
                Problem(gettext("column %(name)s appears twice") % {"name": name}, column=header)
            )
            continue
        index[name] = i


def _map_by_tag(
    table: Table, spec: tuple[Column, ...], index: dict[str, int], problems: list[Problem]
) -> None:
    import hxl.model

    assert table.tags is not None
    parsed = [hxl.model.Column.parse(t) if t else None for t in table.tags]
    for column in spec:
        if not column.tag:
            continue
        pattern = hxl.model.TagPattern.parse(column.tag)
        found = [i for i, c in enumerate(parsed) if c and pattern.match(c)]
        # A pattern also matches tags with more attributes (#item+name matches
        # #item+name+i_fr); an exact match wins, otherwise several matches are an error.
        exact = [i for i in found if table.tags[i] == column.tag]
        if len(found) > 1 and len(exact) == 1:
            found = exact
        if len(found) > 1:
            problems.append(
                Problem(
                    gettext("%(value)s columns match %(tag)s (%(value2)s); keep one")
                    % {
                        "value": len(found),
                        "tag": column.tag,
                        "value2": ", ".join(table.label(i) for i in found),
                    }
                )
            )
            continue
        if found:
            index[column.name] = found[0]
