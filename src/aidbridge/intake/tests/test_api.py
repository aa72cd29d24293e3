"""Intake through the API: reading saves nothing, confirming drafts a request with the
checks of any draft, and the roles follow the existing rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.requests.models import RequestForAssistance

MESSAGE = (
    "L'Italie demande d'urgence 500 respirateurs FFP2 et 150 ventilateurs de réanimation "
    "pour Milan, livraison avant le 10 avril. Prévoir aussi 40 bidules."
)
pytestmark = pytest.mark.django_db

Api = Callable[[str | None], Any]


def _confirm_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "crisis": "covid-19-2020",
        "title": "Respirators and ventilators for Milan",
        "text": MESSAGE,
        "lines": [
            {"item": "RESP-FFP2", "quantity": 500, "priority": 1, "needed_by": "2020-04-10",
             "delivery_airport": "LIMC"},
            {"item": "VENT-ICU", "quantity": 150, "priority": 1, "needed_by": "2020-04-10",
             "delivery_airport": "LIMC"},
        ],
    }  # fmt: skip
    return body | overrides


def test_a_poc_reads_a_message_and_nothing_is_saved(api: Api, items: Any, crisis: Any) -> None:
    before = (RequestForAssistance.objects.count(), AuditEntry.objects.count())
    response = api("ita").post("/intake", {"crisis": "covid-19-2020", "text": MESSAGE})
    assert response.status_code == 200, response.json()
    body = response.json()
    lines = [(ln["item"], ln["quantity"], ln["needed_by"], ln["priority"]) for ln in body["lines"]]
    assert lines == [
        ("RESP-FFP2", 500, "2020-04-10", 1),
        ("VENT-ICU", 150, "2020-04-10", 1),
    ]
    first = body["lines"][0]
    assert first["source"] == "500 respirateurs FFP2"
    assert first["item_name"] == "FFP2 respirator"
    assert 0 < first["confidence"] <= 1
    assert body["nation"]["code"] == "ITA"
    assert body["delivery_airport"]["code"] == "LIMC"
    assert body["draft_allowed"] is True
    unclear = body["not_understood"]
    assert [u["kind"] for u in unclear] == ["quantity_without_item"]
    assert "40 bidules" in unclear[0]["message"]
    assert (RequestForAssistance.objects.count(), AuditEntry.objects.count()) == before


def test_the_centre_reads_but_only_a_poc_drafts(api: Api, items: Any, crisis: Any) -> None:
    response = api("duty").post("/intake", {"crisis": "covid-19-2020", "text": MESSAGE})
    assert response.status_code == 200
    assert response.json()["draft_allowed"] is False
    refused = api("duty").post("/intake/confirm", _confirm_body())
    assert refused.status_code == 403
    assert RequestForAssistance.objects.count() == 0


@pytest.mark.parametrize("who", ["ocha", "airlift", None])
def test_others_may_not_read(api: Api, items: Any, crisis: Any, who: str | None) -> None:
    response = api(who).post("/intake", {"crisis": "covid-19-2020", "text": MESSAGE})
    assert response.status_code in (401, 403)


def test_a_closed_crisis_is_a_conflict(api: Api, items: Any, crisis: Crisis) -> None:
    Crisis.objects.filter(pk=crisis.pk).update(status=Crisis.Status.CLOSED)
    response = api("ita").post("/intake", {"crisis": "covid-19-2020", "text": MESSAGE})
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"crisis": "covid-19-2020", "text": "x" * 10_001}, "text"),
        ({"crisis": "covid-19-2020", "text": "500 masks\x00"}, "text"),
        ({"crisis": "covid-19-2020", "text": "500 masks", "lang": "en"}, "lang"),
        ({"crisis": "no-such-crisis", "text": "500 masks"}, "crisis"),
        ({"crisis": "covid-19-2020"}, "text"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    api: Api, items: Any, crisis: Any, body: dict[str, Any], field: str
) -> None:
    response = api("ita").post("/intake", body)
    assert response.status_code == 422, response.json()
    assert field in {e["field"].split(".")[-1] for e in response.json()["errors"]}


def test_confirming_drafts_the_request(api: Api, items: Any, crisis: Any) -> None:
    response = api("ita").post("/intake/confirm", _confirm_body())
    assert response.status_code == 201, response.json()
    rfa = RequestForAssistance.objects.get(pk=response.json()["id"])
    assert rfa.status == RequestForAssistance.Status.DRAFT
    assert rfa.requester.code == "ITA"
    assert rfa.situation == MESSAGE
    assert [(ln.item.code, ln.quantity, ln.delivery_airport) for ln in rfa.lines.all()] == [
        ("RESP-FFP2", 500, "LIMC"),
        ("VENT-ICU", 150, "LIMC"),
    ]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"rfa.create", "rfa_line.add", "rfa.intake"} <= actions


def test_confirming_checks_the_lines_like_any_draft(api: Api, items: Any, crisis: Any) -> None:
    bad_item = _confirm_body(lines=[{"item": "NOPE", "quantity": 5}])
    response = api("ita").post("/intake/confirm", bad_item)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines.0.item"
    bad_airport = _confirm_body(
        lines=[{"item": "VENT-ICU", "quantity": 5, "delivery_airport": "ZZZZ"}]
    )
    assert api("ita").post("/intake/confirm", bad_airport).status_code == 422
    none = api("ita").post("/intake/confirm", _confirm_body(lines=[]))
    assert none.status_code == 422
    assert none.json()["errors"][0]["field"] == "lines"
    assert RequestForAssistance.objects.count() == 0
