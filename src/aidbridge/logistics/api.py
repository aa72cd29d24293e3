"""API: dispatches of accepted aid and the requester's receipts. Thin: services decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from aidbridge.api.ordering import apply_ordering
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import InputSchema, PathId
from aidbridge.audit.schemas import AuditEntryOut, entry_out
from aidbridge.core.quantities import Quantity, QuantityOrZero
from aidbridge.core.text import max_length_of
from aidbridge.logistics import selectors, services
from aidbridge.logistics.events import DISPATCHED_AT_HELP, RECEIVED_AT_HELP
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.selectors import offer_detail, offer_line
from aidbridge.requests.selectors import get_rfa

router = Router(tags=["logistics"])


class DispatchIn(InputSchema):
    quantity: Quantity
    mode: Dispatch.Mode
    dispatched_at: datetime | None = Field(None, description=DISPATCHED_AT_HELP)
    expected_at: datetime | None = None
    transport_reference: str = Field(
        "",
        max_length=max_length_of(Dispatch, "transport_reference"),
        description="Flight number, waybill, ...",
    )
    carrier: str = Field(
        "",
        max_length=max_length_of(Dispatch, "carrier"),
        description="Who moves it: airline, forwarder, air force, ...",
    )
    note: str = ""


class ReceiptIn(InputSchema):
    quantity: QuantityOrZero = Field(..., description="What actually arrived (may be less)")
    received_at: datetime | None = Field(None, description=RECEIVED_AT_HELP)
    note: str = Field("", description="Required when less arrived than was dispatched")


class ReceiptOut(Schema):
    quantity: int
    shortfall: int
    received_at: datetime
    note: str
    confirmed_by: str


class DispatchOut(Schema):
    id: int
    offer: int
    offer_reference: str
    offer_line: int
    request_line: int | None
    crisis: str
    donor: str
    requester: str | None
    item: str
    quantity: int
    mode: str
    dispatched_at: datetime
    expected_at: datetime | None
    transport_reference: str
    carrier: str
    note: str
    reported_by: str
    receipt: ReceiptOut | None


class DispatchFilters(Schema):
    crisis: str | None = Field(None, description="Crisis code")
    donor: str | None = Field(None, description="Donor party code")
    requester: str | None = Field(None, description="Requesting party code")
    offer: PathId | None = None
    offer_line: PathId | None = None
    item: str | None = Field(None, description="Item code")
    mode: Dispatch.Mode | None = None
    received: bool | None = Field(None, description="Whether the receipt is confirmed")
    ordering: str | None = Field(None, description="dispatched, expected (- descending)")


DISPATCH_ORDERING = {"dispatched": "dispatched_at", "expected": "expected_at"}


def dispatch_out(d: Dispatch) -> dict[str, Any]:
    line = d.offer_line
    receipt = getattr(d, "receipt", None)
    return {
        "id": d.pk,
        "offer": line.offer_id,
        "offer_reference": line.offer.reference,
        "offer_line": line.pk,
        "request_line": line.request_line_id,
        "crisis": line.offer.crisis.code,
        "donor": line.offer.donor.code,
        "requester": line.request_line.rfa.requester.code if line.request_line else None,
        "item": line.item.code,
        "quantity": d.quantity,
        "mode": d.mode,
        "dispatched_at": d.dispatched_at,
        "expected_at": d.expected_at,
        "transport_reference": d.transport_reference,
        "carrier": d.carrier,
        "note": d.note,
        "reported_by": d.reported_by.get_username(),
        "receipt": None
        if receipt is None
        else {
            "quantity": receipt.quantity,
            "shortfall": d.quantity - receipt.quantity,
            "received_at": receipt.received_at,
            "note": receipt.note,
            "confirmed_by": receipt.confirmed_by.get_username(),
        },
    }


def _get(request: HttpRequest, dispatch_id: int) -> Dispatch:
    return selectors.dispatch_detail(request.user, dispatch_id)


@router.get("/dispatches", response=Page[DispatchOut])
def list_dispatches(
    request: HttpRequest, filters: Query[DispatchFilters], page: Query[PageParams]
) -> dict[str, Any]:
    rows = selectors.dispatches_filtered(request.user, **filters.dict(exclude={"ordering"}))
    ordered = apply_ordering(rows, filters.ordering, DISPATCH_ORDERING, "-dispatched")
    return paginate(request, ordered, page, lambda page_rows: [dispatch_out(d) for d in page_rows])


@router.get("/dispatches/{dispatch_id}", response=DispatchOut)
def get_dispatch(request: HttpRequest, dispatch_id: PathId) -> dict[str, Any]:
    return dispatch_out(_get(request, dispatch_id))


@router.post("/offer-lines/{line_id}/dispatches", response={201: DispatchOut})
def dispatch_offer_line(
    request: HttpRequest, line_id: PathId, payload: DispatchIn
) -> Status[dict[str, Any]]:
    line = offer_line(request.user, line_id)
    dispatch = services.dispatch_offer_line(request.user, line, **payload.dict())
    return Status(201, dispatch_out(_get(request, dispatch.pk)))


@router.post("/dispatches/{dispatch_id}/receipt", response={201: DispatchOut})
def confirm_receipt(
    request: HttpRequest, dispatch_id: PathId, payload: ReceiptIn
) -> Status[dict[str, Any]]:
    dispatch = _get(request, dispatch_id)
    services.confirm_receipt(request.user, dispatch, **payload.dict())
    return Status(201, dispatch_out(_get(request, dispatch_id)))


# The histories of a request and of an offer span their offers, dispatches and receipts,
# so they are read here, at the top of the chain (paths and tags stay the requests' and
# the offers').
@router.get("/offers/{offer_id}/history", response=list[AuditEntryOut], tags=["offers"])
def offer_history(request: HttpRequest, offer_id: PathId) -> list[dict[str, Any]]:
    offer = offer_detail(request.user, offer_id)
    return [entry_out(e) for e in selectors.offer_history(request.user, offer)]


@router.get(
    "/rfas/{rfa_id}/history", response=list[AuditEntryOut], tags=["requests for assistance"]
)
def rfa_history(request: HttpRequest, rfa_id: PathId) -> list[dict[str, Any]]:
    """Entries about the request, its lines, and the offers, dispatches and receipts
    against it (``target_type`` tells which)."""
    rfa = get_rfa(request.user, rfa_id)
    return [entry_out(entry) for entry in selectors.rfa_history(request.user, rfa)]
