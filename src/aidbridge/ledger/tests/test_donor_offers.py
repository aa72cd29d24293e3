"""Each donor's ``offers`` figure is maintained as offers are made (``ledger.maintained
.refresh_offers``): counted once, equal to the crisis-wide count, checked and fixed by
the recompute command (concurrent offers: ``test_maintained_concurrency``)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aidbridge.ledger.crisis import crisis_figures, crisis_summary
from aidbridge.ledger.maintained import touch_request
from aidbridge.ledger.models import DonorOffers, OfferCount
from aidbridge.ledger.readings import donor_offer_counts
from aidbridge.ledger.recompute import recompute
from aidbridge.offers import services as offers
from aidbridge.offers.tests.factories import circulated_rfa
from aidbridge.requests import services as requests

from .scenarios import offer


def test_offers_are_counted_as_they_are_made(crisis, parties, users, items) -> None:
    rfa = circulated_rfa(
        crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 150), (items["MASK-SURG"], 900)]
    )
    offer(users["deu"], rfa, 1, 100)
    offer(users["deu"], rfa, 2, 500)
    offer(users["esp"], rfa, 2, 200)
    offers.make_unsolicited_offer(
        users["stock"], crisis=crisis, lines=[{"item": "MASK-SURG", "quantity": 5000}]
    )
    expected = {parties["DEU"].pk: 2, parties["ESP"].pk: 1, parties["NATO-STOCK"].pk: 1}
    assert donor_offer_counts(crisis) == expected
    # Read by the picture and the dashboards: the crisis-wide count's figures.
    summary = {d: f.offers for d, f in crisis_summary(crisis).donors.items()}
    assert summary == {d: f.offers for d, f in crisis_figures(crisis).donors.items()}
    assert summary == expected
    # Refreshing again (the request's status changes) counts nothing twice.
    requests.close_rfa(users["duty"], rfa, "fulfilled")
    touch_request(rfa)
    assert donor_offer_counts(crisis) == expected
    assert recompute(crisis) == []


def test_the_command_reports_and_fixes_an_offer_count(crisis, parties, users, items) -> None:
    rfa = circulated_rfa(crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 150)])
    offer(users["deu"], rfa, 1, 100)
    DonorOffers.objects.filter(crisis=crisis).update(offers=7)
    OfferCount.objects.filter(crisis=crisis).delete()
    out = StringIO()
    with pytest.raises(CommandError, match="differ"):
        call_command("ledger", "recompute", stdout=out)
    assert "offers: maintained 7, defined 1" in out.getvalue()
    call_command("ledger", "recompute", "--fix", stdout=StringIO())
    assert recompute(crisis) == []
    assert donor_offer_counts(crisis) == {parties["DEU"].pk: 1}
    # The fixed rows are refreshed like any: one more offer is one more.
    offer(users["deu"], rfa, 1, 10)
    assert donor_offer_counts(crisis) == {parties["DEU"].pk: 2}
    assert recompute(crisis) == []
