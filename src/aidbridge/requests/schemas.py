"""API shapes of requests for assistance, their lines and their history."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from aidbridge.api.schemas import Id, InputSchema, chars
from aidbridge.catalogue.models import Item
from aidbridge.core.quantities import Quantity
from aidbridge.crises.models import Crisis
from aidbridge.requests.models import RequestForAssistance, RequestLine

RFA = RequestForAssistance
Line = RequestLine


class LineIn(InputSchema):
    item: str = chars(Item, "code", description="Catalogue item code (VENT-ICU)")
    quantity: Quantity
    unit: str | None = chars(Line, "unit", None, description="The item's unit; defaults to it")
    specification: str = ""
    priority: int = Field(2, ge=1, le=3, strict=True, description="1 highest, 3 lowest")
    needed_by: date | None = None
    delivery_airport: str = chars(
        Line, "delivery_airport", "", description="ICAO code; coordinates are filled in"
    )
    delivery_place: str = chars(
        Line, "delivery_place", "", description="A named place (with lat/lon) if no airport"
    )
    delivery_lat: float | None = None
    delivery_lon: float | None = None
    transport_needed: bool = False


class RfaIn(InputSchema):
    crisis: str = chars(Crisis, "code", description="Crisis code (covid-19-2020)")
    title: str = chars(RFA, "title")
    situation: str = ""
    lines: list[LineIn] = []
    contact_name: str = chars(RFA, "contact_name", "")
    contact_email: str = chars(RFA, "contact_email", "")
    contact_phone: str = chars(RFA, "contact_phone", "")
    entry_notes: str = ""
    repeat_of: Id | None = Field(None, description="Id of the earlier request this repeats")


class RfaPut(InputSchema):
    """A whole draft; fields left out are emptied, ``lines`` replaces every line."""

    title: str = chars(RFA, "title")
    situation: str = ""
    lines: list[LineIn]
    contact_name: str = chars(RFA, "contact_name", "")
    contact_email: str = chars(RFA, "contact_email", "")
    contact_phone: str = chars(RFA, "contact_phone", "")
    entry_notes: str = ""
    repeat_of: Id | None = None


class RfaPatch(InputSchema):
    """Only the fields given change; ``lines``, if given, replaces every line."""

    title: str | None = chars(RFA, "title", None)
    situation: str | None = None
    lines: list[LineIn] | None = None
    contact_name: str | None = chars(RFA, "contact_name", None)
    contact_email: str | None = chars(RFA, "contact_email", None)
    contact_phone: str | None = chars(RFA, "contact_phone", None)
    entry_notes: str | None = None
    repeat_of: Id | None = None


class ReasonRequired(InputSchema):
    reason: str = Field(..., min_length=1)


class EscalateIn(InputSchema):
    into: Id = Field(..., description="Id of the circulated request this one escalates")


class CloseIn(InputSchema):
    closure: RFA.Closure
    reason: str = ""


class RfaFilters(Schema):
    crisis: str | None = Field(None, description="Crisis code")
    party: str | None = Field(None, description="Requesting party code")
    status: RFA.Status | None = None
    item: str | None = Field(None, description="Item code on any line")
    priority: int | None = Field(None, ge=1, le=3, description="Priority of any line")
    search: str | None = Field(None, description="Title, reference, situation or item name")
    ordering: str | None = Field(
        None,
        description="created, updated, submitted, circulated, reference, title, status, "
        "requester, priority, needed_by; '-' for descending (default -created)",
    )


class LineFigures(Schema):
    """Where a line (or the whole request) stands: the ledger's figures (README glossary)."""

    requested: int
    offered: int = Field(..., description="Offered and not declined or withdrawn")
    awaiting: int = Field(..., description="Offered, awaiting the requester's decision")
    open: int = Field(..., description="Same as awaiting (earlier name)")
    accepted: int
    declined: int
    dispatched: int
    in_transit: int
    delivered: int
    short_on_arrival: int
    over_accepted: int = Field(..., description="Accepted beyond the request, on purpose")
    outstanding: int = Field(
        ..., description="Requested minus accepted (never below 0); 0 once the request is closed"
    )
    coverage: float | None = Field(..., description="min(accepted, requested) / requested")


class LineOut(Schema):
    id: int
    position: int
    item: str
    item_name_en: str
    item_name_fr: str
    quantity: int
    unit: str
    specification: str
    priority: int
    needed_by: date | None
    delivery_airport: str
    delivery_place: str
    delivery_lat: float | None
    delivery_lon: float | None
    transport_needed: bool
    figures: LineFigures


class RfaRef(Schema):
    id: int
    reference: str | None
    status: str


class RfaOut(Schema):
    id: int
    reference: str | None
    crisis: str
    requester: str
    title: str
    status: RFA.Status
    closure: str
    status_reason: str
    line_count: int
    top_priority: int | None
    first_needed_by: date | None
    repeat_of: RfaRef | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    circulated_at: datetime | None
    closed_at: datetime | None


class RfaOrigin(Schema):
    centre: str = Field(..., description="The origin centre's code")
    centre_name: str
    reference: str = Field(..., description="The request's reference at its origin")
    label: str = Field(..., description='"via EU ERCC, RFA-2020-0012", in the language asked')


class RfaDetailOut(RfaOut):
    situation: str
    contact_name: str
    contact_email: str
    contact_phone: str
    entry_notes: str
    origin: RfaOrigin | None = Field(
        None, description="Set on a request mirrored from a partner centre, which decides it"
    )
    repeated_by: list[RfaRef]
    merged_into: RfaRef | None = Field(
        ..., description="The request this one was merged into as an escalation"
    )
    escalated_by: list[RfaRef] = Field(
        ..., description="Later requests merged into this one as escalations"
    )
    actions: list[str] = Field(..., description="What the signed-in user may do with it now")
    figures: LineFigures = Field(..., description="The lines' figures summed")
    lines: list[LineOut]
