"""In a browser: the donor dispatches from the offer page, and closing a request asks
for confirmation (dismissed: nothing happens; accepted: closed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aidbridge.logistics.models import Dispatch
from aidbridge.offers import services as offer_services
from aidbridge.requests.models import RequestForAssistance

pytestmark = pytest.mark.browser


def test_dispatch_from_the_offer_page_and_confirm_a_close(
    open_page: Callable[..., Any], users: dict[str, Any], italian_rfa: Any
) -> None:
    vent = italian_rfa.lines.get(position=1)
    offer = offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 30}]
    )
    offer_services.accept_offer_line(users["ita"], offer.lines.get(), 30)

    germany = open_page(user=users["deu"])
    germany.goto("/")
    germany.get_by_role("heading", name="Accepted aid to dispatch").wait_for()
    germany.get_by_role("link", name=offer.reference).click()
    germany.get_by_label("Transport").select_option("airlift")
    germany.get_by_role("button", name="Report dispatch").click()
    germany.get_by_text("Dispatch reported.").wait_for()
    assert germany.url.endswith(f"/offers/{offer.pk}/")
    assert Dispatch.objects.get().mode == "airlift"

    centre = open_page(user=users["duty"])
    centre.goto(f"/rfas/{italian_rfa.pk}/")
    centre.get_by_text("Close request…").click()
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    centre.evaluate("window.__same_page = true")
    centre.once("dialog", dismiss)
    centre.get_by_role("button", name="Close request").click()
    # confirm() blocks the submit handler: once the click returns, the form was kept.
    assert asked == ["Close this request? This cannot be undone."]
    assert centre.evaluate("window.__same_page") is True
    italian_rfa.refresh_from_db()
    assert italian_rfa.status == RequestForAssistance.Status.CIRCULATED
    centre.once("dialog", lambda dialog: dialog.accept())
    centre.get_by_role("button", name="Close request").click()
    centre.get_by_text("The request was closed.").wait_for()
    italian_rfa.refresh_from_db()
    assert italian_rfa.status == RequestForAssistance.Status.CLOSED
    for page in (germany, centre):
        assert page.console_errors == []
