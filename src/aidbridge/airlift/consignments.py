"""Accepted aid that needs airlift, as the planner's consignments.

A consignment is what remains to be flown of one accepted offer line whose request
line asks for transport (``transport_needed``) and whose offer does not bring its own
(``own_transport``): accepted, minus already dispatched, minus what sits on an approved
sortie that has not left yet (so nothing is planned twice).

Loads come from the catalogue:

- weight = quantity x ``unit_weight_kg``;
- pallets = the larger of ⌈volume / 10 m³⌉ and ⌈weight / 4,500 kg⌉, at least one:
  a 463L pallet carries about 10 m³ of cargo (2.24 x 2.74 m base, ~1.6-2 m high) and
  about 4,500 kg, so whichever the load runs out of first decides;
- origin = the offer's ``origin_airport``; destination = the request line's
  ``delivery_airport``;
- ready at the start of the offer's ``available_from`` day (or of the crisis when the
  offer gives none); due by the end of the line's ``needed_by`` day (23:59Z), or when
  the line gives none, by the end of the plan's horizon (the fleet's last availability);
- priority = the request line's.

A line that cannot become a consignment (no or unknown airport, an item without weight)
is listed as skipped with the reason, never silently left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from aidbridge.airlift.models import Sortie, SortieLoad
from aidbridge.airlift.sources import sources
from aidbridge.catalogue.airports import get_airport
from aidbridge.crises.models import Crisis
from aidbridge.ledger.sums import moved, with_movement
from aidbridge.offers.models import OfferLine

PALLET_M3 = Decimal(10)
PALLET_KG = Decimal(4500)


@dataclass(frozen=True)
class Consignment:
    id: str
    offer_line: int
    offer: str
    donor: str
    requester: str
    item: str
    quantity: int
    weight_kg: float
    pallets: int
    origin: str
    destination: str
    priority: int
    ready_at: datetime
    due_by: datetime | None  # None: the line gives no needed-by date
    requires: tuple[str, ...] = ()
    """Aircraft capabilities it needs (``medevac`` for patients); cargo needs none."""
    source: str = ""
    """The app that handed it over (``airlift.sources``), empty for accepted cargo."""
    source_key: str = ""

    def spec(self, horizon_end: datetime) -> dict[str, Any]:
        """The consignment as the planner's input document has it."""
        extra: dict[str, Any] = {"requires": list(self.requires)} if self.requires else {}
        return extra | {
            "id": self.id,
            "origin": self.origin,
            "destination": self.destination,
            "weight_kg": self.weight_kg,
            "pallets": self.pallets,
            "priority": self.priority,
            "ready_at": iso(self.ready_at),
            "due_by": iso(self.due_by or horizon_end),
        }


@dataclass(frozen=True)
class Skipped:
    offer_line: int
    offer: str
    item: str
    quantity: int
    reason: str
    """In English; ``code`` and ``params`` word it in the reader's language."""
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def consignment_id(line: OfferLine) -> str:
    return f"{line.offer.reference}/{line.pk}"


def pallets_for(weight_kg: Decimal, volume_m3: Decimal) -> int:
    return max(1, math.ceil(volume_m3 / PALLET_M3), math.ceil(weight_kg / PALLET_KG))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59), tzinfo=UTC)


def airlift_lines(crisis: Crisis) -> QuerySet[OfferLine]:
    """Accepted offer lines of the crisis that need airlift (whatever is left to fly)."""
    return (
        OfferLine.objects.filter(
            offer__crisis=crisis,
            accepted__gt=0,
            offer__own_transport=False,
            request_line__transport_needed=True,
        )
        .select_related("offer__donor", "item", "request_line__rfa__requester")
        .order_by("offer_id", "id")
    )


def on_planned_sorties(source: str, keys: list[str]) -> set[str]:
    """Keys of ``source`` already loaded on sorties still planned (not yet departed)."""
    return set(
        SortieLoad.objects.filter(
            source=source,
            source_key__in=keys,
            dispatch__isnull=True,
            sortie__status=Sortie.Status.PLANNED,
        ).values_list("source_key", flat=True)
    )


