"""Playing a request through the real services, for the webhook tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aidbridge.logistics import services as logistics
from aidbridge.offers import services as offers
from aidbridge.offers.models import OfferLine
from aidbridge.outbox.delivery import deliver_pending
from aidbridge.outbox.models import OutboxMessage
from aidbridge.requests.models import RequestForAssistance
from aidbridge.webhooks import services
from aidbridge.webhooks.models import EventType, Subscription
from aidbridge.webhooks.tests.receiver import Receiver


def subscribe(account: Any, receiver: Receiver, types: list[str] | None = None) -> Subscription:
    sub = services.create_subscription(account, receiver.url, types or list(EventType.values))
    receiver.secrets.append(sub.secret)
    return sub


def play(users: dict[str, Any], rfa: RequestForAssistance) -> None:
    """Germany offers 80 ventilators and 1,000 masks; Italy accepts 50 ventilators and
    declines the masks; Germany dispatches 50; Italy confirms 48 arrived."""
    vents, masks = rfa.lines.order_by("position")
    offer = offers.make_offer(
        users["deu"],
        rfa=rfa,
        lines=[{"request_line": vents, "quantity": 80}, {"request_line": masks, "quantity": 1000}],
    )
    on_vents, on_masks = OfferLine.objects.filter(offer=offer).order_by("pk")
    offers.accept_offer_line(users["ita"], on_vents, 50)
    offers.decline_offer_line(users["ita"], on_masks, "Enough masks")
    on_vents.refresh_from_db()
    dispatch = logistics.dispatch_offer_line(users["deu"], on_vents, quantity=50, mode="donor")
    logistics.confirm_receipt(users["ita"], dispatch, quantity=48, note="2 broken")


def deliver_until(done: Callable[[], bool], *, seconds: float = 20) -> None:
    """Run a worker until ``done()`` (retries wait their back-off), or fail."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "not delivered in time"
        deliver_pending("test-worker")
        time.sleep(0.02)


def all_delivered() -> bool:
    return not OutboxMessage.objects.exclude(status=OutboxMessage.Status.DELIVERED).exists()
