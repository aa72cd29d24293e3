"""API authentication: bearer tokens for machines, sessions for browsers.

A request that carries ``Authorization: Bearer`` is judged by its token alone: a wrong,
revoked or expired token is a 401 saying which, whatever the method and whatever
session cookie comes with it; a token used beyond its scope is a 403 naming the scope
(``accounts.actions.token_scope_refusal``). Only a request without one falls back on
the session, with its CSRF check (which would otherwise answer a machine's bad token on
a POST with a 403 about CSRF).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from aidbridge.accounts.actions import token_scope_refusal
from aidbridge.accounts.tokens import TokenRefused, live_token


def carries_bearer(request: HttpRequest) -> bool:
    """Does the request name the Bearer scheme (as ``HttpBearer`` reads it)?"""
    header = request.headers.get("Authorization", "")
    return header.split(" ")[0].lower() == "bearer"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        try:
            found = live_token(token)
        except TokenRefused as exc:
            raise AuthenticationError(message=str(exc)) from None
        refusal = token_scope_refusal(found, request.method or "GET")
        if refusal is not None:
            raise refusal
        request.user = found.user
        # The token used, for services that bound what a token may issue by it.
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class ActiveSessionAuth(SessionAuth):
    """Django's session, with CSRF checked on unsafe methods; not for bearer requests."""

    def __call__(self, request: HttpRequest) -> Any | None:
        if carries_bearer(request):
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


api_auth = [TokenAuth(), ActiveSessionAuth()]
