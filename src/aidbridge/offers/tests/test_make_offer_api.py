"""Making offers through the API: against circulated RFAs, unsolicited, and refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from aidbridge.audit.models import AuditEntry
from aidbridge.notifications.models import Notification
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.tests.factories import circulated_rfa, offer_against
from aidbridge.requests.models import RequestForAssistance


def _lines(rfa: RequestForAssistance, *quantities: Any) -> list[dict[str, Any]]:
    return [
        {"request_line": line.pk, "quantity": q}
        for line, q in zip(rfa.lines.order_by("position"), quantities, strict=False)
    ]


def test_a_donor_offers_against_a_circulated_rfa_and_the_requester_is_told(
    api, users, ita_rfa, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        offer = offer_against(
            api("deu"),
            ita_rfa,
            50,
            available_from="2020-03-25",
            origin_airport="eddf",
            own_transport=True,
            conditions="Operators trained by the donor",
        )
    assert offer["reference"].startswith("OFR-") and offer["reference"].endswith("-0001")
    assert (offer["donor"], offer["requester"], offer["rfa"]) == ("DEU", "ITA", ita_rfa.pk)
    assert offer["status"] == "open" and offer["unsolicited"] is False
    assert offer["origin_airport"] == "EDDF" and offer["own_transport"] is True
    [line] = offer["lines"]
    assert (line["item"], line["quantity"], line["pending"], line["status"]) == (
        "VENT-ICU",
        50,
        50,
        "open",
    )
    inbox = Notification.objects.get(recipient=users["ita"], kind__startswith="offer.")
    assert inbox.kind == "offer.new" and offer["reference"] in inbox.subject
    assert [m.to for m in mail.outbox] == [["ita-poc@example.org"]]
    actions = list(
        AuditEntry.objects.filter(action__startswith="offer").values_list(
            "action", "actor__username"
        )
    )
    assert actions == [("offer.create", "deu-poc"), ("offer_line.create", "deu-poc")]


def test_offers_may_exceed_the_request_because_they_compete(api, ita_rfa) -> None:
    offer = offer_against(api("tur"), ita_rfa, 400, 250_000)
    assert [ln["quantity"] for ln in offer["lines"]] == [400, 250_000]


@pytest.mark.parametrize("who", ["ita", "duty", "head", "airlift", "ocha"])
def test_only_other_nations_points_of_contact_may_offer(api, ita_rfa, who) -> None:
    response = api(who).post(f"/rfas/{ita_rfa.pk}/offers", {"lines": _lines(ita_rfa, 5)})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Offer.objects.exists()


def test_an_anonymous_client_is_refused(api, ita_rfa) -> None:
    response = api(None).post(f"/rfas/{ita_rfa.pk}/offers", {"lines": _lines(ita_rfa, 5)})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("status", "expected"),
    [("draft", 404), ("submitted", 404), ("returned", 404), ("closed", 409)],
)
def test_offers_go_only_to_circulated_requests(
    api, crisis, parties, users, items, status, expected
) -> None:
    rfa = circulated_rfa(
        crisis, parties["ESP"], users["esp"], [(items["VENT-ICU"], 10)], status=status
    )
    response = api("deu").post(f"/rfas/{rfa.pk}/offers", {"lines": _lines(rfa, 5)})
    assert response.status_code == expected, response.json()
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": 0}, "lines.0.quantity"),
        ({"quantity": -5}, "lines.0.quantity"),
        ({"quantity": 2.5}, "lines.0.quantity"),
        ({"quantity": "ten"}, "lines.0.quantity"),
        ({"quantity": None}, "lines.0.quantity"),
        ({"request_line": 999_999}, "lines.0.request_line"),
        ({"request_line": "first"}, "lines.0.request_line"),
    ],
)
def test_bad_lines_are_refused_naming_the_field_and_nothing_is_written(
    api, ita_rfa, line, field
) -> None:
    body = {"lines": [{**_lines(ita_rfa, 5)[0], **line}]}
    response = api("deu").post(f"/rfas/{ita_rfa.pk}/offers", body)
    assert response.status_code == 422, response.json()
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Offer.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="offer").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": None}, "lines"),
        ({"origin_airport": "ZZZZ"}, "origin_airport"),
        ({"origin_lat": 45.0}, "origin_lon"),
        ({"origin_lat": 95.0, "origin_lon": 9.0}, "origin_lat"),
        ({"available_from": "25/03/2020"}, "available_from"),
    ],
)
def test_bad_offer_fields_are_refused_naming_the_field(api, ita_rfa, body, field) -> None:
    payload = {"lines": _lines(ita_rfa, 5), **body}
    response = api("deu").post(f"/rfas/{ita_rfa.pk}/offers", payload)
    assert response.status_code == 422, response.json()
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Offer.objects.exists()


def test_a_line_of_another_rfa_or_twice_the_same_line_is_refused(
    api, crisis, parties, users, items, ita_rfa
) -> None:
    other = circulated_rfa(crisis, parties["ESP"], users["esp"], [(items["VENT-ICU"], 10)])
    body = {"lines": _lines(ita_rfa, 5) + _lines(other, 5)}
    response = api("deu").post(f"/rfas/{ita_rfa.pk}/offers", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines.1.request_line"
    twice = {"lines": _lines(ita_rfa, 5) + _lines(ita_rfa, 6)}
    response = api("deu").post(f"/rfas/{ita_rfa.pk}/offers", twice)
    assert response.json()["errors"][0]["field"] == "lines.1.request_line"
    assert not Offer.objects.exists()


def test_malformed_json_is_a_400_naming_the_body(api, ita_rfa) -> None:
    response = api("deu").post(f"/rfas/{ita_rfa.pk}/offers", '{"lines": [')
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"
    assert not Offer.objects.exists()


def test_an_unknown_rfa_is_a_404(api, ita_rfa) -> None:
    response = api("deu").post("/rfas/999999/offers", {"lines": _lines(ita_rfa, 5)})
    assert response.status_code == 404


def test_a_repeated_post_with_the_same_idempotency_key_creates_one_offer(api, ita_rfa) -> None:
    client = api("deu")
    body = {"lines": _lines(ita_rfa, 5)}
    first = client.post(f"/rfas/{ita_rfa.pk}/offers", body, headers={"Idempotency-Key": "k-1"})
    again = client.post(f"/rfas/{ita_rfa.pk}/offers", body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Offer.objects.count() == 1


def test_an_unsolicited_offer_is_standing_stock_for_the_crisis(
    api, users, items, crisis, django_capture_on_commit_callbacks
) -> None:
    body = {
        "lines": [
            {"item": "VENT-ICU", "quantity": 40, "notes": "Strategic reserve"},
            {"item": "MASK-SURG", "quantity": 500_000},
        ],
        "origin_airport": "KDOV",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api("stock").post(f"/crises/{crisis.code}/unsolicited-offers", body)
    assert response.status_code == 201, response.json()
    offer = response.json()
    assert offer["unsolicited"] is True and offer["rfa"] is None and offer["donor"] == "NATO-STOCK"
    assert [(ln["item"], ln["request_line"]) for ln in offer["lines"]] == [
        ("VENT-ICU", None),
        ("MASK-SURG", None),
    ]
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"duty", "head"}


def test_an_unsolicited_offer_of_an_unknown_item_is_refused(api, items, crisis) -> None:
    body = {"lines": [{"item": "VENT-ICU", "quantity": 4}, {"item": "UNOBTAINIUM", "quantity": 1}]}
    response = api("deu").post(f"/crises/{crisis.code}/unsolicited-offers", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines.1.item"
    assert not OfferLine.objects.exists()
    response = api("ocha").post(f"/crises/{crisis.code}/unsolicited-offers", body)
    assert response.status_code == 403
    assert api("deu").post("/crises/nope/unsolicited-offers", body).status_code == 404
