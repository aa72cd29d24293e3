"""API: intake from text. ``POST /intake`` reads a message into a proposal (nothing is
saved); ``POST /intake/confirm`` drafts the request a person checked. Thin."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from aidbridge.api.schemas import InputSchema, chars
from aidbridge.core.text import MAX_TEXT
from aidbridge.crises.models import Crisis
from aidbridge.crises.selectors import crisis_for_input
from aidbridge.intake import services
from aidbridge.intake.present import proposal_out
from aidbridge.requests import selectors as rfa_selectors
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.schemas import LineIn, RfaDetailOut
from aidbridge.requests.serializers import rfa_detail

router = Router(tags=["intake from text"])


class IntakeIn(InputSchema):
    crisis: str = chars(Crisis, "code", description="Crisis code (covid-19-2020)")
    text: str = Field(..., max_length=MAX_TEXT, description="The message, English or French")


class IntakeConfirmIn(InputSchema):
    crisis: str = chars(Crisis, "code", description="Crisis code (covid-19-2020)")
    title: str = chars(RequestForAssistance, "title")
    text: str = Field("", max_length=MAX_TEXT, description="The message, kept as the situation")
    lines: list[LineIn] = Field(..., description="The proposed lines as checked by a person")


class IntakeLineOut(Schema):
    item: str
    item_name: str
    quantity: int
    unit: str
    priority: int
    needed_by: date | None
    confidence: float = Field(..., description="0 to 1")
    source: str = Field(..., description="The words the line came from")
    item_words: str
    quantity_words: str
    date_words: str
    priority_words: str
    matched_name: str
    alternatives: list[str]
    substitutes: list[str]
    unit_words: str
    unit_differs: bool


class IntakeGuessOut(Schema):
    code: str
    words: str
    confidence: float
    alternatives: list[str]


class IntakeUnclearOut(Schema):
    kind: str = Field(..., description="quantity_without_item, item_without_quantity, …")
    words: str
    detail: str
    message: str


class IntakeProposalOut(Schema):
    language: str
    title: str
    priority: int
    nation: IntakeGuessOut | None
    delivery_airport: IntakeGuessOut | None
    lines: list[IntakeLineOut]
    not_understood: list[IntakeUnclearOut]
    draft_allowed: bool = Field(..., description="Whether this user may confirm it as a draft")


@router.post("/intake", response=IntakeProposalOut)
def read_message(request: HttpRequest, payload: IntakeIn) -> dict[str, Any]:
    crisis = crisis_for_input(payload.crisis, "crisis")
    proposal = services.read_message(request.user, crisis, payload.text)
    return proposal_out(request.user, crisis, proposal)


@router.post("/intake/confirm", response={201: RfaDetailOut})
def confirm(request: HttpRequest, payload: IntakeConfirmIn) -> Status[dict[str, Any]]:
    crisis = crisis_for_input(payload.crisis, "crisis")
    rfa = services.confirm(
        request.user,
        crisis,
        title=payload.title,
        text=payload.text,
        lines=[line.dict() for line in payload.lines],
    )
    return Status(201, rfa_detail(request.user, rfa_selectors.get_rfa(request.user, rfa.pk)))
