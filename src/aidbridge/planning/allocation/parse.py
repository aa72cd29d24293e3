"""JSON in and out, with every rule of the spec checked before anything is planned.

All problems are collected, not just the first, so a coordinator fixing an input file
sees the whole list at once; nothing is planned unless the input is entirely valid.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from .model import (
    PRIORITIES,
    Allocation,
    AllocationInput,
    AllocationInputError,
    AllocationPlan,
    Item,
    Location,
    Need,
    Supply,
)


class _Problems:
    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, entry: str, problem: str) -> None:
        self.items.append((entry, problem))


def _entry(section: str, index: int, raw: Any) -> str:
    ident = raw.get("id", raw.get("code")) if isinstance(raw, dict) else None
    return (
        f"{section}[{index}] {json.dumps(ident)}"
        if isinstance(ident, str)
        else f"{section}[{index}]"
    )


def _text(raw: dict[str, Any], key: str, entry: str, problems: _Problems) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(entry, f"{key} must be a non-empty string, got {json.dumps(value)}")
        return ""
    return value


def _positive_int(raw: dict[str, Any], key: str, entry: str, problems: _Problems) -> int:
    value = raw.get(key)
    # bool is an int subclass in Python; true is not a quantity.
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        problems.add(entry, f"{key} must be a positive integer, got {json.dumps(value)}")
        return 0
    return value


def _date(raw: dict[str, Any], key: str, entry: str, problems: _Problems) -> dt.date | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(entry, f"{key} must be an ISO date (YYYY-MM-DD), got {json.dumps(value)}")
    return None


def _location(raw: dict[str, Any], entry: str, problems: _Problems) -> Location | None:
    value = raw.get("location")
    if value is None:
        return None
    if isinstance(value, dict):
        lat, lon = _number(value.get("lat")), _number(value.get("lon"))
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            return Location(lat, lon)
    problems.add(
        entry,
        f"location must be {{lat: -90..90, lon: -180..180}}, got {json.dumps(value)}",
    )
    return None


def _number(value: Any) -> float | None:
    """A finite JSON number as float, else None (true/false are not numbers here)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _parties(raw: dict[str, Any], key: str, entry: str, problems: _Problems) -> frozenset[str]:
    value = raw.get(key)
    if value is None:
        return frozenset()
    if isinstance(value, list) and all(isinstance(p, str) and p for p in value):
        return frozenset(value)
    problems.add(entry, f"{key} must be a list of party codes, got {json.dumps(value)}")
    return frozenset()


def _section(data: dict[str, Any], key: str, problems: _Problems) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        problems.add(key, "must be a list")
        return []
    return value


def parse_allocation(data: Any) -> AllocationInput:
    """Validate a decoded JSON document and build the planner input.

    Raises :class:`AllocationInputError` naming every offending entry.
    """
    problems = _Problems()
    if not isinstance(data, dict):
        raise AllocationInputError([("input", "must be a JSON object with items, needs, supplies")])

    items: dict[str, Item] = {}
    for i, raw in enumerate(_section(data, "items", problems)):
        entry = _entry("items", i, raw)
        if not isinstance(raw, dict):
            problems.add(entry, "must be an object")
            continue
        code = _text(raw, "code", entry, problems)
        weight = _number(raw.get("unit_weight_kg"))
        if weight is None or weight < 0:
            got = json.dumps(raw.get("unit_weight_kg"))
            problems.add(entry, f"unit_weight_kg must be a number >= 0, got {got}")
            weight = 0.0
        if code in items:
            problems.add(entry, f"duplicate item code {json.dumps(code)}")
        elif code:
            items[code] = Item(code, weight)

    def known_item(raw: dict[str, Any], key: str, entry: str) -> str:
        code = _text(raw, key, entry, problems)
        if code and code not in items:
            problems.add(entry, f"{key} {json.dumps(code)} is not in items")
        return code

    substitutes: set[tuple[str, str]] = set()
    for i, raw in enumerate(_section(data, "substitutes", problems)):
        entry = f"substitutes[{i}]"
        if not isinstance(raw, dict):
            problems.add(entry, "must be an object")
            continue
        pair = (known_item(raw, "need_item", entry), known_item(raw, "supply_item", entry))
        if pair[0] and pair[0] == pair[1]:
            problems.add(entry, "an item cannot substitute for itself")
        substitutes.add(pair)

    needs: list[Need] = []
    seen: set[str] = set()
    for i, raw in enumerate(_section(data, "needs", problems)):
        entry = _entry("needs", i, raw)
        if not isinstance(raw, dict):
            problems.add(entry, "must be an object")
            continue
        ident = _text(raw, "id", entry, problems)
        if ident in seen:
            problems.add(entry, f"duplicate need id {json.dumps(ident)}")
        seen.add(ident)
        priority = raw.get("priority")
        if isinstance(priority, bool) or priority not in PRIORITIES:
            problems.add(entry, f"priority must be 1, 2 or 3, got {json.dumps(priority)}")
            priority = 3
        needs.append(
            Need(
                id=ident,
                party=_text(raw, "party", entry, problems),
                item=known_item(raw, "item", entry),
                quantity=_positive_int(raw, "quantity", entry, problems),
                priority=int(priority),
                needed_by=_date(raw, "needed_by", entry, problems),
                location=_location(raw, entry, problems),
            )
        )

    supplies: list[Supply] = []
    seen = set()
    for i, raw in enumerate(_section(data, "supplies", problems)):
        entry = _entry("supplies", i, raw)
        if not isinstance(raw, dict):
            problems.add(entry, "must be an object")
            continue
        ident = _text(raw, "id", entry, problems)
        if ident in seen:
            problems.add(entry, f"duplicate supply id {json.dumps(ident)}")
        seen.add(ident)
        supplies.append(
            Supply(
                id=ident,
                party=_text(raw, "party", entry, problems),
                item=known_item(raw, "item", entry),
                quantity=_positive_int(raw, "quantity", entry, problems),
                available_from=_date(raw, "available_from", entry, problems),
                location=_location(raw, entry, problems),
                only_for=_parties(raw, "only_for", entry, problems),
                not_for=_parties(raw, "not_for", entry, problems),
            )
        )

    if problems.items:
        raise AllocationInputError(problems.items)
    return AllocationInput(items, frozenset(substitutes), tuple(needs), tuple(supplies))


