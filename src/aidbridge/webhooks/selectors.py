"""Reading webhook subscriptions and their deliveries: each account its own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aidbridge.core.errors import NotFound
from aidbridge.outbox.models import OutboxMessage
from aidbridge.webhooks.models import Subscription


def subscriptions_of(actor: Any) -> QuerySet[Subscription]:
    return Subscription.objects.filter(account_id=actor.pk, deleted_at__isnull=True)


def own_subscription(actor: Any, pk: int) -> Subscription:
    found = subscriptions_of(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("no such webhook", field="webhook_id")
    return found


def deliveries_of(subscription: Subscription) -> QuerySet[OutboxMessage]:
    """The subscription's messages, newest first."""
    return OutboxMessage.objects.filter(destination=subscription.destination).order_by("-id")
