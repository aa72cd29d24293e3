"""API: crises. Everyone with a role reads; the centre opens and closes them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from aidbridge.accounts.permissions import profile_of
from aidbridge.api.ordering import apply_ordering
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import InputSchema, chars
from aidbridge.audit.schemas import AuditEntryOut, entry_out
from aidbridge.audit.selectors import history_of
from aidbridge.crises import selectors, services
from aidbridge.crises.models import Crisis

router = Router(tags=["crises"])


class CrisisOut(Schema):
    code: str
    name_en: str
    name_fr: str
    description: str
    started_on: date
    closed_on: date | None
    status: Crisis.Status


class CrisisIn(InputSchema):
    code: str = chars(Crisis, "code", description="A slug such as covid-19-2020")
    name_en: str = chars(Crisis, "name_en")
    name_fr: str = chars(Crisis, "name_fr")
    started_on: date
    description: str = ""


class CrisisPatch(InputSchema):
    name_en: str | None = chars(Crisis, "name_en", None)
    name_fr: str | None = chars(Crisis, "name_fr", None)
    description: str | None = None
    started_on: date | None = None


class CrisisClose(InputSchema):
    closed_on: date | None = None
    reason: str = ""


class CrisisFilters(Schema):
    status: Crisis.Status | None = None
    search: str | None = None
    ordering: str | None = Field(None, description="started_on, code, name_en, name_fr")


ORDERING = {
    "started_on": "started_on",
    "code": "code",
    "name_en": "name_en",
    "name_fr": "name_fr",
}


@router.get("/crises", response=Page[CrisisOut])
def list_crises(
    request: HttpRequest, filters: Query[CrisisFilters], page: Query[PageParams]
) -> dict[str, Any]:
    profile_of(request.user)
    crises = selectors.crisis_list(status=filters.status, search=filters.search)
    return paginate(
        request, apply_ordering(crises, filters.ordering, ORDERING, "-started_on"), page
    )


@router.get("/crises/{code}", response=CrisisOut)
def get_crisis(request: HttpRequest, code: str) -> Crisis:
    profile_of(request.user)
    return selectors.crisis_by_code(code)


@router.post("/crises", response={201: CrisisOut})
def create_crisis(request: HttpRequest, payload: CrisisIn) -> Status[Crisis]:
    return Status(201, services.create_crisis(request.user, **payload.dict()))


@router.patch("/crises/{code}", response=CrisisOut)
def update_crisis(request: HttpRequest, code: str, payload: CrisisPatch) -> Crisis:
    crisis = selectors.crisis_by_code(code)
    return services.update_crisis(request.user, crisis, **payload.dict(exclude_unset=True))


@router.post("/crises/{code}/close", response=CrisisOut)
def close_crisis(request: HttpRequest, code: str, payload: CrisisClose) -> Crisis:
    crisis = selectors.crisis_by_code(code)
    return services.close_crisis(
        request.user, crisis, closed_on=payload.closed_on, reason=payload.reason
    )


@router.get("/crises/{code}/history", response=list[AuditEntryOut])
def crisis_history(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    profile_of(request.user)
    return [
        entry_out(e)
        for e in history_of(request.user, selectors.crisis_by_code(code)).select_related(
            "target_type"
        )
    ]
