"""Parties through the HTTP API: everyone reads, only the centre manages."""

from __future__ import annotations

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.parties.models import Party

NEW_NATION = {"code": "bgr", "kind": "nation", "name_en": "Bulgaria", "name_fr": "Bulgarie"}


@pytest.mark.parametrize("who", ["duty", "head"])
def test_the_centre_creates_a_party_with_an_audit_entry(api, users, who) -> None:
    response = api(who).post("/parties", NEW_NATION)
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "code": "BGR",
        "kind": "nation",
        "name_en": "Bulgaria",
        "name_fr": "Bulgarie",
        "active": True,
    }
    entry = AuditEntry.objects.get(action="party.create")
    assert entry.actor == users[who]
    assert entry.target_repr == "BGR"


@pytest.mark.parametrize("who", ["ita", "airlift", "ocha"])
def test_others_cannot_manage_parties(api, parties, who) -> None:
    client = api(who)
    response = client.post("/parties", NEW_NATION)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert client.patch("/parties/ITA", {"name_en": "Italia"}).status_code == 403
    assert client.post("/parties/ESP/deactivate", {}).status_code == 403
    assert not Party.objects.filter(code="BGR").exists()
    assert Party.objects.get(code="ITA").name_en == "Italy"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW_NATION, "code": "BG"}, "code"),
        ({**NEW_NATION, "code": "ITA"}, "code"),
        ({**NEW_NATION, "kind": "club"}, "kind"),
        ({**NEW_NATION, "name_fr": "  "}, "name_fr"),
        ({"code": "BGR", "kind": "nation", "name_en": "Bulgaria"}, "name_fr"),
        ({**NEW_NATION, "kind": "organisation", "code": "who in geneva"}, "code"),
    ],
)
def test_bad_party_input_is_named_and_nothing_is_written(api, parties, body, field) -> None:
    before = Party.objects.count()
    response = api("duty").post("/parties", body)
    assert 400 <= response.status_code < 500
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Party.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_everyone_with_a_role_reads_parties_filtered(api, parties) -> None:
    client = api("ocha")
    body = client.get("/parties", kind="organisation").json()
    assert [p["code"] for p in body["items"]] == ["NATO-STOCK", "UN-OCHA"]
    assert client.get("/parties", search="espagne").json()["items"][0]["code"] == "ESP"
    assert client.get("/parties/tur").json()["name_fr"] == "Turquie"
    assert client.get("/parties/XXX").status_code == 404
    assert api(None).get("/parties").status_code == 401


def test_renaming_and_deactivating_are_audited(api, parties) -> None:
    client = api("duty")
    renamed = client.patch("/parties/TUR", {"name_en": "Turkey"})
    assert renamed.json()["name_en"] == "Turkey"
    entry = AuditEntry.objects.get(action="party.update")
    assert entry.changes == {"name_en": ["Türkiye", "Turkey"]}
    assert client.patch("/parties/TUR", {"code": "TRK"}).status_code == 422

    gone = client.post("/parties/TUR/deactivate", {"reason": "test"})
    assert gone.json()["active"] is False
    again = client.post("/parties/TUR/deactivate", {})
    assert again.status_code == 409
    assert client.get("/parties", active="false").json()["items"][0]["code"] == "TUR"
    assert client.post("/parties/TUR/reactivate", {}).json()["active"] is True
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["party.update", "party.deactivate", "party.reactivate"]


def test_party_and_user_histories(api, users) -> None:
    api("duty").post("/parties/ESP/deactivate", {"reason": "test"})
    history = api("ita").get("/parties/ESP/history").json()
    assert [(h["action"], h["reason"], h["target_type"]) for h in history] == [
        ("party.deactivate", "test", "party")
    ]
    api("duty").post("/users/esp-poc/deactivate", {"reason": "left"})
    assert [h["action"] for h in api("head").get("/users/esp-poc/history").json()] == [
        "user.deactivate"
    ]
    assert api("ita").get("/users/esp-poc/history").status_code == 404
