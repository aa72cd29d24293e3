"""The centre's outbox page, "retry now", the delivery command and the tasks."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from aidbridge.audit.models import AuditEntry
from aidbridge.outbox import tasks
from aidbridge.outbox.delivery import deliver_pending
from aidbridge.outbox.models import OutboxMessage
from aidbridge.outbox.services import enqueue

pytestmark = pytest.mark.django_db

UNREACHABLE = "webhook:999999"  # no such subscription: each attempt is cancelled


def _failing(**fields: Any) -> OutboxMessage:
    with transaction.atomic():
        message = enqueue("nowhere:1", "rfa:1", "{}", event_type="offer.made")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status="failing",
        attempts=12,
        last_status_code=503,
        last_error="HTTP 503 Service Unavailable: down for maintenance",
        next_attempt_at=timezone.now() + timedelta(hours=1),
        **fields,
    )
    message.refresh_from_db()
    return message


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_centre_sees_failing_messages_and_why(users: dict[str, Any]) -> None:
    message = _failing()
    page = _client(users["duty"]).get("/outbox/")
    assert page.status_code == 200
    html = page.content.decode()
    assert message.message_id in html
    assert "down for maintenance" in html
    assert f'action="/outbox/{message.pk}/retry/"' in html
    assert "data-confirm" in html


def test_retry_now_is_a_post_audited_and_makes_the_message_due(users: dict[str, Any]) -> None:
    message = _failing()
    client = _client(users["duty"])
    assert client.get(f"/outbox/{message.pk}/retry/").status_code == 405
    answer = client.post(f"/outbox/{message.pk}/retry/")
    assert answer.status_code == 302
    message.refresh_from_db()
    assert message.status == "pending" and message.next_attempt_at <= timezone.now()
    entry = AuditEntry.objects.get(action="outbox.retry")
    assert (entry.actor, entry.target_id, entry.from_state) == (
        users["duty"],
        message.pk,
        "failing",
    )
    # A delivered message has nothing to retry.
    OutboxMessage.objects.filter(pk=message.pk).update(status="delivered")
    assert client.post(f"/outbox/{message.pk}/retry/").status_code == 409


@pytest.mark.parametrize("who", ["ita", "ocha", "airlift"])
def test_only_the_centre_sees_the_outbox(users: dict[str, Any], who: str) -> None:
    message = _failing()
    client = _client(users[who])
    assert client.get("/outbox/").status_code == 403
    assert client.post(f"/outbox/{message.pk}/retry/").status_code == 403
    message.refresh_from_db()
    assert message.status == "failing"


def test_a_message_without_a_transport_is_retried_not_lost(db: Any) -> None:
    with transaction.atomic():
        enqueue("nowhere:1", "k", "{}")
    assert deliver_pending("w") == 1
    message = OutboxMessage.objects.get()
    assert message.status == "pending" and "no transport" in message.last_error


def test_the_command_delivers_what_is_due(db: Any) -> None:
    with transaction.atomic():
        enqueue(UNREACHABLE, "k", "{}")
    out = StringIO()
    call_command("outbox", "deliver", "--worker", "cron", stdout=out)
    assert "1 message(s) tried" in out.getvalue()
    assert OutboxMessage.objects.get().status == "cancelled"


@pytest.mark.django_db(transaction=True)
def test_a_commit_queues_one_delivery_task_and_a_rollback_none(users: dict[str, Any]) -> None:
    backend = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=backend):
        queued = tasks.deliver_outbox.get_backend().results  # type: ignore[attr-defined]
        with transaction.atomic():
            for n in range(3):
                enqueue(UNREACHABLE, f"k{n}", "{}")
        assert [r.task.name for r in queued] == ["deliver_outbox"]
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue(UNREACHABLE, "k", "{}")
            raise RuntimeError
        assert len(queued) == 1


@pytest.mark.django_db(transaction=True)
def test_the_periodic_task_delivers_and_schedules_its_next_run(users: dict[str, Any]) -> None:
    backend = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=backend):
        from django_tasks_db.models import DBTaskResult

        assert tasks.schedule_periodic()
        assert not tasks.schedule_periodic()  # one is waiting already
        with transaction.atomic():
            enqueue(UNREACHABLE, "k", "{}")
        tasks.deliver_outbox_periodic.call()
        assert OutboxMessage.objects.get().status == "cancelled"
        waiting = DBTaskResult.objects.filter(
            task_path=tasks.deliver_outbox_periodic.module_path, status="READY"
        )
        assert waiting.count() == 2  # the first, never run here, and the one it queued
        assert all(r.run_after > timezone.now() for r in waiting)
