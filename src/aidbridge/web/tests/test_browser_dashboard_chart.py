"""The dashboard's chart over time in Chromium: drawn, inside its panel, its table
behind a disclosure, and no console error (the page's CSP allows no inline style)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aidbridge.ledger.tests.timeline_story import EXPECTED, tell

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "locale"), [(1366, "en"), (390, "fr")])
def test_the_dashboard_shows_the_chart_without_console_errors(
    open_page: Callable[..., Any],
    crisis: Any,
    parties: Any,
    users: Any,
    items: Any,
    width: int,
    locale: str,
) -> None:
    tell(crisis, parties, users, items)
    users["duty"].profile.language = locale
    users["duty"].profile.save(update_fields=["language"])
    page = open_page(users["duty"], width=width)
    page.goto(f"/crises/{crisis.code}/")
    chart = page.locator(".dashboard-chart svg.chart-share-time")
    box = chart.bounding_box()
    panel = page.locator(".dashboard-chart").bounding_box()
    assert box["width"] > 200 and box["height"] > 60
    assert box["x"] >= panel["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"] + 1
    assert chart.locator("circle.point-delivered").count() == len(EXPECTED)
    rows = page.locator(".dashboard-chart table tbody tr")
    assert not rows.first.is_visible()
    page.locator(".dashboard-chart summary").click()
    assert rows.count() == len(EXPECTED) and rows.first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not page.console_errors
