"""API: the relief-item catalogue and the airports delivery points are chosen from."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from aidbridge.accounts.permissions import profile_of
from aidbridge.api.ordering import apply_ordering
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.catalogue import selectors
from aidbridge.catalogue.airports import Airport, get_airport, search_airports
from aidbridge.catalogue.models import Item
from aidbridge.core.errors import NotFound

router = Router(tags=["catalogue"])


class ItemOut(Schema):
    code: str
    name_en: str
    name_fr: str
    category: str
    unit: str
    unit_weight_kg: Decimal
    unit_volume_m3: Decimal
    active: bool


class SubstituteOut(Schema):
    code: str
    name_en: str
    name_fr: str
    note: str


class ItemDetailOut(ItemOut):
    description: str
    substitutes: list[SubstituteOut]


class ItemFilters(Schema):
    search: str | None = Field(None, description="Part of the code or English/French name")
    category: str | None = Field(None, description="Category code (PPE, MED, ...)")
    ordering: str | None = Field(None, description="code, name_en, name_fr, category")


class AirportOut(Schema):
    icao: str
    name: str
    city: str
    country: str
    lat: float
    lon: float


ITEM_ORDERING = {
    "code": "code",
    "name_en": "name_en",
    "name_fr": "name_fr",
    "category": "category__code",
}


@router.get("/catalogue/items", response=Page[ItemOut])
def list_items(
    request: HttpRequest, filters: Query[ItemFilters], page: Query[PageParams]
) -> dict[str, Any]:
    profile_of(request.user)
    items = selectors.item_list(search=filters.search, category=filters.category)
    ordered = apply_ordering(items, filters.ordering, ITEM_ORDERING, "code")
    return paginate(request, ordered, page, lambda rows: [_item(i) for i in rows])


@router.get("/catalogue/items/{code}", response=ItemDetailOut)
def get_item(request: HttpRequest, code: str) -> dict[str, Any]:
    profile_of(request.user)
    item = selectors.item_by_code(code)
    if item is None:
        raise NotFound(gettext("no item with code %(code)s") % {"code": repr(code)}, field="code")
    subs = item.substitutes.select_related("supply_item").order_by("supply_item__code")
    return {
        **_item(item),
        "description": item.description,
        "substitutes": [_substitute(s.supply_item, s.note) for s in subs],
    }


def _item(item: Item) -> dict[str, Any]:
    return {
        "code": item.code,
        "name_en": item.name_en,
        "name_fr": item.name_fr,
        "category": item.category.code,
        "unit": item.unit,
        "unit_weight_kg": item.unit_weight_kg,
        "unit_volume_m3": item.unit_volume_m3,
        "active": item.active,
    }


def _substitute(item: Item, note: str) -> dict[str, str]:
    return {"code": item.code, "name_en": item.name_en, "name_fr": item.name_fr, "note": note}


@router.get("/catalogue/airports", response=list[AirportOut])
def list_airports(
    request: HttpRequest,
    search: str = Query(..., min_length=2, description="ICAO code, name or city"),
    limit: int = Query(20, ge=1, le=100),
) -> list[Airport]:
    profile_of(request.user)
    return search_airports(search, limit=limit)


@router.get("/catalogue/airports/{icao}", response=AirportOut)
def get_airport_by_code(request: HttpRequest, icao: str) -> Airport:
    profile_of(request.user)
    airport = get_airport(icao)
    if airport is None:
        raise NotFound(
            gettext("no airport with ICAO code %(icao)s") % {"icao": repr(icao)}, field="icao"
        )
    return airport
