"""API: who am I and my language; users (managed by the centre). Tokens: ``api_tokens``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from aidbridge.accounts import selectors, services
from aidbridge.accounts.models import MatchDelivery, Profile, Role
from aidbridge.accounts.permissions import profile_of
from aidbridge.api.ordering import apply_ordering
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import InputSchema, ReasonIn, chars
from aidbridge.audit.schemas import AuditEntryOut, entry_out
from aidbridge.audit.selectors import history_of
from aidbridge.parties.models import Party

router = Router(tags=["accounts"])
User = get_user_model()


class MeOut(Schema):
    username: str
    party: str
    role: str
    language: str
    match_delivery: MatchDelivery


class MePatch(InputSchema):
    """Only the fields given are changed."""

    language: str | None = chars(Profile, "language", None)
    match_delivery: MatchDelivery | None = Field(
        None, description="Match notifications: immediate, or in a daily digest"
    )


class UserOut(Schema):
    username: str
    email: str
    first_name: str
    last_name: str
    party: str
    role: str
    language: str
    is_active: bool


class UserIn(InputSchema):
    username: str = chars(User, "username")
    email: str = chars(User, "email", "")
    party: str = chars(Party, "code", description="Party code (ITA, EADRCC, UN-OCHA, ...)")
    role: Role
    password: str | None = Field(None, max_length=128)
    language: str = chars(Profile, "language", "en")
    first_name: str = chars(User, "first_name", "")
    last_name: str = chars(User, "last_name", "")


class UserFilters(Schema):
    party: str | None = None
    role: Role | None = None
    active: bool | None = None
    search: str | None = None
    ordering: str | None = Field(None, description="username, party, role")


USER_ORDERING = {"username": "username", "party": "profile__party__code", "role": "profile__role"}


def _me(user: Any) -> MeOut:
    profile = profile_of(user)
    return MeOut(
        username=user.get_username(),
        party=profile.party.code,
        role=profile.role,
        language=profile.language,
        match_delivery=MatchDelivery(profile.match_delivery),
    )


def _user(user: Any) -> dict[str, Any]:
    return {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "party": user.profile.party.code,
        "role": user.profile.role,
        "language": user.profile.language,
        "is_active": user.is_active,
    }


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    return _me(request.user)


@router.patch("/me", response=MeOut)
def update_me(request: HttpRequest, payload: MePatch) -> MeOut:
    if payload.language is not None:
        services.set_language(request.user, payload.language)
    if payload.match_delivery is not None:
        services.set_match_delivery(request.user, payload.match_delivery)
    return _me(request.user)


@router.get("/users", response=Page[UserOut])
def list_users(
    request: HttpRequest, filters: Query[UserFilters], page: Query[PageParams]
) -> dict[str, Any]:
    users = selectors.user_list(
        request.user,
        party=filters.party,
        role=filters.role,
        active=filters.active,
        search=filters.search,
    )
    ordered = apply_ordering(users, filters.ordering, USER_ORDERING, "username")
    return paginate(request, ordered, page, lambda rows: [_user(u) for u in rows])


@router.get("/users/{username}", response=UserOut)
def get_user(request: HttpRequest, username: str) -> dict[str, Any]:
    return _user(selectors.user_by_username(request.user, username))


@router.post("/users", response={201: UserOut})
def create_user(request: HttpRequest, payload: UserIn) -> Status[dict[str, Any]]:
    return Status(201, _user(services.create_user(request.user, **payload.dict())))


@router.post("/users/{username}/deactivate", response=UserOut)
def deactivate_user(request: HttpRequest, username: str, payload: ReasonIn) -> dict[str, Any]:
    user = selectors.user_by_username(request.user, username)
    return _user(services.deactivate_user(request.user, user, reason=payload.reason))


@router.get("/users/{username}/history", response=list[AuditEntryOut])
def user_history(request: HttpRequest, username: str) -> list[dict[str, Any]]:
    user = selectors.user_by_username(request.user, username)
    return [entry_out(e) for e in history_of(request.user, user).select_related("target_type")]
