"""Accepting, declining and withdrawing offer lines through the API."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.notifications.models import Notification
from aidbridge.offers.models import OfferLine
from aidbridge.offers.tests.factories import offer_against
from aidbridge.requests.models import RequestForAssistance


@pytest.fixture
def deu_line(api, ita_rfa) -> dict[str, Any]:
    """Germany offers 50 of the 150 ventilators Italy asked for."""
    return offer_against(api("deu"), ita_rfa, 50)["lines"][0]


def _snapshot() -> list[tuple[Any, ...]]:
    return list(OfferLine.objects.values_list("pk", "status", "accepted", "declined"))


def test_the_requester_accepts_part_then_declines_the_rest(api, users, deu_line) -> None:
    ita = api("ita")
    accepted = ita.post(f"/offer-lines/{deu_line['id']}/accept", {"quantity": 30})
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert (body["status"], body["accepted"], body["pending"]) == ("open", 30, 20)

    declined = ita.post(
        f"/offer-lines/{deu_line['id']}/decline", {"reason": "Wrong voltage for our hospitals"}
    )
    assert declined.status_code == 200, declined.json()
    body = declined.json()
    assert (body["status"], body["accepted"], body["declined"], body["pending"]) == (
        "accepted",
        30,
        20,
        0,
    )
    assert body["decline_reason"] == "Wrong voltage for our hospitals"
    told = Notification.objects.filter(recipient=users["deu"], kind__startswith="offer.")
    kinds = told.values_list("kind", flat=True)
    assert sorted(kinds) == ["offer.accepted", "offer.declined"]
    entries = AuditEntry.objects.filter(action__startswith="offer_line.").order_by("pk")
    assert [(e.action, e.from_state, e.to_state, e.changes.get("accepted")) for e in entries] == [
        ("offer_line.create", "", "open", None),
        ("offer_line.accept", "open", "open", [0, 30]),
        ("offer_line.decline", "open", "accepted", None),
    ]
    assert entries.last().changes["declined"] == [0, 20]  # type: ignore[union-attr]


def test_accepting_without_a_quantity_takes_all_that_is_pending(api, deu_line) -> None:
    body = api("ita").post(f"/offer-lines/{deu_line['id']}/accept", {}).json()
    assert (body["status"], body["accepted"]) == ("accepted", 50)


def test_declining_needs_a_reason_and_may_be_partial(api, deu_line) -> None:
    ita = api("ita")
    response = ita.post(f"/offer-lines/{deu_line['id']}/decline", {"reason": "  "})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "reason", "message": "say why the offer is declined"}
    ]
    response = ita.post(f"/offer-lines/{deu_line['id']}/decline", {})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason"
    body = ita.post(
        f"/offer-lines/{deu_line['id']}/decline", {"reason": "Too many", "quantity": 10}
    ).json()
    assert (body["status"], body["declined"], body["pending"]) == ("open", 10, 40)
    body = ita.post(f"/offer-lines/{deu_line['id']}/decline", {"reason": "None needed"}).json()
    assert (body["status"], body["declined"]) == ("declined", 50)


@pytest.mark.parametrize("who", ["esp", "deu", "duty", "head", "airlift", "ocha"])
@pytest.mark.parametrize("action", ["accept", "decline"])
def test_only_the_requesting_nations_poc_decides(api, deu_line, who, action) -> None:
    body = {"quantity": 5, "reason": "mine"} if action == "decline" else {"quantity": 5}
    response = api(who).post(f"/offer-lines/{deu_line['id']}/{action}", body)
    assert response.status_code == 403, response.json()
    assert OfferLine.objects.get().status == "open"


@pytest.mark.parametrize(
    ("quantity", "status"), [(0, 422), (-3, 422), (2.5, 422), ("5", 422), (51, 422)]
)
def test_bad_quantities_to_accept_are_refused(api, deu_line, quantity, status) -> None:
    before = _snapshot()
    response = api("ita").post(f"/offer-lines/{deu_line['id']}/accept", {"quantity": quantity})
    assert response.status_code == status, response.json()
    assert response.json()["errors"][0]["field"] == "quantity"
    assert _snapshot() == before
    assert not AuditEntry.objects.filter(action="offer_line.accept").exists()


def test_over_acceptance_is_refused_without_a_reason_and_shown_with_one(api, ita_rfa) -> None:
    deu = offer_against(api("deu"), ita_rfa, 100)["lines"][0]
    tur = offer_against(api("tur"), ita_rfa, 100)["lines"][0]
    ita = api("ita")
    assert ita.post(f"/offer-lines/{deu['id']}/accept", {}).status_code == 200

    refused = ita.post(f"/offer-lines/{tur['id']}/accept", {})
    assert refused.status_code == 422
    error = refused.json()
    assert error["code"] == "over_acceptance"
    assert error["errors"][0]["field"] == "quantity"
    assert "outstanding need of 50" in error["detail"]
    assert OfferLine.objects.get(pk=tur["id"]).accepted == 0

    # Within the outstanding need, no reason is needed.
    assert ita.post(f"/offer-lines/{tur['id']}/accept", {"quantity": 50}).status_code == 200
    reason = "Second wave expected in Bergamo: we keep a reserve"
    over = ita.post(
        f"/offer-lines/{tur['id']}/accept", {"quantity": 20, "over_acceptance_reason": reason}
    )
    assert over.status_code == 200, over.json()
    assert over.json()["over_acceptance_reason"] == reason
    assert over.json()["accepted"] == 70
    entry = AuditEntry.objects.filter(action="offer_line.accept").order_by("pk").last()
    assert entry is not None
    assert entry.reason == reason and entry.changes["over_accepted"] == 20
    assert entry.changes["request_line_accepted"] == [150, 170]
    shown = api("ocha").get(f"/offers/{tur['offer']}").json()["lines"][0]
    assert shown["over_acceptance_reason"] == reason


def test_a_withdrawn_line_cannot_be_accepted_and_an_accepted_one_cannot_be_withdrawn(
    api, users, ita_rfa
) -> None:
    offer = offer_against(api("deu"), ita_rfa, 50, 20_000)
    vent, masks = offer["lines"]
    deu, ita = api("deu"), api("ita")
    assert api("tur").post(f"/offer-lines/{vent['id']}/withdraw", {}).status_code == 403
    assert ita.post(f"/offer-lines/{vent['id']}/withdraw", {}).status_code == 403
    response = deu.post(f"/offer-lines/{vent['id']}/withdraw", {"reason": "Needed at home"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert Notification.objects.filter(recipient=users["ita"], kind="offer.withdrawn").exists()

    before = _snapshot()
    response = ita.post(f"/offer-lines/{vent['id']}/accept", {})
    assert response.status_code == 409
    assert "withdrawn" in response.json()["detail"]
    assert _snapshot() == before

    assert ita.post(f"/offer-lines/{masks['id']}/accept", {"quantity": 1}).status_code == 200
    response = deu.post(f"/offer-lines/{masks['id']}/withdraw", {})
    assert response.status_code == 409 and "accepted" in response.json()["detail"]
    response = deu.post(f"/offers/{offer['id']}/withdraw", {})
    assert response.status_code == 409
    assert OfferLine.objects.get(pk=masks["id"]).status == "open"


def test_a_whole_offer_is_withdrawn_while_nothing_of_it_is_accepted(api, ita_rfa) -> None:
    offer = offer_against(api("deu"), ita_rfa, 50, 20_000)
    response = api("deu").post(f"/offers/{offer['id']}/withdraw", {"reason": "Plans changed"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "withdrawn"
    assert {ln["status"] for ln in body["lines"]} == {"withdrawn"}
    assert api("deu").post(f"/offers/{offer['id']}/withdraw", {}).status_code == 409
    first = body["lines"][0]["id"]
    assert api("ita").post(f"/offer-lines/{first}/decline", {"reason": "x"}).status_code == 409


def test_decisions_stop_when_the_rfa_is_closed(api, ita_rfa, deu_line) -> None:
    RequestForAssistance.objects.filter(pk=ita_rfa.pk).update(status="closed")
    response = api("ita").post(f"/offer-lines/{deu_line['id']}/accept", {})
    assert response.status_code == 409
    assert OfferLine.objects.get().accepted == 0


def test_unsolicited_lines_are_not_decided_directly(api, items, crisis) -> None:
    body = {"lines": [{"item": "VENT-ICU", "quantity": 40}]}
    line = api("stock").post(f"/crises/{crisis.code}/unsolicited-offers", body).json()["lines"][0]
    response = api("ita").post(f"/offer-lines/{line['id']}/accept", {})
    assert response.status_code == 409


def test_unknown_lines_and_malformed_json(api, deu_line) -> None:
    assert api("ita").post("/offer-lines/999999/accept", {}).status_code == 404
    response = api("ita").post(f"/offer-lines/{deu_line['id']}/accept", "{quantity: 5}")
    assert response.status_code == 400 and response.json()["code"] == "malformed_json"
    assert OfferLine.objects.get().accepted == 0


def test_the_history_tells_who_did_what_in_order(api, deu_line) -> None:
    ita = api("ita")
    ita.post(f"/offer-lines/{deu_line['id']}/accept", {"quantity": 30})
    ita.post(f"/offer-lines/{deu_line['id']}/decline", {"reason": "Enough"})
    history = api("ocha").get(f"/offers/{deu_line['offer']}/history").json()
    assert [(h["action"], h["actor"], h["actor_party"], h["to_state"]) for h in history] == [
        ("offer.create", "deu-poc", "DEU", "open"),
        ("offer_line.create", "deu-poc", "DEU", "open"),
        ("offer_line.accept", "ita-poc", "ITA", "open"),
        ("offer_line.decline", "ita-poc", "ITA", "accepted"),
    ]
    assert history[3]["reason"] == "Enough" and history[3]["changes"]["declined"] == [0, 20]
