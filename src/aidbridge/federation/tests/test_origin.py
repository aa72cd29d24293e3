"""At the origin: a shared request's changes queue signed snapshots through the outbox
(in the change's transaction, keyed by the request), and a partner's commands are
applied through the ordinary services, once."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aidbridge.federation import signing
from aidbridge.federation.models import Partner, Share
from aidbridge.federation.tests.conftest import K_WE_SIGN, send
from aidbridge.offers import services as offers
from aidbridge.offers.models import OfferLine
from aidbridge.outbox.models import OutboxMessage
from aidbridge.outbox.transports import prepare
from aidbridge.requests import services as rfa_services
from aidbridge.requests.models import RequestForAssistance

pytestmark = pytest.mark.django_db


def queued(partner: Partner) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(destination=partner.destination).order_by("id"))


def test_circulating_and_offering_queue_a_snapshot_keyed_by_the_request(
    ercc: Partner, ita_rfa: RequestForAssistance, users: dict[str, Any]
) -> None:
    first = queued(ercc)
    assert [m.ordering_key for m in first] == [f"EADRCC:rfa:{ita_rfa.pk}"]
    assert Share.objects.get(rfa=ita_rfa).version >= 1
    vents = ita_rfa.lines.get(position=1)
    offers.make_offer(users["deu"], rfa=ita_rfa, lines=[{"request_line": vents, "quantity": 5}])
    # The snapshot still waits, never tried, and is built when sent: the offer is in
    # it without a second message (test_coalescing: one per burst, across commits).
    assert [m.pk for m in queued(ercc)] == [first[0].pk]
    assert json.loads(prepare(first[0]).body)["request"]["offers"][0]["lines"][0]["quantity"] == 5


def test_a_request_of_a_crisis_not_shared_queues_nothing(
    ercc: Partner, ita_rfa: RequestForAssistance, users: dict[str, Any]
) -> None:
    OutboxMessage.objects.all().delete()
    ercc.crises.clear()
    vents = ita_rfa.lines.get(position=1)
    offers.make_offer(users["deu"], rfa=ita_rfa, lines=[{"request_line": vents, "quantity": 5}])
    assert queued(ercc) == []


def test_the_sent_snapshot_is_signed_and_current(
    ercc: Partner, ita_rfa: RequestForAssistance, users: dict[str, Any]
) -> None:
    message = queued(ercc)[0]
    vents = ita_rfa.lines.get(position=1)
    offers.make_offer(users["deu"], rfa=ita_rfa, lines=[{"request_line": vents, "quantity": 7}])
    outgoing = prepare(message)
    assert outgoing.url == "http://127.0.0.1:18199/api/v1/federation/messages"
    body = json.loads(outgoing.body)
    # Built when sent: the first message already carries the later offer.
    assert body["version"] == Share.objects.get(rfa=ita_rfa).version
    assert body["request"]["offers"][0]["lines"][0]["quantity"] == 7
    headers = outgoing.headers
    assert headers[signing.SIGNATURE] == signing.signature(
        K_WE_SIGN, message.message_id, headers[signing.TIMESTAMP], outgoing.body
    )
    assert headers[signing.CENTRE] == "EADRCC"


def _offer_command(rfa: RequestForAssistance, quantity: int, gid: str = "ERCC:offer:5") -> bytes:
    vents = rfa.lines.get(position=1)
    return json.dumps(
        {
            "kind": "command",
            "command": "offer",
            "request": f"EADRCC:rfa:{rfa.pk}",
            "actor": "fra-poc",
            "party": "DEU",
            "offer": gid,
            "lines": [
                {
                    "gid": gid.replace("offer", "offer_line"),
                    "request_line": f"EADRCC:line:{vents.pk}",
                    "quantity": quantity,
                    "notes": "",
                }
            ],
        }
    ).encode()


def test_a_partners_offer_is_made_through_the_service_once(
    ercc: Partner, ita_rfa: RequestForAssistance
) -> None:
    command = _offer_command(ita_rfa, 40)
    answer = send(command, message_id="c1")
    assert answer.status_code == 200 and answer.json()["outcome"] == "applied", answer.json()
    line = OfferLine.objects.get(offer__rfa=ita_rfa)
    assert (line.quantity, line.offer.donor.code) == (40, "DEU")
    assert line.offer.created_by.username == "fra-poc@ercc"
    assert send(command, message_id="c1").json()["replay"] is True
    # The same command in another message (a partner that resent it) makes nothing new.
    assert send(command, message_id="c2").status_code == 200
    assert OfferLine.objects.filter(offer__rfa=ita_rfa).count() == 1
    snapshot = json.loads(prepare(queued(ercc)[-1]).body)
    assert snapshot["request"]["offers"][0]["gid"] == "ERCC:offer:5"


def test_a_refused_command_is_sent_back_in_the_snapshot(
    ercc: Partner, ita_rfa: RequestForAssistance, users: dict[str, Any]
) -> None:
    rfa_services.close_rfa(users["duty"], ita_rfa, RequestForAssistance.Closure.OVERTAKEN)
    answer = send(_offer_command(ita_rfa, 40), message_id="c1")
    assert answer.status_code == 200 and answer.json()["outcome"].startswith("refused")
    assert not OfferLine.objects.filter(offer__rfa=ita_rfa).exists()
    snapshot = json.loads(prepare(queued(ercc)[-1]).body)
    assert "ERCC:offer:5" in snapshot["refused"]
