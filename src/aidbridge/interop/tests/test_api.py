"""The data-exchange API through the real HTTP stack: uploads, templates, exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import hxl
import hxl.input
from django.test import override_settings

from aidbridge.crises.models import Crisis
from aidbridge.interop.readers import read_table
from aidbridge.interop.tests.files import csv_bytes
from aidbridge.offers.models import Offer

API = "/api/v1"


def upload(api: Any, path: str, data: bytes, name: str, **extra: Any) -> Any:
    file = io.BytesIO(data)
    file.name = name
    return api.client.post(API + path, {"file": file}, headers=api.headers, **extra)


def test_offers_upload_dry_run_then_import(
    scenario: dict[str, Any], api: Callable[[str | None], Any], crisis: Crisis
) -> None:
    cze = api("cze")
    data = csv_bytes([["rfa", "item", "quantity"], ["RFA-2020-0001", "VENT-ICU", "15"]])
    dry = upload(cze, f"/imports/offers?crisis={crisis.code}&dry_run=true", data, "o.csv")
    assert dry.status_code == 200, dry.content
    assert dry.json()["ok"] and dry.json()["totals"] == {"VENT-ICU": 15}
    assert not Offer.objects.filter(donor__code="CZE").exists()

    done = upload(cze, f"/imports/offers?crisis={crisis.code}&own_transport=true", data, "o.csv")
    assert done.status_code == 201, done.content
    offer = Offer.objects.get(donor__code="CZE")
    assert offer.own_transport and done.json()["created"][0]["offer"] == offer.reference


def test_bad_rows_answer_422_with_every_problem(
    scenario: dict[str, Any], api: Callable[[str | None], Any], crisis: Crisis
) -> None:
    data = csv_bytes([["rfa", "item", "quantity"], ["RFA-2020-0001", "Ventilatr", "1.5"]])
    response = upload(api("cze"), f"/imports/offers?crisis={crisis.code}", data, "o.csv")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "item"), (2, "quantity")]
    assert "did you mean VENT-ICU" in errors[0]["message"]
    assert errors[0]["field"] == "row 2, column item"


def test_wrong_file_type_answers_422(
    scenario: dict[str, Any], api: Callable[[str | None], Any], crisis: Crisis
) -> None:
    response = upload(api("cze"), f"/imports/offers?crisis={crisis.code}", b"a,b\n", "o.xlsx")
    assert response.status_code == 422
    assert response.json()["code"] == "file_rejected"
    assert "not an XLSX workbook" in response.json()["detail"]


@override_settings(AIDBRIDGE_IMPORT_MAX_BYTES=10_000)
def test_oversized_upload_is_refused_before_reading(
    scenario: dict[str, Any], api: Callable[[str | None], Any], crisis: Crisis
) -> None:
    # A 200 MB upload declared by its Content-Length is refused without reading the body.
    cze = api("cze")
    response = cze.client.generic(
        "POST",
        f"{API}/imports/offers?crisis={crisis.code}",
        b"",
        content_type="multipart/form-data; boundary=x",
        headers=cze.headers,
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "the limit is" in response.json()["detail"]
    # one that lies about its length is stopped by the upload handler at the limit
    big = b"rfa,item,quantity\n" + b"RFA-2020-0001,VENT-ICU,1\n" * 2000
    response = upload(cze, f"/imports/offers?crisis={crisis.code}", big, "o.csv")
    assert response.status_code == 413
    assert not Offer.objects.filter(donor__code="CZE").exists()


def test_anonymous_upload_is_refused(crisis: Crisis, api: Callable[[str | None], Any]) -> None:
    response = upload(api(None), f"/imports/offers?crisis={crisis.code}", b"x", "o.csv")
    assert response.status_code == 401


def test_templates_carry_codes_and_both_names(
    items: dict[str, Any], api: Callable[[str | None], Any], scenario: dict[str, Any]
) -> None:
    ita = api("ita")
    response = ita.client.get(f"{API}/templates/needs", {"format": "hxl"}, headers=ita.headers)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][:4] == ["#meta+request", "#item+code", "#item+name", "#item+i_fr+name"]
    assert rows[-1][:4] == ["", "VENT-ICU", "ICU ventilator", "Respirateur de réanimation"]
    source = hxl.data(hxl.input.ArrayInput(rows))
    assert "#item+num+requested" in [c.display_tag for c in source.columns]

    response = ita.client.get(f"{API}/templates/needs", {"format": "xlsx"}, headers=ita.headers)
    table = read_table(response.content, "t.xlsx")
    assert [r[1][1] for r in table.rows] == sorted(items)

    response = ita.client.get(
        f"{API}/templates/offers", {"format": "csv", "crisis": "covid-19-2020"}, headers=ita.headers
    )
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[1][:3] == ["RFA-2020-0001", "1", "VENT-ICU"]
