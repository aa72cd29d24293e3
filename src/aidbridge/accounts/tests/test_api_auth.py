import pytest
from django.test import Client
from django.utils import timezone

from aidbridge.accounts.models import ApiToken


def test_a_request_without_credentials_is_refused_with_json(api) -> None:
    response = api(None).get("/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_bearer_token_identifies_its_user(api) -> None:
    response = api("ita").get("/me")
    assert response.status_code == 200
    assert response.json() == {
        "username": "ita-poc",
        "party": "ITA",
        "role": "national_poc",
        "language": "en",
        "match_delivery": "immediate",
    }


def test_tokens_are_stored_hashed_and_a_revoked_token_stops_working(api, users) -> None:
    client = api("deu")
    raw = client.headers["Authorization"].removeprefix("Bearer ")
    token = ApiToken.objects.get(user=users["deu"])
    assert raw not in (token.key_hash, token.prefix + token.key_hash)
    assert client.get("/me").status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/me").status_code == 401


def test_a_session_works_for_browsers(client, users) -> None:
    client.force_login(users["ocha"])
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["role"] == "observer"


def test_openapi_is_served(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "aidbridge"


def _bearer(api, users, kind: str):
    """A client for esp-poc whose token is valid, revoked or wrong (never issued)."""
    client = api("esp")
    if kind == "revoked":
        ApiToken.objects.filter(user=users["esp"]).update(revoked_at=timezone.now())
    elif kind == "wrong":
        client.headers["Authorization"] = "Bearer aidb_not-a-token-anyone-was-given"
    return client


@pytest.mark.parametrize("kind", ["valid", "revoked", "wrong"])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_a_bearer_token_alone_decides_whatever_the_method(api, users, kind, method) -> None:
    client = _bearer(api, users, kind)
    # A session signed in as the centre rides along: it must not rescue a bad token,
    # and its CSRF check (enforced, as for a real browser) must not make it a 403.
    client.client = Client(enforce_csrf_checks=True)
    client.client.force_login(users["duty"])
    issued = ApiToken.objects.create(user=users["esp"], name="spare", prefix="x", key_hash="y")
    if method == "get":
        response = client.get("/me")
    elif method == "post":
        response = client.post("/me/tokens", {"name": "script"})
    else:
        response = client.delete(f"/me/tokens/{issued.pk}")
    if kind == "valid":
        assert response.status_code in (200, 201), response.json()
        if method == "get":
            assert response.json()["username"] == "esp-poc"
    else:
        assert response.status_code == 401, response.content
        assert response.json()["code"] == "unauthenticated"
        assert set(response.json()) == {"detail", "code", "errors"}
        assert ApiToken.objects.filter(name="script").count() == 0
        assert ApiToken.objects.get(pk=issued.pk).revoked_at is None


def test_a_session_without_a_bearer_header_still_needs_its_csrf_token(users) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["esp"])
    response = client.post(
        "/api/v1/me/tokens", data={"name": "browser"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not ApiToken.objects.filter(name="browser").exists()
