"""Downloadable templates: the import columns, with every catalogue item ready to fill.

A needs template lists each active item (code, English and French names, unit) with
an empty quantity; an offers template for a crisis lists every circulated request line.
Rows left without a quantity are ignored on import, so a user fills only what they need.
"""

from __future__ import annotations

from typing import Any

from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.interop.columns import NEEDS, OFFERS, Column
from aidbridge.interop.writers import write_table
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.selectors import in_picture, lines_visible_to

NAME_FR = Column("item_name_fr", "#item+i_fr+name", "French name (for reading; ignored)")


def _layout(spec: tuple[Column, ...]) -> list[Column]:
    out: list[Column] = []
    for column in spec:
        if column.name == "item":
            continue  # the template fills code and names; "item" is for hand-made files
        out.append(column)
        if column.name == "item_name":
            out.append(NAME_FR)
    return out


def _catalogue_sheet() -> dict[str, tuple[list[str], Any]]:
    items = Item.objects.filter(active=True).select_related("category").order_by("code")
    rows = [[i.code, i.name_en, i.name_fr, i.unit, i.category.code] for i in items]
    return {"catalogue": (["item_code", "item_name", "item_name_fr", "unit", "category"], rows)}


def needs_template(fmt: str) -> bytes:
    columns = _layout(NEEDS)
    items = Item.objects.filter(active=True).order_by("code")
    fill = {"item_code": "code", "item_name": "name_en", "item_name_fr": "name_fr", "unit": "unit"}
    rows = [[getattr(i, fill[c.name]) if c.name in fill else None for c in columns] for i in items]
    return write_table(
        fmt,
        [c.name for c in columns],
        [c.tag for c in columns],
        rows,
        sheet="needs",
        extra_sheets=_catalogue_sheet(),
    )


def offers_template(actor: Any, fmt: str, crisis: Crisis | None = None) -> bytes:
    """With a crisis: one row per line of the requests open for offers (circulated, as
    ``actor`` sees them); otherwise one per item."""
    columns = _layout(OFFERS)
    rows: list[list[Any]] = []
    if crisis is not None:
        lines = (
            lines_visible_to(actor)
            .filter(
                in_picture("rfa__"),
                rfa__crisis=crisis,
                rfa__status=RequestForAssistance.Status.CIRCULATED,
            )
            .select_related("rfa", "item")
            .order_by("rfa__reference", "position")
        )
        for ln in lines:
            values = {
                "rfa": ln.rfa.reference,
                "line": ln.position,
                "item_code": ln.item.code,
                "item_name": ln.item.name_en,
                "item_name_fr": ln.item.name_fr,
            }
            rows.append([values.get(c.name) for c in columns])
    else:
        for item in Item.objects.filter(active=True).order_by("code"):
            values = {
                "item_code": item.code,
                "item_name": item.name_en,
                "item_name_fr": item.name_fr,
            }
            rows.append([values.get(c.name) for c in columns])
    return write_table(
        fmt,
        [c.name for c in columns],
        [c.tag for c in columns],
        rows,
        sheet="offers",
        extra_sheets=_catalogue_sheet(),
    )
