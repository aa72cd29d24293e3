"""Checking rows of needs and offers files: every problem by row and column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from aidbridge.catalogue.models import Item
from aidbridge.interop.items import ItemResolver
from aidbridge.interop.readers import read_table
from aidbridge.interop.tests.files import csv_bytes, xlsx_bytes
from aidbridge.interop.validation import validate_needs, validate_offer_rows


def needs(rows: list[list[Any]], name: str = "needs.csv") -> tuple[list[Any], list[str]]:
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    lines, problems = validate_needs(read_table(data, name), ItemResolver.from_catalogue())
    return lines, [str(p) for p in problems]


def test_items_by_code_english_or_french_name(items: dict[str, Item]) -> None:
    lines, problems = needs(
        [
            ["item", "quantity", "priority", "needed_by", "delivery_airport", "transport_needed"],
            ["vent-icu", "150", "1", "2020-04-01", "lkpr", "yes"],
            ["Surgical mask", "1000", "", "", "", ""],
            ["Combinaison  de protection", "20", "3", "2020-04-15T00:00:00", "", "non"],
        ]
    )
    assert problems == []
    assert [(ln.item.code, ln.quantity, ln.priority) for ln in lines] == [
        ("VENT-ICU", 150, 1),
        ("MASK-SURG", 1000, 2),
        ("SUIT-PROT", 20, 3),
    ]
    assert lines[0].needed_by == dt.date(2020, 4, 1)
    assert lines[0].delivery_airport == "LKPR" and lines[0].transport_needed
    assert lines[2].needed_by == dt.date(2020, 4, 15) and not lines[2].transport_needed


def test_near_miss_is_reported_with_candidates_not_guessed(items: dict[str, Item]) -> None:
    lines, problems = needs([["item", "quantity"], ["Surgical msk", "5"]])
    assert lines == []
    assert problems == [
        "row 2, column item: unknown item 'Surgical msk'; did you mean "
        "MASK-SURG (Surgical mask / Masque chirurgical)?"
    ]


def test_ambiguous_name_is_refused(items: dict[str, Item]) -> None:
    Item.objects.create(
        code="MASK-SURG-IIR",
        category=items["MASK-SURG"].category,
        name_en="Surgical mask type IIR",
        name_fr="Masque chirurgical",
        unit="piece",
        unit_weight_kg=Decimal("0.004"),
        unit_volume_m3=Decimal("0.00005"),
    )
    _, problems = needs([["item_name", "quantity"], ["masque chirurgical", "5"]])
    assert len(problems) == 1
    assert "ambiguous item 'masque chirurgical'" in problems[0]
    assert "MASK-SURG (" in problems[0] and "MASK-SURG-IIR (" in problems[0]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "quantity must be greater than 0, not 0"),
        ("-3", "quantity must be a whole number greater than 0, not '-3'"),
        ("2.5", "quantity must be a whole number greater than 0, not '2.5'"),
        ("ten", "quantity must be a whole number greater than 0, not 'ten'"),
    ],
)
def test_bad_quantities(items: dict[str, Item], quantity: str, message: str) -> None:
    _, problems = needs([["item", "quantity"], ["VENT-ICU", quantity]])
    assert problems == [f"row 2, column quantity: {message}"]


def test_unfilled_template_rows_are_skipped_but_half_filled_rows_are_not(
    items: dict[str, Item],
) -> None:
    lines, problems = needs(
        [
            ["item_code", "item_name", "quantity", "specification"],
            ["MASK-SURG", "Surgical mask", "", ""],
            ["VENT-ICU", "ICU ventilator", "", "invasive"],
            ["SUIT-PROT", "Protective suit", "30", ""],
        ]
    )
    assert [ln.item.code for ln in lines] == ["SUIT-PROT"]
    assert problems == ["row 3, column quantity: quantity is empty"]
    _, problems = needs([["item", "quantity"], ["VENT-ICU", ""]])
    assert problems == ["the file has no lines with a quantity"]


def test_every_problem_of_every_row_is_reported(items: dict[str, Item]) -> None:
    _, problems = needs(
        [
            ["item", "quantity", "unit", "priority", "needed_by", "delivery_airport"],
            ["VENT-ICU", "5", "box", "4", "31/02/2020", "ZZZZ"],
            ["NOPE-XYZ-123", "1", "", "", "", ""],
        ]
    )
    assert problems == [
        "row 2, column priority: priority must be 1, 2 or 3, not 4",
        "row 2, column needed_by: date '31/02/2020' cannot be read; write it as YYYY-MM-DD",
        "row 2, column delivery_airport: 'ZZZZ' is not a known ICAO airport code",
        "row 2, column unit: unit 'box' is not VENT-ICU's unit (piece)",
        "row 3, column item: unknown item 'NOPE-XYZ-123': no catalogue code or name is close to it",
    ]


def test_missing_and_unknown_columns(items: dict[str, Item]) -> None:
    _, problems = needs([["item", "qantity"], ["VENT-ICU", "5"]])
    assert problems[0].startswith("unknown column 'qantity'; did you mean quantity?")
    assert problems[1].startswith("missing column: quantity")
    _, problems = needs([["what", "quantity"], ["VENT-ICU", "5"]])
    assert "missing column: an item column is needed" in problems[-1]


def test_formula_cells_are_refused(items: dict[str, Item]) -> None:
    _, problems = needs(
        [["item", "quantity"], ["VENT-ICU", "=2*75"], ["VENT-ICU", 5]], "needs.xlsx"
    )
    assert problems == [
        "row 2, column quantity: formula cells are refused (never evaluated): '=2*75'; "
        "type the value instead"
    ]


def test_xlsx_numbers_and_dates(items: dict[str, Item]) -> None:
    lines, problems = needs(
        [["item", "quantity", "needed_by"], ["VENT-ICU", 150.0, dt.datetime(2020, 4, 1)]],
        "needs.xlsx",
    )
    assert problems == []
    assert lines[0].quantity == 150 and lines[0].needed_by == dt.date(2020, 4, 1)


def test_hxl_needs_by_tags_ignore_unknown_tags(items: dict[str, Item]) -> None:
    data = csv_bytes(
        [
            ["Code", "Name", "Asked", "Comment"],
            ["#item+code", "#item+name", "#item+num+requested", "#meta+comment"],
            ["", "FFP2 respirator", "300", "urgent"],
        ]
    )
    lines, problems = validate_needs(read_table(data, "n.csv"), ItemResolver.from_catalogue())
    assert problems == []
    assert (lines[0].item.code, lines[0].quantity) == ("RESP-FFP2", 300)


def test_hxl_without_quantity_tag_names_the_tag(items: dict[str, Item]) -> None:
    data = csv_bytes([["Code", "Qty"], ["#item+code", "#item+num"], ["VENT-ICU", "3"]])
    _, problems = validate_needs(read_table(data, "n.csv"), ItemResolver.from_catalogue())
    assert [str(p) for p in problems] == ["missing column: #item+num+requested (whole number > 0)"]


def test_offer_rows(items: dict[str, Item]) -> None:
    data = csv_bytes(
        [
            ["rfa", "line", "item", "quantity", "notes"],
            ["rfa-2020-0001", "1", "VENT-ICU", "50", "from Bundeswehr stock"],
            ["", "", "RESP-FFP2", "10000", ""],
            ["RFA-2020-0001", "x", "VENT-ICU", "5", ""],
        ]
    )
    rows, problems = validate_offer_rows(read_table(data, "o.csv"), ItemResolver.from_catalogue())
    assert [(r.rfa, r.line, r.item.code, r.quantity) for r in rows] == [
        ("RFA-2020-0001", 1, "VENT-ICU", 50),
        ("", None, "RESP-FFP2", 10000),
    ]
    assert [str(p) for p in problems] == [
        "row 4, column line: line must be a whole number greater than 0, not 'x'"
    ]
