"""The dashboard's chart of requested / accepted / delivered over time: on a small
story, each day's figures are the story's (worked out by hand in ``timeline_story``),
and the French reader gets French dates with the year, and a table of the figures."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from aidbridge.accounts.models import Profile
from aidbridge.ledger.tests.timeline_story import EXPECTED, tell

pytestmark = pytest.mark.django_db

POINT = re.compile(r"<circle class='point-(\w+)' data-day='([\d-]+)' data-share='([\d.]+)'")


def _dashboard(user: Any, crisis: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/crises/{crisis.code}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["duty", "ita", "ocha"])
def test_the_chart_shows_the_storys_shares_each_day(
    crisis: Any, parties: Any, users: Any, items: Any, role: str
) -> None:
    tell(crisis, parties, users, items)
    html = _dashboard(users[role], crisis)
    shown: dict[str, dict[str, float]] = {"accepted": {}, "delivered": {}}
    for key, day, share in POINT.findall(html):
        shown[key][day] = float(share)
    for day, (_lines, accepted, delivered) in EXPECTED.items():
        assert shown["accepted"].pop(day.isoformat()) == pytest.approx(accepted, abs=1e-4)
        assert shown["delivered"].pop(day.isoformat()) == pytest.approx(delivered, abs=1e-4)
    assert shown == {"accepted": {}, "delivered": {}}  # no day the story does not have
    assert "<title>" in html and "<desc>" in html
    # The table fallback: one row per day, the lines counted then.
    assert re.search(r"<td>3</td><td>53%</td><td>10%</td>", html)


def test_in_french_dates_read_the_french_way_with_the_year(
    crisis: Any, parties: Any, users: Any, items: Any
) -> None:
    tell(crisis, parties, users, items)
    Profile.objects.filter(user=users["duty"]).update(language="fr")
    html = _dashboard(users["duty"], crisis)
    chart = html[html.index("<svg xmlns='http://www.w3.org/2000/svg' class='chart chart-share") :]
    chart = chart[: chart.index("</svg>")]
    # The axis runs from the first day to the last, with the year, day first.
    assert ">10/03/2020</text>" in chart and ">20/03/2020</text>" in chart
    assert "Du 10/03/2020 au 20/03/2020 : 3 lignes de demande diffusées" in chart
    assert "Part des unités demandées acceptées et livrées" in chart
    assert '<time datetime="2020-03-16">16/03/2020</time>' in html
    assert "53\u202f%" in html  # the table's percentages in the French style


def test_in_english_the_axis_has_the_year(
    crisis: Any, parties: Any, users: Any, items: Any
) -> None:
    tell(crisis, parties, users, items)
    html = _dashboard(users["duty"], crisis)
    assert ">10 Mar 2020</text>" in html and ">20 Mar 2020</text>" in html


def test_no_circulated_request_no_chart(crisis: Any, users: Any) -> None:
    html = _dashboard(users["duty"], crisis)
    assert "chart-share-time" not in html and "No request circulated yet." in html
