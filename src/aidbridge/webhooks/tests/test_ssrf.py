"""Server-side request forgery: a machine account may not make the centre POST to the
centre's own loopback, its private network or a metadata address. Refused with a 422
naming ``url`` at registration, and again at each delivery, against the address the
worker actually connects to (a name that resolves elsewhere later, DNS rebinding);
redirects are never followed. Deliveries go to a real receiver on loopback."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.utils import timezone

from aidbridge.conftest import ApiClient
from aidbridge.outbox.delivery import deliver_pending
from aidbridge.outbox.models import DeliveryAttempt, OutboxMessage
from aidbridge.requests.models import RequestForAssistance
from aidbridge.webhooks import services
from aidbridge.webhooks.models import Subscription
from aidbridge.webhooks.tests.helpers import play, subscribe
from aidbridge.webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "address", "kind"),
    [
        ("http://127.0.0.1:8000/hook", "127.0.0.1", "loopback"),
        ("http://localhost:8000/hook", "127.0.0.1", "loopback"),  # a name for it
        ("http://[::1]:8000/hook", "::1", "loopback"),
        ("http://[::ffff:127.0.0.1]/hook", "::ffff:127.0.0.1", "loopback"),
        ("https://10.0.0.5/hook", "10.0.0.5", "private"),
        ("https://192.168.1.20/hook", "192.168.1.20", "private"),
        ("https://[fd00::5]/hook", "fd00::5", "private"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254", "link-local"),
        ("http://[fe80::1]/hook", "fe80::1", "link-local"),
        ("http://224.0.0.1/hook", "224.0.0.1", "multicast"),
        ("http://[ff02::1]/hook", "ff02::1", "multicast"),
        ("http://240.0.0.1/hook", "240.0.0.1", "reserved"),
        ("http://0.0.0.0:8000/hook", "0.0.0.0", "unspecified"),
        ("http://[::]:8000/hook", "::", "unspecified"),
    ],
)
def test_registration_to_an_address_that_is_not_public_is_a_422_naming_the_url(
    machine: Any, url: str, address: str, kind: str
) -> None:
    refused = ApiClient(machine).post("/webhooks", {"url": url, "event_types": ["offer.made"]})
    assert refused.status_code == 422, refused.json()
    [error] = refused.json()["errors"]
    assert error["field"] == "url"
    if "localhost" in url:
        # localhost may resolve to ::1 first on some machines: either is loopback.
        assert "localhost resolves to" in error["message"]
    else:
        assert error["message"].startswith(f"{address} is ")
    assert f"a {kind} address" in error["message"] or f"an {kind} address" in error["message"]
    assert not Subscription.objects.exists()


def test_the_refusal_is_in_the_readers_language(machine: Any) -> None:
    refused = ApiClient(machine).post(
        "/webhooks",
        {"url": "http://127.0.0.1:9/hook", "event_types": ["offer.made"]},
        headers={"Accept-Language": "fr"},
    )
    assert refused.status_code == 422
    message = refused.json()["errors"][0]["message"]
    assert "une adresse de bouclage" in message and "publiques" in message, message


def test_a_deployment_may_allow_its_private_network(machine: Any, settings: Any) -> None:
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    client = ApiClient(machine)
    made = client.post("/webhooks", {"url": "https://10.0.0.5/hook", "event_types": ["offer.made"]})
    assert made.status_code == 201, made.json()
    refused = client.post("/webhooks", {"url": "http://127.0.0.1/x", "event_types": ["offer.made"]})
    assert refused.status_code == 422


def _subscription_written_earlier(machine: Any, receiver: Receiver, url: str) -> Subscription:
    """A subscription as an earlier release (or a name that resolved elsewhere at
    registration) left it: the registration's check never saw this address."""
    sub = Subscription.objects.create(
        account=machine,
        url=url,
        event_types=["offer.made"],
        secret="whsec_" + "A" * 43 + "=",
        created_at=timezone.now(),
    )
    receiver.secrets.append(sub.secret)
    return sub


