"""Webhook subscriptions: a machine account's URL and the event types it wants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """What an integrator can subscribe to (``events.EVENTS`` maps audit actions here)."""

    REQUEST_CIRCULATED = "request.circulated", _("Request circulated")
    REQUEST_WITHDRAWN = "request.withdrawn", _("Request withdrawn")
    REQUEST_CLOSED = "request.closed", _("Request closed")
    OFFER_MADE = "offer.made", _("Offer made")
    OFFER_CONFIRMED = "offer.confirmed", _("Proposed offer confirmed")
    OFFER_ACCEPTED = "offer.accepted", _("Offer accepted")
    OFFER_DECLINED = "offer.declined", _("Offer declined")
    OFFER_WITHDRAWN = "offer.withdrawn", _("Offer withdrawn")
    AID_DISPATCHED = "aid.dispatched", _("Aid dispatched")
    AID_ARRIVED = "aid.arrived", _("Aid arrived by airlift")
    AID_RECEIVED = "aid.received", _("Receipt confirmed")
    SITREP_PUBLISHED = "sitrep.published", _("Sitrep published")


class Subscription(models.Model):
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )
    url = models.URLField(max_length=500)
    event_types = models.JSONField(default=list)
    description = models.CharField(max_length=200, blank=True)
    # Kept as written: an HMAC needs the key itself (unlike API tokens, stored hashed).
    # Left out of backups without --include-secrets; a restored subscription then has
    # none and its deliveries wait until the secret is rotated.
    secret = models.CharField(max_length=100, blank=True, default="")
    previous_secret = models.CharField(max_length=100, blank=True, default="")
    previous_valid_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"webhook {self.pk} → {self.url}"

    @property
    def destination(self) -> str:
        return f"webhook:{self.pk}"
