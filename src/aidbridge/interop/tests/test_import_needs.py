"""Importing needs as draft RFAs through the request services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.interop.errors import ImportRejected
from aidbridge.interop.importers import import_needs
from aidbridge.interop.tests.files import csv_bytes, xlsx_bytes
from aidbridge.requests.models import RequestForAssistance, RequestLine


def test_needs_become_a_draft_rfa_with_audit(
    users: dict[str, Any], items: Any, crisis: Crisis
) -> None:
    data = xlsx_bytes(
        [
            [
                "item",
                "quantity",
                "priority",
                "needed_by",
                "delivery_airport",
                "delivery_place",
                "delivery_lat",
                "delivery_lon",
            ],
            ["VENT-ICU", 150, 1, dt.date(2020, 4, 1), "LKPR", None, None, None],
            ["Masque chirurgical", 100000, None, None, None, "Brno hospital", 49.19, 16.61],
        ]
    )
    report = import_needs(
        users["cze"],
        crisis=crisis,
        data=data,
        filename="needs.xlsx",
        title="Ventilators for Czechia",
    )
    assert report.ok
    rfa = RequestForAssistance.objects.get(pk=report.created[0]["rfa"])
    assert (rfa.title, rfa.status, rfa.requester.code) == (
        "Ventilators for Czechia",
        "draft",
        "CZE",
    )
    lines = list(rfa.lines.order_by("position"))
    assert [(ln.item.code, ln.quantity, ln.priority) for ln in lines] == [
        ("VENT-ICU", 150, 1),
        ("MASK-SURG", 100000, 2),
    ]
    assert lines[0].delivery_airport == "LKPR" and lines[0].delivery_lat is not None
    assert lines[1].delivery_place == "Brno hospital" and lines[1].delivery_lat == 49.19
    assert AuditEntry.objects.filter(action="rfa.create", target_id=rfa.pk).exists()


def test_request_column_splits_rows_into_several_drafts(
    users: dict[str, Any], items: Any, crisis: Crisis
) -> None:
    data = csv_bytes(
        [
            ["request", "item", "quantity"],
            ["North", "VENT-ICU", "5"],
            ["South", "VENT-ICU", "7"],
            ["North", "SUIT-PROT", "9"],
        ]
    )
    report = import_needs(users["ita"], crisis=crisis, data=data, filename="n.csv")
    assert [(c["title"], c["lines"]) for c in report.created] == [("North", 2), ("South", 1)]


def test_dry_run_writes_nothing_but_reports_the_services_refusal(
    users: dict[str, Any], items: Any, crisis: Crisis
) -> None:
    data = csv_bytes([["item", "quantity", "delivery_place"], ["VENT-ICU", "5", "Somewhere"]])
    report = import_needs(
        users["ita"], crisis=crisis, data=data, filename="n.csv", title="T", dry_run=True
    )
    # the request service wants coordinates for a named place: pinned to row 2
    assert [(p.row, p.column) for p in report.problems] == [(2, "delivery_lat")]
    ok = csv_bytes([["item", "quantity"], ["VENT-ICU", "5"]])
    report = import_needs(
        users["ita"], crisis=crisis, data=ok, filename="n.csv", title="T", dry_run=True
    )
    assert report.ok and report.created == [{"rfa": None, "title": "T", "lines": 1}]
    assert not RequestForAssistance.objects.exists() and not AuditEntry.objects.exists()


def test_only_a_national_poc_may_import_needs(
    users: dict[str, Any], items: Any, crisis: Crisis
) -> None:
    data = csv_bytes([["item", "quantity"], ["VENT-ICU", "5"]])
    with pytest.raises(ImportRejected, match="only a national point of contact"):
        import_needs(users["ocha"], crisis=crisis, data=data, filename="n.csv", title="T")
    assert not RequestForAssistance.objects.exists()


def test_too_many_lines_for_one_rfa_is_refused_with_advice(
    users: dict[str, Any], items: Any, crisis: Crisis
) -> None:
    data = csv_bytes([["item", "quantity"]] + [["VENT-ICU", "1"]] * 201)
    with pytest.raises(ImportRejected, match="at most 200: split the rows with the request column"):
        import_needs(users["ita"], crisis=crisis, data=data, filename="n.csv", title="T")


def test_ten_thousand_lines_in_one_transaction(
    users: dict[str, Any], items: Any, crisis: Crisis
) -> None:
    codes = list(items)
    rows = [["request", "item_code", "quantity", "priority"]] + [
        [f"Batch {i // 200:02d}", codes[i % 4], str(i + 1), str(i % 3 + 1)] for i in range(10_000)
    ]
    report = import_needs(users["ita"], crisis=crisis, data=csv_bytes(rows), filename="big.csv")
    assert report.ok and len(report.created) == 50
    assert RequestLine.objects.count() == 10_000
    assert sum(RequestLine.objects.values_list("quantity", flat=True)) == 10_000 * 10_001 // 2
