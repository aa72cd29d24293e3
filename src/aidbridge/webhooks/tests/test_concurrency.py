"""Several workers (real threads, each its own PostgreSQL connection) claim at once:
every message is sent exactly once (no worker died), in order within its key."""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from django.db import connection, transaction
from django.test import override_settings

from aidbridge.core.tests.threads import postgres_only
from aidbridge.outbox.delivery import deliver_pending
from aidbridge.outbox.models import DeliveryAttempt, OutboxMessage
from aidbridge.outbox.services import enqueue
from aidbridge.webhooks.tests.helpers import subscribe
from aidbridge.webhooks.tests.receiver import Receiver

pytestmark = postgres_only

KEYS, PER_KEY, WORKERS = 12, 15, 4


# Messages are written without a task backend that would deliver them on commit: the
# four threads below are the only workers.
@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_four_workers_claiming_at_once_send_each_message_once_in_order(
    machine: Any, receiver: Receiver
) -> None:
    sub = subscribe(machine, receiver, ["offer.made"])
    with transaction.atomic():
        for n in range(PER_KEY):
            for key in range(KEYS):
                enqueue(sub.destination, f"rfa:{key}", f'{{"key": {key}, "n": {n}}}')
    barrier = threading.Barrier(WORKERS)
    claimed: list[int] = [0] * WORKERS
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            # Small batches so the workers keep meeting on the same rows.
            with override_settings(AIDBRIDGE_OUTBOX_BATCH=3):
                claimed[i] = deliver_pending(f"worker-{i}")
        except BaseException as failed:
            errors.append(failed)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    total = KEYS * PER_KEY
    assert OutboxMessage.objects.filter(status="delivered").count() == total
    assert sum(claimed) == total  # no message claimed twice
    assert DeliveryAttempt.objects.count() == total
    ids = [a.headers["webhook-id"] for a in receiver.arrived]
    assert len(ids) == total and len(set(ids)) == total  # each arrived exactly once
    by_key: dict[int, list[int]] = defaultdict(list)
    for event in receiver.processed:
        by_key[event["key"]].append(event["n"])
    assert all(ns == list(range(PER_KEY)) for ns in by_key.values()), by_key
