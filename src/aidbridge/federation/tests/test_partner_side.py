"""At the partner: a nation's offer and dispatch on a mirror go to the origin as
commands (through the outbox, keyed by the origin request); the origin's next snapshot
links them instead of duplicating them; a refused one is withdrawn or undone here."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aidbridge.federation.models import Mirror, Partner
from aidbridge.federation.tests.conftest import send
from aidbridge.federation.tests.snapshots import ercc_snapshot
from aidbridge.logistics import services as logistics
from aidbridge.logistics.models import Dispatch
from aidbridge.offers import services as offers
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def commands(partner: Partner) -> list[dict[str, Any]]:
    rows = OutboxMessage.objects.filter(destination=partner.destination).order_by("id")
    assert {m.ordering_key for m in rows} <= {"ERCC:rfa:9"}
    return [json.loads(m.payload) for m in rows]


def with_our_offer(snapshot: bytes, offer: Offer, accepted: int) -> bytes:
    """ERCC's next snapshot, carrying our nation's offer as the origin recorded it."""
    body = json.loads(snapshot)
    line = offer.lines.get()
    body["request"]["offers"].append(
        {"gid": f"EADRCC:offer:{offer.pk}", "reference": "OFF-2020-0099", "donor": "CZE",
         "available_from": None, "origin_airport": "", "origin_place": "",
         "own_transport": False, "conditions": "",
         "lines": [{"gid": f"EADRCC:offer_line:{line.pk}", "request_line": "ERCC:line:1",
                    "item": "VENT-ICU", "quantity": line.quantity, "accepted": accepted,
                    "declined": 0, "status": "accepted", "decline_reason": "",
                    "over_acceptance_reason": "", "notes": "", "dispatches": []}]}
    )  # fmt: skip
    return json.dumps(body).encode()


def test_an_offer_on_a_mirror_goes_to_the_origin_and_comes_back_linked(
    ercc: Partner, items: Any, users: dict[str, Any]
) -> None:
    send(ercc_snapshot(1), message_id="s1")
    rfa = Mirror.objects.get().rfa
    need = rfa.lines.get()
    offer = offers.make_offer(users["cze"], rfa=rfa, lines=[{"request_line": need, "quantity": 30}])
    (command,) = commands(ercc)
    assert command["command"] == "offer" and command["request"] == "ERCC:rfa:9"
    assert command["lines"][0]["request_line"] == "ERCC:line:1"
    assert command["offer"] == f"EADRCC:offer:{offer.pk}"

    send(with_our_offer(ercc_snapshot(2), offer, 30), message_id="s2")
    assert Offer.objects.filter(rfa=rfa).count() == 2  # Germany's and ours, not a copy
    assert offer.lines.get().accepted == 30

    line = offer.lines.get()
    dispatch = logistics.dispatch_offer_line(users["cze"], line, quantity=30, mode="road")
    assert commands(ercc)[-1]["command"] == "dispatch"
    # The origin refused it (say it had already recorded another): undone here.
    refused = json.loads(with_our_offer(ercc_snapshot(3), offer, 30))
    refused["refused"] = {f"EADRCC:dispatch:{dispatch.pk}": "only 0 left to dispatch"}
    send(json.dumps(refused).encode(), message_id="s3")
    assert not Dispatch.objects.filter(pk=dispatch.pk).exists()


def test_an_offer_the_origin_refused_is_withdrawn_here(
    ercc: Partner, items: Any, users: dict[str, Any]
) -> None:
    send(ercc_snapshot(1), message_id="s1")
    rfa = Mirror.objects.get().rfa
    offer = offers.make_offer(
        users["cze"], rfa=rfa, lines=[{"request_line": rfa.lines.get(), "quantity": 30}]
    )
    body = json.loads(ercc_snapshot(2))
    body["refused"] = {f"EADRCC:offer:{offer.pk}": "the request is closed"}
    send(json.dumps(body).encode(), message_id="s2")
    assert offer.lines.get().status == OfferLine.Status.WITHDRAWN
