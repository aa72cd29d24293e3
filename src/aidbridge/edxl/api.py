"""API: EDXL exports of requests and offers, the crisis feed, aidbridge's value lists.

XML answers are ``application/xml`` documents (an EDXL-DE envelope); the feed is JSON
listing each message's ids with its envelope as text, plus the cursor to resume from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from aidbridge.api.schemas import PathId
from aidbridge.core.errors import NotFound
from aidbridge.crises.selectors import crisis_by_code
from aidbridge.edxl import feed as feeds
from aidbridge.edxl import ondemand, valuelists
from aidbridge.edxl.envelope import serialise

router = Router(tags=["edxl"])

XML = "application/xml"


def xml_response(element: Any, filename: str) -> HttpResponse:
    response = HttpResponse(serialise(element), content_type=f"{XML}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class RfaEdxlParams(Schema):
    message: Literal["chain", "status-request"] = Field(
        "chain",
        description="chain: every message about the request, first to last, in one "
        "EDXL-DE envelope; status-request: a RequestResourceDeploymentStatus for the "
        "accepted units not yet delivered",
    )


@router.get("/rfas/{rfa_id}/edxl", response={200: None})
def rfa_edxl(request: HttpRequest, rfa_id: PathId, params: Query[RfaEdxlParams]) -> HttpResponse:
    """The request as EDXL-RM 1.0 messages in an EDXL-DE 1.0 envelope."""
    if params.message == "status-request":
        element = ondemand.status_request(request.user, rfa_id)
        return xml_response(element, f"rfa-{rfa_id}-status-request.xml")
    return xml_response(ondemand.rfa_chain(request.user, rfa_id), f"rfa-{rfa_id}-edxl.xml")


@router.get("/offers/{offer_id}/edxl", response={200: None})
def offer_edxl(request: HttpRequest, offer_id: PathId) -> HttpResponse:
    """The offer's messages (offer, decisions, withdrawals, movement) in one envelope."""
    return xml_response(ondemand.offer_chain(request.user, offer_id), f"offer-{offer_id}-edxl.xml")


class FeedParams(Schema):
    since: int = Field(0, ge=0, le=2**63 - 1, description="The cursor a previous page gave")
    limit: int = Field(feeds.DEFAULT_LIMIT, ge=1, le=feeds.MAX_LIMIT)


class FeedMessageOut(Schema):
    entry: int
    message_id: str
    distribution_id: str
    message_type: str
    sent: datetime
    originating_id: str
    preceding_id: str | None
    envelope: str


class FeedOut(Schema):
    crisis: str
    since: int
    cursor: int = Field(..., description="Pass it as ?since= to resume exactly here")
    more: bool = Field(..., description="Another page is ready now")
    count: int
    messages: list[FeedMessageOut]


@router.get("/crises/{code}/edxl/feed", response=FeedOut)
def crisis_feed(request: HttpRequest, code: str, params: Query[FeedParams]) -> dict[str, Any]:
    """Every EDXL message of the crisis the caller may see, in order, after ``since``."""
    crisis = crisis_by_code(code)
    page = feeds.feed(request.user, crisis, params.since, params.limit)
    return {
        "crisis": crisis.code,
        "since": page.since,
        "cursor": page.cursor,
        "more": page.more,
        "count": len(page.items),
        "messages": [
            {
                "entry": m.entry_id,
                "message_id": m.message_id,
                "distribution_id": element.findtext("{*}distributionID"),
                "message_type": m.kind,
                "sent": m.sent,
                "originating_id": m.originating_id,
                "preceding_id": m.preceding_id,
                "envelope": serialise(element).decode(),
            }
            for m, element in page.items
        ],
    }


@router.get("/edxl/value-lists/{name}", response=valuelists.ValueListOut)
def value_list(request: HttpRequest, name: str) -> dict[str, Any]:
    """An aidbridge value list named by a ``ValueListURN`` in its messages."""
    found = valuelists.value_list(name)
    if found is None:
        raise NotFound(
            f"no value list {name!r}; choose from: {', '.join(valuelists.NAMES)}", field="name"
        )
    return found
