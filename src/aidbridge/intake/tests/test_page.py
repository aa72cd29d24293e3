"""The intake page through Django's test client (no JavaScript needed): paste, read the
proposal with its source words and confidence, confirm it as a draft."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aidbridge.requests.models import RequestForAssistance

URL = "/crises/covid-19-2020/intake/"
MESSAGE = "URGENT: Italy requests 200 ICU ventilators for Milan by 25 March 2020. 3 widgets."
pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_paste_read_and_confirm(users: dict[str, Any], items: Any, crisis: Any) -> None:
    client = _client(users["ita"])
    assert "Paste the request" in client.get(URL).content.decode()
    page = client.post(URL, {"action": "read", "text": MESSAGE})
    assert page.status_code == 200
    html = page.content.decode()
    assert "200 ICU ventilators" in html  # the words the line came from
    assert 'value="VENT-ICU"' in html and 'value="2020-03-25"' in html
    assert "LIMC" in html
    assert "3 widgets" in html  # listed as not understood
    assert RequestForAssistance.objects.count() == 0
    form = {
        "action": "confirm",
        "title": "Ventilators for Milan",
        "delivery_airport": "LIMC",
        "text": MESSAGE,
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "2",
        "lines-0-keep": "on",
        "lines-0-item": "VENT-ICU",
        "lines-0-quantity": "200",
        "lines-0-priority": "1",
        "lines-0-needed_by": "2020-03-25",
        "lines-1-item": "MASK-SURG",  # not kept
        "lines-1-quantity": "3",
        "lines-1-priority": "2",
    }
    done = client.post(URL, form)
    rfa = RequestForAssistance.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/rfas/{rfa.pk}/"
    assert [(ln.item.code, ln.quantity, ln.priority) for ln in rfa.lines.all()] == [
        ("VENT-ICU", 200, 1)
    ]


def test_a_refused_line_keeps_what_was_typed(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    form = {
        "action": "confirm",
        "title": "Ventilators",
        "delivery_airport": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-0-keep": "on",
        "lines-0-item": "NOT-AN-ITEM",
        "lines-0-quantity": "7",
        "lines-0-priority": "2",
    }
    page = _client(users["ita"]).post(URL, form)
    assert page.status_code == 422
    html = page.content.decode()
    assert "unknown item" in html and 'value="NOT-AN-ITEM"' in html
    assert RequestForAssistance.objects.count() == 0


def test_the_duty_officer_reads_without_a_confirm_button(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    client = _client(users["duty"])
    html = client.post(URL, {"action": "read", "text": MESSAGE}).content.decode()
    assert "200 ICU ventilators" in html
    assert 'value="confirm"' not in html
    assert "only a national point of contact" in html


def test_an_observer_gets_no_page(users: dict[str, Any], items: Any, crisis: Any) -> None:
    assert _client(users["ocha"]).get(URL).status_code == 403


def test_the_dashboard_links_to_it(users: dict[str, Any], items: Any, crisis: Any) -> None:
    assert URL in _client(users["ita"]).get("/crises/covid-19-2020/").content.decode()
    assert URL not in _client(users["ocha"]).get("/crises/covid-19-2020/").content.decode()
