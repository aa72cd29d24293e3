"""Writing to the outbox, and the centre's one action on it (retry now).

``enqueue`` must run inside the transaction of the change that causes the message:
committed together, or neither. After the commit, a delivery task is queued (once per
transaction, however many messages it wrote).

**Coalescing** (``enqueue(coalesce=True)``), for messages whose body is not the event
but a pointer to state read when the message is sent (a partner centre's snapshot of
a request, ``{"kind": "snapshot", "rfa": 7}``, built at each attempt): a burst of
changes to one request must not send the whole request once per change. If the
newest open message of the same destination and ordering key has the same event type
and body and has **never been tried**, it already stands for this change too: it is
locked (``SELECT ... FOR UPDATE``), its ``changes`` count goes up, and no row is
added. It keeps its id, so its place in its key's order; being the newest of its key,
nothing of its key comes after it, so what it carries is still sent in order.

Why merging at write time, and not superseding at claim time (a worker marking an
older snapshot "superseded" when a newer one of its key waits): rows are not written
and then thrown away, the workers' claim stays as it is, and the queue of a key holds
at most two messages whatever happens (the one being tried and the one gathering the
changes since), also while a partner is down for hours, rather than one per change.

Why never tried: a message tried once may have reached its receiver even though no
answer came back (a timeout); the receiver then knows its id, and drops a second
delivery of it as a replay, so a change merged into it would never arrive. A message
never claimed has not left the building; whatever it stands for goes with it.

The lock keeps it exact with workers claiming at the same time: on PostgreSQL a claim
skips a row we hold (``SKIP LOCKED``) until our commit, after which it sends the state
including our change; if a claim holds it first, our ``FOR UPDATE`` waits for that
commit and then sees the message tried (``attempts`` 1), so we write a new one. SQLite
has no row locks, but its ``IMMEDIATE`` transactions hold the one write lock from the
start, so a claim cannot fall between our read and our write.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from aidbridge.accounts.permissions import is_centre
from aidbridge.audit.services import record
from aidbridge.core.errors import Conflict, NotAllowed
from aidbridge.outbox.models import OutboxMessage
from aidbridge.outbox.tasks import deliver_soon

OPEN = (OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILING)


def enqueue(
    destination: str,
    ordering_key: str,
    payload: str,
    *,
    content_type: str = "application/json",
    event_type: str = "",
    coalesce: bool = False,
) -> OutboxMessage:
    """Write one message in the current transaction; delivered after the commit.

    ``coalesce``: the body points at state read when sending; merge into the newest
    open message of the key if it is the same and never tried (module doc)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox.enqueue must run inside the transaction of the change")
    if coalesce:
        newest = (
            OutboxMessage.objects.select_for_update()
            .filter(destination=destination, ordering_key=ordering_key, status__in=OPEN)
            .order_by("-id")
            .first()
        )
        if (
            newest is not None
            and newest.attempts == 0
            and newest.claimed_until is None
            and newest.event_type == event_type
            and newest.content_type == content_type
            and newest.payload == payload
        ):
            OutboxMessage.objects.filter(pk=newest.pk).update(changes=F("changes") + 1)
            newest.changes += 1
            kick_on_commit()
            return newest
    now = timezone.now()
    message = OutboxMessage.objects.create(
        created_at=now,
        next_attempt_at=now,
        destination=destination,
        ordering_key=ordering_key,
        payload=payload,
        content_type=content_type,
        event_type=event_type,
    )
    kick_on_commit()
    return message


def _kick() -> None:

    deliver_soon()


def kick_on_commit() -> None:
    """Queue one delivery task when the current transaction commits (none on rollback)."""
    connection = transaction.get_connection()
    if any(func is _kick for _sids, func, _robust in connection.run_on_commit):
        return
    # robust: the change has committed; a task backend that fails leaves the message
    # pending, for the periodic task or ``aidbridge outbox deliver``.
    transaction.on_commit(_kick, robust=True)


def retry_now(actor: Any, message: OutboxMessage) -> OutboxMessage:
    """The centre asks for a queued or failing message to be tried at once."""
    if not is_centre(actor):
        raise NotAllowed("only the centre manages the outbox")
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status not in OPEN:
            raise Conflict(f"the message is {locked.status}: nothing to retry")
        before = locked.status
        locked.status = OutboxMessage.Status.PENDING
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["status", "next_attempt_at"])
        record(
            actor,
            "outbox.retry",
            locked,
            from_state=before,
            to_state=locked.status,
            changes={"attempts": [locked.attempts, locked.attempts]},
        )
        kick_on_commit()
    return locked


def cancel_destination(destination: str) -> int:
    """Cancel the undelivered messages of a destination that is gone; how many."""
    return OutboxMessage.objects.filter(destination=destination, status__in=OPEN).update(
        status=OutboxMessage.Status.CANCELLED, claimed_until=None, claimed_by=""
    )
