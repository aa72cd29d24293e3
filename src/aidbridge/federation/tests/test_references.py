"""What a partner's snapshot brings in whole or not at all: references kept whole (never
cut to fit, where two would end alike), and a clash while applying refused, not taken
for a message seen before (found by the 10,000-event benchmark: the partner's
10,000th offer, cut to 20 characters, equalled its 1,000th; the clash was answered
as a replay and the offer never showed)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.federation.models import InboundMessage, Mirror, Partner
from aidbridge.federation.tests.conftest import declare, send
from aidbridge.federation.tests.snapshots import ercc_snapshot
from aidbridge.ledger.sums import line_figures, total
from aidbridge.offers.models import Offer
from aidbridge.parties.models import Party

pytestmark = pytest.mark.django_db


@pytest.fixture
def euercc(crisis: Crisis, users: dict[str, Any]) -> Partner:
    """A partner whose code is as long as a code may be (6 letters)."""
    return declare(users, crisis, "EUERCC", 18198)


def two_offers(first: str, second: str) -> bytes:
    """EUERCC's request with two offers (30 and 50) referenced ``first`` and ``second``."""
    body = json.loads(ercc_snapshot(1).replace(b'"ERCC:', b'"EUERCC:'))
    offer = body["request"]["offers"][0]
    other = json.loads(json.dumps(offer).replace(":offer:4", ":offer:6").replace(":5", ":7"))
    offer["reference"], other["reference"] = first, second
    offer["lines"][0]["quantity"], other["lines"][0]["quantity"] = 30, 50
    body["request"]["offers"].append(other)
    return json.dumps(body).encode()


def test_references_alike_in_their_first_twenty_characters_stay_apart(
    euercc: Partner, items: Any
) -> None:
    answer = send(two_offers("OFR-2026-1000", "OFR-2026-10000"), centre="EUERCC")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["replay"] is False
    rfa = Mirror.objects.get(origin_gid="EUERCC:rfa:9").rfa
    assert sorted(rfa.offers.values_list("reference", flat=True)) == [
        "EUERCC-OFR-2026-1000",
        "EUERCC-OFR-2026-10000",
    ]
    assert total(line_figures(list(rfa.lines.all())).values()).offered == 80


def test_a_reference_longer_than_a_centre_gives_is_refused_by_name(
    euercc: Partner, items: Any
) -> None:
    answer = send(two_offers("OFR-2026-1000", "OFR-2026-1234567890123"), centre="EUERCC")
    assert answer.status_code == 422
    assert answer.json()["code"] == "bad_message"
    assert "'OFR-2026-1234567890123'" in answer.json()["detail"]
    assert "longer than 20" in answer.json()["detail"]
    assert not Mirror.objects.exists() and not InboundMessage.objects.exists()


def test_a_clash_while_applying_is_refused_and_the_message_not_counted_as_seen(
    ercc: Partner, items: Any, users: dict[str, Any], crisis: Crisis
) -> None:
    # A row here already holds the reference the partner's offer would take.
    holder = Offer.objects.create(
        crisis=crisis,
        donor=Party.objects.get(code="DEU"),
        created_by=users["deu"],
        reference="ERCC-OFF-2020-0004",
    )
    answer = send(ercc_snapshot(1), message_id="msg_clash")
    assert answer.status_code == 409, answer.json()
    assert answer.json()["code"] == "conflict"
    assert "nothing applied" in answer.json()["detail"]
    assert not Mirror.objects.exists()
    assert not InboundMessage.objects.filter(message_id="msg_clash").exists()
    refusal = AuditEntry.objects.get(action="federation.refused")
    assert refusal.to_state == "conflict"

    # Once the clash is gone, the sender's retry of the same message is applied.
    Offer.objects.filter(pk=holder.pk).update(reference="OFR-LOCAL-1")
    again = send(ercc_snapshot(1), message_id="msg_clash")
    assert again.status_code == 200 and again.json()["replay"] is False
    assert Mirror.objects.get(origin_gid="ERCC:rfa:9").rfa.offers.count() == 1
