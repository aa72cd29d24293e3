"""Every page, for every kind of reader, in French: no English word outside the data
users typed (titles, situations, reasons, people's names) and proper names.

The scenario is the demo's, played with everyone reading French from the start, so the
inbox, the history and the e-mails are written in French too.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from aidbridge.requests.models import RequestForAssistance as RFA
from aidbridge.web.tests import french
from aidbridge.web.tests.pages import ANONYMOUS, ROLES, load_scenario, urls

pytestmark = pytest.mark.django_db(transaction=True)

# Proper names the interface prints that are not data in the database (the product,
# standards and formats named in help texts).
# "English" is the language switcher's name of English, written in English as usual.
PROPER_NAMES = {"english", "aidbridge", "openapi", "swagger", "hxl", "excel", "edxl", "cap", "atom"}


FILE_HEADERS = "item,quantity"


def _upload(name: str, data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def refusals(crisis: Any) -> list[tuple[str, Any]]:
    """What the services refuse, as the pages show it: an action the role may not take,
    a draft another nation may not see, and import files that cannot be read."""
    users = get_user_model().objects
    germany, czechia = Client(), Client()
    germany.force_login(users.get(username="deu-poc"))
    czechia.force_login(users.get(username="cze-poc"))
    circulated = RFA.objects.filter(crisis=crisis, status=RFA.Status.CIRCULATED).first()
    draft = RFA.objects.filter(crisis=crisis, status=RFA.Status.DRAFT).first()
    assert circulated is not None and draft is not None
    url = f"/crises/{crisis.code}/import/needs/"
    latin = f"{FILE_HEADERS}\nMasque chirurgical é,3\n".encode("latin-1")
    rows = f"{FILE_HEADERS}\nVENT-ICU,3\nNO-SUCH-ITEM,-2\n".encode()
    answers = [
        ("close as Germany", germany.post(f"/rfas/{circulated.pk}/close/")),
        ("draft of Italy", germany.get(f"/rfas/{draft.pk}/")),
        ("import latin-1", czechia.post(url, {"file": _upload("n.csv", latin), "action": "check"})),
        ("import xlsx", czechia.post(url, {"file": _upload("n.xlsx", rows), "action": "check"})),
        ("import rows", czechia.post(url, {"file": _upload("n.csv", rows), "action": "check"})),
    ]
    for where, response in answers:
        assert response.status_code in (200, 403, 404, 422), (where, response.status_code)
    return answers


def test_every_page_and_email_is_french_for_every_role(monkeypatch: pytest.MonkeyPatch) -> None:
    crisis = load_scenario("fr", monkeypatch)
    data = french.Data(french.data_values())
    names = french.english_names() - data.words
    found: dict[str, dict[str, str]] = {}

    def check(where: str, text: str, typed: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        for word in sorted(french.english_in(text, data, PROPER_NAMES | typed, names)):
            found.setdefault(where, {}).setdefault(word, french.context(text, word))

    pages = urls(crisis)
    for username in ROLES:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for url in pages:
            response = client.get(url)
            if response.status_code in (302, 403):
                continue  # not this role's page (the refusal itself is checked below)
            assert response.status_code in (200, 404), (username, url, response.status_code)
            check(url, response.text)
    # The uploaded files' own headers ("item", "quantity") are what the user typed.
    for where, response in refusals(crisis):
        check(where, response.text, french.words(FILE_HEADERS))
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
