"""At the partner, snapshots write request lines, offer lines and dispatches beside the
services: the maintained figures (the dashboards' cells) must still equal the ledger's
definitions after each one, as ``aidbridge ledger recompute`` checks them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aidbridge.crises.models import Crisis
from aidbridge.federation.models import Mirror, Partner
from aidbridge.federation.tests.conftest import send
from aidbridge.federation.tests.snapshots import ercc_snapshot
from aidbridge.ledger.readings import cell_figures, donor_cell_figures
from aidbridge.ledger.recompute import recompute
from aidbridge.logistics import services as logistics
from aidbridge.offers import services as offers
from aidbridge.offers.models import OfferLine

pytestmark = pytest.mark.django_db


def applied(body: bytes, message_id: str) -> None:
    answer = send(body, message_id=message_id)
    assert answer.status_code < 300, answer.content


def test_snapshots_keep_the_maintained_figures_equal_to_the_ledger(
    ercc: Partner, crisis: Crisis, items: Any, users: dict[str, Any]
) -> None:
    applied(ercc_snapshot(1), "s1")
    assert recompute(crisis) == []
    rfa = Mirror.objects.get().rfa
    ((_key, figures),) = cell_figures(crisis).items()
    assert (figures.requested, figures.offered, figures.accepted) == (100, 80, 0)

    applied(ercc_snapshot(2, accepted=60, dispatched=40), "s2")
    assert recompute(crisis) == []
    ((_key, figures),) = cell_figures(crisis).items()
    assert (figures.accepted, figures.dispatched, figures.in_transit) == (60, 40, 40)

    # Our nation's dispatch on Germany's line: the origin refuses it, the snapshot
    # deletes it here, and the figures drop it again.
    german = OfferLine.objects.get(offer__donor__code="DEU")
    ours = logistics.dispatch_offer_line(users["deu"], german, quantity=10, mode="road")
    assert cell_figures(crisis)[_key].dispatched == 50
    refused = json.loads(ercc_snapshot(3, accepted=60, dispatched=40))
    refused["refused"] = {f"EADRCC:dispatch:{ours.pk}": "only 20 left to dispatch"}
    applied(json.dumps(refused).encode(), "s3")
    assert recompute(crisis) == []
    assert cell_figures(crisis)[_key].dispatched == 40

    # An offer made here that the origin refused is withdrawn by the snapshot.
    mine = offers.make_offer(
        users["cze"], rfa=rfa, lines=[{"request_line": rfa.lines.get(), "quantity": 30}]
    )
    assert cell_figures(crisis)[_key].offered == 110
    withdrawn = json.loads(ercc_snapshot(4, accepted=60, dispatched=40))
    withdrawn["refused"] = {f"EADRCC:offer:{mine.pk}": "the request is closed"}
    applied(json.dumps(withdrawn).encode(), "s4")
    assert recompute(crisis) == []
    assert cell_figures(crisis)[_key].offered == 80
    assert all(f.offered == 0 for (donor, _), f in donor_cell_figures(crisis).items()
               if donor == mine.donor_id)  # fmt: skip

    # The origin closes the request: its lines leave the open figures here too.
    closed = json.loads(ercc_snapshot(5, accepted=60, dispatched=40))
    closed["request"].update(status="closed", closure="fulfilled",
                             closed_at="2020-04-01T12:00:00+00:00")  # fmt: skip
    applied(json.dumps(closed).encode(), "s5")
    assert recompute(crisis) == []
