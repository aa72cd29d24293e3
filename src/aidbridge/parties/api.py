"""API: parties (nations and organisations). Everyone with a role reads; the centre
manages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from aidbridge.accounts.permissions import profile_of
from aidbridge.api.ordering import apply_ordering
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import InputSchema, ReasonIn, chars
from aidbridge.audit.schemas import AuditEntryOut, entry_out
from aidbridge.audit.selectors import history_of
from aidbridge.parties import selectors, services
from aidbridge.parties.models import Party

router = Router(tags=["parties"])


class PartyOut(Schema):
    code: str
    kind: Party.Kind
    name_en: str
    name_fr: str
    active: bool


class PartyIn(InputSchema):
    code: str = chars(
        Party, "code", description="ISO 3166-1 alpha-3 for a nation; a short code otherwise"
    )
    kind: Party.Kind
    name_en: str = chars(Party, "name_en")
    name_fr: str = chars(Party, "name_fr")


class PartyPatch(InputSchema):
    name_en: str | None = chars(Party, "name_en", None)
    name_fr: str | None = chars(Party, "name_fr", None)


class PartyFilters(Schema):
    search: str | None = None
    kind: Party.Kind | None = None
    active: bool | None = None
    ordering: str | None = Field(None, description="code, name_en, name_fr, kind")


ORDERING = {"code": "code", "name_en": "name_en", "name_fr": "name_fr", "kind": "kind"}


@router.get("/parties", response=Page[PartyOut])
def list_parties(
    request: HttpRequest, filters: Query[PartyFilters], page: Query[PageParams]
) -> dict[str, Any]:
    profile_of(request.user)
    parties = selectors.party_list(search=filters.search, kind=filters.kind, active=filters.active)
    return paginate(request, apply_ordering(parties, filters.ordering, ORDERING, "code"), page)


@router.get("/parties/{code}", response=PartyOut)
def get_party(request: HttpRequest, code: str) -> Party:
    profile_of(request.user)
    return selectors.party_by_code(code)


@router.post("/parties", response={201: PartyOut})
def create_party(request: HttpRequest, payload: PartyIn) -> Status[Party]:
    return Status(201, services.create_party(request.user, **payload.dict()))


@router.patch("/parties/{code}", response=PartyOut)
def update_party(request: HttpRequest, code: str, payload: PartyPatch) -> Party:
    party = selectors.party_by_code(code)
    return services.update_party(request.user, party, **payload.dict(exclude_unset=True))


@router.post("/parties/{code}/deactivate", response=PartyOut)
def deactivate_party(request: HttpRequest, code: str, payload: ReasonIn) -> Party:
    party = selectors.party_by_code(code)
    return services.deactivate_party(request.user, party, reason=payload.reason)


@router.post("/parties/{code}/reactivate", response=PartyOut)
def reactivate_party(request: HttpRequest, code: str, payload: ReasonIn) -> Party:
    party = selectors.party_by_code(code)
    return services.reactivate_party(request.user, party, reason=payload.reason)


@router.get("/parties/{code}/history", response=list[AuditEntryOut])
def party_history(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    profile_of(request.user)
    return [
        entry_out(e)
        for e in history_of(request.user, selectors.party_by_code(code)).select_related(
            "target_type"
        )
    ]
