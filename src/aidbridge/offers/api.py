"""API: offers of assistance and the requester's decisions on them. Thin: services decide."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from aidbridge.api.ordering import apply_ordering
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import Id, InputSchema, PathId
from aidbridge.catalogue.models import Item
from aidbridge.core.errors import NotFound
from aidbridge.core.quantities import Quantity
from aidbridge.core.text import max_length_of
from aidbridge.crises.models import Crisis
from aidbridge.offers import selectors, services
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance

router = Router(tags=["offers"])


class OfferLineIn(InputSchema):
    request_line: Id = Field(..., description="Id of a line of the RFA")
    quantity: Quantity = Field(..., description="Whole units offered; may exceed the need")
    notes: str = ""


class StockLineIn(InputSchema):
    item: str = Field(
        ..., max_length=max_length_of(Item, "code"), description="Catalogue item code"
    )
    quantity: Quantity
    notes: str = ""


class _OfferCommon(InputSchema):
    available_from: date | None = None
    origin_airport: str = Field(
        "",
        max_length=max_length_of(Offer, "origin_airport"),
        description="ICAO code of the departure airport",
    )
    origin_place: str = Field("", max_length=max_length_of(Offer, "origin_place"))
    origin_lat: float | None = None
    origin_lon: float | None = None
    own_transport: bool = Field(False, description="The donor brings its own transport")
    conditions: str = ""


class OfferIn(_OfferCommon):
    lines: list[OfferLineIn]


class UnsolicitedOfferIn(_OfferCommon):
    lines: list[StockLineIn]


class AcceptIn(InputSchema):
    quantity: Quantity | None = Field(None, description="Default: all still pending")
    over_acceptance_reason: str = Field(
        "", description="Required to accept beyond the request line's outstanding need"
    )


class DeclineIn(InputSchema):
    reason: str
    quantity: Quantity | None = Field(None, description="Default: all still pending")


class WithdrawIn(InputSchema):
    reason: str = ""


class OfferLineOut(Schema):
    id: int
    offer: int
    offer_reference: str
    request_line: int | None
    rfa: int | None
    item: str
    item_name: str
    unit: str
    quantity: int
    pending: int
    accepted: int
    declined: int
    dispatched: int
    delivered: int
    status: str
    decline_reason: str
    over_acceptance_reason: str
    notes: str


class OfferOut(Schema):
    id: int
    reference: str
    crisis: str
    donor: str
    rfa: int | None
    rfa_reference: str | None
    requester: str | None
    unsolicited: bool
    status: str
    available_from: date | None
    origin_airport: str
    origin_place: str
    origin_lat: float | None
    origin_lon: float | None
    own_transport: bool
    conditions: str
    created_by: str
    created_at: datetime
    lines: list[OfferLineOut]


class OfferFilters(Schema):
    crisis: str | None = Field(None, description="Crisis code")
    donor: str | None = Field(None, description="Donor party code (DEU)")
    requester: str | None = Field(None, description="Requesting party code (ITA)")
    rfa: PathId | None = Field(None, description="RFA id")
    status: OfferLine.Status | None = Field(None, description="Offers with a line in this status")
    item: str | None = Field(None, description="Offers with a line of this item code")
    unsolicited: bool | None = None
    ordering: str | None = Field(None, description="created, reference, donor (- descending)")


OFFER_ORDERING = {"created": "created_at", "reference": "reference", "donor": "donor__code"}


def line_out(line: OfferLine, offer: Offer) -> dict[str, Any]:
    """``line`` as OfferLineOut; movement sums come from ``selectors.lines_with_movement``."""
    return {
        "id": line.pk,
        "offer": offer.pk,
        "offer_reference": offer.reference,
        "request_line": line.request_line_id,
        "rfa": line.request_line.rfa_id if line.request_line else None,
        "item": line.item.code,
        "item_name": line.item.name,
        "unit": line.item.unit,
        "quantity": line.quantity,
        "pending": line.pending,
        "accepted": line.accepted,
        "declined": line.declined,
        "dispatched": getattr(line, "dispatched", 0),
        "delivered": getattr(line, "delivered", 0),
        "status": line.status,
        "decline_reason": line.decline_reason,
        "over_acceptance_reason": line.over_acceptance_reason,
        "notes": line.notes,
    }


def _status(lines: list[OfferLine]) -> str:
    if lines and all(ln.status == OfferLine.Status.WITHDRAWN for ln in lines):
        return "withdrawn"
    if any(ln.status == OfferLine.Status.PROPOSED for ln in lines):
        return "proposed"
    return "open" if any(ln.pending for ln in lines) else "decided"


def offer_out(offer: Offer) -> dict[str, Any]:
    lines = list(offer.lines.all())
    return {
        "id": offer.pk,
        "reference": offer.reference,
        "crisis": offer.crisis.code,
        "donor": offer.donor.code,
        "rfa": offer.rfa_id,
        "rfa_reference": offer.rfa.reference if offer.rfa else None,
        "requester": offer.rfa.requester.code if offer.rfa else None,
        "unsolicited": offer.is_unsolicited,
        "status": _status(lines),
        "available_from": offer.available_from,
        "origin_airport": offer.origin_airport,
        "origin_place": offer.origin_place,
        "origin_lat": offer.origin_lat,
        "origin_lon": offer.origin_lon,
        "own_transport": offer.own_transport,
        "conditions": offer.conditions,
        "created_by": offer.created_by.get_username(),
        "created_at": offer.created_at,
        "lines": [line_out(ln, offer) for ln in lines],
    }


def _line_after(request: HttpRequest, line: OfferLine) -> dict[str, Any]:
    fresh = selectors.lines_with_movement().get(pk=line.pk)
    return line_out(fresh, Offer.objects.get(pk=fresh.offer_id))


@router.get("/offers", response=Page[OfferOut])
def list_offers(
    request: HttpRequest, filters: Query[OfferFilters], page: Query[PageParams]
) -> dict[str, Any]:
    params = filters.dict(exclude={"ordering"})
    offers = selectors.offer_list(request.user, **params)
    ordered = apply_ordering(offers, filters.ordering, OFFER_ORDERING, "-created")
    return paginate(request, ordered, page, lambda rows: [offer_out(o) for o in rows])


@router.get("/offers/{offer_id}", response=OfferOut)
def get_offer(request: HttpRequest, offer_id: PathId) -> dict[str, Any]:
    return offer_out(selectors.offer_detail(request.user, offer_id))


@router.post("/rfas/{rfa_id}/offers", response={201: OfferOut})
def make_offer(request: HttpRequest, rfa_id: PathId, payload: OfferIn) -> Status[dict[str, Any]]:
    rfa = RequestForAssistance.objects.select_related("crisis", "requester").filter(pk=rfa_id)
    found = rfa.first()
    if found is None:
        raise NotFound(
            gettext("no request for assistance %(rfa_id)s") % {"rfa_id": rfa_id}, field="rfa_id"
        )
    data = payload.dict()
    offer = services.make_offer(request.user, rfa=found, **data)
    return Status(201, offer_out(selectors.offer_detail(request.user, offer.pk)))


@router.post("/crises/{code}/unsolicited-offers", response={201: OfferOut})
def make_unsolicited_offer(
    request: HttpRequest, code: str, payload: UnsolicitedOfferIn
) -> Status[dict[str, Any]]:
    crisis = Crisis.objects.filter(code=code).first()
    if crisis is None:
        raise NotFound(gettext("no crisis %(code)s") % {"code": repr(code)}, field="code")
    offer = services.make_unsolicited_offer(request.user, crisis=crisis, **payload.dict())
    return Status(201, offer_out(selectors.offer_detail(request.user, offer.pk)))


@router.post("/offers/{offer_id}/withdraw", response=OfferOut)
def withdraw_offer(request: HttpRequest, offer_id: PathId, payload: WithdrawIn) -> dict[str, Any]:
    offer = selectors.offer_detail(request.user, offer_id)
    services.withdraw_offer(request.user, offer, reason=payload.reason)
    return offer_out(selectors.offer_detail(request.user, offer_id))


@router.post("/offer-lines/{line_id}/accept", response=OfferLineOut)
def accept_offer_line(request: HttpRequest, line_id: PathId, payload: AcceptIn) -> dict[str, Any]:
    line = selectors.offer_line(request.user, line_id)
    services.accept_offer_line(
        request.user,
        line,
        payload.quantity,
        over_acceptance_reason=payload.over_acceptance_reason,
    )
    return _line_after(request, line)


@router.post("/offer-lines/{line_id}/decline", response=OfferLineOut)
def decline_offer_line(request: HttpRequest, line_id: PathId, payload: DeclineIn) -> dict[str, Any]:
    line = selectors.offer_line(request.user, line_id)
    services.decline_offer_line(request.user, line, payload.reason, payload.quantity)
    return _line_after(request, line)


@router.post("/offer-lines/{line_id}/withdraw", response=OfferLineOut)
def withdraw_offer_line(
    request: HttpRequest, line_id: PathId, payload: WithdrawIn
) -> dict[str, Any]:
    line = selectors.offer_line(request.user, line_id)
    services.withdraw_offer_line(request.user, line, reason=payload.reason)
    return _line_after(request, line)
