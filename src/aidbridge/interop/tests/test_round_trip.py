"""Export -> import into a fresh database -> the same consolidated figures.

The source crisis is built through the services, exported (RFAs and offers), then
rolled back: what remains is a database with only parties, users, catalogue and the
crisis, as on a new server. Each nation then imports its own lines, the centre
circulates them in the same order, each donor imports its offers; the picture's totals
per nation, per item and per donor are those of the source.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from django.db import transaction

from aidbridge.crises.models import Crisis
from aidbridge.interop.exporters import export
from aidbridge.interop.importers import import_needs, import_offers
from aidbridge.interop.readers import read_table
from aidbridge.interop.tests.files import csv_bytes, xlsx_bytes
from aidbridge.offers.services import make_offer, make_unsolicited_offer
from aidbridge.reports.selectors import crisis_totals
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.services import circulate_request, create_rfa, submit_rfa


class _Undo(Exception):
    pass


def figures(crisis: Crisis) -> dict[str, Any]:
    totals = crisis_totals(crisis)
    return {
        "overall": totals.overall.as_dict(),
        "nations": {p.code: f.as_dict() for p, f in totals.by_nation},
        "items": {i.code: f.as_dict() for i, f in totals.by_item},
        "donors": {p.code: f.as_dict() for p, f in totals.by_donor},
    }


def build_source(users: dict[str, Any], crisis: Crisis) -> None:
    def rfa(who: str, title: str, lines: list[dict[str, Any]]) -> RequestForAssistance:
        made = create_rfa(users[who], crisis=crisis, title=title, lines=lines)
        submit_rfa(users[who], made)
        return circulate_request(users["duty"], made)

    ita = rfa(
        "ita",
        "Ventilators and masks for Lombardy",
        [
            {"item": "VENT-ICU", "quantity": 150, "priority": 1, "delivery_airport": "LIMC"},
            {
                "item": "MASK-SURG",
                "quantity": 100000,
                "specification": "=EN 14683 type IIR",
                "delivery_airport": "LIMC",
            },
            {
                "item": "SUIT-PROT",
                "quantity": 5000,
                "needed_by": "2020-04-15",
                "delivery_airport": "LIML",
            },
        ],
    )
    esp = rfa(
        "esp",
        "Ventilators for Madrid",
        [
            {
                "item": "VENT-ICU",
                "quantity": 80,
                "transport_needed": True,
                "delivery_airport": "LEMD",
            },
            {
                "item": "SUIT-PROT",
                "quantity": 2000,
                "delivery_place": "IFEMA",
                "delivery_lat": 40.46,
                "delivery_lon": -3.62,
            },
        ],
    )
    ita_lines = list(ita.lines.order_by("position"))
    esp_lines = list(esp.lines.order_by("position"))
    make_offer(
        users["deu"],
        rfa=ita,
        lines=[
            {"request_line": ita_lines[0].pk, "quantity": 50, "notes": "Bundeswehr"},
            {"request_line": ita_lines[1].pk, "quantity": 20000},
        ],
    )
    make_offer(users["deu"], rfa=esp, lines=[{"request_line": esp_lines[0].pk, "quantity": 50}])
    make_offer(users["tur"], rfa=esp, lines=[{"request_line": esp_lines[1].pk, "quantity": 2500}])
    make_unsolicited_offer(
        users["stock"], crisis=crisis, lines=[{"item": "RESP-FFP2", "quantity": 40000}]
    )


def split(data: bytes, fmt: str, column: str) -> dict[str, bytes]:
    """The exported file cut into one file per value of ``column`` (nation or donor)."""
    name = "x.xlsx" if fmt == "xlsx" else "x.csv"
    table = read_table(data, name)
    at = table.headers.index(column)
    groups: dict[str, list[list[Any]]] = defaultdict(list)
    for _, cells in table.rows:
        groups[cells[at]].append(cells)
    top = [table.headers] + ([table.tags] if table.tags and fmt != "csv" else [])
    write = xlsx_bytes if fmt == "xlsx" else csv_bytes
    return {key: write(top + rows) for key, rows in groups.items()}


@pytest.mark.parametrize("fmt", ["csv", "hxl", "xlsx"])
def test_export_then_import_into_a_fresh_database_gives_the_same_figures(
    users: dict[str, Any], items: Any, crisis: Crisis, fmt: str
) -> None:
    with pytest.raises(_Undo), transaction.atomic():
        build_source(users, crisis)
        before = figures(crisis)
        rfas = export(users["duty"], crisis, "rfas", fmt)
        offers = export(users["duty"], crisis, "offers", fmt)
        order = list(
            RequestForAssistance.objects.order_by("reference").values_list("title", flat=True)
        )
        raise _Undo
    assert not RequestForAssistance.objects.exists()
    name = f"f.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    poc = {"ITA": "ita", "ESP": "esp", "DEU": "deu", "TUR": "tur", "NATO-STOCK": "stock"}

    for nation, data in split(rfas, fmt, "requester").items():
        report = import_needs(users[poc[nation]], crisis=crisis, data=data, filename=name)
        assert report.ok
    for title in order:
        rfa = RequestForAssistance.objects.get(title=title)
        submit_rfa(users[poc[rfa.requester.code]], rfa)
        circulate_request(users["duty"], rfa)
    for donor, data in split(offers, fmt, "donor").items():
        report = import_offers(users[poc[donor]], crisis=crisis, data=data, filename=name)
        assert report.ok

    assert figures(crisis) == before
    assert before["overall"]["requested"] == 150 + 100000 + 5000 + 80 + 2000
    assert before["overall"]["offered"] == 50 + 20000 + 50 + 2500
    line = RequestForAssistance.objects.get(title__startswith="Ventilators and").lines.get(
        position=2
    )
    assert line.specification == "'=EN 14683 type IIR"  # neutralised on export, kept as text
