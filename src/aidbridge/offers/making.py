"""Making offers: against a circulated request (``make_offer``) or as standing stock at a
crisis's disposal (``make_unsolicited_offer``). ``offers.services`` is the entry point
that exports them, with the decisions on offer lines; proposals drawn from standing
stock are ``offers.proposals``.

Every action first locks the request (or, for standing stock, the crisis) whose status
allows it, in the order of ``core.locks``; each line's creation writes its audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.accounts.permissions import profile_of
from aidbridge.audit.services import record
from aidbridge.catalogue.units import with_unit
from aidbridge.core.actions import refuse
from aidbridge.core.references import next_reference
from aidbridge.crises.locks import lock_crisis
from aidbridge.crises.models import Crisis
from aidbridge.ledger.maintained import offer_made, touch_offer_lines
from aidbridge.notifications.services import centre_staff, local_name, notify, pocs_of
from aidbridge.offers import inputs, signals
from aidbridge.offers.actions import (
    rfa_offer_refusal,
    standing_offer_refusal,
)
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.locks import lock_rfa
from aidbridge.requests.models import RequestForAssistance

REFERENCE_PREFIX = "OFR"
Status = OfferLine.Status


def offer_link(offer: Offer) -> str:
    """The API path a notification about ``offer`` carries (``notifications.links``)."""
    return f"/api/v1/offers/{offer.pk}"


def _create_offer(
    actor: Any,
    *,
    donor: Party,
    crisis: Crisis,
    rfa: RequestForAssistance | None,
    lines: list[inputs.LineInput],
    origin: inputs.Origin,
    own_transport: bool,
    conditions: str,
) -> Offer:
    offer = Offer.objects.create(
        crisis=crisis,
        donor=donor,
        rfa=rfa,
        reference=next_reference(REFERENCE_PREFIX, timezone.now().year),
        available_from=origin.available_from,
        origin_airport=origin.airport,
        origin_place=origin.place,
        origin_lat=origin.lat,
        origin_lon=origin.lon,
        own_transport=bool(own_transport),
        conditions=(conditions or "").strip(),
        created_by=actor,
    )
    created = [
        OfferLine.objects.create(
            offer=offer,
            request_line=ln.request_line,
            item=ln.item,
            quantity=ln.quantity,
            notes=ln.notes,
        )
        for ln in lines
    ]
    touch_offer_lines(created)
    offer_made(offer)
    summary = [
        {
            "line": ln.pk,
            "request_line": ln.request_line_id,
            "item": ln.item.code,
            "quantity": ln.quantity,
        }
        for ln in created
    ]
    record(
        actor,
        "offer.create",
        offer,
        crisis=crisis,
        to_state="open",
        changes={"lines": [None, summary]},
    )
    for ln in created:
        record(
            actor,
            "offer_line.create",
            ln,
            crisis=crisis,
            to_state=Status.OPEN,
            changes={"quantity": [None, ln.quantity]},
        )
    return offer


def lines_summary(offer: Offer) -> str:
    """One row per line, in the active language (units and names exist in both)."""
    return "\n".join(
        f"- {with_unit(ln.quantity, ln.item.unit)} {local_name(ln.item)} ({ln.item.code})"
        for ln in offer.lines.select_related("item")
    )


def make_offer(
    actor: Any,
    *,
    rfa: RequestForAssistance,
    lines: Iterable[Mapping[str, Any]],
    available_from: date | None = None,
    origin_airport: str = "",
    origin_place: str = "",
    origin_lat: float | None = None,
    origin_lon: float | None = None,
    own_transport: bool = False,
    conditions: str = "",
) -> Offer:
    """The actor's nation offers quantities against lines of a circulated RFA.

    ``lines`` is a list of ``{"request_line": RequestLine or id, "quantity": int,
    "notes": str}``. The offered quantity may exceed the request: offers compete, and
    only what the requester accepts covers the need.
    """
    refuse(rfa_offer_refusal(actor, rfa))  # before reading the input; again under the lock
    donor = profile_of(actor).party
    origin = inputs.origin(available_from, origin_airport, origin_place, origin_lat, origin_lon)
    with transaction.atomic():
        # The request's status is read under its lock, which closing it also takes: an
        # offer either comes before the close (and is settled by it) or is refused.
        rfa = lock_rfa(rfa.pk)
        refuse(rfa_offer_refusal(actor, rfa))
        chosen = inputs.lines_against(rfa, lines)
        offer = _create_offer(
            actor,
            donor=donor,
            crisis=rfa.crisis,
            rfa=rfa,
            lines=chosen,
            origin=origin,
            own_transport=own_transport,
            conditions=conditions,
        )
        notify(
            pocs_of(rfa.requester),
            kind="offer.new",
            subject=lambda: (
                _("%(ref)s: %(donor)s offers assistance against %(rfa)s")
                % {"ref": offer.reference, "donor": donor.code, "rfa": rfa}
            ),
            body=lambda: (
                _("%(donor)s offers against %(rfa)s (%(title)s):")
                % {"donor": local_name(donor), "rfa": rfa, "title": rfa.title}
                + f"\n{lines_summary(offer)}"
            ),
            link=offer_link(offer),
            crisis=rfa.crisis,
            exclude=actor,
        )
    return offer


def make_unsolicited_offer(
    actor: Any,
    *,
    crisis: Crisis,
    lines: Iterable[Mapping[str, Any]],
    available_from: date | None = None,
    origin_airport: str = "",
    origin_place: str = "",
    origin_lat: float | None = None,
    origin_lon: float | None = None,
    own_transport: bool = False,
    conditions: str = "",
) -> Offer:
    """Standing stock the actor's nation makes available to the crisis as a whole.

    ``lines`` is a list of ``{"item": Item or catalogue code, "quantity": int,
    "notes": str}``. The centre is told, so it can match the stock to needs.
    """
    refuse(standing_offer_refusal(actor, crisis))  # before reading the input; again locked
    donor = profile_of(actor).party
    origin = inputs.origin(available_from, origin_airport, origin_place, origin_lat, origin_lon)
    with transaction.atomic():
        crisis = lock_crisis(crisis.pk)  # closing the crisis settles standing stock
        refuse(standing_offer_refusal(actor, crisis))
        chosen = inputs.catalogue_lines(lines)
        offer = _create_offer(
            actor,
            donor=donor,
            crisis=crisis,
            rfa=None,
            lines=chosen,
            origin=origin,
            own_transport=own_transport,
            conditions=conditions,
        )
        notify(
            centre_staff(),
            kind="offer.unsolicited",
            subject=lambda: (
                _("%(ref)s: %(donor)s offers standing stock for %(crisis)s")
                % {"ref": offer.reference, "donor": donor.code, "crisis": crisis.code}
            ),
            body=lambda: (
                _("%(donor)s makes available for %(crisis)s:")
                % {"donor": local_name(donor), "crisis": local_name(crisis)}
                + f"\n{lines_summary(offer)}"
            ),
            link=offer_link(offer),
            crisis=crisis,
            exclude=actor,
        )
        # Match notifications (above this app) go out after the commit: see offers.signals.
        signals.standing_posted.send(sender=Offer, offer=offer)
    return offer
