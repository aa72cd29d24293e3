"""Purging delivered messages: the outbox would otherwise grow by every event for ever.

A message delivered more than ``AIDBRIDGE_OUTBOX_KEEP_DAYS`` ago is deleted with its
delivery log. Nothing else is: a pending or failing message is still owed to its
receiver, and a cancelled one is kept as the trace of a subscription that was deleted.
Deleting delivered rows never changes what is due (order per key only asks whether an
*earlier undelivered* message exists).

Rows go in batches of ``BATCH``, each its own short transaction, so a first purge of a
large outbox does not hold locks on the table or the workers' index for long.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aidbridge.outbox.models import DeliveryAttempt, OutboxMessage

BATCH = 1000


@dataclass(frozen=True)
class Purged:
    messages: int
    attempts: int


def purge_delivered(*, older_than_days: float | None = None, now: datetime | None = None) -> Purged:
    """Delete the messages delivered before ``older_than_days`` ago (default
    ``AIDBRIDGE_OUTBOX_KEEP_DAYS``) and their delivery log; how many of each."""
    days = settings.AIDBRIDGE_OUTBOX_KEEP_DAYS if older_than_days is None else older_than_days
    if days < 0:
        raise ValueError("older_than_days must be 0 or more")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    messages = attempts = 0
    while True:
        with transaction.atomic():
            ids = list(
                OutboxMessage.objects.filter(
                    status=OutboxMessage.Status.DELIVERED, delivered_at__lt=cutoff
                )
                .order_by("id")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                return Purged(messages, attempts)
            attempts += DeliveryAttempt.objects.filter(message_id__in=ids).delete()[0]
            # (Delivered is final: "retry now" refuses it, no worker claims it.)
            messages += (
                OutboxMessage.objects.filter(pk__in=ids)
                .delete()[1]
                .get(OutboxMessage._meta.label, 0)
            )
