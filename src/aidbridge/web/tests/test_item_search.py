"""The request form's item search fills a line and its unit: as a plain form (each
button posts the page, nothing typed is lost) and in the browser (htmx swaps the form
in place)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect


def _form(crisis: Any, **extra: str) -> dict[str, str]:
    data = {
        "crisis": crisis.code,
        "title": "Oxygen for Bergamo",
        "situation": "Field hospital opens.",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-item": "",
        "lines-0-quantity": "200",
        "lines-0-priority": "1",
        "lines-0-delivery_airport": "LIME",
    }
    data.update(extra)
    return data


def test_without_javascript_the_search_lists_items_and_a_choice_fills_the_line(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    client = Client()
    client.force_login(users["ita"])
    found = client.post("/rfas/new/", _form(crisis, item_q="masque", find_item="1"))
    page = found.content.decode()
    assert found.status_code == 200
    assert 'name="use_item" value="MASK-SURG"' in page
    assert 'name="use_item" value="VENT-ICU"' not in page
    assert 'value="Oxygen for Bergamo"' in page  # what was typed stays

    used = client.post("/rfas/new/", _form(crisis, item_q="masque", use_item="MASK-SURG"))
    line = used.context["formset"].forms[0]
    assert (line["item"].value(), line["unit"].value()) == ("MASK-SURG", "piece")
    assert line["quantity"].value() == "200"
    assert 'name="use_item"' not in used.content.decode()  # the choice closes the list

    # Every line has an item: the next choice goes on a new line.
    second = client.post(
        "/rfas/new/",
        _form(crisis, **{"lines-0-item": "MASK-SURG"}, item_q="vent", use_item="VENT-ICU"),
    )
    forms = second.context["formset"].forms
    assert [(f["item"].value(), f["unit"].value()) for f in forms] == [
        ("MASK-SURG", ""),
        ("VENT-ICU", "piece"),
    ]


@pytest.mark.browser
def test_in_the_browser_the_search_fills_the_line_in_place(
    open_page: Callable[..., Any], users: dict[str, Any], items: Any, crisis: Any
) -> None:
    page = open_page(users["ita"])
    page.goto(f"/rfas/new/?crisis={crisis.code}")
    page.fill("#id_title", "Oxygen for Bergamo")
    page.evaluate("window.notReloaded = true")  # gone if the page were loaded again
    page.fill("#item-q", "respirat")
    page.click("#find-item")
    choice = page.get_by_role("button", name="VENT-ICU", exact=False)
    choice.click()
    expect(page.locator("#id_lines-0-item")).to_have_value("VENT-ICU")
    expect(page.locator("#id_lines-0-unit")).to_have_value("piece")
    assert page.input_value("#id_title") == "Oxygen for Bergamo"
    assert page.evaluate("window.notReloaded === true")
    assert not page.console_errors
