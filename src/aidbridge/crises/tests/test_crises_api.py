"""Crises through the HTTP API: the centre opens, edits and closes them."""

from __future__ import annotations

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.requests.models import RequestForAssistance

FLOODS = {
    "code": "bih-floods-2014",
    "name_en": "Floods in Bosnia and Herzegovina",
    "name_fr": "Inondations en Bosnie-Herzégovine",
    "started_on": "2014-05-15",
}


def test_the_centre_opens_a_crisis(api, users) -> None:
    response = api("duty").post("/crises", {**FLOODS, "description": "Heavy rain"})
    assert response.status_code == 201, response.json()
    assert response.json() == {
        **FLOODS,
        "description": "Heavy rain",
        "closed_on": None,
        "status": "active",
    }
    entry = AuditEntry.objects.get(action="crisis.create")
    assert entry.crisis is not None and entry.crisis.code == "bih-floods-2014"
    assert entry.actor == users["duty"]


@pytest.mark.parametrize("who", ["ita", "airlift", "ocha"])
def test_only_the_centre_opens_or_closes_crises(api, crisis, who) -> None:
    client = api(who)
    assert client.post("/crises", FLOODS).status_code == 403
    assert client.post(f"/crises/{crisis.code}/close", {}).status_code == 403
    assert client.patch(f"/crises/{crisis.code}", {"name_en": "x"}).status_code == 403
    assert not Crisis.objects.filter(code=FLOODS["code"]).exists()
    assert client.get(f"/crises/{crisis.code}").json()["status"] == "active"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**FLOODS, "code": "Not a slug!"}, "code"),
        ({**FLOODS, "code": "covid-19-2020"}, "code"),
        ({**FLOODS, "started_on": "15/05/2014"}, "started_on"),
        ({**FLOODS, "name_en": ""}, "name_en"),
    ],
)
def test_bad_crisis_input_is_named(api, crisis, body, field) -> None:
    response = api("duty").post("/crises", body)
    assert 400 <= response.status_code < 500
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Crisis.objects.count() == 1


def test_a_crisis_closes_only_when_no_request_is_open(api, users, crisis) -> None:
    rfa = RequestForAssistance.objects.create(
        crisis=crisis,
        requester=users["ita"].profile.party,
        title="Ventilators",
        status="circulated",
        created_by=users["ita"],
    )
    client = api("head")
    refused = client.post(f"/crises/{crisis.code}/close", {})
    assert refused.status_code == 409
    assert "still open" in refused.json()["detail"]

    rfa.status = "closed"
    rfa.save()
    early = client.post(f"/crises/{crisis.code}/close", {"closed_on": "2019-01-01"})
    assert early.status_code == 422
    assert early.json()["errors"][0]["field"] == "closed_on"
    closed = client.post(f"/crises/{crisis.code}/close", {"closed_on": "2020-07-01"})
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_on"] == "2020-07-01"
    assert client.post(f"/crises/{crisis.code}/close", {}).status_code == 409
    assert client.get("/crises", status="closed").json()["count"] == 1
    assert AuditEntry.objects.filter(action="crisis.close").count() == 1


def test_editing_a_crisis_is_audited(api, crisis) -> None:
    response = api("duty").patch(f"/crises/{crisis.code}", {"description": "Lombardy first"})
    assert response.json()["description"] == "Lombardy first"
    assert AuditEntry.objects.get(action="crisis.update").changes == {
        "description": ["", "Lombardy first"]
    }
    assert api("duty").patch(f"/crises/{crisis.code}", {"started_on": None}).status_code == 422


def test_a_crisis_history_is_readable_by_everyone_with_a_role(api, users) -> None:
    api("duty").post("/crises", FLOODS)
    api("head").patch(f"/crises/{FLOODS['code']}", {"description": "Sava and Bosna rivers"})
    history = api("ocha").get(f"/crises/{FLOODS['code']}/history").json()
    assert [(h["action"], h["actor"]) for h in history] == [
        ("crisis.create", "duty"),
        ("crisis.update", "head"),
    ]
    assert history[1]["changes"] == {"description": ["", "Sava and Bosna rivers"]}
    assert api(None).get(f"/crises/{FLOODS['code']}/history").status_code == 401
