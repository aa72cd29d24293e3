"""The transactional outbox: a message to send, written in the same transaction as the
change that causes it, and the log of every attempt to deliver it.

A message names where it goes (``destination``, e.g. ``webhook:12``; partner centres
later), an ``ordering_key`` (e.g. ``rfa:7``) within which messages are delivered in
order of their ids, the exact body and its content type. The outbox knows nothing of
what the body means: the app that owns a destination scheme turns the message into an
HTTP request (``outbox.transports``).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DELIVERED = "delivered", "delivered"
        # Past the attempts or the age limit: shown on the outbox page, still retried at
        # the longest back-off, never dropped.
        FAILING = "failing", "failing"
        # Its destination is gone (a deleted webhook subscription): nothing to send to.
        CANCELLED = "cancelled", "cancelled"

    # The id receivers use to drop a second delivery (``webhook-id``): delivery is at
    # least once, so the same message may arrive twice after a worker dies mid-send.
    message_id = models.CharField(max_length=40, unique=True, default=new_message_id)
    created_at = models.DateTimeField(db_index=True)
    destination = models.CharField(max_length=100)
    ordering_key = models.CharField(max_length=100)
    event_type = models.CharField(max_length=60, blank=True)
    content_type = models.CharField(max_length=100, default="application/json")
    payload = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # The lease of the worker holding it; a worker that dies leaves it to expire.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=80, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # How many changes it carries: more than one when later changes were merged into it
    # while it waited (``services.enqueue(coalesce=True)``: its body is read at sending).
    changes = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        indexes = [
            # The workers' question: what is due (partial: delivered rows are most rows).
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_due",
                condition=Q(status__in=["pending", "failing"]),
            ),
            # Is an earlier message of the same key still undelivered?
            models.Index(
                fields=["destination", "ordering_key", "id"],
                name="outbox_key_open",
                condition=Q(status__in=["pending", "failing"]),
            ),
            models.Index(fields=["status", "id"], name="outbox_status"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.destination} ({self.event_type or self.content_type})"


class DeliveryAttempt(models.Model):
    """One try at sending a message: when, how long, what came back."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="log")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    worker = models.CharField(max_length=80)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField()
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.message_id} at {self.started_at:%H:%M:%S}: {self.status_code or self.error}"
