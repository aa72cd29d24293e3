"""The one text rule (no NUL, a documented length) on the channels that are not JSON
bodies: import files, query strings and paths, and the pages' form posts."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from aidbridge.core.text import MAX_TEXT
from aidbridge.interop.tests.files import csv_bytes
from aidbridge.offers.models import Offer, OfferLine


def _import(api: Any, code: str, rows: list[list[str]]) -> Any:
    file = io.BytesIO(csv_bytes(rows))
    file.name = "stock.csv"
    client = api("deu")
    return client.client.post(
        f"/api/v1/imports/offers?crisis={code}", {"file": file}, headers=client.headers
    )


def test_an_import_file_with_nul_is_refused_naming_the_file(api, crisis, items) -> None:
    response = _import(
        api, crisis.code, [["item", "quantity", "notes"], ["RESP-FFP2", "1", "a\x00"]]
    )
    assert response.status_code == 422, response.content[:300]
    assert response.json()["errors"][0]["field"] == "file"
    assert "NUL" in response.json()["detail"]
    assert not OfferLine.objects.exists()


def test_an_import_cell_too_long_is_refused_by_row_and_column(api, crisis, items) -> None:
    response = _import(
        api,
        crisis.code,
        [["item", "quantity", "notes"], ["RESP-FFP2", "10", "n" * (MAX_TEXT + 1)]],
    )
    assert response.status_code == 422, response.content[:300]
    problems = response.json()["errors"]
    assert [(p["row"], p["column"]) for p in problems] == [(2, "notes")]
    assert "at most 10,000" in problems[0]["message"]
    assert not OfferLine.objects.exists()


def test_nul_in_a_query_string_or_a_path_is_a_422_naming_it(api, crisis) -> None:
    listed = api("ocha").get("/rfas", search="a\x00b")
    assert listed.status_code == 422
    assert listed.json()["errors"] == [
        {"field": "search", "message": "must not contain NUL characters"}
    ]
    detail = api("ocha").get("/crises/covid%00")
    assert detail.status_code == 422 and detail.json()["errors"][0]["field"] == "path"


def test_nul_in_a_page_form_is_refused(users, crisis, items) -> None:
    client = Client()
    client.force_login(users["deu"])
    url = reverse("web:unsolicited_new", args=[crisis.code])
    fields = {"item-0": "RESP-FFP2", "qty-0": "10", "conditions": "a\x00b"}
    # A browser's form post is refused before any view reads it ...
    posted = client.post(url, urlencode(fields), content_type="application/x-www-form-urlencoded")
    assert posted.status_code == 400 and b"conditions" in posted.content
    # ... and a multipart one by the form's own field (Django's CharField refuses NUL).
    multipart = client.post(url, fields)
    assert multipart.status_code == 200
    assert "Null characters are not allowed." in multipart.content.decode()
    assert not Offer.objects.exists()
