"""Editing a draft in French keeps its dates: the date inputs show them, and neither the
autosave nor the save erases them (they were rendered 05/04/2020, which the browser
drops)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from aidbridge.accounts.models import Profile
from aidbridge.requests import services
from aidbridge.requests.models import RequestForAssistance

pytestmark = pytest.mark.browser


def test_editing_a_draft_in_french_keeps_every_date(
    open_page: Callable[..., Any], users: dict[str, Any], items: Any, crisis: Any
) -> None:
    Profile.objects.filter(user=users["ita"]).update(language="fr")
    rfa = services.create_rfa(
        users["ita"],
        crisis=crisis,
        title="Respirateurs",
        lines=[
            {"item": "VENT-ICU", "quantity": 150, "needed_by": date(2020, 4, 5)},
            {"item": "MASK-SURG", "quantity": 1000, "needed_by": date(2020, 4, 20)},
        ],
    )
    page = open_page(user=users["ita"], locale="fr-FR")
    page.goto(f"/rfas/{rfa.pk}/edit/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#id_lines-0-needed_by").input_value() == "2020-04-05"
    assert page.locator("#id_lines-1-needed_by").input_value() == "2020-04-20"

    # A change is saved as the user goes: the dates stay.
    page.locator("#id_lines-0-quantity").fill("140")
    page.locator("#id_lines-0-quantity").dispatch_event("change")
    page.get_by_text("Brouillon enregistré à").wait_for()
    lines = list(RequestForAssistance.objects.get().lines.order_by("position"))
    assert [line.quantity for line in lines] == [140, 1000]
    assert [line.needed_by for line in lines] == [date(2020, 4, 5), date(2020, 4, 20)]

    # Moving one date and saving keeps the other.
    page.locator("#id_lines-1-needed_by").fill("2020-04-25")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("heading", name="Respirateurs").wait_for()
    lines = list(RequestForAssistance.objects.get().lines.order_by("position"))
    assert [line.needed_by for line in lines] == [date(2020, 4, 5), date(2020, 4, 25)]
    assert page.console_errors == []
