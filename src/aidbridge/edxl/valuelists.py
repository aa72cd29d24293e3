"""aidbridge's value lists, published so a receiver can read its messages' codes.

A message names its item by ``TypeStructure`` (``ValueListURN`` urn:aidbridge:catalogue:1,
``Value`` the item code), its unit, priority and deployment status likewise; each list
is served at ``/api/v1/edxl/value-lists/<name>``.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema

from aidbridge.catalogue.models import Item, Unit
from aidbridge.edxl import ids

NAMES = tuple(ids.VALUE_LISTS)

DEPLOYMENT_STATUSES = {
    "Offered": "Offered against a request line, awaiting the requester's decision",
    "Available": "Standing stock offered to the crisis as a whole",
    "Committed": "Drawn from standing stock and confirmed by its donor",
    "Declined": "Declined by the requester; released to its donor",
    "Withdrawn": "Taken back by its donor (or the request was withdrawn)",
    "Closed": "The request is closed: nothing more is asked for this line",
    "Dispatched": "Sent by the donor, receipt not yet confirmed",
    "Delivered": "Receipt confirmed by the requester, as dispatched",
    "DeliveredShort": "Receipt confirmed with fewer units than dispatched",
}
PRIORITIES = {"1": "Priority 1 (highest)", "2": "Priority 2 (default)", "3": "Priority 3 (lowest)"}


class ValueOut(Schema):
    value: str
    name_en: str
    name_fr: str = ""
    unit: str = ""
    category: str = ""


class ValueListOut(Schema):
    urn: str
    name: str
    values: list[ValueOut]


def value_list(name: str) -> dict[str, Any] | None:
    urn = ids.VALUE_LISTS.get(name)
    if urn is None:
        return None
    values: list[dict[str, Any]]
    if name == "catalogue":
        values = [
            {
                "value": item.code,
                "name_en": item.name_en,
                "name_fr": item.name_fr,
                "unit": item.unit,
                "category": item.category.code,
            }
            for item in Item.objects.select_related("category").order_by("code")
        ]
    elif name == "units":
        values = [{"value": str(v), "name_en": str(label)} for v, label in Unit.choices]
    elif name == "priority":
        values = [{"value": k, "name_en": v} for k, v in PRIORITIES.items()]
    else:
        values = [{"value": k, "name_en": v} for k, v in DEPLOYMENT_STATUSES.items()]
    return {"urn": urn, "name": name, "values": values}
