"""Tokens for machines: obtained with a password (throttled), or issued by the centre for
a machine account; scoped, expiring, shown once, listed, revocable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from aidbridge.accounts.models import MAX_TOKEN_DAYS, ApiToken
from aidbridge.accounts.services import create_user
from aidbridge.audit.models import AuditEntry


def _obtain(password: str, **extra):
    # A machine client has no CSRF token, and needs none: it sends no session either.
    return Client(enforce_csrf_checks=True).post(
        "/api/v1/tokens",
        {"username": "ita-poc", "password": password, "name": "feed", **extra},
        content_type="application/json",
    )


def _with(api, raw: str):
    client = api(None)
    client.headers["Authorization"] = f"Bearer {raw}"
    return client


@pytest.fixture
def machine(users):
    """A machine account of UN-OCHA: no password, so no one can sign in as it."""
    return create_user(
        users["duty"], username="feed-bot", email="", party="UN-OCHA", role="observer"
    )


def test_a_user_obtains_a_read_only_expiring_token_with_their_password(api, users) -> None:
    response = _obtain("pw-ita-poc")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["scope"] == "read"
    assert body["user"] == body["issued_by"] == "ita-poc"
    token = ApiToken.objects.get(pk=body["id"])
    # created_at is stamped on insert, a moment after the expiry was computed.
    assert abs(token.expires_at - token.created_at - timedelta(days=90)) < timedelta(minutes=1)
    client = _with(api, body["token"])
    assert client.get("/me").json()["username"] == "ita-poc"


def test_a_wrong_password_is_a_401_in_the_error_shape(users) -> None:
    response = _obtain("not-the-password")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "wrong user name or password",
        "code": "unauthenticated",
        "errors": [],
    }
    assert not ApiToken.objects.filter(name="feed").exists()


def test_obtaining_a_token_is_throttled_like_the_sign_in_page(users) -> None:
    for attempt in range(50):
        response = _obtain(f"wrong-{attempt}")
        expected = 401 if attempt < settings.AXES_FAILURE_LIMIT - 1 else 429
        assert response.status_code == expected, attempt
    response = _obtain("pw-ita-poc")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert int(response["Retry-After"]) > 0
    assert not ApiToken.objects.filter(name="feed").exists()
    # One count for the pages and the API: the sign-in page is locked too.
    page = Client().post("/login/", {"username": "ita-poc", "password": "pw-ita-poc"})
    assert page.status_code == 429


def test_a_read_only_token_is_refused_a_write_naming_the_scope(api, users) -> None:
    client = _with(api, _obtain("pw-ita-poc").json()["token"])
    response = client.post("/me/tokens", {"name": "more"})
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "insufficient_scope"
    assert body["errors"] == [{"field": "scope", "message": body["detail"]}]
    assert "'read'" in body["detail"] and "'read_write'" in body["detail"]
    assert client.patch("/me", {"language": "fr"}).status_code == 403
    assert users["ita"].profile.language == "en"


def test_a_token_cannot_issue_one_that_outlives_it(api, users) -> None:
    parent = _obtain("pw-ita-poc", scope="read_write", expires_in_days=10).json()
    child = _with(api, parent["token"]).post(
        "/me/tokens", {"name": "child", "scope": "read_write", "expires_in_days": MAX_TOKEN_DAYS}
    )
    assert child.status_code == 201
    assert child.json()["expires_at"] == parent["expires_at"]


def test_an_expired_token_is_a_401_saying_so(api, users) -> None:
    body = _obtain("pw-ita-poc").json()
    client = _with(api, body["token"])
    assert client.get("/me").status_code == 200
    ApiToken.objects.filter(pk=body["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response.json()["detail"].startswith("this token expired at ")


def test_the_centre_issues_lists_and_revokes_a_machine_token(api, users, machine) -> None:
    duty = api("duty")
    issued = duty.post(
        "/users/feed-bot/tokens", {"name": "feed", "scope": "read_write", "expires_in_days": 30}
    )
    assert issued.status_code == 201, issued.json()
    body = issued.json()
    assert (body["user"], body["issued_by"], body["scope"]) == ("feed-bot", "duty", "read_write")
    bot = _with(api, body["token"])
    assert bot.get("/me").json()["username"] == "feed-bot"

    listed = duty.get("/users/feed-bot/tokens").json()
    assert [t["id"] for t in listed] == [body["id"]]
    assert body["token"] not in str(listed)

    revoked = duty.delete(f"/users/feed-bot/tokens/{body['id']}")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    refused = bot.get("/me")
    assert refused.status_code == 401
    assert refused.json()["detail"] == "this token was revoked"
    assert duty.delete(f"/users/feed-bot/tokens/{body['id']}").status_code == 409
    actions = list(AuditEntry.objects.filter(action__startswith="api_token").values_list("action"))
    assert actions == [("api_token.issue",), ("api_token.revoke",)]


@pytest.mark.parametrize(
    ("who", "account", "status"),
    [
        ("duty", "ocha", 403),  # a person's account: they obtain their own
        ("duty", "head-bot", 403),  # a role above the duty officer's
        ("head", "head-bot", 201),
        ("ita", "feed-bot", 404),  # another party's account is not even visible
        ("ocha", "feed-bot", 403),  # only the centre issues for others
    ],
)
def test_who_may_issue_a_token_for_whom(api, users, machine, who, account, status) -> None:
    create_user(users["head"], username="head-bot", email="", party="EADRCC", role="centre_head")
    response = api(who).post(f"/users/{account}/tokens", {"name": "x"})
    assert response.status_code == status, response.json()
    if status == 403:
        assert response.json()["code"] == "forbidden"
    assert ApiToken.objects.filter(name="x").count() == (status == 201)


def test_the_duty_officer_cannot_revoke_the_head_s_token(api, users) -> None:
    head_token = ApiToken.objects.create(
        user=users["head"], name="head script", prefix="p" * 12, key_hash="h" * 64
    )
    response = api("duty").delete(f"/users/head/tokens/{head_token.pk}")
    assert response.status_code == 403
    head_token.refresh_from_db()
    assert head_token.revoked_at is None


def test_a_national_poc_cannot_list_another_user_s_tokens(api, users) -> None:
    assert api("ita").get("/users/ita-poc/tokens").status_code == 200
    response = api("ita").get("/users/duty/tokens")
    assert response.status_code == 404  # the centre's users are not visible to a POC
