"""The whole clearing-house flow across roles in a real browser, the centre working in
French: Italy drafts and submits, the centre circulates, Germany offers part, Italy
accepts part and declines the rest, Germany dispatches, Italy confirms receipt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aidbridge.accounts.models import Profile
from aidbridge.logistics.models import Receipt
from aidbridge.offers.models import OfferLine
from aidbridge.requests.models import RequestForAssistance

pytestmark = pytest.mark.browser


def test_request_offer_accept_dispatch_receive(
    open_page: Callable[..., Any], users: dict[str, Any], items: Any, crisis: Any
) -> None:
    Profile.objects.filter(user=users["duty"]).update(language="fr")

    # Italy drafts a request with two lines; the second is added without a reload.
    italy = open_page(user=users["ita"])
    italy.goto(f"/rfas/new/?crisis={crisis.code}")
    italy.evaluate("window.__same_page = true")
    italy.get_by_label("Title").fill("Ventilators for Lombardy")
    italy.locator("#id_lines-0-item").fill("VENT-ICU")
    italy.locator("#id_lines-0-quantity").fill("150")
    italy.locator("#id_lines-0-delivery_airport").fill("LIML")
    italy.get_by_role("button", name="Add a line").click()
    italy.locator("#id_lines-1-item").fill("MASK-SURG")
    assert italy.evaluate("window.__same_page") is True  # swapped in place by htmx
    italy.locator("#id_lines-1-quantity").fill("0")
    italy.get_by_role("button", name="Save draft").click()
    # The error is shown inline, next to the field, and nothing is saved.
    error = italy.locator("#id_lines-1-quantity-error")
    error.wait_for()
    assert "greater than or equal to 1" in error.inner_text()
    assert italy.locator("#id_lines-1-quantity").get_attribute("aria-invalid") == "true"
    assert not RequestForAssistance.objects.exists()
    italy.locator("#id_lines-1-quantity").fill("100000")
    italy.locator("#id_lines-1-delivery_airport").fill("LIML")
    italy.get_by_role("button", name="Save draft").click()
    italy.get_by_role("heading", name="Ventilators for Lombardy").wait_for()
    italy.get_by_role("button", name="Submit to the centre").click()
    italy.get_by_text("The request was submitted to the centre.").wait_for()

    # The centre, in French, finds it on its dashboard and circulates it.
    centre = open_page(user=users["duty"])
    centre.goto("/")
    centre.get_by_role("heading", name="Demandes à valider").wait_for()
    centre.get_by_role("link", name="Ventilators for Lombardy").click()
    centre.get_by_role("button", name="Diffuser").click()
    centre.get_by_text("La demande a été diffusée aux points de contact nationaux.").wait_for()
    assert centre.locator("html").get_attribute("lang") == "fr"
    assert centre.get_by_text("Respirateur de réanimation").first.is_visible()
    rfa = RequestForAssistance.objects.get()
    assert rfa.status == RequestForAssistance.Status.CIRCULATED and rfa.reference

    # Germany offers 50 of the 150 ventilators.
    germany = open_page(user=users["deu"])
    germany.goto(f"/rfas/{rfa.pk}/")
    germany.get_by_role("link", name="Make an offer").click()
    germany.get_by_label("1. ICU ventilator (VENT-ICU)").fill("50")
    germany.get_by_role("button", name="Send the offer").click()
    germany.get_by_text("Offers against this line (50 offered)").wait_for()

    # Italy accepts 30 and declines the rest with a reason.
    italy.goto(f"/rfas/{rfa.pk}/")
    italy.get_by_label("Quantity to accept").fill("30")
    italy.get_by_role("button", name="Accept").click()
    italy.get_by_text("Offer accepted.").wait_for()
    italy.get_by_label("Reason for declining").fill("30 are enough for Bergamo")
    italy.get_by_role("button", name="Decline the rest").click()
    italy.get_by_text("Offer declined.").wait_for()
    line = OfferLine.objects.get()
    assert (line.accepted, line.declined) == (30, 20)

    # Germany dispatches the 30 by airlift.
    germany.goto(f"/rfas/{rfa.pk}/")
    assert germany.get_by_label("Quantity dispatched").input_value() == "30"
    germany.get_by_label("Transport").select_option("airlift")
    germany.get_by_role("button", name="Report dispatch").click()
    germany.get_by_text("Dispatch reported.").wait_for()

    # Italy confirms that 30 arrived; the line's bars show it.
    italy.goto("/")
    italy.get_by_role("heading", name="Deliveries to confirm").wait_for()
    italy.goto(f"/rfas/{rfa.pk}/")
    italy.get_by_role("button", name="Confirm receipt").click()
    italy.get_by_text("Receipt confirmed.").wait_for()
    assert Receipt.objects.get().quantity == 30
    vent = italy.locator(f"#line-{rfa.lines.get(position=1).pk}")
    assert vent.get_by_label("Delivered").get_attribute("value") == "30"
    assert vent.get_by_label("Accepted").get_attribute("value") == "30"

    # The centre's matrix, in French, shows the new figures for Italy's ventilators.
    centre.goto(f"/crises/{crisis.code}/matrix/")
    centre.get_by_role("heading", name="Matrice consolidée").wait_for()
    row = centre.get_by_role("row", name="Italie (ITA)")
    assert "30 / 150" in row.inner_text()
    assert "20\u202f%" in row.inner_text() and "30 livrés" in row.inner_text()
    assert "cov-low" in (row.locator("td.cov-low").first.get_attribute("class") or "")

    for page in (italy, centre, germany):
        assert page.console_errors == []


def test_a_role_cannot_force_an_action_it_is_not_shown(
    open_page: Callable[..., Any], users: dict[str, Any], italian_rfa: Any
) -> None:
    """Germany has no close button; posting the form anyway is refused by the server."""
    germany = open_page(user=users["deu"])
    germany.goto(f"/rfas/{italian_rfa.pk}/")
    assert germany.get_by_role("button", name="Close request").count() == 0
    status = germany.evaluate(
        """async (url) => {
            const token = document.querySelector('[name=csrfmiddlewaretoken]').value;
            const body = new URLSearchParams({csrfmiddlewaretoken: token, closure: 'fulfilled'});
            const r = await fetch(url, {method: 'POST', body});
            return [r.status, await r.text()];
        }""",
        f"/rfas/{italian_rfa.pk}/close/",
    )
    assert status[0] == 403
    assert "only the coordination centre may close a request" in status[1]
    italian_rfa.refresh_from_db()
    assert italian_rfa.status == RequestForAssistance.Status.CIRCULATED
