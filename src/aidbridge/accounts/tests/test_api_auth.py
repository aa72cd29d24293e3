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
