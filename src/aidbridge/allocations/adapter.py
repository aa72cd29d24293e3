"""The clearing-house as an allocation problem (``docs/specs/allocation.md``).

Needs are the lines of circulated requests that still miss something; supplies are the
lines of standing (unsolicited) offers that still have units free. Every id in the
input is a human reference that maps back to one row (``RFA-2020-0007/2`` is line 2 of
that request; ``OFR-2020-0031/1`` the first line of that offer), and the maps are
returned with the document so the proposal can be written against the rows.

What a need still misses is its outstanding quantity (requested - accepted) less what
is already drawn for it from standing stock and still awaiting a decision (proposed or
open): those units are spoken for, and proposing them again would promise the need
twice. Offers made directly by nations are not subtracted: they compete, and the
requester may decline them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aidbridge.catalogue.airports import get_airport
from aidbridge.catalogue.models import Item, Substitute
from aidbridge.crises.models import Crisis
from aidbridge.ledger.sums import drawn_undecided, with_outstanding
from aidbridge.offers.models import OfferLine
from aidbridge.offers.proposals import available_quantities, standing_lines
from aidbridge.requests.models import RequestForAssistance, RequestLine

CIRCULATED = RequestForAssistance.Status.CIRCULATED


@dataclass
class PlannerInput:
    """The spec's JSON input and the rows its ids stand for."""

    doc: dict[str, Any]
    need_rows: dict[str, int] = field(default_factory=dict)  # need id -> RequestLine pk
    supply_rows: dict[str, int] = field(default_factory=dict)  # supply id -> OfferLine pk


def _location(lat: float | None, lon: float | None, airport: str) -> dict[str, float] | None:
    """Coordinates given on the row, else those of its airport, else none (distance 0)."""
    if lat is not None and lon is not None:
        return {"lat": lat, "lon": lon}
    found = get_airport(airport) if airport else None
    return {"lat": found.lat, "lon": found.lon} if found is not None else None


# Annotated by the ledger (``with_outstanding``).
OUTSTANDING = ("pk", "outstanding")


def open_quantities(lines: Any) -> dict[int, int]:
    """What each request line of ``lines`` (a queryset) still misses, as explained above."""
    reserved = drawn_undecided(lines)
    return {
        pk: outstanding - reserved.get(pk, 0)
        for pk, outstanding in with_outstanding(lines).values_list(*OUTSTANDING)
    }


def build_input(crisis: Crisis) -> PlannerInput:
    """The planner's input for ``crisis`` as the clearing-house stands now.

    A constant number of queries, whatever the number of needs and supplies.
    """
    result = PlannerInput(doc={})
    need_lines = RequestLine.objects.filter(rfa__crisis=crisis, rfa__status=CIRCULATED)
    missing = open_quantities(need_lines)
    needs = []
    item_ids: set[int] = set()
    for line in need_lines.select_related("rfa__requester", "item").order_by(
        "rfa__circulated_at", "rfa_id", "position"
    ):
        quantity = missing.get(line.pk, 0)
        if quantity <= 0:
            continue
        need_id = f"{line.rfa.reference}/{line.position}"
        result.need_rows[need_id] = line.pk
        item_ids.add(line.item_id)
        needs.append(
            {
                "id": need_id,
                "party": line.rfa.requester.code,
                "item": line.item.code,
                "quantity": quantity,
                "priority": line.priority,
                "needed_by": line.needed_by.isoformat() if line.needed_by else None,
                "location": _location(line.delivery_lat, line.delivery_lon, line.delivery_airport),
            }
        )

    stock = standing_lines().filter(offer__crisis=crisis)
    free = available_quantities(stock)
    # A line's place in its offer counts every line, withdrawn ones too, so the id
    # names the same line whatever happened to its neighbours.
    counted: dict[int, int] = defaultdict(int)
    position: dict[int, int] = {}
    for pk, offer_id in (
        OfferLine.objects.filter(offer__crisis=crisis, offer__rfa__isnull=True)
        .order_by("offer_id", "pk")
        .values_list("pk", "offer_id")
    ):
        counted[offer_id] += 1
        position[pk] = counted[offer_id]
    supplies = []
    for stock_line in stock.select_related("offer__donor", "item").order_by("offer_id", "pk"):
        quantity = free.get(stock_line.pk, 0)
        if quantity <= 0:
            continue
        offer = stock_line.offer
        supply_id = f"{offer.reference}/{position[stock_line.pk]}"
        result.supply_rows[supply_id] = stock_line.pk
        item_ids.add(stock_line.item_id)
        supplies.append(
            {
                "id": supply_id,
                "party": offer.donor.code,
                "item": stock_line.item.code,
                "quantity": quantity,
                "available_from": offer.available_from.isoformat()
                if offer.available_from
                else None,
                "location": _location(offer.origin_lat, offer.origin_lon, offer.origin_airport),
                # Standing offers carry no earmarks yet: any other party may be served.
                "only_for": [],
                "not_for": [],
            }
        )

    substitutes = Substitute.objects.filter(
        need_item_id__in=item_ids, supply_item_id__in=item_ids
    ).values_list("need_item__code", "supply_item__code")
    result.doc = {
        "items": [
            {"code": code, "unit_weight_kg": float(weight)}
            for code, weight in Item.objects.filter(pk__in=item_ids)
            .order_by("code")
            .values_list("code", "unit_weight_kg")
        ],
        "substitutes": [
            {"need_item": need, "supply_item": supply} for need, supply in sorted(substitutes)
        ],
        "needs": needs,
        "supplies": supplies,
    }
    return result
