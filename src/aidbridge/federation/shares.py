"""At the origin: a change to a shared request raises its version and queues a
snapshot to each partner it is shared with (built when sent: ``snapshot``)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from aidbridge.federation import ids
from aidbridge.federation.messages import SNAPSHOT, dumps
from aidbridge.federation.models import Partner, Share
from aidbridge.requests.models import RequestForAssistance


def share_changed(rfa_pk: int) -> int:
    """Queue a snapshot of our request to each partner sharing its crisis; how many."""
    from aidbridge.outbox.services import enqueue

    rfa = RequestForAssistance.objects.filter(pk=rfa_pk).values("crisis_id", "circulated_at")
    row = rfa.first()
    if row is None or row["circulated_at"] is None:
        return 0
    partners = [
        p for p in Partner.objects.filter(crises__id=row["crisis_id"]).distinct() if p.sends_to
    ]
    if not partners:
        return 0
    share, _created = Share.objects.get_or_create(rfa_id=rfa_pk)
    Share.objects.filter(pk=share.pk).update(version=F("version") + 1)
    key = ids.gid_of("rfa", rfa_pk)
    for partner in partners:
        enqueue(
            partner.destination,
            key,
            dumps({"kind": SNAPSHOT, "rfa": rfa_pk}),
            event_type="federation.snapshot",
        )
    return len(partners)


def share_crisis(code: str) -> int:
    """Queue snapshots of every circulated request of crisis ``code``; how many."""
    rfas = RequestForAssistance.objects.filter(crisis__code=code, circulated_at__isnull=False)
    sent = 0
    for pk in rfas.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            sent += share_changed(pk)
    return sent
