"""Delivery faults against a real receiver: down then up, 500s, timeouts, a worker that
died holding its claim, a message past its attempts. Everything arrives, in order per
request, and nothing is processed twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from aidbridge.outbox import delivery
from aidbridge.outbox.delivery import claim, deliver_pending
from aidbridge.outbox.models import DeliveryAttempt, OutboxMessage
from aidbridge.requests.models import RequestForAssistance
from aidbridge.webhooks.tests.helpers import all_delivered, deliver_until, play, subscribe
from aidbridge.webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db

FAST_RETRIES = {"AIDBRIDGE_OUTBOX_BACKOFF_S": 0.05, "AIDBRIDGE_OUTBOX_BACKOFF_MAX_S": 0.2}


def _in_written_order(receiver: Receiver) -> None:
    written = list(OutboxMessage.objects.order_by("id").values_list("message_id", flat=True))
    assert [e["id"] for e in receiver.processed] == written


@override_settings(**FAST_RETRIES)
def test_receiver_down_then_up_gets_everything_in_order_once(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    subscribe(machine, receiver)
    receiver.stop()
    play(users, ita_rfa)
    deliver_pending("w")
    first = OutboxMessage.objects.order_by("id").first()
    # (A slow machine may retry within the call: the back-off here is 50 ms.)
    assert first is not None and first.status == "pending" and first.attempts >= 1
    assert "Connection refused" in first.last_error or "URLError" in first.last_error
    # In order: the later messages of the request were not even tried.
    assert not DeliveryAttempt.objects.exclude(message=first).exists()
    # Still down: more attempts, after their back-off.
    deliver_until(lambda: OutboxMessage.objects.get(pk=first.pk).attempts >= 3)
    assert not DeliveryAttempt.objects.exclude(message=first).exists()
    receiver.start()  # the same port
    deliver_until(all_delivered)
    assert len(receiver.processed) == 6
    assert len(receiver.arrived) == 6  # nothing sent twice
    _in_written_order(receiver)


def test_a_500_is_retried_after_an_exponential_back_off_with_jitter(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    subscribe(machine, receiver, ["offer.accepted"])
    receiver.answer = "error"
    play(users, ita_rfa)
    base = 60.0  # settings' default is 2 s; a long one makes the bounds exact to check
    waits = []
    with override_settings(AIDBRIDGE_OUTBOX_BACKOFF_S=base):
        for attempt in (1, 2, 3):
            deliver_pending("w")
            message = OutboxMessage.objects.get()
            tried = DeliveryAttempt.objects.filter(message=message).order_by("-id").first()
            assert tried is not None and tried.status_code == 500 and not tried.ok
            assert message.attempts == attempt and message.last_status_code == 500
            wait = (message.next_attempt_at - tried.started_at).total_seconds()
            ceiling = base * 2 ** (attempt - 1)
            assert 0.5 * ceiling <= wait <= ceiling + 1, (attempt, wait)
            waits.append(wait)
            deliver_pending("w")  # not due yet: nothing tried
            assert DeliveryAttempt.objects.count() == attempt
            # Time passes: the retry is due.
            OutboxMessage.objects.update(next_attempt_at=timezone.now())
    receiver.answer = "ok"
    deliver_pending("w")
    assert OutboxMessage.objects.get().status == "delivered"
    assert len(receiver.processed) == 1 and len(receiver.arrived) == 4


@override_settings(AIDBRIDGE_OUTBOX_TIMEOUT_S=0.3, **FAST_RETRIES)
def test_a_timeout_is_an_attempt_that_failed_and_is_retried(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    subscribe(machine, receiver, ["offer.accepted"])
    receiver.answer, receiver.slow_s = "slow", 1.5
    play(users, ita_rfa)
    deliver_pending("w")
    message = OutboxMessage.objects.get()
    assert message.status == "pending" and message.last_status_code is None
    assert "timed out" in message.last_error
    receiver.answer = "ok"
    deliver_until(all_delivered)
    # The slow copy arrived too (the receiver got it, answered late): at least once,
    # and the receiver processed it once, by its webhook-id.
    assert len(receiver.processed) == 1
    assert {a.headers["webhook-id"] for a in receiver.arrived} == {message.message_id}


@override_settings(AIDBRIDGE_OUTBOX_LEASE_S=3.0, AIDBRIDGE_OUTBOX_TIMEOUT_S=0.3, **FAST_RETRIES)
def test_a_worker_that_dies_mid_delivery_leaves_the_message_to_another_after_its_lease(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    subscribe(machine, receiver, ["offer.accepted", "aid.dispatched"])
    play(users, ita_rfa)
    # The dying worker claims, sends the first message, and is gone before it records
    # the answer: what a worker killed between the send and its bookkeeping leaves.
    [held, _later] = claim("dying") + list(OutboxMessage.objects.filter(attempts=0))
    from aidbridge.outbox import transports

    delivery.post(transports.prepare(held), 1.0)
    assert len(receiver.arrived) == 1
    # Within the lease another worker leaves it alone, and the later message of the
    # same request waits behind it.
    assert deliver_pending("other") == 0
    deliver_until(all_delivered, seconds=10)  # after the lease: claimed again
    held.refresh_from_db()
    assert held.attempts == 2 and held.status == "delivered"
    assert DeliveryAttempt.objects.filter(message=held).values_list("worker", flat=True)[0] == (
        "test-worker"
    )
    # At least once: the receiver got the first message twice, processed it once.
    assert [a.headers["webhook-id"] for a in receiver.arrived].count(held.message_id) == 2
    assert len(receiver.processed) == 2
    _in_written_order(receiver)


@override_settings(AIDBRIDGE_OUTBOX_MAX_ATTEMPTS=2, **FAST_RETRIES)
def test_past_its_attempts_a_message_is_failing_shown_and_still_retried(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    subscribe(machine, receiver, ["offer.made"])
    receiver.answer = "error"
    play(users, ita_rfa)
    first, second = OutboxMessage.objects.order_by("id")
    deliver_until(lambda: OutboxMessage.objects.get(pk=first.pk).status == "failing")
    failing = OutboxMessage.objects.get(pk=first.pk)
    assert failing.attempts >= 2 and failing.last_error.startswith("HTTP 500")
    # The later message of the same request is held back, never tried.
    assert not DeliveryAttempt.objects.filter(message=second).exists()
    receiver.answer = "ok"
    deliver_until(all_delivered)
    assert DeliveryAttempt.objects.filter(message=first, ok=True).count() == 1
    _in_written_order(receiver)


def test_the_age_limit_also_makes_a_message_failing(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    subscribe(machine, receiver, ["offer.accepted"])
    receiver.answer = "error"
    play(users, ita_rfa)
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(hours=25))
    deliver_pending("w")
    assert OutboxMessage.objects.get().status == "failing"


def test_a_deleted_subscription_cancels_its_undelivered_messages(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    from aidbridge.webhooks import services

    sub = subscribe(machine, receiver, ["offer.made"])
    play(users, ita_rfa)
    services.delete_subscription(machine, sub)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"cancelled"}
    assert deliver_pending("w") == 0
    assert receiver.arrived == []
