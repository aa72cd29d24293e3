"""Every page, in English and in French, in a real browser: no console error, CSP
violations included ("Applying inline style violates … style-src 'self'"), also after
what the scripts do on the request form (add a line to a filled form, search an item,
autosave)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from aidbridge.accounts.models import Profile
from aidbridge.requests.models import RequestForAssistance as RFA
from aidbridge.web.tests.pages import ANONYMOUS, load_scenario, urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The centre sees every page of the crisis (with its actions); a requesting and an
# offering nation see their own forms and buttons. (The French-completeness test reads
# the pages of every role without a browser.)
READERS = ("duty", "ita-poc", "deu-poc")


def _visit(page: Any, url: str, errors: dict[str, list[str]]) -> None:
    page.console_errors.clear()
    response = page.goto(url, wait_until="networkidle")
    found = list(page.console_errors)
    if response is not None and response.status in (403, 404):
        # A page this role may not see (or a missing one) is a 403/404 document, which
        # Chromium logs once as a failed resource: that line is the page, not an error.
        refused = f"the server responded with a status of {response.status}"
        first = next((m for m in found if refused in m), None)
        if first is not None:
            found.remove(first)
    if found:
        errors[url] = found


def test_no_page_logs_a_console_error_in_either_language(
    open_page: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    crisis = load_scenario("en", monkeypatch)
    pages = urls(crisis)
    users = get_user_model().objects
    errors: dict[str, list[str]] = {}
    for language, locale in (("en", "en-GB"), ("fr", "fr-FR")):
        Profile.objects.update(language=language)
        for username in READERS:
            page = open_page(user=users.get(username=username), locale=locale)
            for url in pages:
                _visit(page, url, errors)
        anonymous = open_page(locale=locale)
        for url in ANONYMOUS:
            _visit(anonymous, url, errors)
    assert not errors, errors


def test_adding_a_line_to_a_filled_form_logs_no_console_error(
    open_page: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    crisis = load_scenario("fr", monkeypatch)
    draft = RFA.objects.get(crisis=crisis, status=RFA.Status.DRAFT)
    page = open_page(user=draft.created_by, locale="fr-FR")
    page.goto(f"/rfas/{draft.pk}/edit/", wait_until="networkidle")
    quantities = page.locator("input[name$='-quantity']")
    before = quantities.count()
    for added in (1, 2, 3):  # each click swaps the form in: wait for the new line
        page.locator("#add-line").click()
        expect(quantities).to_have_count(before + added)
    page.locator("#item-q").fill("masque")
    page.wait_for_load_state("networkidle")
    page.locator("input[name$='-quantity']").first.fill("7")
    page.locator("input[name$='-quantity']").first.dispatch_event("change")
    # The autosave answers (the three empty lines keep the draft from being saved).
    expect(page.locator("#save-status")).to_contain_text("enregistré")
    assert page.console_errors == []
