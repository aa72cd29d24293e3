"""Telling people: an inbox row in the same transaction, an e-mail after commit.

The e-mail waits for the commit so nobody is told about a change that was rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import models, transaction
from django.utils import timezone

from aidbridge.accounts.models import CENTRE_ROLES, Role
from aidbridge.core.errors import NotFound
from aidbridge.notifications.links import absolute, page_paths
from aidbridge.notifications.models import Notification
from aidbridge.parties.models import Party


def pocs_of(*parties: Party) -> models.QuerySet[Any]:
    """Active national POCs of these parties."""
    return get_user_model().objects.filter(
        is_active=True, profile__role=Role.NATIONAL_POC, profile__party__in=parties
    )


def centre_staff() -> models.QuerySet[Any]:
    return get_user_model().objects.filter(is_active=True, profile__role__in=CENTRE_ROLES)


def notify(
    recipients: Iterable[Any],
    *,
    kind: str,
    subject: str,
    body: str,
    link: str = "",
    crisis: Any = None,
    exclude: Any = None,
) -> list[Notification]:
    """Put a notification in each recipient's inbox and e-mail those with an address.

    ``exclude`` (usually the actor) is left out: nobody needs telling what they just did.
    """
    users = {u.pk: u for u in recipients if exclude is None or u.pk != exclude.pk}
    rows = Notification.objects.bulk_create(
        Notification(recipient=u, kind=kind, subject=subject, body=body, link=link, crisis=crisis)
        for u in users.values()
    )
    # The mail leads to the page (absolute: it is read outside the site), not the API.
    page = absolute(page_paths([link]).get(link, ""))
    messages = [
        (subject, f"{body}\n\n{page}".strip(), settings.DEFAULT_FROM_EMAIL, [u.email])
        for u in users.values()
        if u.email
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return rows


def mark_read(actor: Any, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise NotFound("no such notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(actor: Any) -> int:
    """Mark every unread notification of the actor as read; return how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
