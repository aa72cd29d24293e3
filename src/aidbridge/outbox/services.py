"""Writing to the outbox, and the centre's one action on it (retry now).

``enqueue`` must run inside the transaction of the change that causes the message:
committed together, or neither. After the commit, a delivery task is queued (once per
transaction, however many messages it wrote).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
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
) -> OutboxMessage:
    """Write one message in the current transaction; delivered after the commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox.enqueue must run inside the transaction of the change")
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
