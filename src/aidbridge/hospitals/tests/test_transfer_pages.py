"""The transfer pages through Django's test client: the requester describes a transfer
line of a draft, the request page shows it, a donor offers beds at its hospitals within
their reported capacity, and the offer is an ordinary one."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aidbridge.hospitals.models import BedOffer, TransferNeed
from aidbridge.offers.models import OfferLine
from aidbridge.requests import services as rfa_services


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _draft(users: Any, crisis: Any, pat_icu: Any) -> Any:
    return rfa_services.create_rfa(
        users["ita"],
        crisis=crisis,
        title="ICU patients from Lombardy",
        lines=[{"item": "PAT-ICU", "quantity": 5, "delivery_airport": "LIME"}],
    )


def test_the_requester_describes_a_transfer_line(
    users: Any, crisis: Any, pat_icu: Any, hospitals: Any
) -> None:
    rfa = _draft(users, crisis, pat_icu)
    line = rfa.lines.get()
    ita = _client(users["ita"])
    detail = ita.get(f"/rfas/{rfa.pk}/").content.decode()
    assert f"/rfas/{rfa.pk}/lines/{line.pk}/transfer/" in detail
    refused = ita.post(f"/rfas/{rfa.pk}/lines/{line.pk}/transfer/", {"bed_type": "AdultICU"})
    assert "give the origin" in refused.content.decode()
    assert not TransferNeed.objects.exists()
    answer = ita.post(
        f"/rfas/{rfa.pk}/lines/{line.pk}/transfer/",
        {"bed_type": "AdultICU", "origin_region": "Lombardy", "ventilated": "on"},
    )
    assert answer.status_code == 302
    need = TransferNeed.objects.get()
    assert (need.origin_region, need.ventilated, need.needs_isolation) == ("Lombardy", True, False)
    assert "from Lombardy" in ita.get(f"/rfas/{rfa.pk}/").content.decode()
    # Another nation may not.
    assert _client(users["deu"]).get(f"/rfas/{rfa.pk}/lines/{line.pk}/transfer/").status_code in (
        403,
        404,
    )


def test_a_donor_offers_beds_on_the_page(
    users: Any, crisis: Any, pat_icu: Any, hospitals: Any
) -> None:
    rfa = _draft(users, crisis, pat_icu)
    line = rfa.lines.get()
    _client(users["ita"]).post(
        f"/rfas/{rfa.pk}/lines/{line.pk}/transfer/",
        {"bed_type": "AdultICU", "origin_region": "Lombardy"},
    )
    rfa_services.submit_rfa(users["ita"], rfa)
    rfa_services.circulate_request(users["duty"], rfa)
    deu = _client(users["deu"])
    assert f"/rfas/{rfa.pk}/bed-offer/" in deu.get(f"/rfas/{rfa.pk}/").content.decode()
    form = deu.get(f"/rfas/{rfa.pk}/bed-offer/?line={line.pk}").content.decode()
    assert "Universitätsklinikum Leipzig" in form and "Fakultní nemocnice Brno" not in form
    base = {"request_line": str(line.pk), "bed_type": "AdultICU"}
    too_many = deu.post(
        f"/rfas/{rfa.pk}/bed-offer/",
        base | {"hospital_0": hospitals["dresden"].pk, "beds_0": "12"},
    )
    assert "reported 10 free AdultICU beds" in too_many.content.decode()
    assert not OfferLine.objects.exists()
    answer = deu.post(
        f"/rfas/{rfa.pk}/bed-offer/",
        base
        | {
            "hospital_0": hospitals["dresden"].pk,
            "beds_0": "2",
            "hospital_1": hospitals["leipzig"].pk,
            "beds_1": "1",
        },
    )
    assert answer.status_code == 302
    offered = OfferLine.objects.get()
    assert (offered.quantity, offered.request_line_id, offered.status) == (3, line.pk, "open")
    assert BedOffer.objects.get().places.count() == 2
    # The requesting nation has no bed-offer form.
    assert _client(users["ita"]).get(f"/rfas/{rfa.pk}/bed-offer/").status_code in (403, 404, 409)
