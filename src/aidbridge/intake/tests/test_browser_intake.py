"""The intake page in a real browser with JavaScript off: from the dashboard, paste a
French message, read the proposal (source words, confidence, what was not understood),
untick a line, create the draft."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from aidbridge.requests.models import RequestForAssistance
from aidbridge.web.tests.conftest import browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

MESSAGE = (
    "L'Italie demande d'urgence 500 respirateurs FFP2 et 150 ventilateurs de réanimation "
    "pour Milan, livraison avant le 10 avril. Merci de prévoir 12 machins."
)


@pytest.fixture
def page_without_js(browser: Any, live_server: Any, users: dict[str, Any]) -> Iterator[Any]:  # noqa: F811
    client = Client()
    client.force_login(users["ita"])
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(30_000)  # a shared, busy machine
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    yield context.new_page()
    context.close()


def test_paste_check_and_confirm_without_javascript(
    page_without_js: Any, items: Any, crisis: Any
) -> None:
    page = page_without_js
    page.goto(f"/crises/{crisis.code}/")
    page.get_by_role("link", name="Request from a message (e-mail, telex)").click()
    page.get_by_role("textbox", name="Message").fill(MESSAGE)
    page.get_by_role("button", name="Read the message").click()

    rows = page.locator("table.intake-lines tbody tr")
    rows.first.wait_for()
    assert rows.count() == 2
    first = rows.nth(0).inner_text()
    assert "500 respirateurs FFP2" in first and "10 avril" in first and "urgence" in first
    assert rows.nth(0).locator("input[name='lines-0-item']").input_value() == "RESP-FFP2"
    assert rows.nth(1).locator("input[name='lines-1-quantity']").input_value() == "150"
    assert "12 machins" in page.locator("ul.not-understood").inner_text()
    assert page.get_by_label("Delivery airport (ICAO)").input_value() == "LIMC"
    assert not RequestForAssistance.objects.exists()

    rows.nth(0).locator("input[name='lines-0-keep']").uncheck()
    page.get_by_label("Title").fill("Ventilateurs pour Milan")
    page.get_by_role("button", name="Create the draft").click()
    page.get_by_text("Draft request created from the message.").wait_for()
    rfa = RequestForAssistance.objects.get()
    assert (rfa.title, rfa.requester.code) == ("Ventilateurs pour Milan", "ITA")
    line = rfa.lines.get()
    assert (line.item.code, line.quantity, str(line.needed_by), line.priority) == (
        "VENT-ICU",
        150,
        "2020-04-10",
        1,
    )
    assert line.delivery_airport == "LIMC"
