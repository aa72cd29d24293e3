"""The sitrep page in Chromium: chart and map drawn, styles applied under the CSP."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.sitreps.demo import publish_demo_sitreps
from aidbridge.web.tests.conftest import browser, open_page  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sitrep_page_shows_chart_and_map(
    open_page: Any,  # noqa: F811
    users: dict[str, Any],
    crisis: Any,
    first_state: Any,
):
    sitreps = publish_demo_sitreps(crisis, duty_officer=users["duty"], head_of_centre=users["head"])
    page = open_page(users["ocha"], locale="fr-FR")
    page.goto(f"/sitreps/{sitreps[-1].pk}/?lang=fr")
    assert page.locator("h2", has_text="Situation générale").is_visible()
    chart = page.locator("svg.chart-coverage")
    assert chart.is_visible() and chart.bounding_box()["width"] > 200
    assert page.locator("svg.chart-coverage rect.bar-accepted").count() == 2
    world = page.locator("svg.map")
    assert world.is_visible() and world.bounding_box()["height"] > 150
    assert page.locator("svg.map path.country[data-nation='ITA']").count() == 1
    assert page.locator("svg.map g.flow[data-from='DEU'][data-to='ESP']").count() == 1
    # The linked stylesheet applied (no inline style under the CSP): headings are blue.
    colour = page.locator("h2").first.evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(31, 78, 121)"
    assert page.console_errors == []
