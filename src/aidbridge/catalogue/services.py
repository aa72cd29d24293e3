"""Loading the seeded catalogue of relief items.

The seed (``catalogue/data/catalogue.json``) is the reference list a centre starts from.
Loading it again updates items by their stable code and never duplicates anything, so
a newer seed can be applied to a live database.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from aidbridge.audit.services import record_many
from aidbridge.catalogue.models import Category, Item, Substitute, Unit
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.seeding import LoadReport, read_seed, upsert

CATALOGUE_SEED = Path(__file__).resolve().parent / "data" / "catalogue.json"


def _text(row: dict[str, Any], key: str, where: str) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed(
            gettext("%(where)s: %(key)s is missing or empty") % {"where": where, "key": key},
            field=key,
        )
    return value.strip()


def _measure(row: dict[str, Any], key: str, where: str) -> Decimal:
    try:
        value = Decimal(str(row.get(key)))
    except InvalidOperation:
        raise ValidationFailed(
            gettext("%(where)s: %(key)s is not a number") % {"where": where, "key": key}, field=key
        ) from None
    if not value.is_finite() or value < 0:
        raise ValidationFailed(
            gettext("%(where)s: %(key)s must be zero or positive") % {"where": where, "key": key},
            field=key,
        )
    return value


def _item_values(
    row: dict[str, Any], categories: dict[str, Category], services: set[str]
) -> dict[str, Any]:
    code = _text(row, "code", "catalogue item")
    where = f"catalogue item {code}"
    category = categories.get(_text(row, "category", where))
    if category is None:
        raise ValidationFailed(
            gettext("%(where)s: unknown category %(value)s")
            % {"where": where, "value": repr(row["category"])},
            field="category",
        )
    unit = _text(row, "unit", where)
    if unit not in Unit.values:
        raise ValidationFailed(
            gettext("%(where)s: unknown unit %(unit)s") % {"where": where, "unit": repr(unit)},
            field="unit",
        )
    weight = _measure(row, "unit_weight_kg", where)
    volume = _measure(row, "unit_volume_m3", where)
    # A service (team, patient transfer, flight) has no load of its own; a physical item
    # without weight or volume would silently vanish from airlift loads.
    if category.code in services:
        if weight or volume:
            raise ValidationFailed(
                gettext("%(where)s: a service has no weight or volume") % {"where": where},
                field="unit",
            )
    elif weight <= 0 or volume <= 0:
        raise ValidationFailed(
            gettext("%(where)s: weight and volume must be positive") % {"where": where},
            field="unit",
        )
    # Optional: what a unit of a people-moving service takes aboard (see the model).
    transport = {
        key: _measure(row, key, where) if row.get(key) is not None else None
        for key in ("transport_weight_kg", "transport_volume_m3")
    }
    return transport | {
        "category": category,
        "name_en": _text(row, "name_en", where),
        "name_fr": _text(row, "name_fr", where),
        "unit": unit,
        "unit_weight_kg": weight,
        "unit_volume_m3": volume,
        "description": str(row.get("description", "")).strip(),
        "active": bool(row.get("active", True)),
    }


def _as_json(value: Any) -> Any:
    """A field's value as the audit entry keeps it (JSON: numbers as exact strings)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Category):
        return value.code
    return value


def _item_changes(before: Item, values: dict[str, Any]) -> dict[str, list[Any]]:
    """``field: [old, new]`` for each field of ``values`` that differs on ``before``."""
    return {
        name: [_as_json(getattr(before, name)), _as_json(value)]
        for name, value in values.items()
        if getattr(before, name) != value
    }


@transaction.atomic
def load_catalogue(path: Path | None = None, actor: Any = None) -> LoadReport:
    """Load (or reload) the catalogue seed: categories, items, substitutes.

    Items are matched by code; rows are only written when they differ. Substitutes that
    the seed does not mention are kept (a centre may add its own). A bad row rolls the
    whole load back, with an error naming the item and the field.

    Every existing item the load changes gets an audit entry (``catalogue_item.update``,
    by ``actor`` or the system) listing each changed field as ``[old, new]``, in this
    transaction: weights and volumes drive both planners, so a plan that changes after a
    reload can be traced to it.
    """
    data = read_seed(path or CATALOGUE_SEED)
    report = LoadReport()
    # The items as they were, to say what the load changed (one query for all).
    before = {item.code: item for item in Item.objects.select_related("category")}
    changed: list[tuple[Item, dict[str, Any]]] = []

    categories: dict[str, Category] = {}
    services: set[str] = set()  # categories of services: teams, transfers, flights
    for row in data.get("categories", []):
        code = _text(row, "code", "catalogue category")
        where = f"catalogue category {code}"
        category, outcome = upsert(
            Category,
            {"code": code},
            {"name_en": _text(row, "name_en", where), "name_fr": _text(row, "name_fr", where)},
        )
        if row.get("service", False):
            services.add(code)
        categories[code] = category
        report.count("categories", outcome)

    items: dict[str, Item] = {}
    for row in data.get("items", []):
        values = _item_values(row, categories, services)
        code = row["code"].strip()
        if code in items:
            raise ValidationFailed(
                gettext("catalogue item %(code)s appears twice") % {"code": code}, field="code"
            )
        items[code], outcome = upsert(Item, {"code": code}, values)
        report.count("items", outcome)
        if outcome == "updated":
            changed.append((items[code], _item_changes(before[code], values)))

    for row in data.get("substitutes", []):
        need_code, supply_code = row.get("need"), row.get("supply")
        where = f"substitute {supply_code} for {need_code}"
        need = items.get(need_code) or Item.objects.filter(code=need_code).first()
        supply = items.get(supply_code) or Item.objects.filter(code=supply_code).first()
        if need is None or supply is None:
            missing = "need" if need is None else "supply"
            raise ValidationFailed(
                gettext("%(where)s: unknown item") % {"where": where}, field=missing
            )
        if need == supply:
            raise ValidationFailed(
                gettext("%(where)s: an item cannot substitute for itself") % {"where": where},
                field="supply",
            )
        _, outcome = upsert(
            Substitute,
            {"need_item": need, "supply_item": supply},
            {"note": str(row.get("note", "")).strip()[:200]},
        )
        report.count("substitutes", outcome)
    record_many(actor, "catalogue_item.update", changed)
    return report
