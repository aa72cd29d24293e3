"""Every page, for every kind of reader, in French: no English word outside the data
users typed (titles, situations, reasons, people's names) and proper names.

The scenario is the demo's, played with everyone reading French from the start, so the
inbox, the history and the e-mails are written in French too.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from aidbridge.web.tests import french
from aidbridge.web.tests.pages import ANONYMOUS, ROLES, load_scenario, urls

pytestmark = pytest.mark.django_db(transaction=True)

# Proper names the interface prints that are not data in the database (the product,
# standards and formats named in help texts).
# "English" is the language switcher's name of English, written in English as usual.
PROPER_NAMES = {"english", "aidbridge", "openapi", "swagger", "hxl", "excel", "edxl", "cap", "atom"}


def test_every_page_and_email_is_french_for_every_role(monkeypatch: pytest.MonkeyPatch) -> None:
    crisis = load_scenario("fr", monkeypatch)
    data = french.Data(french.data_values())
    names = french.english_names() - data.words
    found: dict[str, dict[str, str]] = {}

    def check(where: str, text: str) -> None:
        for word in sorted(french.english_in(text, data, PROPER_NAMES, names)):
            found.setdefault(where, {}).setdefault(word, french.context(text, word))

    pages = urls(crisis)
    from django.contrib.auth import get_user_model

    for username in ROLES:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for url in pages:
            response = client.get(url)
            if response.status_code in (302, 403):
                continue  # not this role's page (the refusal itself is checked below)
            assert response.status_code in (200, 404), (username, url, response.status_code)
            check(url, response.text)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="fr")
    for url in ANONYMOUS:
        response = anonymous.get(url)
        check(url, response.text)
    for message in mail.outbox:
        check(f"mail: {message.subject}", f"{message.subject}\n{message.body}")
    assert not found, "\n".join(
        f"{where}: {word}: ...{seen}..."
        for where, words in found.items()
        for word, seen in words.items()
    )
