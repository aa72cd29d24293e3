"""Importing offers through the offer services: dry run, all-or-nothing, row messages."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.interop.errors import ImportRejected
from aidbridge.interop.importers import import_offers
from aidbridge.interop.tests.files import csv_bytes, xlsx_bytes
from aidbridge.notifications.models import Notification
from aidbridge.offers.models import Offer, OfferLine

HEADER = ["rfa", "line", "item", "quantity", "notes"]


def counts() -> tuple[int, int, int, int]:
    return (
        Offer.objects.count(),
        OfferLine.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


def test_dry_run_reports_and_writes_nothing(
    scenario: dict[str, Any], users: dict[str, Any], crisis: Crisis
) -> None:
    before = counts()
    data = csv_bytes(
        [
            HEADER,
            ["RFA-2020-0001", "1", "VENT-ICU", "20", ""],
            ["", "", "FFP2 respirator", "500", ""],
        ]
    )
    report = import_offers(users["cze"], crisis=crisis, data=data, filename="o.csv", dry_run=True)
    assert report.ok, report.problems
    assert [c["rfa"] for c in report.created] == ["RFA-2020-0001", None]
    assert report.totals == {"RESP-FFP2": 500, "VENT-ICU": 20}
    assert counts() == before


def test_import_creates_offers_through_the_services(
    scenario: dict[str, Any], users: dict[str, Any], crisis: Crisis
) -> None:
    data = xlsx_bytes(
        [
            HEADER,
            ["RFA-2020-0001", None, "Respirateur de réanimation", 20, "Prague stock"],
            ["rfa-2020-0001", 3, "SUIT-PROT", 400, None],
            [None, None, "RESP-FFP2", 500, None],
        ]
    )
    report = import_offers(
        users["cze"], crisis=crisis, data=data, filename="o.xlsx", conditions="by road"
    )
    assert report.ok
    made = Offer.objects.filter(donor__code="CZE").order_by("id")
    assert [o.rfa_id for o in made] == [scenario["rfa"].pk, None]
    assert all(o.conditions == "by road" for o in made)
    lines = OfferLine.objects.filter(offer__donor__code="CZE").order_by("id")
    assert [(ln.item.code, ln.quantity, ln.notes) for ln in lines] == [
        ("VENT-ICU", 20, "Prague stock"),
        ("SUIT-PROT", 400, ""),
        ("RESP-FFP2", 500, ""),
    ]
    assert lines[0].request_line is not None and lines[0].request_line.position == 1
    # the services' audit trail and notices apply
    assert AuditEntry.objects.filter(actor=users["cze"]).exists()
    assert Notification.objects.filter(recipient=users["ita"], kind="offer.new").exists()


def test_problems_are_reported_by_row_and_nothing_is_written(
    scenario: dict[str, Any], users: dict[str, Any], crisis: Crisis
) -> None:
    before = counts()
    data = csv_bytes(
        [
            HEADER,
            ["RFA-2020-0001", "1", "VENT-ICU", "20", ""],
            ["RFA-2020-0099", "", "VENT-ICU", "5", ""],
            ["RFA-2020-0001", "2", "VENT-ICU", "5", ""],
            ["RFA-2020-0001", "", "RESP-FFP2", "5", ""],
            ["RFA-2020-0001", "1", "VENT-ICU", "1", ""],
        ]
    )
    with pytest.raises(ImportRejected) as info:
        import_offers(users["cze"], crisis=crisis, data=data, filename="o.csv")
    assert [str(p) for p in info.value.problems] == [
        "row 3, column rfa: no circulated RFA RFA-2020-0099 in covid-19-2020",
        "row 4, column item: line 2 of RFA-2020-0001 asks for MASK-SURG, not VENT-ICU",
        "row 5, column item: RFA-2020-0001 has no line for RESP-FFP2; give the line number",
        "row 6, column line: line 1 of RFA-2020-0001 is already offered in row 2",
    ]
    assert counts() == before


def test_a_refusal_by_the_services_rolls_back_every_offer(
    scenario: dict[str, Any], users: dict[str, Any], crisis: Crisis
) -> None:
    """Italy may make the unsolicited offer but not offer against its own request: the
    file is all-or-nothing, so neither is kept."""
    before = counts()
    data = csv_bytes(
        [HEADER, ["", "", "RESP-FFP2", "5", ""], ["RFA-2020-0001", "1", "VENT-ICU", "1", ""]]
    )
    with pytest.raises(ImportRejected, match="cannot offer against its own request"):
        import_offers(users["ita"], crisis=crisis, data=data, filename="o.csv")
    assert counts() == before
