"""Exports as CSV, XLSX and HXL: checked with libhxl, neutralised against injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import hxl
import hxl.input
import pytest

from aidbridge.crises.models import Crisis
from aidbridge.interop.readers import read_table


def get(api: Any, path: str, **params: Any) -> Any:
    response = api.client.get("/api/v1" + path, params, headers=api.headers)
    assert response.status_code == 200, response.content
    return response


def hxl_rows(content: bytes) -> Any:
    return hxl.data(hxl.input.ArrayInput(list(csv.reader(io.StringIO(content.decode())))))


def test_offers_export_in_hxl(
    scenario: dict[str, Any], api: Callable[[str | None], Any], crisis: Crisis
) -> None:
    response = get(api("ocha"), f"/crises/{crisis.code}/export/offers", format="hxl")
    source = hxl_rows(response.content)
    tags = [c.display_tag for c in source.columns]
    for tag in ("#org+code", "#country+code", "#item+code", "#item+name", "#status"):
        assert tag in tags
    rows = [
        (
            r.get("#org+code"),
            r.get("#item+code"),
            r.get("#item+num+offered"),
            r.get("#item+num+accepted"),
            r.get("#status"),
        )
        for r in source
    ]
    assert ("DEU", "VENT-ICU", "50", "50", "accepted") in rows
    assert ("NATO-STOCK", "RESP-FFP2", "40000", "0", "open") in rows


def test_deliveries_export_in_hxl(
    scenario: dict[str, Any], api: Callable[[str | None], Any], crisis: Crisis
) -> None:
    response = get(api("ocha"), f"/crises/{crisis.code}/export/deliveries", format="hxl")
    [row] = list(hxl_rows(response.content))
    assert row.get("#item+num+dispatched") == "50" and row.get("#item+num+delivered") == "48"
    assert row.get("#date+dispatched").startswith("2020-03-23")
    assert row.get("#status") == "received"


def test_rfas_export_shows_drafts_only_to_their_nation(
    scenario: dict[str, Any], api: Callable[[str | None], Any], crisis: Crisis
) -> None:
    def requests(who: str) -> set[str]:
        response = get(api(who), f"/crises/{crisis.code}/export/rfas", format="csv")
        return {r["request"] for r in csv.DictReader(io.StringIO(response.content.decode()))}

    assert requests("esp") == {"Draft", "Ventilators and masks for Lombardy"}
    assert requests("ocha") == {"Ventilators and masks for Lombardy"}


@pytest.mark.parametrize("fmt", ["csv", "hxl", "xlsx"])
def test_formula_like_text_is_neutralised(
    scenario: dict[str, Any], api: Callable[[str | None], Any], crisis: Crisis, fmt: str
) -> None:
    response = get(api("duty"), f"/crises/{crisis.code}/export/offers", format=fmt)
    if fmt == "xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    else:
        cells = [c for row in csv.reader(io.StringIO(response.content.decode())) for c in row]
    texts = [c for c in cells if isinstance(c, str)]
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts if not t.startswith("#"))
    assert "'@too many" not in texts  # decline reasons are not exported; notes are


def test_exported_offers_read_back_as_an_offers_file(
    scenario: dict[str, Any], api: Callable[[str | None], Any], crisis: Crisis
) -> None:
    from aidbridge.interop.items import ItemResolver
    from aidbridge.interop.validation import validate_offer_rows

    for fmt in ("csv", "hxl", "xlsx"):
        response = get(api("duty"), f"/crises/{crisis.code}/export/offers", format=fmt)
        table = read_table(response.content, f"offers.{'xlsx' if fmt == 'xlsx' else 'csv'}")
        rows, problems = validate_offer_rows(table, ItemResolver.from_catalogue())
        assert problems == []
        assert sum(r.quantity for r in rows) == 50 + 20000 + 1000 + 10 + 40000


def test_picture_export_in_hxl_carries_every_figure(
    scenario: dict[str, Any], api: Callable[[str | None], Any], crisis: Crisis
) -> None:
    response = get(api("ocha"), f"/crises/{crisis.code}/export/picture", format="hxl")
    source = hxl_rows(response.content)
    by_item = {r.get("#item+code"): r for r in source}
    assert set(by_item) == {"VENT-ICU", "MASK-SURG", "SUIT-PROT"}  # the draft is not pictured
    vent = by_item["VENT-ICU"]
    assert vent.get("#country+code") == "ITA" and vent.get("#status") == "circulated"
    figures = [
        vent.get(f"#item+num+{n}")
        for n in ("requested", "offered", "accepted", "dispatched", "delivered", "outstanding")
    ]
    assert figures == ["150", "50", "50", "50", "48", "100"]
    masks = by_item["MASK-SURG"]
    assert masks.get("#item+num+offered") == "15000"  # 20000 offered, 5000 declined
    assert masks.get("#item+num+outstanding") == "85000"
