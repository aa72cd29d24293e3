"""Reading the in-app inbox: a user only ever sees their own notifications.

Nobody is notified about an object they may not see (``requests.notices``); the centre,
checking in the admin who was told what, sees the notifications about what it may see.
Which ones those are, the app of the object knows (``requests``, above this one): it
registers them (``register_hidden``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from aidbridge.accounts.permissions import profile_of
from aidbridge.core.errors import NotFound
from aidbridge.notifications.models import Notification

# Each gives, for an actor, the links (a values queryset) of the objects it may not see.
_HIDDEN: list[Callable[[Any], QuerySet[Any]]] = []


def register_hidden(hidden_links: Callable[[Any], QuerySet[Any]]) -> None:
    """Notifications linking to these objects are hidden from the centre's view of
    everyone's (called from an AppConfig.ready)."""
    _HIDDEN.append(hidden_links)


def notifications_visible_to(actor: Any) -> QuerySet[Notification]:
    """The actor's own; for the centre also everyone else's, except those about a
    request the centre may not see (a nation's draft, told to its own people)."""
    profile = profile_of(actor)
    if not profile.is_centre:
        return Notification.objects.filter(recipient=actor)
    seen = Q()
    for hidden_links in _HIDDEN:
        seen &= ~Q(link__in=hidden_links(actor))
    return Notification.objects.filter(Q(recipient=actor) | seen)


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
