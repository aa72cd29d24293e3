"""Delivering the outbox: claim due messages, send each once, log the attempt.

**Claims.** A worker claims up to ``AIDBRIDGE_OUTBOX_BATCH`` due messages in one short
transaction: on PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED`` (two workers never
pick the same row, and neither waits for the other), then a conditional UPDATE that
sets its lease (``claimed_until``) and a claim token unique to this claim. The lease
outlives the batch (``AIDBRIDGE_OUTBOX_LEASE_S`` > batch * timeout); a worker that is
killed mid-delivery leaves its claim to expire, after which another worker claims the
message again. Delivery is therefore **at least once**: a message sent by a worker
that died before recording the answer is sent again, with the same ``message_id``
(the ``webhook-id``), by which the receiver drops the second copy.

SQLite has no row locks: the conditional UPDATE still stops two claims of one row
inside one process's database, but run **one** worker on SQLite (``aidbridge serve``
does); several workers need PostgreSQL.

**Order.** A message is due only when no earlier message (lower id) of the same
destination and ordering key is still pending or failing, so at most one message per
key is in flight and a key's messages arrive in the order they were written. A failing
message holds back the later ones of its key until it is delivered.

**Concurrency.** A worker sends up to ``AIDBRIDGE_OUTBOX_CONCURRENCY`` (4) messages of
its batch at once, each from a thread with its own database connection (closed when
the thread ends), messages of one key always one after another in one thread. Claims,
leases, settlement and refusals are those of one message at a time. On PostgreSQL a
worker uses up to that many connections more while it sends.

**Where.** Only to public addresses (``egress``: each connection checks the address it
connects to; ``AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS`` lists exceptions), never through a
proxy, never following a redirect.

**Retries.** A failed attempt (no answer, a timeout, any status other than 2xx,
redirects included, a refused address) is tried again after an exponential back-off with jitter:
``min(max, base * 2**(attempts - 1)) * uniform(0.5, 1)``. After
``AIDBRIDGE_OUTBOX_MAX_ATTEMPTS`` attempts or ``AIDBRIDGE_OUTBOX_MAX_AGE_H`` hours the
message is *failing*: shown on the outbox page, still retried at the longest back-off,
never dropped.

**Refusals.** A 4xx answer is also handed to the destination scheme's ``on_refused``
(``transports``) in the transaction that records the attempt, while the claim is
still ours, so an app can audit it with the attempt (partner centres do).
"""

from __future__ import annotations

import queue
import random
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from aidbridge.outbox import egress, transports
from aidbridge.outbox.models import DeliveryAttempt, OutboxMessage

Status = OutboxMessage.Status
OPEN = (Status.PENDING, Status.FAILING)
ERROR_CHARS = 500
REFUSAL_CHARS = 4000  # enough for an API error's JSON to parse whole


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """The wait after the ``attempts``-th failed attempt (1 for the first)."""
    base = settings.AIDBRIDGE_OUTBOX_BACKOFF_S
    ceiling = min(settings.AIDBRIDGE_OUTBOX_BACKOFF_MAX_S, base * 2 ** max(attempts - 1, 0))
    # Jitter spreads the retries of many messages that failed together (a receiver
    # that was down) so they do not all come back in the same second.
    return timedelta(seconds=ceiling * (rng or random).uniform(0.5, 1.0))


def _claimable(now: datetime) -> Q:
    return Q(status__in=OPEN, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )


def due(now: datetime) -> QuerySet[OutboxMessage]:
    earlier_open = OutboxMessage.objects.filter(
        destination=OuterRef("destination"),
        ordering_key=OuterRef("ordering_key"),
        id__lt=OuterRef("id"),
        status__in=OPEN,
    )
    return OutboxMessage.objects.filter(_claimable(now)).filter(~Exists(earlier_open))


