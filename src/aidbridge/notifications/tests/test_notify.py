"""Telling people (``notifications.services`` and ``selectors``): one inbox row per
recipient in their own language, the e-mail only once the change is committed, the
actor left out, read marks kept, and who sees which notifications."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from aidbridge.notifications import selectors, services
from aidbridge.notifications.models import Notification
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.tests.conftest import rfa_body

pytestmark = pytest.mark.django_db


def _greeting() -> str:
    return "Bonjour" if (translation.get_language() or "").startswith("fr") else "Hello"


def test_each_recipient_is_told_in_their_language_and_mailed_after_commit(
    users, django_capture_on_commit_callbacks
) -> None:
    users["esp"].profile.language = "fr"
    users["esp"].profile.save()
    fra, deu, ita = users["esp"], users["deu"], users["ita"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        rows = services.notify(
            [fra, deu, ita],
            kind="rfa.circulated",
            subject=_greeting,
            body=lambda: _greeting() + ", " + ("monde" if _greeting() == "Bonjour" else "world"),
            link="/api/v1/rfas/7",
            exclude=ita,  # the actor is not told what they just did
        )
        assert mail.outbox == []  # nothing leaves before the commit
    assert {(n.recipient.username, n.subject, n.body) for n in rows} == {
        (fra.username, "Bonjour", "Bonjour, monde"),
        (deu.username, "Hello", "Hello, world"),
    }
    assert not Notification.objects.filter(recipient=ita).exists()
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {fra.email, deu.email}
    # The mail leads to the page (absolute), not to the API path the row keeps.
    assert sent[fra.email].subject == "Bonjour"
    assert sent[fra.email].body.startswith("Bonjour, monde\n\nhttp")
    assert sent[fra.email].body.endswith("/rfas/7/")


def test_a_rolled_back_change_tells_nobody(users, django_capture_on_commit_callbacks) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as sending,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.notify(
            [users["deu"]], kind="rfa.circulated", subject="s", body="b", link="/api/v1/rfas/1"
        )
        raise RuntimeError("the change failed after notifying")
    assert not Notification.objects.exists()
    assert sending == [] and mail.outbox == []


def test_without_an_address_the_inbox_still_gets_it(
    users, django_capture_on_commit_callbacks
) -> None:
    users["deu"].email = ""
    users["deu"].save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.notify([users["deu"]], kind="k", subject="x" * 300, body="b", link="")
    (row,) = Notification.objects.filter(recipient=users["deu"])
    assert len(row.subject) == 200  # cut to the column, not refused
    assert mail.outbox == []


def test_read_marks_are_kept_and_only_the_recipient_may_set_them(users) -> None:
    with transaction.atomic():
        (row,) = services.notify([users["deu"]], kind="k", subject="s", body="b", link="")
    first = services.mark_read(users["deu"], row).read_at
    assert first is not None
    assert services.mark_read(users["deu"], row).read_at == first  # not moved by re-reading
    with pytest.raises(services.NotFound):
        services.mark_read(users["esp"], row)
    assert services.mark_all_read(users["deu"]) == 0


def test_a_nation_sees_its_own_the_centre_all_but_a_nation_s_draft(users, items, crisis) -> None:
    with transaction.atomic():
        draft = RequestForAssistance.objects.create(
            crisis=crisis,
            requester=users["ita"].profile.party,
            title=rfa_body()["title"],
            created_by=users["ita"],
        )
        about_draft = services.notify(
            [users["ita"]], kind="k", subject="draft", body="b", link=f"/api/v1/rfas/{draft.pk}"
        )
        to_germany = services.notify([users["deu"]], kind="k", subject="de", body="b", link="")
        to_centre = services.notify([users["duty"]], kind="k", subject="c", body="b", link="")

    def subjects(who: str) -> set[str]:
        return set(selectors.notifications_visible_to(users[who]).values_list("subject", flat=True))

    assert (about_draft[0].subject, to_germany[0].subject, to_centre[0].subject) == (
        "draft",
        "de",
        "c",
    )
    assert subjects("ita") == {"draft"}
    assert subjects("deu") == {"de"}
    # The centre sees what others were told, but not about a draft it may not see.
    assert subjects("duty") == {"de", "c"}
