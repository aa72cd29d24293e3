"""Each role sees exactly the buttons and forms of the actions it may take.

The pages are read through Django's HTTP stack and their action forms and links
collected; the expected sets are written out from the role rules of the domain (who
decides, who withdraws, who dispatches), not read from the selectors.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aidbridge.core.tests.allowed import action_targets
from aidbridge.logistics import services as logistics
from aidbridge.offers import services
from aidbridge.offers.proposals import Draw, propose_drawn_offers
from aidbridge.offers.tests.factories import ita_rfa

__all__ = ["ita_rfa"]
ROLES = ["ita", "deu", "tur", "duty", "head", "airlift", "ocha"]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def offered(users, ita_rfa) -> dict[str, Any]:
    """Germany's offers on Italy's ventilators: one open, one partly accepted, one
    accepted and partly dispatched (not yet received)."""
    need = ita_rfa.lines.get(position=1)

    def offer(quantity: int) -> Any:
        made = services.make_offer(
            users["deu"], rfa=ita_rfa, lines=[{"request_line": need.pk, "quantity": quantity}]
        )
        return made.lines.get()

    open_line, part, moving = offer(30), offer(30), offer(30)
    services.accept_offer_line(users["ita"], part, 10)
    services.accept_offer_line(users["ita"], moving)
    sent = logistics.dispatch_offer_line(users["deu"], moving, quantity=10, mode="road")
    return {"open": open_line, "part": part, "moving": moving, "dispatch": sent}


def test_rfa_detail_shows_each_role_exactly_its_actions(users, ita_rfa, offered) -> None:
    rfa = f"/rfas/{ita_rfa.pk}"
    line = {name: f"/offer-lines/{offered[name].pk}" for name in ("open", "part", "moving")}
    receipt = f"/dispatches/{offered['dispatch'].pk}/receipt/"
    centre = {f"{rfa}/close/", f"{line['part']}/dispatch/", f"{line['moving']}/dispatch/"}
    expected = {
        # The requester decides on what is pending and confirms what arrives.
        "ita": {
            f"{rfa}/withdraw/",
            f"{line['open']}/accept/",
            f"{line['open']}/decline/",
            f"{line['part']}/accept/",
            f"{line['part']}/decline/",
            receipt,
        },
        # The donor withdraws only the line nothing of which is accepted.
        "deu": {
            f"{rfa}/offer/",
            f"{line['open']}/withdraw/",
            f"{line['part']}/dispatch/",
            f"{line['moving']}/dispatch/",
        },
        "tur": {f"{rfa}/offer/"},
        "duty": centre,
        "head": centre,
        "airlift": set(),
        "ocha": set(),
    }
    for role in ROLES:
        page = client_for(users[role]).get(f"{rfa}/")
        assert page.status_code == 200
        assert action_targets(page.text) == expected[role], role


def test_offer_detail_offers_exactly_the_allowed_actions(users, ita_rfa, crisis) -> None:
    first, second = ita_rfa.lines.order_by("position")
    offer = services.make_offer(
        users["deu"],
        rfa=ita_rfa,
        lines=[
            {"request_line": first.pk, "quantity": 30},
            {"request_line": second.pk, "quantity": 500},
        ],
    )
    untouched, part = offer.lines.order_by("pk")
    services.accept_offer_line(users["ita"], part, 100)
    standing = services.make_unsolicited_offer(
        users["deu"], crisis=crisis, lines=[{"item": "VENT-ICU", "quantity": 100}]
    ).lines.get()
    proposed = propose_drawn_offers(users["duty"], [Draw(standing.pk, first.pk, 20)])[0]
    # The offer page offers every action the line rules allow, as the request page:
    # the donor (and the centre) dispatch what is accepted, the requester decides.
    dispatch = f"/offer-lines/{part.pk}/dispatch/"
    decide = {
        f"/offer-lines/{line.pk}/{verb}/"
        for line in (untouched, part)
        for verb in ("accept", "decline")
    }
    expected = {
        "deu": {
            offer.pk: {f"/offer-lines/{untouched.pk}/withdraw/", dispatch},
            proposed.offer_id: {
                f"/offers/{proposed.offer_id}/confirm/",
                f"/offers/{proposed.offer_id}/decline-proposal/",
            },
        },
        "ita": {offer.pk: decide},
        "duty": {offer.pk: {dispatch}},
        "head": {offer.pk: {dispatch}},
    }
    for role in ROLES:
        for shown in (offer.pk, proposed.offer_id):
            page = client_for(users[role]).get(f"/offers/{shown}/")
            assert page.status_code == 200
            want = expected.get(role, {}).get(shown, set())
            assert action_targets(page.text) == want, (role, shown)


def test_crisis_pages_offer_only_what_the_role_may_start(users, crisis) -> None:
    code = crisis.code
    poc = {
        "dashboard": {f"/crises/{code}/import/needs/"},
        "rfas": {"/rfas/new/"},
        "offers": {f"/crises/{code}/standing-offer/"},
    }
    centre = {"dashboard": {f"/crises/{code}/allocation/"}, "rfas": set(), "offers": set()}
    nothing: dict[str, set[str]] = {"dashboard": set(), "rfas": set(), "offers": set()}
    expected = {
        "ita": poc,
        "tur": poc,
        "duty": centre,
        "head": centre,
        "airlift": nothing,
        "ocha": nothing,
    }
    pages = {
        "dashboard": f"/crises/{code}/",
        "rfas": f"/rfas/?crisis={code}",
        "offers": f"/offers/?crisis={code}",
    }
    for role, wanted in expected.items():
        client = client_for(users[role])
        for name, url in pages.items():
            assert action_targets(client.get(url).text) == wanted[name], (role, name)


@pytest.mark.parametrize("role", ["duty", "head", "airlift", "ocha"])
def test_no_form_the_service_would_refuse(role: str, users, crisis, ita_rfa) -> None:
    """The New-request, standing-offer, offer and import forms: refused (403), not shown."""
    client = client_for(users[role])
    forms = [
        f"/rfas/new/?crisis={crisis.code}",
        f"/crises/{crisis.code}/standing-offer/",
        f"/rfas/{ita_rfa.pk}/offer/",
        f"/crises/{crisis.code}/import/needs/",
        f"/crises/{crisis.code}/import/offers/",
    ]
    for url in forms:
        page = client.get(url)
        assert page.status_code == 403, url
        assert "<form" not in page.text.split("</header>")[1], url


def test_points_of_contact_get_the_forms(users, crisis, ita_rfa) -> None:
    client = client_for(users["tur"])
    for url in (
        f"/rfas/new/?crisis={crisis.code}",
        f"/crises/{crisis.code}/standing-offer/",
        f"/rfas/{ita_rfa.pk}/offer/",
        f"/crises/{crisis.code}/import/needs/",
        f"/crises/{crisis.code}/import/offers/",
    ):
        assert client.get(url).status_code == 200, url
    # A nation does not offer against its own request.
    assert client_for(users["ita"]).get(f"/rfas/{ita_rfa.pk}/offer/").status_code == 403


def test_the_history_says_what_a_partial_decline_did(users, ita_rfa) -> None:
    need = ita_rfa.lines.get(position=1)
    line = services.make_offer(
        users["deu"], rfa=ita_rfa, lines=[{"request_line": need.pk, "quantity": 30}]
    ).lines.get()
    services.accept_offer_line(users["ita"], line, 20)
    services.decline_offer_line(users["ita"], line, "Enough for now")
    page = client_for(users["ita"]).get(f"/rfas/{ita_rfa.pk}/").text
    assert "Declined 10 of 30; 20 accepted" in page
    assert "Accepted 20 of 30; 10 still awaiting decision" in page
    assert "(Awaiting decision → Accepted)" not in page
