"""Dispatching accepted aid and confirming its receipt, through the API."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.notifications.models import Notification
from aidbridge.offers.tests.factories import offer_against


@pytest.fixture
def accepted_line(api, ita_rfa) -> dict[str, Any]:
    """Germany offered 50 ventilators; Italy accepted 40."""
    line = offer_against(api("deu"), ita_rfa, 50)["lines"][0]
    response = api("ita").post(f"/offer-lines/{line['id']}/accept", {"quantity": 40})
    assert response.status_code == 200
    return response.json()


def _dispatch(client: Any, line: dict[str, Any], **body: Any) -> Any:
    return client.post(f"/offer-lines/{line['id']}/dispatches", {"mode": "airlift", **body})


def test_the_donor_dispatches_and_the_requester_confirms_a_short_receipt(
    api, users, accepted_line
) -> None:
    response = _dispatch(
        api("deu"),
        accepted_line,
        quantity=30,
        expected_at="2099-03-27T14:30:00Z",
        transport_reference="GAF 1042",
    )
    assert response.status_code == 201, response.json()
    dispatch = response.json()
    assert (dispatch["quantity"], dispatch["mode"], dispatch["donor"], dispatch["requester"]) == (
        30,
        "airlift",
        "DEU",
        "ITA",
    )
    assert dispatch["receipt"] is None
    assert Notification.objects.filter(recipient=users["ita"], kind="dispatch.new").exists()

    response = api("ita").post(
        f"/dispatches/{dispatch['id']}/receipt",
        {"quantity": 28, "note": "2 damaged in transit"},
    )
    assert response.status_code == 201, response.json()
    receipt = response.json()["receipt"]
    assert (receipt["quantity"], receipt["shortfall"], receipt["note"]) == (
        28,
        2,
        "2 damaged in transit",
    )
    assert Notification.objects.filter(recipient=users["deu"], kind="receipt.confirmed").exists()
    entry = AuditEntry.objects.get(action="receipt.confirm")
    assert (entry.from_state, entry.to_state, entry.changes) == (
        "dispatched",
        "received_short",
        {"quantity": [30, 28]},
    )
    line = api("ocha").get(f"/offers/{accepted_line['offer']}").json()["lines"][0]
    assert (line["accepted"], line["dispatched"], line["delivered"]) == (40, 30, 28)


def test_the_centre_may_report_a_dispatch_for_the_donor(api, accepted_line) -> None:
    assert _dispatch(api("duty"), accepted_line, quantity=40, mode="road").status_code == 201


@pytest.mark.parametrize("who", ["ita", "tur", "airlift", "ocha"])
def test_others_cannot_report_a_dispatch(api, accepted_line, who) -> None:
    response = _dispatch(api(who), accepted_line, quantity=5)
    assert response.status_code == 403
    assert not Dispatch.objects.exists()


def test_nothing_beyond_what_was_accepted_is_dispatched(api, accepted_line) -> None:
    deu = api("deu")
    assert _dispatch(deu, accepted_line, quantity=25).status_code == 201
    response = _dispatch(deu, accepted_line, quantity=16)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "quantity"
    assert "only 15" in response.json()["detail"]
    assert Dispatch.objects.count() == 1
    assert _dispatch(deu, accepted_line, quantity=15).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": 5, "mode": "teleport"}, "mode"),
        ({"quantity": 5, "dispatched_at": "yesterday"}, "dispatched_at"),
        ({"quantity": 5, "dispatched_at": "2020-03-27T08:00:00"}, "dispatched_at"),
        (
            {"quantity": 5, "expected_at": "2020-03-26T08:00:00Z"},
            "expected_at",
        ),
    ],
)
def test_bad_dispatches_are_refused_naming_the_field(api, accepted_line, body, field) -> None:
    response = _dispatch(api("deu"), accepted_line, **body)
    assert response.status_code == 422, response.json()
    assert response.json()["errors"][0]["field"] == field
    assert (
        not Dispatch.objects.exists()
        and not AuditEntry.objects.filter(action="dispatch.create").exists()
    )


def test_an_open_line_with_nothing_accepted_cannot_be_dispatched(api, ita_rfa) -> None:
    line = offer_against(api("tur"), ita_rfa, 10)["lines"][0]
    response = _dispatch(api("tur"), line, quantity=1)
    # Nothing to dispatch is the line's state (409), not a bad quantity (422).
    assert response.status_code == 409
    assert not Dispatch.objects.exists()


@pytest.fixture
def dispatch(api, accepted_line) -> dict[str, Any]:
    response = _dispatch(api("deu"), accepted_line, quantity=30)
    return response.json()


@pytest.mark.parametrize("who", ["deu", "esp", "duty", "ocha"])
def test_only_the_requesting_nation_confirms_receipt(api, dispatch, who) -> None:
    response = api(who).post(f"/dispatches/{dispatch['id']}/receipt", {"quantity": 30})
    assert response.status_code == 403
    assert not Receipt.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": 31}, "quantity"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": 2.5}, "quantity"),
        ({"quantity": 29}, "note"),
        ({"quantity": 30, "received_at": "2020-03-26T08:00:00Z"}, "received_at"),
    ],
)
def test_bad_receipts_are_refused_naming_the_field(api, dispatch, body, field) -> None:
    response = api("ita").post(f"/dispatches/{dispatch['id']}/receipt", body)
    assert response.status_code == 422, response.json()
    assert response.json()["errors"][0]["field"] == field
    assert not Receipt.objects.exists()


def test_a_receipt_is_confirmed_once(api, dispatch) -> None:
    ita = api("ita")
    assert ita.post(f"/dispatches/{dispatch['id']}/receipt", {"quantity": 30}).status_code == 201
    again = ita.post(f"/dispatches/{dispatch['id']}/receipt", {"quantity": 30})
    assert again.status_code == 409
    assert Receipt.objects.count() == 1


def test_nothing_arrived_is_recorded_with_a_note(api, dispatch) -> None:
    body = {"quantity": 0, "note": "Lost with the truck"}
    response = api("ita").post(f"/dispatches/{dispatch['id']}/receipt", body)
    assert response.status_code == 201
    assert response.json()["receipt"]["shortfall"] == 30


def test_dispatches_are_listed_and_filtered(api, accepted_line, dispatch) -> None:
    reader = api("ocha")
    second = _dispatch(api("deu"), accepted_line, quantity=10, mode="road").json()
    api("ita").post(f"/dispatches/{dispatch['id']}/receipt", {"quantity": 30})

    def ids(**params: Any) -> list[int]:
        response = reader.get("/dispatches", **params)
        assert response.status_code == 200, response.json()
        return [d["id"] for d in response.json()["items"]]

    assert ids() == [second["id"], dispatch["id"]]
    assert ids(received="true") == [dispatch["id"]]
    assert ids(received="false") == [second["id"]]
    assert ids(mode="road") == [second["id"]]
    assert ids(donor="DEU", requester="ITA", item="VENT-ICU") == [second["id"], dispatch["id"]]
    assert ids(donor="TUR") == []
    assert ids(ordering="dispatched") == [dispatch["id"], second["id"]]
    assert reader.get(f"/dispatches/{dispatch['id']}").json()["receipt"]["quantity"] == 30
    assert reader.get("/dispatches/999999").status_code == 404
    history = reader.get(f"/offers/{accepted_line['offer']}/history").json()
    assert [h["action"] for h in history][-3:] == [
        "dispatch.create",
        "dispatch.create",
        "receipt.confirm",
    ]
