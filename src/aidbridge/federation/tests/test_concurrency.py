"""At the origin, on PostgreSQL (real threads, each its own connection): a partner's
command races the origin's own users under the ordinary row locks, and one message
delivered twice at once (a retry racing a slow first attempt) is applied once."""

from __future__ import annotations

import json
from typing import Any

from django.test import override_settings

from aidbridge.core.tests.threads import in_threads, postgres_only
from aidbridge.federation.models import InboundMessage, Partner
from aidbridge.federation.tests.conftest import send
from aidbridge.logistics import services as logistics
from aidbridge.logistics.models import Dispatch
from aidbridge.offers import services as offers
from aidbridge.offers.models import OfferLine
from aidbridge.requests.models import RequestForAssistance

pytestmark = postgres_only

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _accepted_line(rfa: RequestForAssistance, users: dict[str, Any]) -> OfferLine:
    vents = rfa.lines.get(position=1)
    offer = offers.make_offer(
        users["deu"], rfa=rfa, lines=[{"request_line": vents, "quantity": 80}]
    )
    line = offer.lines.get()
    return offers.accept_offer_line(users["ita"], line, 50)


@override_settings(TASKS=DUMMY, AIDBRIDGE_CENTRE_CODE="EADRCC")
def test_a_partners_dispatch_and_a_local_one_never_exceed_the_acceptance(
    ercc: Partner, ita_rfa: RequestForAssistance, users: dict[str, Any]
) -> None:
    line = _accepted_line(ita_rfa, users)
    command = json.dumps(
        {"kind": "command", "command": "dispatch", "request": f"EADRCC:rfa:{ita_rfa.pk}",
         "actor": "deu-poc", "party": "DEU", "dispatch": "ERCC:dispatch:1",
         "offer_line": f"EADRCC:offer_line:{line.pk}", "quantity": 40, "mode": "road",
         "dispatched_at": None, "expected_at": None, "transport_reference": "",
         "carrier": "", "note": ""}
    ).encode()  # fmt: skip
    remote, local = in_threads(
        lambda: send(command, message_id="race-1").json(),
        lambda: logistics.dispatch_offer_line(users["deu"], line, quantity=40, mode="road"),
    )
    assert not isinstance(remote, Exception), remote
    dispatched = sum(Dispatch.objects.filter(offer_line=line).values_list("quantity", flat=True))
    assert dispatched == 40  # one of the two, never 80 of 50 accepted
    if isinstance(local, Exception):
        assert remote["outcome"] == "applied"
    else:
        assert remote["outcome"].startswith("refused")


@override_settings(TASKS=DUMMY, AIDBRIDGE_CENTRE_CODE="EADRCC")
def test_one_message_delivered_twice_at_once_is_applied_once(
    ercc: Partner, ita_rfa: RequestForAssistance
) -> None:
    vents = ita_rfa.lines.get(position=1)
    command = json.dumps(
        {"kind": "command", "command": "offer", "request": f"EADRCC:rfa:{ita_rfa.pk}",
         "actor": "fra-poc", "party": "DEU", "offer": "ERCC:offer:5",
         "lines": [{"gid": "ERCC:offer_line:5", "request_line": f"EADRCC:line:{vents.pk}",
                    "quantity": 30, "notes": ""}]}
    ).encode()  # fmt: skip
    first, second = in_threads(
        lambda: send(command, message_id="twice").json(),
        lambda: send(command, message_id="twice").json(),
    )
    assert sorted([first["replay"], second["replay"]]) == [False, True], (first, second)
    assert OfferLine.objects.filter(offer__rfa=ita_rfa).count() == 1
    assert InboundMessage.objects.filter(message_id="twice").count() == 1
