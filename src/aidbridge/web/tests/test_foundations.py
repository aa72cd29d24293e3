"""The base of every page, through Django's HTTP stack: sign-in, language, CSP, CSRF,
and the front-end files served by the app itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aidbridge.accounts.models import Profile


@pytest.fixture
def ita_client(users: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(users["ita"])
    return client


def test_pages_need_signing_in(db: Any) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_follows_the_browsers_language(db: Any) -> None:
    fr = Client(headers={"accept-language": "fr-FR,fr;q=0.9"}).get("/login/")
    en = Client(headers={"accept-language": "en-GB,en;q=0.9"}).get("/login/")
    assert '<html lang="fr">' in fr.text
    assert "Se connecter" in fr.text
    assert '<html lang="en">' in en.text
    assert "Sign in" in en.text


def test_signing_in_with_the_form(users: dict[str, Any]) -> None:
    client = Client()
    bad = client.post("/login/", {"username": "ita-poc", "password": "wrong"})
    assert bad.status_code == 200
    assert 'role="alert"' in bad.text
    good = client.post("/login/", {"username": "ita-poc", "password": "pw-ita-poc"})
    assert good.status_code == 302
    home = client.get("/", follow=True)
    assert "ita-poc" in home.text and "ITA" in home.text


def test_language_choice_is_kept_on_the_profile(ita_client: Client, users: dict[str, Any]) -> None:
    response = ita_client.post("/language/", {"language": "fr", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert Profile.objects.get(user=users["ita"]).language == "fr"
    # Another device (no cookie, an English browser) still gets French once signed in.
    other = Client(headers={"accept-language": "en"})
    other.force_login(users["ita"])
    page = other.get("/", follow=True)
    assert '<html lang="fr">' in page.text
    assert "Se déconnecter" in page.text


def test_language_switch_refuses_unknown_languages_and_foreign_redirects(
    ita_client: Client, users: dict[str, Any]
) -> None:
    response = ita_client.post("/language/", {"language": "de", "next": "https://evil.test/"})
    assert response["Location"] == "/"
    assert Profile.objects.get(user=users["ita"]).language == "en"


def test_pages_carry_a_content_security_policy(ita_client: Client) -> None:
    csp = ita_client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_forms_refuse_a_post_without_the_csrf_token(users: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["ita"])
    assert client.post("/language/", {"language": "fr"}).status_code == 403
    page = client.get("/crises/")
    assert 'name="csrfmiddlewaretoken"' in page.text


def test_htmx_and_the_stylesheet_are_served_by_the_app(ita_client: Client) -> None:
    page = ita_client.get("/crises/")
    assert "/static/vendor/htmx/htmx.min.js" in page.text
    js = ita_client.get("/static/vendor/htmx/htmx.min.js")
    assert js.status_code == 200
    assert b"htmx" in b"".join(js.streaming_content)  # type: ignore[attr-defined]
    assert ita_client.get("/static/web/app.css").status_code == 200


def test_an_account_without_a_role_is_refused(django_user_model: Any, db: Any) -> None:
    user = django_user_model.objects.create_user(username="nobody", password="x")
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert "no role" in response.text
