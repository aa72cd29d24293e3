"""Users, language and tokens through the HTTP API."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from aidbridge.accounts.models import ApiToken
from aidbridge.accounts.services import create_user
from aidbridge.audit.models import AuditEntry

NEW_POC = {
    "username": "bel-poc",
    "email": "bel@example.org",
    "party": "ESP",
    "role": "national_poc",
    "password": "a-Long-enough-passphrase-2020",
}


def test_the_centre_creates_a_user_who_can_then_sign_in(api, users, client) -> None:
    response = api("duty").post("/users", NEW_POC)
    assert response.status_code == 201, response.json()
    assert response.json()["party"] == "ESP"
    assert response.json()["role"] == "national_poc"
    assert client.login(username="bel-poc", password=NEW_POC["password"])
    entry = AuditEntry.objects.get(action="user.create")
    assert entry.changes == {"party": [None, "ESP"], "role": [None, "national_poc"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"party": "XXX"}, "party"),
        ({"role": "king"}, "role"),
        ({"role": "centre_officer"}, "party"),
        ({"party": "EADRCC"}, "party"),
        ({"username": "ita-poc"}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"password": "123"}, "password"),
        ({"language": "de"}, "language"),
    ],
)
def test_bad_user_input_is_named_and_nothing_is_written(api, users, change, field) -> None:
    before = get_user_model().objects.count()
    response = api("duty").post("/users", {**NEW_POC, **change})
    assert 400 <= response.status_code < 500
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert get_user_model().objects.count() == before


@pytest.mark.parametrize("who", ["ita", "airlift", "ocha"])
def test_only_the_centre_manages_users(api, users, who) -> None:
    client = api(who)
    assert client.post("/users", NEW_POC).status_code == 403
    assert client.post("/users/esp-poc/deactivate", {}).status_code in (403, 404)
    assert not get_user_model().objects.filter(username="bel-poc").exists()
    assert get_user_model().objects.get(username="esp-poc").is_active


def test_a_poc_sees_the_users_of_their_own_party_only(api, users) -> None:
    mine = api("ita").get("/users").json()
    assert [u["username"] for u in mine["items"]] == ["ita-poc"]
    assert api("ita").get("/users/esp-poc").status_code == 404
    everyone = api("duty").get("/users", limit=200).json()
    assert everyone["count"] == len(users)
    centre = api("duty").get("/users", party="EADRCC", ordering="username").json()
    assert [u["username"] for u in centre["items"]] == ["airlift", "duty", "head"]


def test_a_deactivated_user_can_no_longer_use_a_token(api, users) -> None:
    esp = api("esp")
    assert esp.get("/me").status_code == 200
    response = api("duty").post("/users/esp-poc/deactivate", {"reason": "left the ministry"})
    assert response.json()["is_active"] is False
    assert esp.get("/me").status_code == 401
    assert api("duty").post("/users/duty/deactivate", {}).status_code == 409


def test_the_operator_creates_the_first_centre_account_from_the_command_line(parties) -> None:
    user = create_user(
        None, username="chief", email="", party="EADRCC", role="centre_head", password=None
    )
    assert user.profile.role == "centre_head"
    assert not user.has_usable_password()
    assert AuditEntry.objects.get(action="user.create").actor is None


def test_a_user_sets_their_own_language(api, users) -> None:
    client = api("ita")
    assert client.patch("/me", {"language": "fr"}).json()["language"] == "fr"
    bad = client.patch("/me", {"language": "xx"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "language"


def test_tokens_are_issued_once_listed_without_secret_and_revoked(api, users) -> None:
    client = api("cze")
    issued = client.post("/me/tokens", {"name": "ministry script"})
    assert issued.status_code == 201
    raw = issued.json()["token"]
    assert raw.startswith("aidb_")
    assert raw[:12] == issued.json()["prefix"]

    listed = client.get("/me/tokens").json()
    assert {t["name"] for t in listed} == {"tests", "ministry script"}
    assert all("token" not in t for t in listed)
    assert raw not in str(listed)

    script = api(None)
    script.headers["Authorization"] = f"Bearer {raw}"
    assert script.get("/me").json()["username"] == "cze-poc"

    other = api("tur")
    assert other.delete(f"/me/tokens/{issued.json()['id']}").status_code == 404
    revoked = client.delete(f"/me/tokens/{issued.json()['id']}")
    assert revoked.json()["revoked_at"] is not None
    assert script.get("/me").status_code == 401
    assert client.delete(f"/me/tokens/{issued.json()['id']}").status_code == 409
    assert ApiToken.objects.filter(user=users["cze"]).count() == 2
    assert [e.action for e in AuditEntry.objects.all()] == ["api_token.issue", "api_token.revoke"]
    assert client.post("/me/tokens", {"name": ""}).json()["errors"][0]["field"] == "name"