def claim(
    worker: str, *, limit: int | None = None, now: datetime | None = None
) -> list[OutboxMessage]:
    """Claim up to ``limit`` due messages for ``worker``; the claimed rows, oldest first."""
    now = now or timezone.now()
    limit = limit or settings.AIDBRIDGE_OUTBOX_BATCH
    token = f"{worker[:60]}/{uuid.uuid4().hex[:12]}"
    lease = timedelta(seconds=settings.AIDBRIDGE_OUTBOX_LEASE_S)
    with transaction.atomic():
        ids = list(
            due(now)
            .order_by("id")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        # Conditional: on SQLite (no row locks) a row another claim took meanwhile is
        # left alone, so the same row is never claimed twice.
        OutboxMessage.objects.filter(_claimable(now), pk__in=ids).update(
            claimed_until=now + lease, claimed_by=token, attempts=F("attempts") + 1
        )
        return list(OutboxMessage.objects.filter(pk__in=ids, claimed_by=token).order_by("id"))


@dataclass
class Answer:
    ok: bool
    status_code: int | None
    error: str
    body: str = ""  # the start of a refusal's body (its error code, for on_refused)


def post(outgoing: transports.Outgoing, timeout: float) -> Answer:
    request = urllib.request.Request(
        outgoing.url, data=outgoing.body, headers=outgoing.headers, method="POST"
    )
    try:
        with egress.OPENER.open(request, timeout=timeout) as response:
            response.read(1024)
            code = response.status
    except urllib.error.HTTPError as refused:
        text = refused.read(REFUSAL_CHARS).decode("utf-8", "replace")
        error = f"HTTP {refused.code} {refused.reason}: {text[:ERROR_CHARS]}".strip()
        return Answer(False, refused.code, error, body=text)
    except (OSError, ValueError) as failed:  # URLError, timeouts, refused connections
        reason = getattr(failed, "reason", failed)
        return Answer(False, None, f"{type(failed).__name__}: {reason}"[:ERROR_CHARS])
    if 200 <= code < 300:
        return Answer(True, code, "")
    return Answer(False, code, f"HTTP {code}")


def send(message: OutboxMessage, worker: str) -> Answer:
    """One attempt at a claimed message: send it, log it, settle it."""
    started = timezone.now()
    clock = time.perf_counter()
    try:
        outgoing = transports.prepare(message)
    except transports.DestinationGone as gone:
        return _settle(message, worker, started, clock, Answer(False, None, str(gone)), gone=True)
    except transports.CannotPrepare as cannot:
        return _settle(message, worker, started, clock, Answer(False, None, str(cannot)))
    answer = post(outgoing, settings.AIDBRIDGE_OUTBOX_TIMEOUT_S)
    return _settle(message, worker, started, clock, answer)


def _settle(
    message: OutboxMessage,
    worker: str,
    started: datetime,
    clock: float,
    answer: Answer,
    *,
    gone: bool = False,
) -> Answer:
    duration = round((time.perf_counter() - clock) * 1000)
    now = timezone.now()
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            message=message,
            started_at=started,
            duration_ms=duration,
            worker=worker[:80],
            status_code=answer.status_code,
            ok=answer.ok,
            error=answer.error,
        )
        # Only while the claim is still ours: a worker whose lease ran out must not
        # overwrite what the worker that took the message over has recorded.
        mine = OutboxMessage.objects.filter(pk=message.pk, claimed_by=message.claimed_by)
        settled = {"claimed_until": None, "last_status_code": answer.status_code}
        if answer.ok:
            mine.update(**settled, status=Status.DELIVERED, delivered_at=now, last_error="")
        elif gone:
            mine.update(**settled, status=Status.CANCELLED, last_error=answer.error)
        else:
            age = now - message.created_at
            failing = message.attempts >= settings.AIDBRIDGE_OUTBOX_MAX_ATTEMPTS or age >= (
                timedelta(hours=settings.AIDBRIDGE_OUTBOX_MAX_AGE_H)
            )
            ours = mine.update(
                **settled,
                status=Status.FAILING if failing else Status.PENDING,
                next_attempt_at=now + backoff(message.attempts),
                last_error=answer.error,
            )
            code = answer.status_code
            if ours and code is not None and 400 <= code < 500:
                transports.refused(message, code, answer.body)
    return answer


