"""Purging the outbox: delivered messages older than the age go with their delivery log;
pending, failing and cancelled ones stay whatever their age. By the command and by the
self-rescheduling task."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from aidbridge.outbox import purge, tasks
from aidbridge.outbox.models import DeliveryAttempt, OutboxMessage
from aidbridge.outbox.services import enqueue

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _message(status: str, days_ago: float, *, attempts: int = 2) -> OutboxMessage:
    """A message of ``status`` written (and, if delivered, delivered) ``days_ago``, with
    ``attempts`` rows of delivery log."""
    at = timezone.now() - timedelta(days=days_ago)
    with override_settings(TASKS=DUMMY), transaction.atomic():
        message = enqueue("nowhere:1", f"k{OutboxMessage.objects.count()}", "{}")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status,
        created_at=at,
        next_attempt_at=at,
        attempts=attempts,
        delivered_at=at if status == "delivered" else None,
    )
    for n in range(attempts):
        DeliveryAttempt.objects.create(
            message=message,
            started_at=at,
            duration_ms=3,
            worker="w",
            status_code=204 if status == "delivered" and n == attempts - 1 else 500,
            ok=status == "delivered" and n == attempts - 1,
        )
    return message


@pytest.fixture
def outbox() -> dict[str, OutboxMessage]:
    return {
        "old delivered": _message("delivered", 45),
        "older delivered": _message("delivered", 400, attempts=1),
        "recent delivered": _message("delivered", 3),
        "old pending": _message("pending", 90),
        "old failing": _message("failing", 90, attempts=12),
        "old cancelled": _message("cancelled", 90),
    }


def _left(outbox: dict[str, OutboxMessage]) -> set[str]:
    kept = set(OutboxMessage.objects.values_list("pk", flat=True))
    return {name for name, m in outbox.items() if m.pk in kept}


def test_only_delivered_messages_past_the_age_go_with_their_log(
    outbox: dict[str, OutboxMessage],
) -> None:
    purged = purge.purge_delivered(older_than_days=30)
    assert purged == purge.Purged(messages=2, attempts=3)
    assert _left(outbox) == {"recent delivered", "old pending", "old failing", "old cancelled"}
    # The log of what stays is whole; none is left of what went.
    assert DeliveryAttempt.objects.count() == 2 + 2 + 12 + 2
    assert not DeliveryAttempt.objects.filter(message_id=outbox["old delivered"].pk).exists()
    assert purge.purge_delivered(older_than_days=30) == purge.Purged(0, 0)


def test_the_age_defaults_to_the_setting_and_zero_takes_every_delivered(
    outbox: dict[str, OutboxMessage], settings: Any
) -> None:
    settings.AIDBRIDGE_OUTBOX_KEEP_DAYS = 100
    assert purge.purge_delivered().messages == 1
    assert "old delivered" in _left(outbox)
    assert purge.purge_delivered(older_than_days=0).messages == 2
    assert _left(outbox) == {"old pending", "old failing", "old cancelled"}


def test_purging_goes_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(5):
        _message("delivered", 60)
    monkeypatch.setattr(purge, "BATCH", 2)
    assert purge.purge_delivered(older_than_days=30) == purge.Purged(5, 10)
    assert not OutboxMessage.objects.exists()


def test_the_command_purges_and_says_how_many(outbox: dict[str, OutboxMessage]) -> None:
    out = StringIO()
    call_command("outbox", "purge", "--older-than", "30", stdout=out)
    assert "2 delivered message(s) and 3 attempt(s) purged" in out.getvalue()
    assert "old failing" in _left(outbox)
    for bad in ("-1", "soon"):
        with pytest.raises(CommandError, match="days"):
            call_command("outbox", "purge", "--older-than", bad)


@pytest.mark.django_db(transaction=True)
def test_the_purge_task_purges_and_schedules_its_next_run(
    outbox: dict[str, OutboxMessage], settings: Any
) -> None:
    settings.AIDBRIDGE_OUTBOX_KEEP_DAYS = 30
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        from django_tasks_db.models import DBTaskResult

        assert tasks.schedule_purge()
        assert not tasks.schedule_purge()  # one is waiting already
        assert tasks.purge_outbox.call() == 2
        waiting = DBTaskResult.objects.filter(
            task_path=tasks.purge_outbox.module_path, status="READY"
        )
        assert waiting.count() == 2  # the first, never run here, and the one it queued
        later = timezone.now() + tasks.PURGE_EVERY - timedelta(minutes=1)
        assert all(r.run_after is not None and r.run_after > later for r in waiting)
    assert _left(outbox) == {"recent delivered", "old pending", "old failing", "old cancelled"}


def test_without_a_deferring_backend_nothing_is_scheduled(db: Any) -> None:
    # The test settings' immediate backend cannot run a task later: cron's job then.
    assert tasks.schedule_purge() is False
