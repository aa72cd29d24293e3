"""Closing or withdrawing a request, or closing a crisis, settles what awaited a decision.

Everything goes through the API and the services as users would; the expectations are
the offer lines' quantities, their audit entries, the donors' inboxes and the picture.
"""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.notifications.models import Notification
from aidbridge.offers import proposals
from aidbridge.offers.models import OfferLine
from aidbridge.offers.tests.factories import circulated_rfa, offer_against
from aidbridge.requests.models import RequestForAssistance

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(api, users, items, crisis, ita_rfa) -> dict[str, Any]:
    """Against Italy's 150 ventilators and 100,000 masks: Germany offers 50 ventilators
    (Italy accepts 20), Türkiye 30 ventilators and 1,000 masks (undecided), and the centre
    proposes 10 ventilators from NATO's standing stock of 40 (not confirmed)."""
    deu = offer_against(api("deu"), ita_rfa, 50)["lines"][0]
    assert api("ita").post(f"/offer-lines/{deu['id']}/accept", {"quantity": 20}).status_code == 200
    tur = offer_against(api("tur"), ita_rfa, 30, 1000)["lines"]
    standing = api("stock").post(
        f"/crises/{crisis.code}/unsolicited-offers",
        {"lines": [{"item": "VENT-ICU", "quantity": 40}]},
    )
    assert standing.status_code == 201, standing.json()
    source = standing.json()["lines"][0]["id"]
    vent = ita_rfa.lines.get(item__code="VENT-ICU")
    [drawn] = proposals.propose_drawn_offers(
        users["duty"], [proposals.Draw(standing=source, need=vent.pk, quantity=10)]
    )
    return {"deu": deu["id"], "tur": [ln["id"] for ln in tur], "drawn": drawn.pk, "source": source}


def _line(pk: int) -> tuple[str, int, int, str]:
    line = OfferLine.objects.get(pk=pk)
    return line.status, line.accepted, line.declined, line.decline_reason


def _free_standing_stock(pk: int) -> int:
    return proposals.available_quantities(OfferLine.objects.filter(pk=pk))[pk]


def _settled_entries(*pks: int) -> list[tuple[int, str, str, str, Any]]:
    entries = AuditEntry.objects.filter(
        target_id__in=pks, action__in=("offer_line.decline", "offer_line.withdraw")
    ).order_by("pk")
    return [
        (e.target_id, e.action, e.from_state, e.to_state, e.changes.get("declined"))
        for e in entries
    ]


def test_closing_a_request_declines_what_awaits_a_decision(api, users, crisis, ita_rfa, offers):
    assert _free_standing_stock(offers["source"]) == 30
    closed = api("duty").post(
        f"/rfas/{ita_rfa.pk}/close", {"closure": "fulfilled", "reason": "Covered by EU stock"}
    )
    assert closed.status_code == 200, closed.json()

    why = "request closed (fulfilled): Covered by EU stock"
    tur_vent, tur_masks = offers["tur"]
    assert _line(offers["deu"]) == ("accepted", 20, 30, why)
    assert _line(tur_vent) == ("declined", 0, 30, why)
    assert _line(tur_masks) == ("declined", 0, 1000, why)
    # The unconfirmed proposal is withdrawn: its 10 units are free in the stock again.
    assert OfferLine.objects.get(pk=offers["drawn"]).status == "withdrawn"
    assert _free_standing_stock(offers["source"]) == 40

    assert _settled_entries(offers["deu"], tur_vent, tur_masks, offers["drawn"]) == [
        (offers["deu"], "offer_line.decline", "open", "accepted", [0, 30]),
        (tur_vent, "offer_line.decline", "open", "declined", [0, 30]),
        (tur_masks, "offer_line.decline", "open", "declined", [0, 1000]),
        (offers["drawn"], "offer_line.withdraw", "proposed", "withdrawn", None),
    ]
    close = AuditEntry.objects.get(action="rfa.close")
    settled = AuditEntry.objects.filter(action__in=("offer_line.decline", "offer_line.withdraw"))
    assert all(e.pk > close.pk and e.reason == why and e.actor == users["duty"] for e in settled)

    told = {}
    for donor in ("deu", "tur", "stock"):
        [told[donor]] = Notification.objects.filter(recipient=users[donor], kind="offer.settled")
        assert why in told[donor].body
    assert "- 30 VENT-ICU declined" in told["deu"].body
    assert "- 1000 MASK-SURG declined" in told["tur"].body
    assert "- proposal of 10 VENT-ICU withdrawn" in told["stock"].body

    refused = api("ita").post(f"/offer-lines/{tur_vent}/accept", {})
    assert refused.status_code == 409
    assert _line(tur_vent)[:3] == ("declined", 0, 30)

    picture = api("ocha").get(f"/crises/{crisis.code}/picture").json()
    vent = next(row for row in picture["lines"]["items"] if row["item"] == "VENT-ICU")
    assert (vent["open"], vent["accepted"], vent["offered"]) == (0, 20, 20)
    assert picture["overall"]["open"] == 0


