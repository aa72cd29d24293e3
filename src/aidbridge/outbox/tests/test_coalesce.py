"""Coalescing (``enqueue(coalesce=True)``): a message whose body is read when it is sent
takes in the later changes of its key while it waits, never tried; any other message
is left alone. Shown on the outbox page, in English and French."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings

from aidbridge.outbox.delivery import claim, release
from aidbridge.outbox.models import OutboxMessage
from aidbridge.outbox.services import enqueue

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
BODY = '{"kind":"snapshot","rfa":7}'


def write(payload: str = BODY, *, key: str = "rfa:7", **kwargs: Any) -> OutboxMessage:
    kwargs.setdefault("coalesce", True)
    kwargs.setdefault("event_type", "federation.snapshot")
    with transaction.atomic():
        return enqueue("partner:1", key, payload, **kwargs)


def rows() -> list[tuple[int, int]]:
    return list(OutboxMessage.objects.order_by("id").values_list("id", "changes"))


@override_settings(TASKS=DUMMY)
def test_changes_join_the_waiting_message_of_their_key() -> None:
    first = write()
    assert write().pk == first.pk
    assert write().pk == first.pk
    assert rows() == [(first.pk, 3)]
    other = write('{"kind":"snapshot","rfa":8}', key="rfa:8")
    assert rows() == [(first.pk, 3), (other.pk, 1)]


@override_settings(TASKS=DUMMY)
def test_only_the_same_body_and_event_of_the_newest_message_is_joined() -> None:
    first = write()
    command = write('{"kind":"command"}', coalesce=False, event_type="federation.command")
    # The newest of the key is another message: a new one comes after it, in order.
    after = write()
    assert after.pk > command.pk > first.pk
    assert write(event_type="federation.other").pk not in (first.pk, after.pk)
    assert write('{"kind":"snapshot","rfa":7,"x":1}').pk != after.pk
    # Without coalesce (a webhook event: the body is the event), always a new message.
    plain = write(coalesce=False)
    assert write(coalesce=False).pk != plain.pk


@override_settings(TASKS=DUMMY)
def test_a_claimed_or_tried_message_is_never_joined() -> None:
    first = write()
    (claimed,) = claim("w1")
    assert claimed.pk == first.pk and claimed.attempts == 1
    second = write()
    assert second.pk != first.pk
    assert write().pk == second.pk  # the new one waits: it takes the changes after
    # A claim handed back untried (the lease would not cover it) is untried again.
    OutboxMessage.objects.filter(pk=second.pk).delete()
    release([claimed])
    assert write().pk == first.pk


@override_settings(TASKS=DUMMY)
def test_a_rolled_back_change_leaves_the_message_as_it_was() -> None:
    first = write()
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("partner:1", "rfa:7", BODY, event_type="federation.snapshot", coalesce=True)
        raise RuntimeError("the change failed")
    assert rows() == [(first.pk, 1)]


@override_settings(TASKS=DUMMY)
@pytest.mark.parametrize(
    ("language", "words"), [("en", "carries 4 changes"), ("fr", "porte 4 modifications")]
)
def test_the_page_says_how_many_changes_a_message_carries(
    users: dict[str, Any], language: str, words: str
) -> None:
    for _ in range(4):
        write()
    client = Client()
    client.force_login(users["duty"])
    client.post("/language/", {"language": language})
    html = client.get("/outbox/?status=pending").content.decode()
    assert words in html
