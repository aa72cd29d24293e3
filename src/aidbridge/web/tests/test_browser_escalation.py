"""In the browser: the centre reads that a submitted request repeats an open one and
circulates it as an escalation, behind a confirmation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aidbridge.requests import services
from aidbridge.requests.models import RequestForAssistance

pytestmark = pytest.mark.browser


def test_the_centre_circulates_a_repeat_as_an_escalation(
    open_page: Callable[..., Any], users: dict[str, Any], italian_rfa: Any
) -> None:
    again = services.create_rfa(
        users["ita"],
        crisis=italian_rfa.crisis,
        title="More ventilators for Lombardy",
        lines=[{"item": "VENT-ICU", "quantity": 350, "priority": 1, "delivery_airport": "LIML"}],
    )
    services.submit_rfa(users["ita"], again)
    centre = open_page(user=users["duty"])
    centre.goto(f"/rfas/{again.pk}/")
    centre.get_by_text("line 1 (ICU ventilator): same item, +200 piece").wait_for()
    escalate = centre.get_by_role(
        "button", name=f"Circulate as an escalation of {italian_rfa.reference}"
    )
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    centre.evaluate("window.__same_page = true")
    centre.once("dialog", dismiss)
    escalate.click()
    # confirm() blocks the submit handler: once the click returns, the form was kept.
    assert asked == [
        f"Merge this request into {italian_rfa.reference} as an escalation? This cannot be undone."
    ]
    assert centre.evaluate("window.__same_page") is True
    assert RequestForAssistance.objects.get(pk=again.pk).status == "submitted"

    centre.once("dialog", lambda dialog: dialog.accept())
    escalate.click()
    centre.get_by_text("The request was merged into the earlier one as an escalation.").wait_for()
    again.refresh_from_db()
    assert (again.status, again.closure, again.merged_into_id) == (
        "closed",
        "merged",
        italian_rfa.pk,
    )
    centre.get_by_role("link", name=italian_rfa.reference).first.click()
    centre.get_by_text("Escalated by").wait_for()
    assert centre.get_by_role("link", name=again.reference).count() >= 1
    assert italian_rfa.lines.get(position=1).quantity == 350
    assert centre.console_errors == []