def _planned(lines: list[int]) -> dict[int, int]:
    """Units of each line loaded on sorties still planned (not yet dispatched): airlift
    planning's own quantity, not a figure of the picture."""
    rows = (
        SortieLoad.objects.filter(
            offer_line_id__in=lines,
            source="",
            dispatch__isnull=True,
            sortie__status=Sortie.Status.PLANNED,
        )
        .values("offer_line_id")
        .annotate(total=Sum("quantity"))
    )
    return {r["offer_line_id"]: r["total"] for r in rows}


def build_consignments(crisis: Crisis) -> tuple[list[Consignment], list[Skipped]]:
    """Accepted cargo waiting for airlift, then what the registered sources hand over
    (``airlift.sources``), less what a planned sortie already carries."""
    out, skipped = _cargo(crisis)
    for source in sources():
        found, left_out = source.consignments(crisis)
        loaded = on_planned_sorties(source.name, [c.source_key for c in found])
        out += [c for c in found if c.source_key not in loaded]
        skipped += left_out
    return out, skipped


def _cargo(crisis: Crisis) -> tuple[list[Consignment], list[Skipped]]:
    """Three queries whatever the size: the lines, their dispatches, their planned loads."""
    lines = list(with_movement(airlift_lines(crisis)))
    on_sorties = _planned([line.pk for line in lines])
    out: list[Consignment] = []
    skipped: list[Skipped] = []
    for line in lines:
        quantity = moved(line).left_to_dispatch - on_sorties.get(line.pk, 0)
        if quantity <= 0:
            continue
        need, offer, item = line.request_line, line.offer, line.item
        assert need is not None  # the query only takes lines answering a request
        origin = (offer.origin_airport or "").strip().upper()
        destination = (need.delivery_airport or "").strip().upper()
        weight = quantity * item.unit_weight_kg
        problem = _problem(line, origin, destination, weight)
        if problem is not None:
            code, params = problem
            reason = SKIPPED_ENGLISH[code].format(**params)
            skipped.append(
                Skipped(line.pk, offer.reference, item.code, quantity, reason, code, params)
            )
            continue
        out.append(
            Consignment(
                id=consignment_id(line),
                offer_line=line.pk,
                offer=offer.reference,
                donor=offer.donor.code,
                requester=need.rfa.requester.code,
                item=item.code,
                quantity=quantity,
                weight_kg=round(float(weight), 1),
                pallets=pallets_for(weight, quantity * item.unit_volume_m3),
                origin=origin,
                destination=destination,
                priority=need.priority,
                ready_at=_start_of(offer.available_from or crisis.started_on),
                due_by=_end_of(need.needed_by) if need.needed_by else None,
            )
        )
    return out, skipped


SKIPPED_ENGLISH = {
    "no_origin": "offer {offer} gives no origin airport",
    "unknown_origin": "origin {airport} of offer {offer} is not a known ICAO airport",
    "no_destination": "request line {line} gives no delivery airport",
    "unknown_destination": "delivery airport {airport} of {line} is not a known ICAO airport",
    "no_weight": "{item} has no unit weight: not cargo the planner can load",
    "transfer_no_airport": "transfer {transfer}: {place} gives no airport (ICAO)",
    "no_transport_weight": "{item} has no weight when flown (catalogue transport_weight_kg)",
}


def _problem(
    line: OfferLine, origin: str, destination: str, weight: Decimal
) -> tuple[str, dict[str, Any]] | None:
    """Why the line cannot be a consignment (a code of ``SKIPPED_ENGLISH`` and its
    parameters), or None when it can."""
    offer = line.offer.reference
    if not origin:
        return "no_origin", {"offer": offer}
    if get_airport(origin) is None:
        return "unknown_origin", {"airport": origin, "offer": offer}
    if not destination:
        return "no_destination", {"line": str(line.request_line)}
    if get_airport(destination) is None:
        return "unknown_destination", {"airport": destination, "line": str(line.request_line)}
    if weight <= 0:
        return "no_weight", {"item": line.item.code}
    return None
