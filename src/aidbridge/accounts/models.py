"""Who a user is in aidbridge: their party, their role, and their API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTRE_OFFICER = "centre_officer", _("Centre duty officer")
    CENTRE_HEAD = "centre_head", _("Head of centre")
    NATIONAL_POC = "national_poc", _("National point of contact")
    AIRLIFT_COORDINATOR = "airlift_coordinator", _("Airlift coordinator")
    OBSERVER = "observer", _("Observer")


CENTRE_ROLES = frozenset({Role.CENTRE_OFFICER, Role.CENTRE_HEAD})


class MatchDelivery(models.TextChoices):
    """How a user hears of needs and stock that match (``notifications.matching``)."""

    IMMEDIATE = "immediate", _("At once")
    DIGEST = "digest", _("In a daily digest")


class Profile(models.Model):
    """A user's place in the clearing-house. A user without a profile can do nothing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    party = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=30, choices=Role.choices)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    phone = models.CharField(max_length=40, blank=True)
    match_delivery = models.CharField(
        max_length=10, choices=MatchDelivery.choices, default=MatchDelivery.IMMEDIATE
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.party}, {self.role})"

    @property
    def is_centre(self) -> bool:
        return self.role in CENTRE_ROLES


class TokenScope(models.TextChoices):
    """What a token may do. The API's reads are GET (and HEAD/OPTIONS); everything that
    changes something is POST, PUT, PATCH or DELETE: the method decides, so a new
    endpoint needs no scope table to keep in step."""

    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


# A token lives 90 days unless asked otherwise, one year at most: a token forgotten in a
# script stops working by itself.
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365


def default_token_expiry() -> datetime:
    return timezone.now() + timedelta(days=DEFAULT_TOKEN_DAYS)


class ApiToken(models.Model):
    """A token for machine clients: a person's own, or one the centre issued for a
    machine account. Only a hash is stored; it expires; revoking is final."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The existing tokens keep the write access they had; new ones default to read.
    scope = models.CharField(
        max_length=20, choices=TokenScope.choices, default=TokenScope.READ_WRITE
    )
    expires_at = models.DateTimeField(default=default_token_expiry)
    # Who issued it: the user themself, or the centre for a machine account.
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
