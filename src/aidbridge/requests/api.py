"""API: requests for assistance. Thin: parse, call the service or selector, serialise."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import PathId
from aidbridge.crises.selectors import crisis_for_input
from aidbridge.requests import escalation, selectors, services
from aidbridge.requests.links import candidate_links, pair_text
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.schemas import (
    CloseIn,
    EscalateIn,
    LineIn,
    ReasonRequired,
    RfaDetailOut,
    RfaFilters,
    RfaIn,
    RfaOut,
    RfaPatch,
    RfaPut,
    RfaRef,
)
from aidbridge.requests.serializers import rfa_detail, rfa_row

router = Router(tags=["requests for assistance"])
RFA = RequestForAssistance


def _lines(lines: list[LineIn] | None) -> list[dict[str, Any]] | None:
    return None if lines is None else [line.dict() for line in lines]


@router.get("/rfas", response=Page[RfaOut])
def list_rfas(
    request: HttpRequest, filters: Query[RfaFilters], page: Query[PageParams]
) -> dict[str, Any]:
    rfas = selectors.rfa_list(request.user, **filters.dict())
    return paginate(request, rfas, page, lambda rows: [rfa_row(r) for r in rows])


@router.get("/rfas/{rfa_id}", response=RfaDetailOut)
def get_rfa(request: HttpRequest, rfa_id: PathId) -> dict[str, Any]:
    return rfa_detail(request.user, selectors.get_rfa(request.user, rfa_id))


@router.post("/rfas", response={201: RfaDetailOut})
def create_rfa(request: HttpRequest, payload: RfaIn) -> Status[dict[str, Any]]:
    data = payload.dict()
    rfa = services.create_rfa(
        request.user,
        **data
        | {
            "crisis": crisis_for_input(payload.crisis, "crisis"),
            "repeat_of": selectors.rfa_for_input(request.user, payload.repeat_of, "repeat_of"),
            "lines": _lines(payload.lines),
        },
    )
    return Status(201, rfa_detail(request.user, selectors.get_rfa(request.user, rfa.pk)))


def _update(request: HttpRequest, rfa_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    rfa = selectors.get_rfa(request.user, rfa_id)
    if "repeat_of" in changes:
        changes["repeat_of"] = selectors.rfa_for_input(
            request.user, changes["repeat_of"], "repeat_of"
        )
    services.update_rfa(request.user, rfa, **changes)
    return rfa_detail(request.user, selectors.get_rfa(request.user, rfa_id))


@router.patch("/rfas/{rfa_id}", response=RfaDetailOut)
def patch_rfa(request: HttpRequest, rfa_id: PathId, payload: RfaPatch) -> dict[str, Any]:
    changes = payload.dict(exclude_unset=True)
    if "lines" in changes:
        changes["lines"] = _lines(payload.lines)
    return _update(request, rfa_id, changes)


@router.put("/rfas/{rfa_id}", response=RfaDetailOut)
def put_rfa(request: HttpRequest, rfa_id: PathId, payload: RfaPut) -> dict[str, Any]:
    return _update(request, rfa_id, payload.dict() | {"lines": _lines(payload.lines)})


def _act(request: HttpRequest, rfa_id: int, action: Any, *args: Any) -> dict[str, Any]:
    action(request.user, selectors.get_rfa(request.user, rfa_id), *args)
    return rfa_detail(request.user, selectors.get_rfa(request.user, rfa_id))


@router.post("/rfas/{rfa_id}/submit", response=RfaDetailOut)
def submit_rfa(request: HttpRequest, rfa_id: PathId) -> dict[str, Any]:
    return _act(request, rfa_id, services.submit_rfa)


@router.post("/rfas/{rfa_id}/circulate", response=RfaDetailOut)
def circulate_rfa(request: HttpRequest, rfa_id: PathId) -> dict[str, Any]:
    return _act(request, rfa_id, services.circulate_request)


@router.post("/rfas/{rfa_id}/return", response=RfaDetailOut)
def return_rfa(request: HttpRequest, rfa_id: PathId, payload: ReasonRequired) -> dict[str, Any]:
    return _act(request, rfa_id, services.return_rfa, payload.reason)


@router.post("/rfas/{rfa_id}/withdraw", response=RfaDetailOut)
def withdraw_rfa(request: HttpRequest, rfa_id: PathId, payload: ReasonRequired) -> dict[str, Any]:
    return _act(request, rfa_id, services.withdraw_rfa, payload.reason)


@router.post("/rfas/{rfa_id}/close", response=RfaDetailOut)
def close_rfa(request: HttpRequest, rfa_id: PathId, payload: CloseIn) -> dict[str, Any]:
    return _act(request, rfa_id, services.close_rfa, payload.closure, payload.reason)


@router.post("/rfas/{rfa_id}/escalate", response=RfaDetailOut)
def escalate_rfa(request: HttpRequest, rfa_id: PathId, payload: EscalateIn) -> dict[str, Any]:
    """Circulate this submitted request as an escalation of the circulated request
    ``into`` it repeats: its lines are merged there as increases and it ends closed
    (merged). Answers with the request it was merged into."""
    rfa = selectors.get_rfa(request.user, rfa_id)
    into = cast(RFA, selectors.rfa_for_input(request.user, payload.into, "into"))
    target = escalation.circulate_as_escalation(request.user, rfa, into)
    return rfa_detail(request.user, selectors.get_rfa(request.user, target.pk))


class LinkedLineOut(Schema):
    line: int = Field(description="Position of the line in this request")
    earlier_line: int = Field(description="Position of the line in the earlier request")
    item: str
    earlier_item: str
    same_item: bool
    increase: int
    days_earlier: int | None
    outstanding: int = Field(description="Still outstanding on the earlier line (ledger)")
    text: str


class CandidateLinkOut(Schema):
    rfa: RfaRef
    declared: bool
    later: bool = Field(description="The linked request is the newer one (it may repeat this)")
    lines: list[LinkedLineOut]


@router.get("/rfas/{rfa_id}/links", response=list[CandidateLinkOut])
def rfa_links(request: HttpRequest, rfa_id: PathId) -> list[dict[str, Any]]:
    """Open requests this one may repeat (the centre's view; empty for anyone else)."""
    rfa = selectors.get_rfa(request.user, rfa_id)
    return [
        {
            "rfa": {"id": c.rfa.pk, "reference": c.rfa.reference, "status": c.rfa.status},
            "declared": c.declared,
            "later": c.later,
            "lines": [
                {
                    "line": p.line.position,
                    "earlier_line": p.earlier.position,
                    "item": p.line.item.code,
                    "earlier_item": p.earlier.item.code,
                    "same_item": p.same_item,
                    "increase": p.increase,
                    "days_earlier": p.days_earlier,
                    "outstanding": p.outstanding,
                    "text": pair_text(p),
                }
                for p in c.pairs
            ],
        }
        for c in candidate_links(request.user, rfa)
    ]
