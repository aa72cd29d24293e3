"""Exports asked for by a user: a request's or an offer's chain, a request for status.

Each is built from the same messages as the feed (the chain of one request is the
feed's messages about it), in one envelope with one ``contentObject`` per message.
The request for status is the one message not caused by an audit entry: it asks the
donors where the accepted units not yet delivered are, with the ledger's figures.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from lxml import etree

from aidbridge.accounts.permissions import profile_of
from aidbridge.core.errors import Conflict
from aidbridge.edxl import export, ids, rm
from aidbridge.edxl.envelope import Distribution, envelope
from aidbridge.edxl.flow import (
    RFA,
    delivery_place,
    item_part,
    offer_line_element,
    party_contact,
)
from aidbridge.edxl.parts import Message, Schedule
from aidbridge.ledger.sums import moved, with_movement
from aidbridge.offers import selectors as offer_selectors
from aidbridge.offers.models import Offer
from aidbridge.requests import selectors as rfa_selectors


def _sender(actor: Any) -> str:
    return str(profile_of(actor).party.code)


def rfa_chain(actor: Any, rfa_id: int) -> etree._Element:
    """Every message about a request the actor may see, first to last (404 if the
    request is not visible to them)."""
    rfa = rfa_selectors.get_rfa(actor, rfa_id)
    entries = list(export.rfa_entries(actor, rfa))
    found = export.messages(entries, export.context(rfa.crisis))
    last = entries[-1].pk if entries else 0
    distribution = f"urn:aidbridge:{ids.centre()}:rfa:{rfa.pk}:chain:{last}"
    return export.bundle(found, rfa.crisis, distribution, _sender(actor))


def offer_chain(actor: Any, offer_id: int) -> etree._Element:
    offer: Offer = offer_selectors.offer_detail(actor, offer_id)
    entries = list(export.offer_entries(actor, offer))
    found = export.messages(entries, export.context(offer.crisis))
    last = entries[-1].pk if entries else 0
    distribution = f"urn:aidbridge:{ids.centre()}:offer:{offer.pk}:chain:{last}"
    return export.bundle(found, offer.crisis, distribution, _sender(actor))


def status_request(actor: Any, rfa_id: int) -> etree._Element:
    """RequestResourceDeploymentStatus: for each accepted offer line of the request not
    fully delivered, the units still awaited (accepted - delivered, from the ledger)."""
    rfa: RFA = rfa_selectors.get_rfa(actor, rfa_id)
    ctx = export.context(rfa.crisis)
    lines = with_movement(
        offer_selectors.offer_lines_visible_to(actor)
        .filter(offer__rfa=rfa, accepted__gt=0)
        .select_related("item", "offer__donor", "request_line__rfa__requester")
        .order_by("pk")
    )
    parts = []
    donors: list[str] = []
    for line in lines:
        figures = moved(line)
        awaited = figures.accepted - figures.delivered
        if awaited <= 0 or line.request_line is None:
            continue
        parts.append(
            item_part(
                line,
                offer_line_element(line),
                quantity=awaited,
                description=(
                    f"accepted {figures.accepted}, dispatched {figures.dispatched}, "
                    f"delivered {figures.delivered}"
                ),
                responsible=party_contact(line.offer.donor, "Owner"),
                schedules=(
                    Schedule(
                        "RequestedArrival",
                        line.request_line.needed_by,
                        delivery_place(line.request_line),
                    ),
                ),
            )
        )
        if line.offer.donor.code not in donors:
            donors.append(line.offer.donor.code)
    if not parts:
        raise Conflict(
            f"nothing accepted on {rfa.reference or rfa.pk} awaits delivery: no status to ask for",
            field="id",
        )
    entries = list(export.rfa_entries(actor, rfa).values_list("pk", flat=True))
    last = entries[-1] if entries else 0
    origin = ctx.chain.rfa_message(rfa.pk) or f"urn:aidbridge:{ids.centre()}:rfa:{rfa.pk}"
    party = profile_of(actor).party
    message = Message(
        kind="RequestResourceDeploymentStatus",
        message_id=f"urn:aidbridge:{ids.centre()}:status-request:{rfa.pk}:{last}",
        sent=timezone.now(),
        originating_id=origin,
        preceding_id=ids.message_id(last) if last else None,
        incident_id=rfa.crisis.code,
        incident_name=rfa.crisis.name_en,
        contacts=(party_contact(party, "Sender"),),
        resources=tuple(parts),
        description=f"{rfa.reference}: where are the accepted units not yet delivered?",
    )
    distribution = Distribution(
        distribution_id=f"urn:aidbridge:{ids.centre()}:status-request:{rfa.pk}:{last}:de",
        sender_code=party.code,
        sent=message.sent,
        distribution_type="Request",
        crisis_code=rfa.crisis.code,
        crisis_name=rfa.crisis.name_en,
        recipients=tuple(donors),
    )
    return envelope(distribution, [(export.description(message), rm.build(message))])
