"""The pages through Django's HTTP stack: what each role sees and may do, and that the
server refuses what the role does not allow even when the request is forged."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aidbridge.offers import services as offer_services
from aidbridge.offers.models import OfferLine
from aidbridge.requests.models import RequestForAssistance


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def german_offer(users: dict[str, Any], italian_rfa: Any) -> Any:
    vent = italian_rfa.lines.get(position=1)
    return offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 50}]
    )


def test_home_opens_the_dashboard_of_the_current_crisis(users: dict[str, Any], crisis: Any) -> None:
    response = client_for(users["duty"]).get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/crises/{crisis.code}/"


def test_centre_dashboard_lists_requests_to_validate(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    from aidbridge.requests import services

    rfa = services.create_rfa(
        users["esp"],
        crisis=crisis,
        title="Protective suits for Madrid",
        lines=[{"item": "SUIT-PROT", "quantity": 2000, "delivery_airport": "LEMD"}],
    )
    services.submit_rfa(users["esp"], rfa)
    page = client_for(users["duty"]).get(f"/crises/{crisis.code}/").text
    assert "Requests to validate" in page
    assert "Protective suits for Madrid" in page
    # A POC of another nation sees neither the submitted request nor its history.
    other = client_for(users["deu"]).get(f"/crises/{crisis.code}/").text
    assert "Protective suits for Madrid" not in other


def test_requester_dashboard_shows_offers_awaiting_decision(
    users: dict[str, Any], german_offer: Any, crisis: Any
) -> None:
    page = client_for(users["ita"]).get(f"/crises/{crisis.code}/").text
    assert "Offers awaiting your decision" in page
    assert "DEU: 50 \u00d7 ICU ventilator" in page


def test_rfa_list_filters_sorts_and_paginates(
    users: dict[str, Any], italian_rfa: Any, crisis: Any
) -> None:
    client = client_for(users["deu"])
    hit = client.get("/rfas/", {"crisis": crisis.code, "item": "VENT-ICU", "q": "Lombardy"})
    assert "Ventilators and masks for Lombardy" in hit.text
    assert italian_rfa.reference in hit.text
    miss = client.get("/rfas/", {"item": "SUIT-PROT"})
    assert "Ventilators and masks for Lombardy" not in miss.text
    assert "No request matches." in miss.text
    partial = client.get("/rfas/", {"priority": "1"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "Lombardy" in partial.text


def test_rfa_detail_shows_progress_offers_and_history(
    users: dict[str, Any], german_offer: Any, italian_rfa: Any
) -> None:
    page = client_for(users["ita"]).get(f"/rfas/{italian_rfa.pk}/").text
    assert '<progress max="150" value="150"' in page
    assert "Offers against this line (50 offered)" in page
    assert f"The centre circulated the request {italian_rfa.reference}" in page
    assert f"Germany made the offer {german_offer.reference}" in page
    assert "Germany offered 50 \u00d7 ICU ventilator" in page
    # The requester decides: the accept form of Germany's line, for the 50 pending (not
    # the word "Accept", which every page's figures carry as "Accepted").
    line = german_offer.lines.get()
    accept_form = f'action="/offer-lines/{line.pk}/accept/"'
    assert accept_form in page
    assert f'id="accept-q-{line.pk}" type="number" name="quantity" min="1" max="50"' in page
    assert f'action="/offer-lines/{line.pk}/decline/"' in page
    donor_page = client_for(users["deu"]).get(f"/rfas/{italian_rfa.pk}/").text
    # The donor does not decide; they may withdraw what they offered.
    assert accept_form not in donor_page and "Quantity to accept" not in donor_page
    assert f'action="/offer-lines/{line.pk}/withdraw/"' in donor_page


def test_a_forged_circulation_by_a_nation_is_refused(
    users: dict[str, Any], crisis: Any, items: Any
) -> None:
    from aidbridge.requests import services

    rfa = services.create_rfa(
        users["ita"],
        crisis=crisis,
        title="Masks",
        lines=[{"item": "MASK-SURG", "quantity": 10, "delivery_airport": "LIRF"}],
    )
    services.submit_rfa(users["ita"], rfa)
    response = client_for(users["ita"]).post(f"/rfas/{rfa.pk}/circulate/")
    assert response.status_code == 403
    assert "only the coordination centre may circulate" in response.text
    rfa.refresh_from_db()
    assert rfa.status == RequestForAssistance.Status.SUBMITTED


def test_accepting_more_than_pending_shows_the_services_reason(
    users: dict[str, Any], german_offer: Any, italian_rfa: Any
) -> None:
    line = german_offer.lines.get()
    client = client_for(users["ita"])
    response = client.post(
        f"/offer-lines/{line.pk}/accept/",
        {"quantity": "80"},
        headers={"referer": f"http://testserver/rfas/{italian_rfa.pk}/"},
        follow=True,
    )
    assert "only 50 of this offer line await a decision" in response.text
    line.refresh_from_db()
    assert line.accepted == 0
    client.post(f"/offer-lines/{line.pk}/accept/", {"quantity": "30"})
    client.post(f"/offer-lines/{line.pk}/decline/", {"reason": "enough for now"})
    line.refresh_from_db()
    assert (line.accepted, line.declined, line.status) == (30, 20, OfferLine.Status.ACCEPTED)


def test_rfa_form_shows_errors_inline_and_saves_nothing(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    client = client_for(users["ita"])
    data = {
        "crisis": crisis.code,
        "title": "Oxygen",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-item": "NOPE-42",
        "lines-0-quantity": "5",
        "lines-0-priority": "2",
        "lines-0-delivery_airport": "LIRF",
    }
    response = client.post("/rfas/new/", data)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert "unknown item" in response.text
    assert not RequestForAssistance.objects.exists()
    data["lines-0-item"] = "VENT-ICU"
    saved = client.post("/rfas/new/", data)
    assert saved.status_code == 302
    assert RequestForAssistance.objects.get().lines.get().quantity == 5


def test_adding_and_removing_lines_without_saving(users: dict[str, Any], crisis: Any) -> None:
    client = client_for(users["ita"])
    base = {
        "crisis": crisis.code,
        "title": "Draft",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": "VENT-ICU",
        "lines-0-quantity": "7",
    }
    added = client.post("/rfas/new/", {**base, "add_line": "1"})
    assert 'name="lines-1-item"' in added.text and 'value="7"' in added.text
    removed = client.post("/rfas/new/", {**base, "lines-TOTAL_FORMS": "2", "remove_line": "0"})
    assert 'name="lines-1-item"' not in removed.text and 'value="7"' not in removed.text
    assert not RequestForAssistance.objects.exists()


def test_matrix_page_and_csv_show_the_consolidated_figures(
    users: dict[str, Any], german_offer: Any, crisis: Any
) -> None:
    line = german_offer.lines.get()
    offer_services.accept_offer_line(users["ita"], line, 50)
    client = client_for(users["ocha"])
    page = client.get(f"/crises/{crisis.code}/matrix/").text
    assert "50 / 150" in page and "33%" in page and "cov-low" in page
    assert "0 / 100,000" in page and "cov-none" in page
    csv_response = client.get(f"/crises/{crisis.code}/matrix.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    rows = csv_response.content.decode().splitlines()
    assert rows[0] == (
        "nation,item_code,item_name,requested,offered,accepted,dispatched,delivered,"
        "outstanding,coverage,closed"
    )
    assert "ITA,VENT-ICU,ICU ventilator,150,50,50,0,0,100,0.3333," in rows
