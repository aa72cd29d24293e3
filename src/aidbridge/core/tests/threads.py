"""Real concurrent transactions for the PostgreSQL concurrency tests.

Each job runs in its own thread, hence its own database connection (Django's
connections are per thread): these are genuinely concurrent transactions. SQLite
serialises every writer, so the tests using this run on PostgreSQL only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from aidbridge.audit.models import AuditEntry

postgres_only = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent transactions need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def in_threads(*jobs: Callable[[], Any]) -> list[Any]:
    """Run ``jobs`` at once (they meet at a barrier); their results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = job()
        except Exception as exc:  # reported to the test, not lost in the thread
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def first_holds(first: Callable[[], Any], then: Callable[[], Any]) -> tuple[Any, Any]:
    """``first`` runs and keeps its transaction open while ``then`` starts.

    ``first`` commits once ``then`` has finished, or after a second if ``then`` is still
    waiting (for a lock ``first`` holds). With the right locks ``then`` waits and then
    sees what ``first`` committed; without them it acts on what it read before, which
    the tests' end-state checks catch. No assertion depends on the timing: had ``then``
    not even started within the second, it would simply run after ``first``.
    """
    holding, done = threading.Event(), threading.Event()

    def hold() -> Any:
        with transaction.atomic():
            result = first()
            holding.set()
            done.wait(timeout=1.0)
        return result

    def follow() -> Any:
        if not holding.wait(timeout=10):
            raise TimeoutError("the first job never got to hold its transaction")
        try:
            return then()
        finally:
            done.set()

    held, followed = in_threads(hold, follow)
    return held, followed


def assert_replays(line: Any) -> None:
    """The offer line's audit entries replay to the row: each starts where the one before
    ended (a change made on a stale read would not), and the quantities add up."""
    entries = list(
        AuditEntry.objects.filter(target_id=line.pk, action__startswith="offer_line.").order_by(
            "pk"
        )
    )
    state, accepted, declined = "", 0, 0
    for e in entries:
        assert e.from_state == state, (e.action, e.from_state, state)
        state = e.to_state
        if "accepted" in e.changes:
            assert e.changes["accepted"][0] == accepted, e.changes
            accepted = e.changes["accepted"][1]
        if "declined" in e.changes:
            assert e.changes["declined"][0] == declined, e.changes
            declined = e.changes["declined"][1]
    line.refresh_from_db()
    assert (line.status, line.accepted, line.declined) == (state, accepted, declined)
    assert line.accepted + line.declined <= line.quantity


def assert_nothing_after(
    close_action: str, target_id: int, stopped: list[str], **where: Any
) -> None:
    """No entry of the ``stopped`` actions (filtered by ``where``) follows the close."""
    close = AuditEntry.objects.get(action=close_action, target_id=target_id)
    late = AuditEntry.objects.filter(pk__gt=close.pk, action__in=stopped, **where)
    assert not late.exists(), list(late.values_list("action", "target_repr"))
    early = AuditEntry.objects.filter(pk__lt=close.pk, action__in=stopped, **where)
    assert all(e.at <= close.at for e in early)
