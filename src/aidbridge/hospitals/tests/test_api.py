"""The hospitals API through the real HTTP stack: registry, bed reports (with the stale
flag), the HAVE endpoints, and a transfer request met by a bed offer whose accepted
beds are the ledger's accepted figures like any other line's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.test import override_settings
from django.utils import timezone
from lxml import etree

from aidbridge.edxl import schemas
from aidbridge.hospitals.models import BedOffer, BedReport, Hospital, TransferNeed
from aidbridge.ledger.sums import line_figures
from aidbridge.requests import services as rfa_services
from aidbridge.requests.models import RequestForAssistance

EXAMPLE = Path(__file__).parent / "data" / "edxl-de-1.0_wrapping_have-1.0_HospitalStatus.xml"


def test_register_report_and_read_with_the_stale_flag(api: Any, parties: Any) -> None:
    deu = api("deu")
    answer = deu.post(
        "/hospitals",
        {
            "name": "Uniklinik Köln",
            "nation": "DEU",
            "region": "North Rhine-Westphalia",
            "lat": 50.9247,
            "lon": 6.9189,
            "airport": "eddk",
            "contact_email": "intensiv@example.org",
        },
    )
    assert answer.status_code == 201, answer.json()
    hospital = answer.json()
    assert (hospital["airport"], hospital["beds"]) == ("EDDK", [])

    now = timezone.now()
    first = deu.post(
        f"/hospitals/{hospital['id']}/beds",
        {
            "bed_type": "AdultICU",
            "available": 12,
            "baseline": 60,
            "reported_at": (now - timedelta(hours=30)).isoformat(),
        },
    )
    assert first.status_code == 201, first.json()
    assert first.json()["stale"] is False
    beds = deu.get(f"/hospitals/{hospital['id']}").json()["beds"]
    assert [(b["bed_type"], b["available"], b["stale"]) for b in beds] == [("AdultICU", 12, False)]

    # The same report is stale once the limit is lower than its age.
    with override_settings(AIDBRIDGE_BED_REPORT_MAX_AGE_HOURS=24):
        listed = api("ocha").get("/hospitals", nation="DEU").json()["items"]
        assert listed[0]["beds"][0]["stale"] is True

    newer = deu.post(f"/hospitals/{hospital['id']}/beds", {"bed_type": "AdultICU", "available": 9})
    assert newer.status_code == 201
    history = deu.get(f"/hospitals/{hospital['id']}/beds/history").json()
    assert [(h["available"], h["current"]) for h in history] == [(9, True), (12, False)]


def test_refusals_name_the_field_and_write_nothing(api: Any, hospitals: Any) -> None:
    dresden = hospitals["dresden"].pk
    before = BedReport.objects.count()
    cases = [
        (
            api("deu"),
            {
                "bed_type": "AdultICU",
                "available": 3,
                "reported_at": (timezone.now() - timedelta(days=3)).isoformat(),
            },
            422,
            "stale_report",
            "reported_at",
        ),
        (api("deu"), {"bed_type": "Ventilated", "available": 3}, 422, None, "bed_type"),
        (api("deu"), {"bed_type": "AdultICU", "available": -1}, 422, None, "available"),
        (api("cze"), {"bed_type": "AdultICU", "available": 3}, 403, "forbidden", None),
        (api("ocha"), {"bed_type": "AdultICU", "available": 3}, 403, "forbidden", None),
    ]
    for client, body, status, code, field in cases:
        answer = client.post(f"/hospitals/{dresden}/beds", body)
        assert answer.status_code == status, (body, answer.json())
        if code:
            assert answer.json()["code"] == code
        if field:
            assert any(field in e["field"] for e in answer.json()["errors"]), answer.json()
    assert BedReport.objects.count() == before
    bad_airport = api("deu").post(
        "/hospitals", {"name": "X", "nation": "DEU", "region": "Saxony", "airport": "ZZZZ"}
    )
    assert bad_airport.status_code == 422
    assert bad_airport.json()["errors"][0]["field"] == "airport"


def test_have_endpoints(api: Any, hospitals: Any, crisis: Any) -> None:
    exported = api("ocha").get("/have/hospital-status", crisis=crisis.code)
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/xml")
    assert schemas.validate(etree.fromstring(exported.content)) == []
    # The standard's example is from 2010: refused as stale, nothing written.
    Hospital.objects.create(nation=hospitals["dresden"].nation, name="Hospital 1", region="X")
    before = BedReport.objects.count()
    refused = api("duty").client.post(
        "/api/v1/have/hospital-status",
        data=EXAMPLE.read_bytes(),
        content_type="application/xml",
        headers=api("duty").headers,
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "stale_report"
    assert "/LastUpdateTime[1]" in refused.json()["errors"][0]["field"]
    assert BedReport.objects.count() == before


def _transfer_request(api: Any, users: Any, hospitals: Any) -> tuple[int, int]:
    answer = api("ita").post(
        "/transfer-requests",
        {
            "crisis": "covid-19-2020",
            "title": "ICU patients from Lombardy",
            "transfers": [
                {
                    "count": 6,
                    "bed_type": "AdultICU",
                    "origin_region": "Lombardy",
                    "origin_airport": "LIME",
                    "needed_by": "2020-03-28",
                    "ventilated": True,
                },
            ],
        },
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["transfers"][0]["count"] == 6 and body["transfers"][0]["ventilated"] is True
    rfa = RequestForAssistance.objects.get(pk=body["rfa"])
    rfa_services.submit_rfa(users["ita"], rfa)
    rfa_services.circulate_request(users["duty"], rfa)
    return rfa.pk, body["transfers"][0]["request_line"]


def test_a_bed_offer_is_checked_against_reported_capacity(
    api: Any, users: Any, hospitals: Any, crisis: Any, pat_icu: Any
) -> None:
    rfa, line = _transfer_request(api, users, hospitals)
    deu = api("deu")
    too_many = deu.post(
        f"/rfas/{rfa}/bed-offers",
        {
            "request_line": line,
            "bed_type": "AdultICU",
            "hospitals": [{"hospital": hospitals["dresden"].pk, "beds": 11}],
        },
    )
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "hospitals.0.beds"
    foreign = deu.post(
        f"/rfas/{rfa}/bed-offers",
        {
            "request_line": line,
            "bed_type": "AdultICU",
            "hospitals": [{"hospital": hospitals["brno"].pk, "beds": 1}],
        },
    )
    assert foreign.status_code == 422
    wrong_type = deu.post(
        f"/rfas/{rfa}/bed-offers",
        {
            "request_line": line,
            "bed_type": "Burn",
            "hospitals": [{"hospital": hospitals["dresden"].pk, "beds": 1}],
        },
    )
    assert wrong_type.status_code == 422 and wrong_type.json()["errors"][0]["field"] == "bed_type"
    assert not BedOffer.objects.exists()

    offered = deu.post(
        f"/rfas/{rfa}/bed-offers",
        {
            "request_line": line,
            "bed_type": "AdultICU",
            "hospitals": [
                {"hospital": hospitals["dresden"].pk, "beds": 3},
                {"hospital": hospitals["leipzig"].pk, "beds": 2},
            ],
        },
    )
    assert offered.status_code == 201, offered.json()
    body = offered.json()
    assert body["beds"] == 5
    assert [p["beds"] for p in body["hospitals"]] == [3, 2]
    # Dresden has 10 - 3 = 7 beds left to offer.
    more = deu.post(
        f"/rfas/{rfa}/bed-offers",
        {
            "request_line": line,
            "bed_type": "AdultICU",
            "hospitals": [{"hospital": hospitals["dresden"].pk, "beds": 8}],
        },
    )
    assert more.status_code == 422 and "7 are not yet offered" in more.json()["detail"]

    # Accepting is the ordinary offer-line action; the ledger counts it like any line.
    accepted = api("ita").post(f"/offer-lines/{body['offer_line']}/accept", {"quantity": 4})
    assert accepted.status_code == 200, accepted.json()
    need = TransferNeed.objects.get()
    figures = line_figures([need.request_line])[need.request_line_id]
    assert (figures.requested, figures.accepted, figures.outstanding) == (6, 4, 2)


def test_a_transfer_need_carries_no_patient_identity(
    api: Any, users: Any, hospitals: Any, crisis: Any, pat_icu: Any
) -> None:
    answer = api("ita").post(
        "/transfer-requests",
        {
            "crisis": "covid-19-2020",
            "title": "T",
            "transfers": [
                {
                    "count": 1,
                    "bed_type": "AdultICU",
                    "origin_region": "Lombardy",
                    "patient_name": "Mario Rossi",
                }
            ],
        },
    )
    assert answer.status_code == 422
    assert not RequestForAssistance.objects.exists()
