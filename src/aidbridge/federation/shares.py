"""At the origin: a change to a shared request raises its version and queues a
snapshot to each partner it is shared with (built when sent: ``snapshot``)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F

from aidbridge.federation import ids
from aidbridge.federation.messages import SNAPSHOT, dumps
from aidbridge.federation.models import Direction, Partner, Share
from aidbridge.outbox.models import OutboxMessage
from aidbridge.outbox.services import enqueue
from aidbridge.requests.models import RequestForAssistance


class _Queued:
    """A mark in the transaction's on-commit list: request ``rfa_pk``'s snapshot is
    queued in this transaction, in the outbox messages ``pks``. Django drops the
    callbacks registered inside a savepoint that is rolled back, and the whole list
    at commit or rollback, so the mark is there exactly as long as the version and the
    messages written with it."""

    __slots__ = ("pks", "rfa_pk")

    def __init__(self, rfa_pk: int, pks: list[int]) -> None:
        self.rfa_pk, self.pks = rfa_pk, pks

    def __call__(self) -> None:
        return None


def queued_in_transaction(rfa_pk: int) -> bool:
    """Is a snapshot of ``rfa_pk`` queued by the current transaction, and still
    waiting, never tried? (It always is until the commit, unless something sends
    inside the transaction, as an in-process test may: then it is not.)"""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    for _sids, func, _robust in reversed(connection.run_on_commit):
        if isinstance(func, _Queued) and func.rfa_pk == rfa_pk:
            waiting = OutboxMessage.objects.filter(
                pk__in=func.pks, attempts=0, claimed_until__isnull=True
            )
            return waiting.count() == len(func.pks)
    return False


def share_changed(
    rfa_pk: int, *, crisis_id: int | None = None, circulated: datetime | None = None
) -> int:
    """Queue a snapshot of our request to each partner sharing its crisis; how many
    partners. ``crisis_id`` and ``circulated`` when the caller has read them already.

    Once per transaction: the snapshot is built when sent, after the commit, so the
    transaction's later changes to the request (an offer and its lines: one audit
    entry each) are in it already. Across transactions the outbox message is
    coalesced (``outbox.services`` module doc): a change while the request's snapshot
    to a partner still waits, never tried, joins that message, so a burst of changes
    to one request sends it once. Each transaction raises the version once."""
    if queued_in_transaction(rfa_pk):
        return 0
    if crisis_id is None:
        row = RequestForAssistance.objects.filter(pk=rfa_pk).values("crisis_id", "circulated_at")
        found = row.first()
        if found is None:
            return 0
        crisis_id, circulated = found["crisis_id"], found["circulated_at"]
    if circulated is None:
        return 0
    partners = list(
        Partner.objects.filter(
            crises__id=crisis_id, active=True, direction__in=(Direction.SEND, Direction.BOTH)
        )
        .distinct()
        .order_by("pk")
    )
    if not partners:
        return 0
    if not Share.objects.filter(rfa_id=rfa_pk).update(version=F("version") + 1):
        Share.objects.get_or_create(rfa_id=rfa_pk)
        Share.objects.filter(rfa_id=rfa_pk).update(version=F("version") + 1)
    key = ids.own_gid("rfa", rfa_pk)  # a request we share is ours: never linked
    pks = [
        enqueue(
            partner.destination,
            key,
            dumps({"kind": SNAPSHOT, "rfa": rfa_pk}),
            event_type="federation.snapshot",
            coalesce=True,
        ).pk
        for partner in partners
    ]
    transaction.on_commit(_Queued(rfa_pk, pks))
    return len(partners)


def share_crisis(code: str) -> int:
    """Queue snapshots of every circulated request of crisis ``code``; how many."""
    rfas = RequestForAssistance.objects.filter(
        crisis__code=code, circulated_at__isnull=False, mirror__isnull=True
    )  # mirrors are their origin's to send
    sent = 0
    for pk in rfas.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            sent += share_changed(pk)
    return sent
