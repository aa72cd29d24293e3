"""The outbox in the admin, read-only for centre staff: the outbox page
(``/outbox/``) is where a message is retried."""

from __future__ import annotations

from django.contrib import admin

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.outbox.models import DeliveryAttempt, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(CentreAdmin[OutboxMessage]):
    list_display = ("message_id", "destination", "ordering_key", "event_type", "status", "attempts")
    list_filter = ("status",)


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(CentreAdmin[DeliveryAttempt]):
    list_display = ("message", "started_at", "status_code", "ok", "duration_ms", "worker")
