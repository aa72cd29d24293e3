"""Standing stock (pledged, drawn, available, offered once confirmed) and the cost of
the crisis totals."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aidbridge.ledger.crisis import crisis_figures
from aidbridge.ledger.sums import standing_stock
from aidbridge.ledger.tests.scenarios import accept, dispatch, offer, receive
from aidbridge.offers.models import OfferLine
from aidbridge.offers.proposals import Draw, confirm_proposed_offer, propose_drawn_offers
from aidbridge.offers.services import make_unsolicited_offer
from aidbridge.offers.tests.factories import circulated_rfa

pytestmark = pytest.mark.django_db


def _donor(crisis: Any, code: str) -> Any:
    return next(f for p, f in crisis_figures(crisis).by_donor if p.code == code)


def test_standing_stock_drawn_counts_once(crisis, parties, users, items) -> None:
    """NATO pledges 40 ventilators; the centre draws 10 for Spain's request of 20.

    Before the stockpile confirms: pledged 40, drawn 10, available 30, offered 0.
    After: the same stock figures, and 10 offered (awaiting decision) against Spain's
    line, once, never also the 40 as offered.
    """
    rfa = circulated_rfa(crisis, parties["ESP"], users["esp"], [(items["VENT-ICU"], 20)])
    stock = make_unsolicited_offer(
        users["stock"], crisis=crisis, lines=[{"item": "VENT-ICU", "quantity": 40}]
    ).lines.get()
    (drawn,) = propose_drawn_offers(
        users["duty"], [Draw(standing=stock.pk, need=rfa.lines.get().pk, quantity=10)]
    )
    nato = _donor(crisis, "NATO-STOCK")
    assert (nato.pledged, nato.drawn, nato.available, nato.offered, nato.awaiting) == (
        40,
        10,
        30,
        0,
        0,
    )
    assert crisis_figures(crisis).overall.offered == 0
    assert standing_stock(OfferLine.objects.filter(pk=stock.pk))[stock.pk].available == 30

    confirm_proposed_offer(users["stock"], drawn.offer)
    nato = _donor(crisis, "NATO-STOCK")
    assert (nato.pledged, nato.drawn, nato.available, nato.offered, nato.awaiting) == (
        40,
        10,
        30,
        10,
        10,
    )
    overall = crisis_figures(crisis).overall
    assert (overall.requested, overall.offered, overall.awaiting, overall.outstanding) == (
        20,
        10,
        10,
        20,
    )


def _crisis_of(size: int, crisis, parties, users, items) -> None:
    for n in range(size):
        rfa = circulated_rfa(
            crisis,
            parties["ESP"],
            users["esp"],
            [(items["VENT-ICU"], 10 + n), (items["MASK-SURG"], 100)],
            title=f"Request {n}",
        )
        line = offer(users["deu"], rfa, 1, 10)
        accept(users["esp"], line, 10)
        receive(users["esp"], dispatch(users["deu"], line, 10), 9)
    make_unsolicited_offer(
        users["stock"], crisis=crisis, lines=[{"item": "VENT-ICU", "quantity": 40}]
    )


@pytest.mark.parametrize("size", [2, 20])
def test_crisis_totals_cost_the_same_whatever_the_size(size, crisis, parties, users, items) -> None:
    _crisis_of(size, crisis, parties, users, items)
    with CaptureQueriesContext(connection) as queries:
        ledger = crisis_figures(crisis)
        _ = (ledger.overall, ledger.by_nation, ledger.by_item, ledger.by_donor)
    # Every request: 10 + n ventilators and 100 masks, 10 accepted, 9 of them arrived.
    assert ledger.overall.requested == sum(10 + n + 100 for n in range(size))
    assert (ledger.overall.accepted, ledger.overall.delivered) == (10 * size, 9 * size)
    assert len(queries) == 10
