"""Webhook subscriptions: register, delete, rotate the secret (each audited)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from aidbridge.audit.services import record
from aidbridge.core.errors import ValidationFailed
from aidbridge.outbox import egress
from aidbridge.outbox.egress import KINDS
from aidbridge.outbox.services import cancel_destination
from aidbridge.webhooks import actions
from aidbridge.webhooks.models import EventType, Subscription
from aidbridge.webhooks.signing import new_secret

MAX_GRACE_HOURS = 168
_URL = URLValidator(schemes=["http", "https"])


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    try:
        _URL(url)
    except ValidationError:
        raise ValidationFailed("an http or https URL", field="url") from None
    if len(url) > 500:
        raise ValidationFailed("at most 500 characters", field="url")
    # Server-side request forgery: events may go to public addresses only (the same
    # rule is checked again at each delivery, against the address then connected to).
    refused = egress.url_refusal(url)
    if refused is None:
        return url
    values = {
        "host": refused.host,
        "address": refused.address,
        "kind": gettext(KINDS[refused.kind]),
    }
    if refused.literal:
        message = gettext("%(address)s is %(kind)s: webhooks are sent to public addresses only")
    else:
        message = gettext(
            "%(host)s resolves to %(address)s, %(kind)s: webhooks are sent to public addresses only"
        )
    raise ValidationFailed(message % values, field="url")


def _clean_types(event_types: list[str]) -> list[str]:
    if not event_types:
        raise ValidationFailed("name at least one event type", field="event_types")
    unknown = [t for t in event_types if t not in EventType.values]
    if unknown:
        raise ValidationFailed(f"unknown event type {unknown[0]!r}", field="event_types")
    return sorted(set(event_types))


def create_subscription(
    actor: Any, url: str, event_types: list[str], *, description: str = ""
) -> Subscription:
    """Register ``url`` for ``event_types``; the secret is on the returned row."""
    actions.require_create(actor)
    url = _clean_url(url)
    types = _clean_types(event_types)
    with transaction.atomic():
        sub = Subscription.objects.create(
            account=actor,
            url=url,
            event_types=types,
            description=(description or "").strip(),
            secret=new_secret(),
            created_at=timezone.now(),
        )
        record(
            actor,
            "webhook.create",
            sub,
            to_state="active",
            changes={"url": [None, url], "event_types": [None, types]},
        )
    return sub


def delete_subscription(actor: Any, subscription: Subscription) -> Subscription:
    """Stop the subscription; its undelivered messages are cancelled (kept, shown)."""
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().get(pk=subscription.pk)
        actions.require_own(actor, sub)
        sub.deleted_at = timezone.now()
        sub.save(update_fields=["deleted_at"])
        cancelled = cancel_destination(sub.destination)
        record(
            actor,
            "webhook.delete",
            sub,
            from_state="active",
            to_state="deleted",
            changes={"cancelled_messages": [None, cancelled]},
        )
    return sub


def rotate_secret(
    actor: Any, subscription: Subscription, *, grace_hours: int | None = None
) -> Subscription:
    """A new secret at once; the old one still signs (beside it) for ``grace_hours``."""
    grace = settings.AIDBRIDGE_WEBHOOK_GRACE_HOURS if grace_hours is None else grace_hours
    if not 0 <= grace <= MAX_GRACE_HOURS:
        raise ValidationFailed(f"0 to {MAX_GRACE_HOURS} hours", field="grace_hours")
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().get(pk=subscription.pk)
        actions.require_own(actor, sub)
        now = timezone.now()
        sub.previous_secret = sub.secret if grace else ""
        sub.previous_valid_until = now + timedelta(hours=grace) if grace else None
        sub.secret = new_secret()
        sub.save(update_fields=["secret", "previous_secret", "previous_valid_until"])
        record(
            actor,
            "webhook.rotate_secret",
            sub,
            changes={"grace_hours": [None, grace]},
        )
    return sub
