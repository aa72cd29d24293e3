"""Importing needs in a real browser, JavaScript off: from the dashboard to the check
(the report, problems by row and column), then the same file imported for real."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from aidbridge.interop.tests.files import csv_bytes
from aidbridge.requests.models import RequestForAssistance

pytestmark = pytest.mark.browser


@pytest.fixture
def page_without_js(browser: Any, live_server: Any, users: dict[str, Any]) -> Iterator[Any]:
    client = Client()
    client.force_login(users["cze"])
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    yield context.new_page()
    context.close()


def test_check_then_import_needs_without_javascript(
    page_without_js: Any, items: Any, crisis: Any
) -> None:
    page = page_without_js
    page.goto(f"/crises/{crisis.code}/")
    page.get_by_role("link", name="Import needs or offers from a file").click()
    page.get_by_role("heading", name="Import needs", exact=True).wait_for()

    bad = csv_bytes([["item", "quantity"], ["Masque chirugical", "10"]])
    page.get_by_label("File (CSV, XLSX or HXL-tagged CSV)").set_input_files(
        {"name": "needs.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.get_by_role("button", name="Check the file").click()
    problem = page.locator("table.problems tbody tr").first
    problem.wait_for()
    assert problem.locator("td").all_inner_texts()[:2] == ["2", "item"]
    assert "did you mean MASK-SURG" in problem.inner_text()

    good = csv_bytes([["item", "quantity"], ["Masque chirurgical", "10"]])
    page.get_by_label("Title of the request").fill("Masks for Brno")
    page.get_by_label("File (CSV, XLSX or HXL-tagged CSV)").set_input_files(
        {"name": "needs.csv", "mimeType": "text/csv", "buffer": good}
    )
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("Draft request “Masks for Brno”: 1 line").wait_for()
    assert not RequestForAssistance.objects.exists()
    page.get_by_label("File (CSV, XLSX or HXL-tagged CSV)").set_input_files(
        {"name": "needs.csv", "mimeType": "text/csv", "buffer": good}
    )
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Imported: 1 draft request (1 line).").wait_for()
    rfa = RequestForAssistance.objects.get()
    assert (rfa.title, rfa.requester.code, rfa.lines.get().quantity) == (
        "Masks for Brno",
        "CZE",
        10,
    )
