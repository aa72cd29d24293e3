"""The base layout in a real browser: sign in through the form, switch to French,
keyboard access, no CSP violation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_sign_in_switch_language_and_sign_out(
    open_page: Callable[..., Any], users: dict[str, Any], crisis: Any
) -> None:
    page = open_page(locale="fr-FR")
    page.goto("/")
    # Not signed in: the login page, in the browser's language.
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Nom d\u2019utilisateur").fill("deu-poc")
    page.get_by_label("Mot de passe").fill("pw-deu-poc")
    page.get_by_role("button", name="Se connecter").click()
    # Signed in: the dashboard of the current crisis, in the profile's English.
    page.get_by_role("heading", name="COVID-19 pandemic 2020").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Needs your action").is_visible()
    page.get_by_role("button", name="Français").click()
    page.get_by_role("heading", name="Pandémie de COVID-19 2020").wait_for()
    assert page.get_by_role("heading", name="Attend votre action").is_visible()
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("heading", name="Se connecter").wait_for()
    assert page.console_errors == []


def test_skip_link_is_the_first_stop_and_leads_to_main(
    open_page: Callable[..., Any], users: dict[str, Any]
) -> None:
    page = open_page(user=users["duty"])
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.console_errors == []
