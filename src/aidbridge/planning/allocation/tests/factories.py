"""Small input documents in the spec's JSON form, for hand-written cases."""

from __future__ import annotations

from typing import Any

ITEMS = [
    {"code": "VENT-ICU", "unit_weight_kg": 30.0},
    {"code": "MASK-SURG", "unit_weight_kg": 0.004},
    {"code": "RESP-FFP2", "unit_weight_kg": 0.006},
]
SHORT_ITEMS = [
    {"code": "VENT", "unit_weight_kg": 30.0},
    {"code": "MASK", "unit_weight_kg": 0.004},
    {"code": "FFP2", "unit_weight_kg": 0.006},
]
"""The same three items under short codes, for generated instances (Hypothesis)."""
SHORT_CODES = [item["code"] for item in SHORT_ITEMS]
MILAN = {"lat": 45.46, "lon": 9.19}
LYON = {"lat": 45.76, "lon": 4.84}
GYOR = {"lat": 47.36, "lon": 17.5}
OSLO = {"lat": 59.91, "lon": 10.75}


def need(
    ident: str,
    party: str = "ITA",
    item: str = "VENT-ICU",
    quantity: int = 100,
    priority: int = 1,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": ident,
        "party": party,
        "item": item,
        "quantity": quantity,
        "priority": priority,
        **extra,
    }


def supply(
    ident: str, party: str = "NATO", item: str = "VENT-ICU", quantity: int = 100, **extra: Any
) -> dict[str, Any]:
    return {"id": ident, "party": party, "item": item, "quantity": quantity, **extra}


def doc(
    needs: list[dict[str, Any]],
    supplies: list[dict[str, Any]],
    substitutes: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
) -> dict[str, Any]:
    return {
        "items": ITEMS,
        "substitutes": [{"need_item": a, "supply_item": b} for a, b in substitutes],
        "needs": needs,
        "supplies": supplies,
    }