def test_a_delivery_to_a_name_resolving_to_loopback_is_refused_and_never_arrives(
    users: dict[str, Any],
    ita_rfa: RequestForAssistance,
    machine: Any,
    receiver: Receiver,
    settings: Any,
) -> None:
    _subscription_written_earlier(machine, receiver, f"http://localhost:{receiver.port}/hook")
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = []  # the receiver's fixture allowed it
    play(users, ita_rfa)
    deliver_pending("w")
    message = OutboxMessage.objects.order_by("id").first()
    assert message is not None and message.status == "pending" and message.attempts == 1
    assert "localhost resolves to" in message.last_error
    assert "a loopback address: not allowed" in message.last_error
    assert receiver.arrived == []
    # Allowed again (the deployment's exception): the same message goes through.
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    deliver_pending("w")
    assert OutboxMessage.objects.get(pk=message.pk).status == "delivered"
    assert len(receiver.processed) >= 1


class Rebinding:
    """A resolver for ``rebind.test`` that answers ``first`` to the first question and
    ``then`` to every later one (an attacker's DNS server with a zero TTL)."""

    def __init__(self, real: Any, port: int, first: str, then: str):
        self.real, self.port, self.first, self.then = real, port, first, then
        self.asked = 0

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.test":
            return self.real(host, port, *args, **kwargs)
        self.asked += 1
        address = self.first if self.asked == 1 else self.then
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]


def test_a_name_rebound_to_loopback_after_registration_is_refused_at_delivery(
    users: dict[str, Any],
    ita_rfa: RequestForAssistance,
    machine: Any,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = []
    dns = Rebinding(socket.getaddrinfo, receiver.port, first="8.8.8.8", then="127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", dns)
    url = f"http://rebind.test:{receiver.port}/hook"
    sub = services.create_subscription(machine, url, ["offer.made"])  # checked: 8.8.8.8
    receiver.secrets.append(sub.secret)
    assert dns.asked == 1
    play(users, ita_rfa)
    deliver_pending("w")
    message = OutboxMessage.objects.order_by("id").first()
    assert message is not None
    assert "rebind.test resolves to 127.0.0.1, a loopback address" in message.last_error
    assert receiver.arrived == []


def test_the_worker_connects_to_the_address_it_checked_not_a_second_answer(
    users: dict[str, Any],
    ita_rfa: RequestForAssistance,
    machine: Any,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    """The check and the connection use one resolution: a name that answers an allowed
    address to the check and the receiver's loopback address right after never gets
    the request to the receiver (127.0.0.2 is allowed here, and nothing listens there)."""
    sub = subscribe(machine, receiver, ["offer.made"])
    Subscription.objects.filter(pk=sub.pk).update(url=f"http://rebind.test:{receiver.port}/h")
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    dns = Rebinding(socket.getaddrinfo, receiver.port, first="127.0.0.2", then="127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", dns)
    play(users, ita_rfa)
    deliver_pending("w", max_batches=1)
    assert dns.asked == 1  # one question per connection
    message = OutboxMessage.objects.order_by("id").first()
    assert message is not None and message.status == "pending"
    assert "Connection refused" in message.last_error, message.last_error
    assert receiver.arrived == []


def test_a_redirect_is_an_answer_never_followed(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    elsewhere = Receiver().start()  # where the redirect points (allowed: same address)
    try:
        subscribe(machine, receiver, ["offer.accepted"])
        receiver.answer, receiver.location = "redirect", elsewhere.url
        play(users, ita_rfa)
        deliver_pending("w")
        message = OutboxMessage.objects.get()
        assert message.status == "pending" and message.last_status_code == 307
        tried = DeliveryAttempt.objects.get(message=message)
        assert not tried.ok and tried.status_code == 307
        assert len(receiver.arrived) == 1 and elsewhere.arrived == []
    finally:
        elsewhere.stop()
