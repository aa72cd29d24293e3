"""The requests list takes away what it shows: ``format=csv|xlsx|hxl`` on the list's own
address exports the filtered requests (the same exporter as the crisis export), never
another nation's draft, and the page's export links carry its filters."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

import openpyxl
import pytest
from django.test import Client

from aidbridge.offers.tests.factories import circulated_rfa
from aidbridge.requests.models import RequestForAssistance
from aidbridge.web.lists import FORMATS

pytestmark = pytest.mark.django_db
Status = RequestForAssistance.Status


@pytest.fixture
def rfas(crisis: Any, parties: Any, users: Any, items: Any) -> dict[str, Any]:
    return {
        "ita": circulated_rfa(
            crisis,
            parties["ITA"],
            users["ita"],
            [(items["VENT-ICU"], 150), (items["MASK-SURG"], 100_000)],
            title="Ventilators and masks for Lombardy",
        ),
        "esp": circulated_rfa(
            crisis, parties["ESP"], users["esp"], [(items["SUIT-PROT"], 500)], title="Suits"
        ),
        "ita_draft": circulated_rfa(
            crisis,
            parties["ITA"],
            users["ita"],
            [(items["RESP-FFP2"], 2_000)],
            title="Respirators for Rome",
            status=Status.DRAFT,
        ),
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv(response: Any) -> list[tuple[str, str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="requests.csv"' in response["Content-Disposition"]
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    return [(r["request"], r["item_code"], r["quantity"]) for r in rows]


def test_the_export_is_the_filtered_list(users: Any, rfas: Any, crisis: Any) -> None:
    duty = _client(users["duty"])
    base = f"/rfas/?crisis={crisis.code}"
    assert _csv(duty.get(base + "&nation=ESP&format=csv")) == [("Suits", "SUIT-PROT", "500")]
    assert _csv(duty.get(base + "&item=MASK-SURG&format=csv")) == [
        ("Ventilators and masks for Lombardy", "VENT-ICU", "150"),
        ("Ventilators and masks for Lombardy", "MASK-SURG", "100000"),
    ]
    assert _csv(duty.get(base + "&q=nothing-like-this&format=csv")) == []
    # Unfiltered, the centre gets both circulated requests, not Italy's draft.
    assert len(_csv(duty.get(base + "&format=csv"))) == 3

    hxl = duty.get(base + "&nation=ESP&format=hxl").content.decode().splitlines()
    assert hxl[1].startswith("#meta+rfa") and len(hxl) == 2 + 1
    workbook = openpyxl.load_workbook(
        io.BytesIO(duty.get(base + "&nation=ITA&format=xlsx").content)
    )
    assert workbook.active is not None and workbook.active.max_row == 2 + 2


def test_a_nation_exports_its_own_drafts_and_nobody_elses(
    users: Any, rfas: Any, crisis: Any
) -> None:
    drafts = f"/rfas/?crisis={crisis.code}&status=draft&format=csv"
    assert _csv(_client(users["ita"]).get(drafts)) == [
        ("Respirators for Rome", "RESP-FFP2", "2000")
    ]
    assert _csv(_client(users["esp"]).get(drafts)) == []


def test_the_pages_export_links_carry_its_filters(users: Any, rfas: Any, crisis: Any) -> None:
    duty = _client(users["duty"])
    for headers in ({}, {"HX-Request": "true"}):  # the page and its htmx swap
        page = duty.get(f"/rfas/?crisis={crisis.code}&nation=ESP&page=1", headers=headers)
        exports = re.findall(r'href="([^"]*format=[^"]*)"', page.content.decode())
        assert [html.unescape(e) for e in exports] == [
            f"/rfas/?crisis={crisis.code}&nation=ESP&format={fmt}" for fmt in FORMATS
        ]
