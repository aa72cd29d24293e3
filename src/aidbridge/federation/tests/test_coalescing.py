"""At the origin, each change committed on its own (as in production): a burst of
changes to a shared request queues one snapshot, built when sent, which brings the
partner to the origin's state; a snapshot already tried is never joined, so nothing
is lost and the order per request holds; an older snapshot never overwrites a newer
one. The partner here is this same database, receiving the origin's snapshot as ERCC
would send it (its global ids renamed), through the real inbound endpoint."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from aidbridge.crises.models import Crisis
from aidbridge.federation.models import Mirror, Partner, Share
from aidbridge.federation.tests.conftest import send
from aidbridge.ledger.recompute import recompute
from aidbridge.ledger.sums import line_figures
from aidbridge.offers import services as offers
from aidbridge.outbox.delivery import claim, due
from aidbridge.outbox.delivery import send as attempt
from aidbridge.outbox.models import OutboxMessage
from aidbridge.outbox.transports import prepare
from aidbridge.requests.models import RequestForAssistance

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_no_delivery_task"),
]


@pytest.fixture
def _no_delivery_task() -> Any:
    # Nothing delivers behind the test's back: it claims and sends itself.
    with override_settings(TASKS=DUMMY):
        yield


def snapshots(partner: Partner) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(destination=partner.destination).order_by("id").all())


def offer(users: dict[str, Any], rfa: RequestForAssistance, quantity: int) -> Any:
    line = rfa.lines.get(position=1)
    return offers.make_offer(
        users["deu"], rfa=rfa, lines=[{"request_line": line, "quantity": quantity}]
    )


def as_partner(message: OutboxMessage, message_id: str) -> dict[str, Any]:
    """Build ``message`` as a worker would and apply it as ERCC's message here."""
    body = prepare(message).body.replace(b'"EADRCC:', b'"ERCC:')
    answer = send(body, message_id=message_id)
    assert answer.status_code == 200, answer.content
    return dict(answer.json())


def figures(rfa: RequestForAssistance) -> list[dict[str, int]]:
    found = line_figures(list(rfa.lines.order_by("position")))
    return [vars(found[line.pk]) for line in rfa.lines.order_by("position")]


def test_a_burst_of_changes_sends_one_snapshot_that_brings_the_partner_level(
    ercc: Partner, ita_rfa: RequestForAssistance, users: dict[str, Any], crisis: Crisis
) -> None:
    (waiting,) = snapshots(ercc)  # circulating queued it
    made = [offer(users, ita_rfa, q) for q in (10, 20, 30, 40)]
    offers.accept_offer_line(users["ita"], made[0].lines.get(), 10)
    # Five more commits, one message: each joined it, counted, and raised the version.
    assert [(m.pk, m.changes) for m in snapshots(ercc)] == [(waiting.pk, 6)]
    assert Share.objects.get(rfa=ita_rfa).version == 6
    assert as_partner(waiting, waiting.message_id)["outcome"] == "applied version 6"
    mirror = Mirror.objects.get(origin_gid=f"ERCC:rfa:{ita_rfa.pk}")
    assert figures(mirror.rfa) == figures(ita_rfa)
    assert figures(ita_rfa)[0]["offered"] == 100 and figures(ita_rfa)[0]["accepted"] == 10
    assert recompute(crisis) == []  # the partner's maintained figures equal its ledger


def test_a_snapshot_being_sent_is_not_joined_the_next_one_waits_behind_it(
    ercc: Partner, ita_rfa: RequestForAssistance, users: dict[str, Any], settings: Any
) -> None:
    (first,) = claim("w1")
    assert first.attempts == 1
    offer(users, ita_rfa, 10)
    offer(users, ita_rfa, 20)
    first_, second = snapshots(ercc)
    assert (first_.pk, second.changes) == (first.pk, 2)
    # In order per request: the second is not due while the first is undelivered.
    assert claim("w2") == []
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = []  # 127.0.0.1 refused: the attempt fails
    assert not attempt(first, "w1").ok
    offer(users, ita_rfa, 30)
    # Tried once (it may have arrived, unanswered): never joined; the waiting one is.
    assert [(m.pk, m.changes) for m in snapshots(ercc)] == [(first.pk, 1), (second.pk, 3)]
    # Whenever it is tried again, it goes first; the later one still waits behind it.
    later = timezone.now() + timedelta(days=1)
    assert [m.pk for m in due(later)] == [first.pk]


def test_an_older_snapshot_never_overwrites_a_newer_one(
    ercc: Partner, ita_rfa: RequestForAssistance, users: dict[str, Any]
) -> None:
    (message,) = snapshots(ercc)
    before = prepare(message).body  # built now: version 1, no offer
    offer(users, ita_rfa, 25)
    assert as_partner(message, "new")["outcome"] == "applied version 2"
    mirror = Mirror.objects.get(origin_gid=f"ERCC:rfa:{ita_rfa.pk}")
    stale = send(before.replace(b'"EADRCC:', b'"ERCC:'), message_id="old").json()
    assert stale["outcome"] == "stale: version 1, have 2"
    assert figures(mirror.rfa)[0]["offered"] == 25


def test_a_change_rolled_back_in_a_savepoint_leaves_no_trace_and_the_next_counts(
    ercc: Partner, ita_rfa: RequestForAssistance, users: dict[str, Any]
) -> None:
    (message,) = snapshots(ercc)
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            offer(users, ita_rfa, 10)
            raise RuntimeError("the offer's savepoint is rolled back")
        # The version and the mark of the rolled-back offer went with it: this one is
        # queued again (joins the message, raises the version) rather than skipped.
        offer(users, ita_rfa, 20)
    assert [(m.pk, m.changes) for m in snapshots(ercc)] == [(message.pk, 2)]
    assert Share.objects.get(rfa=ita_rfa).version == 2
    body = json.loads(prepare(message).body)
    assert [o["lines"][0]["quantity"] for o in body["request"]["offers"]] == [20]


def test_an_offer_and_its_lines_are_one_change(
    ercc: Partner, ita_rfa: RequestForAssistance, users: dict[str, Any]
) -> None:
    vents, masks = ita_rfa.lines.order_by("position")
    offers.make_offer(
        users["deu"],
        rfa=ita_rfa,
        lines=[{"request_line": vents, "quantity": 5}, {"request_line": masks, "quantity": 900}],
    )
    # Three audit entries (the offer, its two lines), one transaction: counted once.
    assert [m.changes for m in snapshots(ercc)] == [2]
    assert Share.objects.get(rfa=ita_rfa).version == 2
