"""Telling people: an inbox row in the same transaction, an e-mail after commit.

The e-mail waits for the commit so nobody is told about a change that was rolled back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from aidbridge.accounts.models import CENTRE_ROLES, Role
from aidbridge.core.errors import NotFound
from aidbridge.notifications.links import absolute, page_paths
from aidbridge.notifications.models import Notification
from aidbridge.parties.models import Party


def pocs_of(*parties: Party) -> models.QuerySet[Any]:
    """Active national POCs of these parties."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__role=Role.NATIONAL_POC, profile__party__in=parties)
        .select_related("profile")
    )


def centre_staff() -> models.QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__role__in=CENTRE_ROLES)
        .select_related("profile")
    )


# A notification's text: a string, or a function writing it in the active language,
# which ``notify`` calls once per recipients' language (their profile's).
Text = str | Callable[[], str]


def local_name(obj: Any) -> str:
    """A party's or an item's name in the active language (names exist in both)."""
    french = (translation.get_language() or "en").startswith("fr")
    return str(getattr(obj, "name_fr" if french else "name_en", "") or obj)


def notify(
    recipients: Iterable[Any],
    *,
    kind: str,
    subject: Text,
    body: Text,
    link: str = "",
    crisis: Any = None,
    exclude: Any = None,
) -> list[Notification]:
    """Put a notification in each recipient's inbox and e-mail those with an address,
    each in their own language when the texts are given as functions.

    ``exclude`` (usually the actor) is left out: nobody needs telling what they just did.
    """
    users = {u.pk: u for u in recipients if exclude is None or u.pk != exclude.pk}
    by_language: dict[str, list[Any]] = defaultdict(list)
    for user in users.values():
        profile = getattr(user, "profile", None)
        by_language[getattr(profile, "language", "") or settings.LANGUAGE_CODE].append(user)
    # The mail leads to the page (absolute: it is read outside the site), not the API.
    page = absolute(page_paths([link]).get(link, ""))
    rows: list[Notification] = []
    messages = []
    for language, group in by_language.items():
        with translation.override(language):
            title = (subject() if callable(subject) else subject)[:200]
            text = body() if callable(body) else body
        rows += Notification.objects.bulk_create(
            Notification(recipient=u, kind=kind, subject=title, body=text, link=link, crisis=crisis)
            for u in group
        )
        messages += [
            (title, f"{text}\n\n{page}".strip(), settings.DEFAULT_FROM_EMAIL, [u.email])
            for u in group
            if u.email
        ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return rows


def mark_read(actor: Any, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise NotFound(gettext("no such notification"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(actor: Any) -> int:
    """Mark every unread notification of the actor as read; return how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
