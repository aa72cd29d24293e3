"""Personal API tokens: shown once, stored as a SHA-256 hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone

from aidbridge.accounts.models import ApiToken

TOKEN_PREFIX = "aidb_"


def hash_token(raw: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast unsalted hash is enough: there is
    # nothing to brute-force, and lookups stay a single indexed query.
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def user_for_token(raw: str) -> Any | None:
    """The active user behind a live token, or None. Records when it was last used."""
    try:
        token = ApiToken.objects.select_related("user", "user__profile").get(
            key_hash=hash_token(raw), revoked_at__isnull=True
        )
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
