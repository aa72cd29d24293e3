"""Sign-in throttling (django-axes): a user name guessed from one address is locked out
for a cool-off, on the pages and the admin, explained in the user's language, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from aidbridge.accounts.services import create_user
from aidbridge.audit.models import AuditEntry

PASSWORD = "a-Long-enough-passphrase-2020"
LOGIN_PAGES = ["/login/", "/admin/login/"]


@pytest.fixture
def officer(parties):
    return create_user(
        None,
        username="officer",
        email="o@example.org",
        party="EADRCC",
        role="centre_officer",
        password=PASSWORD,
    )


def _sign_in(client: Client, path: str, password: str, address: str = "127.0.0.1"):
    return client.post(path, {"username": "officer", "password": password}, REMOTE_ADDR=address)


def _signed_in(client: Client) -> bool:
    return client.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_fifty_wrong_passwords_then_the_right_one_is_refused(officer, path) -> None:
    client = Client()
    for attempt in range(50):
        response = _sign_in(client, path, f"wrong-{attempt}")
        expected = 200 if attempt < settings.AXES_FAILURE_LIMIT - 1 else 429
        assert response.status_code == expected, attempt
    response = _sign_in(client, path, PASSWORD)
    assert response.status_code == 429
    assert not _signed_in(client)
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_the_right_password_after_a_few_failures_still_signs_in(officer, path) -> None:
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, path, f"wrong-{attempt}").status_code == 200
    assert _sign_in(client, path, PASSWORD).status_code == 302
    assert _signed_in(client)


def test_the_lockout_is_for_one_user_name_from_one_address(officer, make_user) -> None:
    make_user("other", "EADRCC", "centre_officer")
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "/login/", f"wrong-{attempt}")
    assert _sign_in(client, "/login/", PASSWORD).status_code == 429
    # Another address may still sign in as the officer; the locked address as another user.
    assert _sign_in(Client(), "/login/", PASSWORD, "192.0.2.7").status_code == 302
    other = client.post("/login/", {"username": "other", "password": "pw-other"})
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("language", "heading", "explanation"),
    [
        ("en", "Signing in is locked", "Too many failed sign-ins for this user name"),
        ("fr", "La connexion est bloquée", "Trop d\u2019échecs de connexion pour ce nom"),
    ],
)
def test_the_lockout_page_explains_it_in_the_user_language(
    officer, language, heading, explanation
) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, "/login/", f"wrong-{attempt}")
    assert response.status_code == 429
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert explanation in page
    assert f'lang="{language}"' in page


def test_the_lockout_ends_after_the_cool_off(officer) -> None:
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT + 3):
        _sign_in(client, "/login/", f"wrong-{attempt}")
    assert _sign_in(client, "/login/", PASSWORD).status_code == 429
    # Let the cool-off pass: the counted failures are now older than it.
    past = settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    for attempt in AccessAttempt.objects.filter(username="officer"):
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - past)
    assert _sign_in(client, "/login/", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_a_lockout_is_audited_once_on_the_account(officer) -> None:
    client = Client()
    for attempt in range(30):
        _sign_in(client, "/admin/login/", f"wrong-{attempt}")
    entries = AuditEntry.objects.filter(action="sign_in_locked_out")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.target_id == officer.pk
    assert entry.target_type.model == "user"
    assert entry.actor is None
    assert entry.changes["ip_address"] == [None, "127.0.0.1"]
    assert "/admin/login/" in entry.reason
