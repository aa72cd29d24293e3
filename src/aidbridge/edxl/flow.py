"""aidbridge's actions as EDXL-RM messages: the mapping of the README's table.

Each message comes from one audit entry (the crisis's audit trail is the feed), so its
id, time and content are those of the step it reports and never change afterwards.
``Chain`` knows, for a crisis, which entry produced the message about each request,
offer, offer line and dispatch, so every message carries its ``OriginatingMessageID``
(the circulated request, or the unsolicited offer) and its ``PrecedingMessageID`` (the
message it answers), and a receiver can follow one request from circulation to delivery.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aidbridge.audit.models import AuditEntry
from aidbridge.catalogue.airports import get_airport
from aidbridge.crises.models import Crisis
from aidbridge.edxl import ids
from aidbridge.edxl.parts import Contact, Message, Place, ResourcePart
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestForAssistance, RequestLine

RFA = RequestForAssistance
CIRCULATED = RFA.Status.CIRCULATED

# The audit actions that become messages (the others are internal to the centre).
MAPPED_ACTIONS = (
    "rfa.circulate",
    "rfa.close",
    "rfa.withdraw",
    "offer.create",
    "offer.confirm",
    "offer_line.accept",
    "offer_line.decline",
    "offer_line.withdraw",
    "dispatch.create",
    "receipt.confirm",
)
# Entries a chain link points at (a subset of the mapped ones).
_LINK_ACTIONS = (
    "rfa.circulate",
    "offer.create",
    "offer.confirm",
    "offer_line.accept",
    "dispatch.create",
)


@dataclass
class Chain:
    """Which entry's message stands for each object of a crisis (read in one query)."""

    rfa: dict[int, int] = field(default_factory=dict)
    offer: dict[int, int] = field(default_factory=dict)
    accepts: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    dispatch: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, crisis: Crisis) -> Chain:
        chain = cls()
        rows = (
            AuditEntry.objects.filter(crisis=crisis, action__in=_LINK_ACTIONS)
            .order_by("pk")
            .values_list("pk", "action", "target_id")
        )
        for pk, action, target in rows:
            if action == "rfa.circulate":
                chain.rfa.setdefault(target, pk)
            elif action in ("offer.create", "offer.confirm"):
                chain.offer[target] = pk  # a confirmed proposal: the confirmation
            elif action == "offer_line.accept":
                chain.accepts[target].append(pk)
            else:
                chain.dispatch[target] = pk
        return chain

    def rfa_message(self, rfa_id: int | None) -> str | None:
        entry = self.rfa.get(rfa_id) if rfa_id is not None else None
        return ids.message_id(entry) if entry is not None else None

    def offer_message(self, offer_id: int) -> str | None:
        entry = self.offer.get(offer_id)
        return ids.message_id(entry) if entry is not None else None

    def last_accept_before(self, line_id: int, entry_id: int) -> str | None:
        before = [pk for pk in self.accepts.get(line_id, []) if pk < entry_id]
        return ids.message_id(before[-1]) if before else None


def centre_party() -> Party | None:
    return Party.objects.filter(kind=Party.Kind.CENTRE).order_by("pk").first()


def party_contact(party: Party, role: str) -> Contact:
    return Contact(role=role, organisation=party.name_en, party_code=party.code)


def requester_contact(rfa: RFA) -> Contact:
    return Contact(
        role="Requester",
        organisation=rfa.requester.name_en,
        party_code=rfa.requester.code,
        person=rfa.contact_name,
        email=rfa.contact_email,
        phone=rfa.contact_phone,
    )


def _place(
    description: str, icao: str, lat: float | None, lon: float | None, country: Party
) -> Place:
    """A place by ICAO code and coordinates; the airport's when none were given."""
    airport = get_airport(icao) if icao else None
    if (lat is None or lon is None) and airport is not None:
        lat, lon = airport.lat, airport.lon
    if not description and airport is not None:
        description = f"{airport.name} ({airport.icao})"
    return Place(
        description=description,
        icao=icao.upper(),
        lat=lat,
        lon=lon,
        country=country.code if country.is_nation else "",
    )


def delivery_place(line: RequestLine) -> Place:
    return _place(
        line.delivery_place,
        line.delivery_airport,
        line.delivery_lat,
        line.delivery_lon,
        line.rfa.requester,
    )


def origin_place(offer: Offer) -> Place | None:
    if not (offer.origin_airport or offer.origin_place or offer.origin_lat is not None):
        return None
    return _place(
        offer.origin_place, offer.origin_airport, offer.origin_lat, offer.origin_lon, offer.donor
    )


def request_line_element(line: RequestLine) -> str:
    return ids.request_line_element(line.rfa.reference or f"RFA#{line.rfa_id}", line.position)


def offer_line_element(line: OfferLine) -> str:
    return ids.offer_line_element(line.offer.reference, line.pk)


def item_part(line: RequestLine | OfferLine, element_id: str, **kwargs: Any) -> ResourcePart:
    return ResourcePart(
        element_id=element_id,
        item_code=line.item.code,
        item_name=line.item.name_en,
        unit=line.item.unit,
        **kwargs,
    )


@dataclass
class Context:
    """What mapping a batch of entries needs: the chain, the centre, loaded objects."""

    crisis: Crisis
    chain: Chain
    centre: Party | None
    objects: dict[str, dict[int, Any]] = field(default_factory=dict)
    requested: dict[int, int] = field(default_factory=dict)

    def sender(self) -> Contact:
        if self.centre is None:
            return Contact(role="Sender", organisation=ids.centre(), party_code=ids.centre())
        return party_contact(self.centre, "Sender")

    @property
    def centre_code(self) -> str:
        return self.centre.code if self.centre is not None else ids.centre()


def base_message(entry: AuditEntry, ctx: Context, kind: str, **kwargs: Any) -> Message:
    return Message(
        kind=kind,
        message_id=ids.message_id(entry.pk),
        sent=entry.at,
        incident_id=ctx.crisis.code,
        incident_name=ctx.crisis.name_en,
        entry_id=entry.pk,
        **kwargs,
    )