def release(messages: list[OutboxMessage]) -> None:
    """Hand back claimed messages not attempted (the lease would not cover them)."""
    for message in messages:
        OutboxMessage.objects.filter(pk=message.pk, claimed_by=message.claimed_by).update(
            claimed_until=None, attempts=F("attempts") - 1
        )


def deliver_batch(worker: str) -> int:
    """Claim one batch and try each message once; how many were claimed."""
    batch = claim(worker)
    if not batch:
        return 0
    lanes = _lanes(batch)
    width = min(settings.AIDBRIDGE_OUTBOX_CONCURRENCY, len(lanes))
    # Inside a caller's transaction the claim is not committed yet: other connections
    # (the threads') would not see it, so such a caller delivers in its own thread.
    if width <= 1 or transaction.get_connection().in_atomic_block:
        for lane in lanes:
            _deliver_lane(lane, worker)
    else:
        _deliver_concurrently(lanes, width, worker)
    return len(batch)


def _lanes(batch: list[OutboxMessage]) -> list[list[OutboxMessage]]:
    """The batch split by destination and ordering key, each lane oldest first.

    The claim already takes at most one message of a key (a later one is not due while
    an earlier one is open); a lane is sent by one thread in order all the same, so two
    messages of one key are never in flight together whatever the claim returns."""
    lanes: dict[tuple[str, str], list[OutboxMessage]] = {}
    for message in batch:
        lanes.setdefault((message.destination, message.ordering_key), []).append(message)
    return list(lanes.values())


def _deliver_lane(lane: list[OutboxMessage], worker: str) -> None:
    timeout = settings.AIDBRIDGE_OUTBOX_TIMEOUT_S
    for index, message in enumerate(lane):
        # Stop while the lease still covers one more attempt: a message sent after its
        # lease ran out could be sent by another worker at the same time.
        assert message.claimed_until is not None
        if timezone.now() + timedelta(seconds=timeout) >= message.claimed_until:
            release(lane[index:])
            return
        send(message, worker)


def _deliver_concurrently(lanes: list[list[OutboxMessage]], width: int, worker: str) -> None:
    """Send ``width`` lanes at a time, each thread on its own database connection.

    A receiver's answer takes most of an attempt (a partner centre applies a snapshot
    before answering): one worker with several attempts in flight keeps up where one
    at a time queues. Each attempt is settled by its own thread, only while the claim
    is still ours, exactly as one at a time; a thread that fails stops its lane (the
    rest keep their claims, which expire) and the failure is raised once all are done,
    as the sequential loop would have raised it."""
    waiting: queue.SimpleQueue[list[OutboxMessage]] = queue.SimpleQueue()
    for lane in lanes:
        waiting.put(lane)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            while True:
                try:
                    lane = waiting.get_nowait()
                except queue.Empty:
                    return
                _deliver_lane(lane, worker)
        except BaseException as failed:  # raised in the calling thread below
            failures.append(failed)
        finally:
            connections.close_all()  # this thread's connections, not the caller's

    threads = [threading.Thread(target=run, name=f"outbox-{n}") for n in range(width)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def deliver_pending(worker: str | None = None, *, max_batches: int | None = None) -> int:
    """Deliver what is due until nothing is (or ``max_batches``); messages claimed."""
    worker = worker or default_worker_name()
    total = batches = 0
    while max_batches is None or batches < max_batches:
        claimed = deliver_batch(worker)
        if not claimed:
            break
        total += claimed
        batches += 1
    return total


def default_worker_name() -> str:
    import os
    import socket
    import threading

    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def next_due() -> datetime | None:
    """When the earliest open message is due (for the periodic task's next run)."""
    row = (
        OutboxMessage.objects.filter(status__in=OPEN)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return row
