"""Reading the in-app inbox: a user only ever sees their own notifications.

Nobody is notified about an object they may not see (``requests.notices``); the centre,
checking in the admin who was told what, sees the notifications about what it may see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext

from aidbridge.accounts.permissions import profile_of
from aidbridge.core.errors import NotFound
from aidbridge.notifications.models import Notification
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.notices import LINK_PREFIX
from aidbridge.requests.selectors import visibility


def notifications_visible_to(actor: Any) -> QuerySet[Notification]:
    """The actor's own; for the centre also everyone else's, except those about a
    request the centre may not see (a nation's draft, told to its own people)."""
    profile = profile_of(actor)
    if not profile.is_centre:
        return Notification.objects.filter(recipient=actor)
    hidden = (
        RequestForAssistance.objects.exclude(visibility(actor))
        .annotate(path=Concat(Value(LINK_PREFIX), Cast("pk", CharField())))
        .values("path")
    )
    return Notification.objects.filter(Q(recipient=actor) | ~Q(link__in=hidden))


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
        raise NotFound(gettext("no such notification"), field="id")
    return found


def unread_count(actor: Any) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()