def test_withdrawing_a_request_declines_its_offers_too_and_tells_donors_in_their_language(
    api, users, crisis, ita_rfa, offers
) -> None:
    users["tur"].profile.language = "fr"
    users["tur"].profile.save()
    withdrawn = api("ita").post(f"/rfas/{ita_rfa.pk}/withdraw", {"reason": "Patients moved"})
    assert withdrawn.status_code == 200, withdrawn.json()

    why = "request withdrawn by ITA: Patients moved"
    assert _line(offers["deu"]) == ("accepted", 20, 30, why)
    assert [_line(pk) for pk in offers["tur"]] == [
        ("declined", 0, 30, why),
        ("declined", 0, 1000, why),
    ]
    assert OfferLine.objects.get(pk=offers["drawn"]).status == "withdrawn"
    assert _free_standing_stock(offers["source"]) == 40
    assert AuditEntry.objects.filter(action="offer_line.decline", reason=why).count() == 3

    [english] = Notification.objects.filter(recipient=users["deu"], kind="offer.settled")
    [french] = Notification.objects.filter(recipient=users["tur"], kind="offer.settled")
    assert english.subject.endswith("no longer awaiting a decision")
    assert french.subject.endswith("plus rien n'attend de décision")
    assert "- 30 VENT-ICU refusé(s)" in french.body and why in french.body
    # The requester is not told of what it just did.
    assert not Notification.objects.filter(recipient=users["ita"], kind="offer.settled").exists()

    assert api("ita").post(f"/offer-lines/{offers['deu']}/accept", {}).status_code == 409
    confirm = api("stock").post(
        f"/offers/{OfferLine.objects.get(pk=offers['drawn']).offer_id}/confirm"
    )
    assert confirm.status_code == 409
    picture = api("ocha").get(f"/crises/{crisis.code}/picture").json()
    assert picture["overall"]["open"] == 0 and picture["overall"]["accepted"] == 20


def test_a_request_with_nothing_pending_closes_without_touching_decided_lines(api, ita_rfa) -> None:
    line = offer_against(api("deu"), ita_rfa, 50)["lines"][0]
    api("ita").post(f"/offer-lines/{line['id']}/accept", {})
    assert (
        api("duty").post(f"/rfas/{ita_rfa.pk}/close", {"closure": "fulfilled"}).status_code == 200
    )
    assert _line(line["id"]) == ("accepted", 50, 0, "")
    assert not AuditEntry.objects.filter(action="offer_line.decline").exists()
    assert not Notification.objects.filter(kind="offer.settled").exists()


def test_closing_the_crisis_withdraws_standing_stock_and_stops_new_requests(
    api, users, items, parties, crisis, ita_rfa, offers
) -> None:
    draft = circulated_rfa(
        crisis, parties["ESP"], users["esp"], [(items["SUIT-PROT"], 10)], status="draft"
    )
    # A crisis with requests still open is not closed over their heads.
    refused = api("duty").post(f"/crises/{crisis.code}/close", {"reason": "Over"})
    assert refused.status_code == 409
    assert OfferLine.objects.get(pk=offers["source"]).status == "open"

    api("duty").post(f"/rfas/{ita_rfa.pk}/close", {"closure": "overtaken", "reason": "Peak passed"})
    closed = api("duty").post(f"/crises/{crisis.code}/close", {"reason": "Pandemic wave over"})
    assert closed.status_code == 200, closed.json()

    why = "crisis covid-19-2020 closed: Pandemic wave over"
    source = OfferLine.objects.get(pk=offers["source"])
    assert (source.status, source.declined) == ("withdrawn", 0)
    [entry] = AuditEntry.objects.filter(target_id=source.pk, action="offer_line.withdraw")
    assert (entry.from_state, entry.to_state, entry.reason) == ("open", "withdrawn", why)
    assert entry.pk > AuditEntry.objects.get(action="crisis.close").pk
    [told] = Notification.objects.filter(
        recipient=users["stock"], kind="offer.settled", body__contains=why
    )
    assert "standing stock of 40 VENT-ICU withdrawn" in told.body

    # Nothing new can start in the closed crisis.
    again = api("stock").post(
        f"/crises/{crisis.code}/unsolicited-offers",
        {"lines": [{"item": "VENT-ICU", "quantity": 5}]},
    )
    assert again.status_code == 409
    assert api("esp").post(f"/rfas/{draft.pk}/submit").status_code == 409
    assert RequestForAssistance.objects.get(pk=draft.pk).status == "draft"
    new = api("esp").post(
        "/rfas",
        {
            "crisis": crisis.code,
            "title": "Suits",
            "lines": [{"item": "SUIT-PROT", "quantity": 5, "delivery_airport": "LEMD"}],
        },
    )
    assert new.status_code == 409, new.json()


def test_withdrawing_standing_stock_withdraws_its_unconfirmed_proposals(api, users, offers) -> None:
    drawn = OfferLine.objects.get(pk=offers["drawn"])
    response = api("stock").post(
        f"/offer-lines/{offers['source']}/withdraw", {"reason": "Sent elsewhere"}
    )
    assert response.status_code == 200, response.json()
    drawn.refresh_from_db()
    assert drawn.status == "withdrawn"
    [entry] = AuditEntry.objects.filter(target_id=drawn.pk, action="offer_line.withdraw")
    assert (entry.from_state, entry.reason) == ("proposed", "Sent elsewhere")
    assert api("stock").post(f"/offers/{drawn.offer_id}/confirm").status_code == 409
    assert OfferLine.objects.get(pk=drawn.pk).status == "withdrawn"
    assert Notification.objects.filter(recipient=users["duty"], kind="offer.withdrawn").exists()
