"""One worker sends several messages of its batch at once (``AIDBRIDGE_OUTBOX_CONCURRENCY``),
through the real database (committed claims, one connection per thread) and a real HTTP
receiver. Overlap is proved by a receiver that answers only once several requests are
inside it together (a barrier), never by timing: sent one at a time, the barrier breaks
and the receiver answers 500.

PostgreSQL only, like the project's other tests with threads: the SQLite test database
is in memory (shared cache), where a second connection's write fails at once ("table is
locked") instead of waiting as on a database file. Delivery with threads on SQLite files
is played by the live tests (``federation/tests/test_live*.py``: the origin centre runs
on SQLite with the default concurrency)."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from aidbridge.core.tests.threads import postgres_only
from aidbridge.outbox import transports
from aidbridge.outbox.delivery import claim, deliver_batch, deliver_pending
from aidbridge.outbox.models import DeliveryAttempt, OutboxMessage
from aidbridge.outbox.services import enqueue

pytestmark = postgres_only

SCHEME = "lanetest"
# Messages are written without a task backend that would deliver them on commit: the
# test calls the worker itself.
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@dataclass
class Receiver:
    """Answers what ``decide(key, n)`` says, after ``together`` requests are inside at
    once (500 if they never are); records arrivals and the most in flight per key."""

    together: int = 1
    decide: Callable[[str, int], int] = lambda key, n: 204
    arrived: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    in_flight: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    most_in_flight: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0
    barrier: threading.Barrier | None = None

    def handle(self, body: dict[str, Any]) -> int:
        key, n = body["key"], body["n"]
        with self.lock:
            self.in_flight[key] += 1
            self.most_in_flight[key] = max(self.most_in_flight[key], self.in_flight[key])
        try:
            if self.barrier is not None:
                try:
                    self.barrier.wait(timeout=10)
                except threading.BrokenBarrierError:
                    return 500
            code = self.decide(key, n)
            if 200 <= code < 300:
                with self.lock:
                    self.arrived[key].append(n)
            return code
        finally:
            with self.lock:
                self.in_flight[key] -= 1


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.AIDBRIDGE_OUTBOX_CONCURRENCY = 4
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            code = receiver.handle(body)
            try:
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:  # the sender gave up (timeout)
                pass

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    refusals: list[tuple[str, int]] = []

    def prepare(message: OutboxMessage) -> transports.Outgoing:
        url = f"http://127.0.0.1:{receiver.port}/in"
        headers = {"Content-Type": "application/json"}
        return transports.Outgoing(url, headers, message.payload.encode())

    def on_refused(message: OutboxMessage, code: int, body: str) -> None:
        refusals.append((message.ordering_key, code))
        if message.ordering_key == "dies":  # the recording transaction fails
            raise RuntimeError("the refusal's audit failed")

    transports.register(SCHEME, prepare, on_refused=on_refused)
    receiver.refusals = refusals  # type: ignore[attr-defined]
    yield receiver
    transports._TRANSPORTS.pop(SCHEME, None)
    transports._ON_REFUSED.pop(SCHEME, None)
    server.shutdown()
    server.server_close()


def write(keys: list[str], per_key: int = 1) -> None:
    with override_settings(TASKS=DUMMY), transaction.atomic():
        for n in range(per_key):
            for key in keys:
                enqueue(f"{SCHEME}:1", key, json.dumps({"key": key, "n": n}))


def by_key() -> dict[str, OutboxMessage]:
    return {m.ordering_key: m for m in OutboxMessage.objects.all()}


def test_messages_of_different_keys_are_in_flight_together(receiver: Receiver) -> None:
    receiver.barrier = threading.Barrier(4)  # all four inside the receiver at once
    write(["a", "b", "c", "d"])
    assert deliver_batch("w") == 4
    assert {k: m.status for k, m in by_key().items()} == dict.fromkeys("abcd", "delivered")
    assert DeliveryAttempt.objects.filter(ok=True).count() == 4
    assert not OutboxMessage.objects.filter(claimed_until__isnull=False).exists()


def test_one_key_never_has_two_messages_in_flight_and_arrives_in_order(
    receiver: Receiver,
) -> None:
    # Three keys of five messages: each round the three keys' next messages must be in
    # the receiver together; a key's second message in flight at once would show.
    receiver.barrier = threading.Barrier(3)
    write(["a", "b", "c"], per_key=5)
    assert deliver_pending("w") == 15
    assert dict(receiver.arrived) == {key: [0, 1, 2, 3, 4] for key in "abc"}
    assert dict(receiver.most_in_flight) == dict.fromkeys("abc", 1)
    assert DeliveryAttempt.objects.count() == 15


def test_a_refusal_or_a_timeout_in_one_thread_leaves_the_others_settled(
    receiver: Receiver, settings: Any
) -> None:
    settings.AIDBRIDGE_OUTBOX_TIMEOUT_S = 3

    def decide(key: str, n: int) -> int:
        if key == "slow":
            time.sleep(5)  # past the sender's timeout
        return 422 if key == "refused" else 204

    receiver.barrier, receiver.decide = threading.Barrier(4), decide
    write(["refused", "slow", "ok1", "ok2"])
    assert deliver_batch("w") == 4
    messages = by_key()
    assert messages["ok1"].status == messages["ok2"].status == "delivered"
    refused, slow = messages["refused"], messages["slow"]
    assert (refused.status, refused.last_status_code) == ("pending", 422)
    assert refused.next_attempt_at > refused.created_at  # its back-off
    assert receiver.refusals == [("refused", 422)]  # type: ignore[attr-defined]
    assert slow.status == "pending" and "timed out" in slow.last_error
    assert slow.last_status_code is None
    for message in messages.values():
        assert message.claimed_until is None and message.attempts == 1
        assert message.log.count() == 1


def test_a_thread_that_dies_mid_batch_leaves_its_claim_to_expire(receiver: Receiver) -> None:
    # The refusal's audit fails in one thread (its recording transaction rolls back,
    # as if the worker died there); the others settle; the error is raised.
    receiver.barrier = threading.Barrier(3)
    receiver.decide = lambda key, n: 422 if key == "dies" else 204
    write(["dies", "ok1", "ok2"])
    with pytest.raises(RuntimeError, match="audit failed"):
        deliver_batch("w1")
    messages = by_key()
    assert messages["ok1"].status == messages["ok2"].status == "delivered"
    dead = messages["dies"]
    assert dead.status == "pending" and dead.claimed_by.startswith("w1/")
    assert dead.claimed_until is not None and not dead.log.exists()
    assert claim("w2") == []  # still leased to the dead thread's worker
    again = claim("w2", now=dead.claimed_until + timedelta(seconds=1))
    assert [m.pk for m in again] == [dead.pk] and again[0].attempts == 2
