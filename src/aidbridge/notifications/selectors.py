"""Reading the in-app inbox: a user only ever sees their own notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aidbridge.accounts.permissions import profile_of
from aidbridge.core.errors import NotFound
from aidbridge.notifications.models import Notification


def inbox(
    actor: Any, *, unread: bool | None = None, kind: str | None = None, crisis: str | None = None
) -> QuerySet[Notification]:
    profile_of(actor)
    rows = Notification.objects.filter(recipient=actor).select_related("crisis")
    if unread is not None:
        rows = rows.filter(read_at__isnull=unread)
    if kind:
        rows = rows.filter(kind=kind)
    if crisis:
        rows = rows.filter(crisis__code__iexact=crisis)
    return rows.order_by("-created_at", "-id")


def own_notification(actor: Any, notification_id: int) -> Notification:
    found = inbox(actor).filter(pk=notification_id).first()
    if found is None:
        raise NotFound("no such notification", field="id")
    return found
