"""API authentication: personal bearer tokens for machines, sessions for browsers.

A request that carries ``Authorization: Bearer`` is judged by its token alone: a wrong
or revoked token is a 401, whatever the method and whatever session cookie comes with
it. Only a request without one falls back on the session, with its CSRF check (which
would otherwise answer a machine's bad token on a POST with a 403 about CSRF).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from aidbridge.accounts.tokens import user_for_token


def carries_bearer(request: HttpRequest) -> bool:
    """Does the request name the Bearer scheme (as ``HttpBearer`` reads it)?"""
    header = request.headers.get("Authorization", "")
    return header.split(" ")[0].lower() == "bearer"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


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
