"""API tokens: shown once, stored as a SHA-256 hash, scoped, expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone

from aidbridge.accounts.models import ApiToken

TOKEN_PREFIX = "aidb_"


class TokenRefused(Exception):
    """The bearer token cannot be used; the message says why (for the 401)."""


def hash_token(raw: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast unsalted hash is enough: there is
    # nothing to brute-force, and lookups stay a single indexed query.
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def live_token(raw: str) -> ApiToken:
    """The token ``raw`` names, if it may be used now; records when it was last used.

    Raises ``TokenRefused`` saying why not: unknown, revoked, expired, or its user
    deactivated. Telling a revoked token from an expired one only helps whoever holds
    the secret already."""
    token = (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(key_hash=hash_token(raw))
        .first()
    )
    if token is None:
        raise TokenRefused("unknown token")
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("this token was revoked")
    if token.expires_at <= now:
        raise TokenRefused(f"this token expired at {token.expires_at:%Y-%m-%dT%H:%M:%SZ}")
    if not token.user.is_active:
        raise TokenRefused("this token's account is deactivated")
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def user_for_token(raw: str) -> Any | None:
    """The active user behind a live token, or None."""
    try:
        return live_token(raw).user
    except TokenRefused:
        return None
