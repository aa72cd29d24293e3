"""``RequestResource`` -> a draft request of the requesting nation.

The request goes through ``requests.services.create_rfa`` like any draft: the same
role rule (a national POC of that nation), the same line checks, the same audit entry.
It stays a draft, private to its nation, until the nation submits it: a message from
a national system does not skip the centre's check.
"""

from __future__ import annotations

import re
from typing import Any

from aidbridge.catalogue.airports import get_airport
from aidbridge.edxl import ids
from aidbridge.edxl.imports.context import (
    Context,
    Outcome,
    Problems,
    require_acting_for,
    service,
)
from aidbridge.edxl.imports.errors import Problem
from aidbridge.edxl.imports.messages import Message, ResourceInfo, Schedule
from aidbridge.edxl.imports.resolve import REQUESTER_ROLES, crisis_of, quantity_of
from aidbridge.interop.items import normalise
from aidbridge.requests.services import create_rfa

TITLE_MAX = 200
DEFAULT_PRIORITY = 2
# SpecialRequirements saying the requester also needs the transport (aidbridge's words).
TRANSPORT_NEEDED = ("transport also needed", "transport needed")
_ICAO = re.compile(r"\b[A-Z]{4}\b")
# Where a line is wanted and by when: the requested arrival, else any arrival or
# report-to schedule.
_WHERE = ("RequestedArrival", "ReportTo", "EstimatedArrival")


def _schedule(info: ResourceInfo) -> Schedule | None:
    for kind in _WHERE:
        for schedule in info.schedules:
            if schedule.kind == kind:
                return schedule
    return None


def _delivery(schedule: Schedule | None) -> dict[str, Any]:
    """An airport named by its ICAO code in the location's description (coordinates
    from the airport list), else a named place with the location's coordinates."""
    if schedule is None:
        return {}
    if schedule.icao and get_airport(schedule.icao) is not None:
        return {"delivery_airport": schedule.icao}
    for code in _ICAO.findall(schedule.location):
        if get_airport(code) is not None:
            return {"delivery_airport": code}
    spec: dict[str, Any] = {"delivery_place": schedule.location[:200]}
    if schedule.lat is not None and schedule.lon is not None:
        spec |= {"delivery_lat": schedule.lat, "delivery_lon": schedule.lon}
    return spec


def _priority(info: ResourceInfo) -> int | Problem | None:
    """The line's priority from the Keyword of aidbridge's priority list (1 highest)."""
    value = info.keywords.get(ids.PRIORITY_URN)
    if value is None:
        return None
    if value not in ("1", "2", "3"):
        return Problem(
            f"priority {value!r} is not in {ids.PRIORITY_URN}: 1 (highest), 2 or 3",
            info.resource_path or info.path,
        )
    return int(value)


def _title(message: Message) -> str:
    title = message.description.splitlines()[0].strip() if message.description else ""
    return (title or f"{message.kind} {message.message_id}")[:TITLE_MAX]


def request_resource(ctx: Context, message: Message) -> Outcome:
    problems = Problems()
    party = problems.check(
        "unknown_party", ctx.parties.acting(message, REQUESTER_ROLES, ctx.sender_id)
    )
    crisis = problems.check("unknown_crisis", crisis_of(message, ctx.envelope_incidents))
    lines: list[dict[str, Any]] = []
    for info in message.resources:
        item = problems.check("unknown_item", ctx.items.of(info))
        quantity = problems.check("invalid_content", quantity_of(info, item))
        if item is None or quantity is None:
            continue
        schedule = _schedule(info)
        priority = problems.check("invalid_content", _priority(info))
        lines.append(
            {
                "item": item.code,
                "quantity": quantity,
                "specification": info.description,
                "needed_by": schedule.at.date() if schedule and schedule.at else None,
                "priority": priority or DEFAULT_PRIORITY,
                "transport_needed": normalise(info.special) in TRANSPORT_NEEDED,
                **_delivery(schedule),
            }
        )
    problems.raise_any()
    assert party is not None and crisis is not None
    require_acting_for(ctx.actor, party, message)

    rfa = service(
        message.resources,
        message,
        lambda: create_rfa(ctx.actor, crisis=crisis, title=_title(message), lines=lines),
    )
    made = list(rfa.lines.order_by("position"))
    return Outcome(
        party,
        crisis,
        created=[
            {
                "kind": "rfa",
                "id": rfa.pk,
                "status": rfa.status,
                "title": rfa.title,
                "lines": [ln.pk for ln in made],
            }
        ],
        elements={
            info.element_id: {"request_line": line.pk}
            for info, line in zip(message.resources, made, strict=True)
        },
    )
