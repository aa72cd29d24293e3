"""API: tokens. My own (``/me/tokens``), one obtained with a password (``/tokens``), and
the machine accounts' ones issued by the centre (``/users/{username}/tokens``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate, user_logged_in
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError

from aidbridge.accounts import selectors, services
from aidbridge.accounts.models import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, ApiToken, TokenScope
from aidbridge.api.openapi import errors_also
from aidbridge.api.schemas import InputSchema, PathId, chars
from aidbridge.core.errors import NotFound

router = Router(tags=["accounts"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    user: str
    issued_by: str | None


class NewTokenOut(TokenOut):
    token: str = Field(..., description="The secret; shown this once only")


class TokenIn(InputSchema):
    name: str = chars(ApiToken, "name")
    scope: TokenScope = Field(
        TokenScope.READ, description="read: GET only; read_write: every method"
    )
    expires_in_days: int = Field(DEFAULT_TOKEN_DAYS, ge=1, le=MAX_TOKEN_DAYS)


class PasswordTokenIn(TokenIn):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=128)


def token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "scope": token.scope,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "user": token.user.get_username(),
        "issued_by": token.issued_by.get_username() if token.issued_by else None,
    }


def _issued(request: HttpRequest, user: Any, payload: TokenIn) -> Status[dict[str, Any]]:
    token, raw = services.issue_api_token(
        request.user,
        user,
        payload.name,
        scope=payload.scope,
        expires_in_days=payload.expires_in_days,
        via=getattr(request, "api_token", None),
    )
    return Status(201, {**token_out(token), "token": raw})


@router.get("/me/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    return [token_out(t) for t in selectors.tokens_of(request.user)]


@router.post("/me/tokens", response={201: NewTokenOut})
def issue_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    """A token for myself. Asked with a token, it can do no more and live no longer."""
    return _issued(request, request.user, payload)


@router.delete("/me/tokens/{token_id}", response=TokenOut)
def revoke_token(request: HttpRequest, token_id: PathId) -> dict[str, Any]:
    """Revoke one of my tokens. The row stays (with ``revoked_at``) for the record."""
    token = selectors.own_token(request.user, token_id)
    return token_out(services.revoke_api_token(request.user, token))


@router.post(
    "/tokens",
    auth=None,
    response={201: NewTokenOut},
    openapi_extra=errors_also(401, 403, 429),
)
def token_with_password(request: HttpRequest, payload: PasswordTokenIn) -> Status[dict[str, Any]]:
    """A machine client's first token, for the user name and password of its account.

    Throttled like the sign-in page (the same failure count, ``accounts.throttle``): a
    wrong password is a 401, and after too many a 429 with ``Retry-After``."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise AuthenticationError(message="wrong user name or password")
    # A sign-in like the page's: the throttle's count is reset, last_login is set.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    request.user = user
    return _issued(request, user, payload)


@router.get("/users/{username}/tokens", response=list[TokenOut])
def user_tokens(request: HttpRequest, username: str) -> list[dict[str, Any]]:
    """A user's tokens, for the centre (without their secrets)."""
    user = selectors.user_by_username(request.user, username)
    return [token_out(t) for t in selectors.tokens_of_user(request.user, user)]


@router.post("/users/{username}/tokens", response={201: NewTokenOut})
def issue_user_token(
    request: HttpRequest, username: str, payload: TokenIn
) -> Status[dict[str, Any]]:
    """The centre issues a token for a machine account (one without a password)."""
    return _issued(request, selectors.user_by_username(request.user, username), payload)


@router.delete("/users/{username}/tokens/{token_id}", response=TokenOut)
def revoke_user_token(request: HttpRequest, username: str, token_id: PathId) -> dict[str, Any]:
    user = selectors.user_by_username(request.user, username)
    token = selectors.tokens_of_user(request.user, user).filter(pk=token_id).first()
    if token is None:
        raise NotFound(gettext("no such token"), field="token_id")
    return token_out(services.revoke_api_token(request.user, token))
