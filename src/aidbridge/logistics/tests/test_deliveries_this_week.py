"""The dashboards' "deliveries this week" (``logistics.selectors.deliveries_since``):
counted from the crisis's receipts in date order (its own copy of the crisis, indexed),
less those the reader may not see. It must stay the receipts the reader sees
(``receipts_visible_to``) received since the instant a week ago, whatever the reader."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from aidbridge.crises.models import Crisis
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.logistics.selectors import deliveries_since, receipts_visible_to
from aidbridge.logistics.services import confirm_receipt, dispatch_offer_line
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.services import accept_offer_line, make_offer
from aidbridge.offers.tests.factories import circulated_rfa, ita_rfa  # noqa: F401 (fixture)
from aidbridge.requests.models import RequestForAssistance
from aidbridge.web.selectors import key_figures

ROLES = ("duty", "head", "ita", "deu", "esp", "airlift", "ocha")


def _defined(actor: Any, crisis: Crisis, since: Any) -> int:
    """The figure as its rule says it, joined the long way (no copy of the crisis)."""
    return (
        receipts_visible_to(actor)
        .filter(dispatch__offer_line__offer__crisis=crisis, received_at__gte=since)
        .count()
    )


@pytest.fixture
def accepted_long_ago(users: dict[str, Any], ita_rfa: RequestForAssistance) -> OfferLine:  # noqa: F811
    """Germany's 50 ventilators, all accepted by Italy ten days ago (the clock set back
    for the acceptance only, so receipts may be dated a week back)."""
    line = make_offer(
        users["deu"], rfa=ita_rfa, lines=[{"request_line": ita_rfa.lines.first(), "quantity": 50}]
    ).lines.get()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=10)):
        accept_offer_line(users["ita"], line, 50)
    return line


def _received(users: dict[str, Any], line: OfferLine, at: Any) -> Receipt:
    sent = dispatch_offer_line(
        users["deu"], line, quantity=1, mode="road", dispatched_at=at - timedelta(hours=1)
    )
    return confirm_receipt(users["ita"], sent, quantity=1, received_at=at)


def test_a_receipt_takes_its_dispatchs_crisis(users, crisis, accepted_long_ago) -> None:
    receipt = _received(users, accepted_long_ago, timezone.now() - timedelta(days=1))
    assert receipt.crisis_id == crisis.pk
    assert Receipt.objects.get(pk=receipt.pk).crisis_id == crisis.pk


def test_the_weeks_edge_counts_from_the_instant_a_week_ago(
    users, crisis, accepted_long_ago
) -> None:
    since = timezone.now() - timedelta(days=7)
    for at in (since - timedelta(seconds=1), since, since + timedelta(seconds=1)):
        _received(users, accepted_long_ago, at)
    _received(users, accepted_long_ago, timezone.now() - timedelta(days=8))
    for role in ROLES:
        assert deliveries_since(users[role], crisis, since) == 2, role  # at and after
        assert _defined(users[role], crisis, since) == 2, role
    # The dashboard's figure is this one, a week before the page's clock.
    with mock.patch("django.utils.timezone.now", return_value=since + timedelta(days=7)):
        assert key_figures(users["ocha"], crisis)["delivered_week"] == 2


def test_receipts_of_another_crisis_are_not_counted(
    users, parties, items, crisis, accepted_long_ago
) -> None:
    _received(users, accepted_long_ago, timezone.now() - timedelta(days=1))
    other = Crisis.objects.create(
        code="other", name_en="Other", name_fr="Autre", started_on=crisis.started_on
    )
    rfa = circulated_rfa(other, parties["ITA"], users["ita"], [(items["VENT-ICU"], 5)])
    line = make_offer(
        users["deu"], rfa=rfa, lines=[{"request_line": rfa.lines.get(), "quantity": 5}]
    ).lines.get()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=10)):
        accept_offer_line(users["ita"], line, 5)
    _received(users, line, timezone.now() - timedelta(days=1))
    since = timezone.now() - timedelta(days=7)
    for role in ROLES:
        assert deliveries_since(users[role], crisis, since) == 1, role
        assert deliveries_since(users[role], other, since) == 1, role


def test_receipts_on_a_request_never_circulated_count_only_for_who_sees_it(
    users, parties, items, crisis, accepted_long_ago
) -> None:
    """The services never let an offer answer a request not circulated, but the rule of
    who sees a receipt does not rely on it (a bulk load, an import): such receipts
    count for the requesting nation, the donor and the centre (it was submitted), and
    for no one else."""
    _received(users, accepted_long_ago, timezone.now() - timedelta(days=1))
    submitted = circulated_rfa(
        crisis, parties["ESP"], users["esp"], [(items["VENT-ICU"], 9)], status="submitted"
    )
    offer = Offer.objects.create(
        crisis=crisis,
        donor=parties["DEU"],
        rfa=submitted,
        reference="OFR-BULK-1",
        created_by=users["duty"],
    )
    line = OfferLine.objects.create(
        offer=offer,
        request_line=(need := submitted.lines.get()),
        item=need.item,
        quantity=4,
        accepted=4,
        status="accepted",
    )
    sent = Dispatch.objects.create(
        offer_line=line,
        quantity=4,
        mode="road",
        dispatched_at=timezone.now() - timedelta(days=2),
        reported_by=users["duty"],
    )
    Receipt.objects.create(
        dispatch=sent,
        quantity=4,
        received_at=timezone.now() - timedelta(days=1),
        confirmed_by=users["duty"],
    )
    since = timezone.now() - timedelta(days=7)
    expected = {"duty": 2, "head": 2, "airlift": 1, "esp": 2, "deu": 2, "ita": 1, "ocha": 1}
    for role, n in expected.items():
        assert deliveries_since(users[role], crisis, since) == n, role
        assert _defined(users[role], crisis, since) == n, role