def load_allocation(text: str | bytes) -> AllocationInput:
    """Parse JSON text; malformed JSON is reported like any other bad input."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise AllocationInputError([("input", f"not valid JSON: {exc}")]) from exc
    return parse_allocation(data)


def _location_json(loc: Location | None) -> dict[str, float] | None:
    return None if loc is None else {"lat": loc.lat, "lon": loc.lon}


def input_to_json(problem: AllocationInput) -> dict[str, Any]:
    """The spec's JSON form of an input (so a proposal can store what it was computed from)."""
    return {
        "items": [
            {"code": it.code, "unit_weight_kg": it.unit_weight_kg} for it in problem.items.values()
        ],
        "substitutes": [{"need_item": a, "supply_item": b} for a, b in sorted(problem.substitutes)],
        "needs": [
            {
                "id": n.id,
                "party": n.party,
                "item": n.item,
                "quantity": n.quantity,
                "priority": n.priority,
                "needed_by": None if n.needed_by is None else n.needed_by.isoformat(),
                "location": _location_json(n.location),
            }
            for n in problem.needs
        ],
        "supplies": [
            {
                "id": s.id,
                "party": s.party,
                "item": s.item,
                "quantity": s.quantity,
                "available_from": None
                if s.available_from is None
                else s.available_from.isoformat(),
                "location": _location_json(s.location),
                "only_for": sorted(s.only_for),
                "not_for": sorted(s.not_for),
            }
            for s in problem.supplies
        ],
    }


def plan_to_json(plan: AllocationPlan) -> dict[str, Any]:
    """The spec's output form: ``{"allocations": [...], "stats": {...}}``."""
    return {
        "allocations": [
            {"supply": a.supply, "need": a.need, "quantity": a.quantity} for a in plan.allocations
        ],
        "stats": plan.stats,
    }


def plan_from_json(data: Any) -> AllocationPlan:
    """Read a plan back (for re-checking a stored proposal); shape errors are named."""
    if not isinstance(data, dict) or not isinstance(data.get("allocations"), list):
        raise AllocationInputError([("plan", "must be an object with an allocations list")])
    allocations = []
    problems = _Problems()
    for i, raw in enumerate(data["allocations"]):
        entry = f"allocations[{i}]"
        if not isinstance(raw, dict):
            problems.add(entry, "must be an object")
            continue
        allocations.append(
            Allocation(
                supply=_text(raw, "supply", entry, problems),
                need=_text(raw, "need", entry, problems),
                quantity=_positive_int(raw, "quantity", entry, problems),
            )
        )
    if problems.items:
        raise AllocationInputError(problems.items)
    stats = data.get("stats")
    return AllocationPlan(tuple(allocations), stats if isinstance(stats, dict) else {})
