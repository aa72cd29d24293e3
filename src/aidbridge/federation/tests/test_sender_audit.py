"""A partner's refusal is audited at the sender too: the outbox delivers a real snapshot
over HTTP to a stand-in partner on a loopback port that answers as a refusing centre
would (a 4xx in the API's error shape), and the sender's audit trail names the
partner, the message, the HTTP status and the partner's error code."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import translation

from aidbridge.audit.models import AuditEntry
from aidbridge.audit.sentences import sentences
from aidbridge.federation.models import Partner
from aidbridge.outbox import delivery
from aidbridge.outbox.models import DeliveryAttempt, OutboxMessage
from aidbridge.requests.models import RequestForAssistance

pytestmark = pytest.mark.django_db


class StandIn:
    """Answers every POST with ``status`` and ``body``; counts what arrived."""

    def __init__(self) -> None:
        self.status, self.body = 200, b'{"replay": false}'
        self.arrived = 0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                stand_in.arrived += 1
                self.send_response(stand_in.status)
                self.send_header("Content-Length", str(len(stand_in.body)))
                self.end_headers()
                self.wfile.write(stand_in.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, status: int, body: dict[str, Any] | str) -> None:
        self.status = status
        self.body = (body if isinstance(body, str) else json.dumps(body)).encode()


@pytest.fixture
def stand_in(ercc: Partner, settings: Any) -> Iterator[StandIn]:
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server = StandIn()
    ercc.base_url = server.url
    ercc.save()
    yield server
    server.server.shutdown()
    server.server.server_close()


def refusals() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="federation.delivery_refused").order_by("id"))


def test_a_refusal_is_audited_with_the_partner_message_status_and_code(
    ercc: Partner, stand_in: StandIn, ita_rfa: RequestForAssistance
) -> None:
    message = OutboxMessage.objects.get(destination=ercc.destination)
    stand_in.answer(
        401,
        {"detail": "the signature matches no valid key", "code": "bad_signature", "errors": []},
    )
    delivery.deliver_pending("w1", max_batches=1)
    assert stand_in.arrived == 1
    [entry] = refusals()
    assert (entry.target_id, entry.actor_id, entry.to_state) == (ercc.pk, None, "bad_signature")
    assert entry.changes == {
        "message_id": [None, message.message_id],
        "http_status": [None, 401],
    }
    assert entry.reason == "the signature matches no valid key"
    # Recorded with the attempt, and the message is still owed (retried after back-off).
    attempt = DeliveryAttempt.objects.get(message=message)
    assert (attempt.status_code, attempt.ok) == (401, False)
    message.refresh_from_db()
    assert message.status == "pending" and message.last_status_code == 401
    with translation.override("en"):
        assert sentences([entry])[0][1] == (
            "The partner centre EU ERCC (ERCC) refused a message we sent"
        )
    with translation.override("fr"):
        assert sentences([entry])[0][1] == (
            "Le centre partenaire EU ERCC (ERCC) a refusé un message que nous avons envoyé"
        )


def test_a_refusal_that_is_not_the_api_shape_is_audited_without_a_code(
    ercc: Partner, stand_in: StandIn, ita_rfa: RequestForAssistance
) -> None:
    stand_in.answer(403, "<html>Forbidden by the firewall</html>")
    delivery.deliver_pending("w1", max_batches=1)
    [entry] = refusals()
    assert entry.to_state == "" and entry.changes["http_status"] == [None, 403]
    assert "Forbidden by the firewall" in entry.reason


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_a_failed_attempt_not_a_refusal(
    ercc: Partner, stand_in: StandIn, ita_rfa: RequestForAssistance, status: int
) -> None:
    stand_in.answer(status, {"detail": "down", "code": "oops", "errors": []})
    delivery.deliver_pending("w1", max_batches=1)
    assert DeliveryAttempt.objects.get().status_code == status
    assert refusals() == []


def test_a_refusal_answered_after_the_claim_was_taken_over_is_not_audited(
    ercc: Partner, stand_in: StandIn, ita_rfa: RequestForAssistance
) -> None:
    # The worker's lease ran out and another worker holds the message: the late answer
    # is logged as an attempt but settles nothing, and is not audited as a refusal.
    stand_in.answer(401, {"detail": "no", "code": "bad_signature", "errors": []})
    [claimed] = delivery.claim("slow-worker")
    OutboxMessage.objects.filter(pk=claimed.pk).update(claimed_by="another-worker/1")
    delivery.send(claimed, "slow-worker")
    assert DeliveryAttempt.objects.get().status_code == 401
    assert refusals() == []


def test_the_partner_accepting_audits_nothing(
    ercc: Partner, stand_in: StandIn, ita_rfa: RequestForAssistance
) -> None:
    delivery.deliver_pending("w1", max_batches=1)
    assert OutboxMessage.objects.get(destination=ercc.destination).status == "delivered"
    assert refusals() == []
