"""The allocation pages through Django's full HTTP stack (middleware, templates, CSP)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from aidbridge.allocations.models import AllocationRun, ProposedLine
from aidbridge.offers.models import OfferLine
from aidbridge.runs.tests.helpers import committed


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_centre_runs_selects_and_the_donor_confirms(users, crisis, house) -> None:
    ita, deu = house["ita"], house["deu"]
    duty = client_for(users["duty"])
    empty = duty.get(f"/crises/{crisis.code}/allocation/")
    assert empty.status_code == 200 and "No allocation run yet" in empty.text
    assert "script-src 'self'" in empty["Content-Security-Policy"]
    with committed():
        started = duty.post(f"/crises/{crisis.code}/allocation/")
    run = AllocationRun.objects.get()
    assert started["Location"] == f"/allocation-runs/{run.pk}/"
    page = duty.get(started["Location"]).text
    assert 'data-testid="run-status">Done<' in page
    assert re.search(r'data-testid="certificate">proved: each priority gets the most units', page)
    assert f"{ita.reference}/1" in page and "100 of 150 units" in page
    vent = ProposedLine.objects.get(run=run, need_ref=f"{ita.reference}/1")
    assert f'name="proposal" value="{vent.pk}"' in page
    assert "<script>" not in page  # nothing inline under the CSP
    turned = duty.post(f"/allocation-runs/{run.pk}/offers/", {"proposal": [vent.pk]}, follow=True)
    assert "1 offer line proposed to its donor for confirmation." in turned.text
    line = OfferLine.objects.get(allocation_source=vent)
    assert line.status == "proposed"

    donor = client_for(users["deu"])
    dashboard = donor.get(f"/crises/{crisis.code}/").text
    assert "Proposed offers to confirm" in dashboard and line.offer.reference in dashboard
    detail = donor.get(f"/offers/{line.offer_id}/").text
    assert "Confirm the offer" in detail
    confirmed = donor.post(f"/offers/{line.offer_id}/confirm/", follow=True)
    assert "the requesting nation can now accept it" in confirmed.text
    line.refresh_from_db()
    assert line.status == "open"
    assert deu["reference"] in OfferLine.objects.get(pk=line.pk).notes
    # Italy now sees it among the offers awaiting its decision.
    assert (
        "Offers awaiting your decision"
        in client_for(users["ita"]).get(f"/crises/{crisis.code}/").text
    )


def test_the_page_speaks_french_and_refuses_other_roles(users, crisis, house) -> None:
    users["duty"].profile.language = "fr"
    users["duty"].profile.save()
    duty = client_for(users["duty"])
    with committed():
        duty.post(f"/crises/{crisis.code}/allocation/")
    page = duty.get(f"/crises/{crisis.code}/allocation/", follow=True).text
    assert "Proposition par besoin" in page
    assert "Optimalité" in page and "prouvée : chaque priorité" in page
    assert re.search(r"Transformer les lignes sélectionnées", page)
    refused = client_for(users["ita"]).get(f"/crises/{crisis.code}/allocation/")
    assert refused.status_code == 403
    assert client_for(users["ita"]).post(f"/crises/{crisis.code}/allocation/").status_code == 403
    assert AllocationRun.objects.count() == 1
