"""One quantity, one bound: ``MAX_QUANTITY`` is accepted and anything above refused with
the field named, through the API, the pages and an import file, on every database
(3,000,000,000 used to be stored on SQLite and a 500 on PostgreSQL)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aidbridge.audit.models import AuditEntry
from aidbridge.core.quantities import MAX_QUANTITY
from aidbridge.interop.tests.files import csv_bytes
from aidbridge.offers.models import OfferLine
from aidbridge.offers.tests.factories import ita_rfa  # noqa: F401 (fixture)

TOO_LARGE = [MAX_QUANTITY + 1, 3_000_000_000, 10**20]
ALL = [(MAX_QUANTITY, True)] + [(q, False) for q in TOO_LARGE]


def test_the_bound_fits_a_32_bit_integer_column() -> None:
    assert MAX_QUANTITY == 1_000_000_000 < 2**31 - 1


@pytest.mark.parametrize(("quantity", "accepted"), ALL)
def test_through_the_api(api, crisis, items, quantity: int, accepted: bool) -> None:
    entries = AuditEntry.objects.count()
    response = api("deu").post(
        f"/crises/{crisis.code}/unsolicited-offers",
        {"lines": [{"item": "RESP-FFP2", "quantity": quantity}]},
    )
    if accepted:
        assert response.status_code == 201, response.json()
        assert OfferLine.objects.get().quantity == MAX_QUANTITY
        return
    assert response.status_code == 422, response.json()
    assert [e["field"] for e in response.json()["errors"]] == ["lines.0.quantity"]
    assert not OfferLine.objects.exists() and AuditEntry.objects.count() == entries


@pytest.mark.parametrize(("quantity", "accepted"), ALL)
def test_through_the_offer_page(
    users,
    ita_rfa,  # noqa: F811
    quantity: int,
    accepted: bool,
) -> None:
    line = ita_rfa.lines.order_by("position").first()
    client = Client()
    client.force_login(users["deu"])
    response = client.post(
        reverse("web:offer_new", args=[ita_rfa.pk]), {f"qty-{line.pk}": str(quantity)}
    )
    if accepted:
        assert response.status_code == 302, response.content[:500]
        assert OfferLine.objects.get().quantity == MAX_QUANTITY
        return
    assert response.status_code == 400
    assert "at most 1,000,000,000" in response.content.decode()
    assert not OfferLine.objects.exists()


@pytest.mark.parametrize(("quantity", "accepted"), ALL)
def test_in_the_rfa_line_form(quantity: int, accepted: bool) -> None:
    from aidbridge.requests.forms import RfaLineForm

    form = RfaLineForm({"item": "VENT-ICU", "quantity": str(quantity), "priority": "2"})
    assert form.is_valid() is accepted, form.errors
    if not accepted:
        assert list(form.errors) == ["quantity"]


@pytest.mark.parametrize(("quantity", "accepted"), ALL)
def test_through_an_import_file(api, crisis, items, quantity: int, accepted: bool) -> None:
    file = io.BytesIO(csv_bytes([["item", "quantity"], ["RESP-FFP2", str(quantity)]]))
    file.name = "stock.csv"
    client: Any = api("deu")
    response = client.client.post(
        f"/api/v1/imports/offers?crisis={crisis.code}", {"file": file}, headers=client.headers
    )
    if accepted:
        assert response.status_code == 201, response.content[:500]
        assert OfferLine.objects.get().quantity == MAX_QUANTITY
        return
    assert response.status_code == 422, response.content[:500]
    problems = response.json()["errors"]
    assert [(p["row"], p["column"]) for p in problems] == [(2, "quantity")]
    assert "at most 1,000,000,000" in problems[0]["message"]
    assert not OfferLine.objects.exists()
