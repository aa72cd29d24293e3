"""Offers, dispatches and the audit trail as lists to search, filter, sort, page and
take away (CSV, XLSX, HXL), through Django's HTTP stack with plain GET forms (no
JavaScript needed); dispatches record carrier, estimated arrival and tracking reference."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from aidbridge.logistics import services as logistics
from aidbridge.logistics.models import Dispatch
from aidbridge.offers import services as offer_services
from aidbridge.offers.models import Offer
from aidbridge.web.lists import BoundedPaginator


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def offers(users: dict[str, Any], italian_rfa: Any) -> dict[str, Offer]:
    vent, masks = italian_rfa.lines.order_by("position")
    made = {}
    for donor, line, quantity in (("deu", vent, 50), ("cze", masks, 40_000), ("tur", vent, 20)):
        made[donor] = offer_services.make_offer(
            users[donor], rfa=italian_rfa, lines=[{"request_line": line.pk, "quantity": quantity}]
        )
    offer_services.accept_offer_line(users["ita"], made["deu"].lines.get(), 50)
    return made


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_offer_list_filters_sorts_and_exports_what_it_shows(
    users: dict[str, Any], offers: dict[str, Offer], crisis: Any
) -> None:
    duty = client_for(users["duty"])
    base = f"/offers/?crisis={crisis.code}"
    page = duty.get(base).content.decode()
    assert all(o.reference in page for o in offers.values())

    accepted = duty.get(base + "&status=accepted").content.decode()
    assert offers["deu"].reference in accepted and offers["tur"].reference not in accepted
    by_donor = duty.get(base + "&donor=CZE").content.decode()
    assert offers["cze"].reference in by_donor and offers["deu"].reference not in by_donor
    searched = duty.get(base + f"&q={offers['tur'].reference}").content.decode()
    assert offers["tur"].reference in searched and offers["cze"].reference not in searched

    newest = duty.get(base + "&sort=-created").content.decode()
    oldest = duty.get(base + "&sort=created").content.decode()
    refs = [offers[d].reference for d in ("deu", "cze", "tur")]
    assert [oldest.index(r) for r in refs] == sorted(oldest.index(r) for r in refs)
    assert [newest.index(r) for r in refs] == sorted((newest.index(r) for r in refs), reverse=True)

    exported = duty.get(base + "&donor=CZE&format=csv")
    assert exported["Content-Type"].startswith("text/csv")
    rows = _rows(exported.content)
    assert [(r["offer"], r["quantity"]) for r in rows] == [(offers["cze"].reference, "40000")]
    hxl = duty.get(base + "&format=hxl").content.decode().splitlines()
    assert hxl[1].startswith("#meta+offer") and len(hxl) == 2 + 3
    workbook = openpyxl.load_workbook(io.BytesIO(duty.get(base + "&format=xlsx").content))
    sheet = workbook.active
    assert sheet is not None and sheet.max_row == 2 + 3  # headers, hashtags, three lines


def test_a_poc_lists_only_their_nations_offers(
    users: dict[str, Any], offers: dict[str, Offer], crisis: Any
) -> None:
    page = client_for(users["cze"]).get(f"/offers/?crisis={crisis.code}&donor=DEU").content.decode()
    assert offers["cze"].reference in page and offers["deu"].reference not in page


def test_offer_list_pages_by_25(users: dict[str, Any], italian_rfa: Any, crisis: Any) -> None:
    vent = italian_rfa.lines.get(position=1)
    for _ in range(27):
        offer_services.make_offer(
            users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 1}]
        )
    duty = client_for(users["duty"])
    first = duty.get(f"/offers/?crisis={crisis.code}&sort=created")
    second = duty.get(f"/offers/?crisis={crisis.code}&sort=created&page=2")
    assert first.context["page"].paginator.count == 27
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2
    assert 'rel="next"' in first.content.decode() and "sort=created" in first.content.decode()


def test_a_long_list_counts_up_to_its_cap_and_says_more(
    users: dict[str, Any], italian_rfa: Any, crisis: Any, monkeypatch: Any
) -> None:
    # The cap is 1,000 rows; 30 with a cap of 25 (one page) shows the same behaviour.
    monkeypatch.setattr(BoundedPaginator, "cap", 25)
    vent = italian_rfa.lines.get(position=1)
    for _ in range(30):
        offer_services.make_offer(
            users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 1}]
        )
    duty = client_for(users["duty"])
    first = duty.get(f"/offers/?crisis={crisis.code}&sort=created")
    page = first.context["page"]
    assert page.paginator.capped and page.paginator.num_pages == 1
    assert len(page.object_list) == 25 and not page.has_next()
    assert "More than 25 found" in first.content.decode()
    requests = duty.get(f"/rfas/?crisis={crisis.code}")
    assert not requests.context["page"].paginator.capped  # one request: counted exactly
    assert "1 request" in requests.content.decode()


def test_dispatch_form_records_carrier_arrival_and_tracking_and_the_list_finds_them(
    users: dict[str, Any], offers: dict[str, Offer], crisis: Any
) -> None:
    line = offers["deu"].lines.get()
    # Sent now (the form's empty "dispatched at"), expected in six hours.
    eta = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=6)
    response = client_for(users["deu"]).post(
        f"/offer-lines/{line.pk}/dispatch/",
        {
            "quantity": "30",
            "mode": "airlift",
            "expected_at": eta.strftime("%Y-%m-%dT%H:%M"),
            "carrier": "Luftwaffe",
            "transport_reference": "GAF-A400M-0328",
        },
    )
    assert response.status_code == 302, response
    made = Dispatch.objects.get(offer_line=line)
    assert (made.carrier, made.transport_reference) == ("Luftwaffe", "GAF-A400M-0328")
    assert made.expected_at == eta and made.dispatched_at < eta
    ita = client_for(users["ita"])
    response = ita.post(
        f"/dispatches/{made.pk}/receipt/",
        {"quantity": "30"},
    )
    assert response.status_code == 302
    assert made.receipt.received_at >= made.dispatched_at

    logistics.dispatch_offer_line(users["deu"], line, quantity=5, mode="road")
    base = f"/dispatches/?crisis={crisis.code}"
    found = ita.get(base + "&q=GAF-A400M").content.decode()
    assert "GAF-A400M-0328" in found and "Luftwaffe" in found
    assert ita.get(base + "&state=in_transit").context["page"].paginator.count == 1
    assert ita.get(base + "&state=received").context["page"].paginator.count == 1
    rows = _rows(ita.get(base + "&state=received&format=csv").content)
    assert [(r["carrier"], r["transport_reference"], r["delivered"]) for r in rows] == [
        ("Luftwaffe", "GAF-A400M-0328", "30")
    ]


def test_audit_trail_searches_filters_and_exports_sentences(
    users: dict[str, Any], offers: dict[str, Offer], crisis: Any
) -> None:
    duty = client_for(users["duty"])
    base = f"/audit/?crisis={crisis.code}"
    everything = duty.get(base).context["page"].paginator.count
    only_lines = duty.get(base + "&kind=offer_line")
    assert 0 < only_lines.context["page"].paginator.count < everything
    assert all(e.action.startswith("offer_line.") for e in only_lines.context["entries"])
    from_turkey = duty.get(base + "&party=TUR").context["entries"]
    assert from_turkey and {e.actor_party.code for e in from_turkey} == {"TUR"}
    rows = _rows(duty.get(base + "&kind=offer_line&format=csv").content)
    assert {r["action"] for r in rows} == {"offer_line.create", "offer_line.accept"}
    assert rows[0]["what"] and rows[0]["what"] != rows[0]["action"]  # a sentence, not a code
