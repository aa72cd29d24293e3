"""The hospital pages through Django's test client: the list flags stale reports, the
bed-report form records a report (or says what is wrong, writing nothing), the
registry form, the HAVE download."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client, override_settings
from django.utils import timezone
from lxml import etree

from aidbridge.edxl import schemas
from aidbridge.hospitals.models import BedReport, Hospital


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_flags_stale_reports(users: Any, hospitals: Any) -> None:
    page = _client(users["ocha"]).get("/hospitals/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Universitätsklinikum Leipzig" in html and 'class="availability"' in html
    assert "stale" not in html.split('id="hospitals"')[1]
    with override_settings(AIDBRIDGE_BED_REPORT_MAX_AGE_HOURS=0.5):
        html = _client(users["ocha"]).get("/hospitals/?nation=DEU").content.decode()
    table = html.split('id="hospitals"')[1]
    assert table.count('class="availability stale"') == 2  # Dresden, Leipzig; not Brno
    assert "Fakultní nemocnice Brno" not in table


def test_the_bed_report_form_records_a_report(users: Any, hospitals: Any) -> None:
    dresden = hospitals["dresden"]
    client = _client(users["deu"])
    page = client.get(f"/hospitals/{dresden.pk}/")
    assert 'id="bed-report"' in page.content.decode()
    when = (timezone.now() - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")
    answer = client.post(
        f"/hospitals/{dresden.pk}/",
        {"bed_type": "AdultICU", "available": "4", "baseline": "40", "reported_at": when},
    )
    assert answer.status_code == 302
    current = dresden.bed_reports.get(superseded_at__isnull=True)
    assert (current.available, current.source) == (4, BedReport.Source.FORM)
    assert dresden.bed_reports.count() == 2  # the earlier report stays as history


def test_a_stale_report_on_the_form_is_refused(users: Any, hospitals: Any) -> None:
    dresden = hospitals["dresden"]
    before = BedReport.objects.count()
    when = (timezone.now() - timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    answer = _client(users["deu"]).post(
        f"/hospitals/{dresden.pk}/",
        {"bed_type": "AdultICU", "available": "4", "reported_at": when},
    )
    assert answer.status_code == 200
    assert "is stale" in answer.content.decode()
    assert BedReport.objects.count() == before


def test_other_nations_and_observers_get_no_form(users: Any, hospitals: Any) -> None:
    dresden = hospitals["dresden"]
    for who in ("cze", "ocha"):
        page = _client(users[who]).get(f"/hospitals/{dresden.pk}/")
        assert page.status_code == 200 and 'id="bed-report"' not in page.content.decode()
        answer = _client(users[who]).post(
            f"/hospitals/{dresden.pk}/", {"bed_type": "AdultICU", "available": "1"}
        )
        assert dresden.bed_reports.count() == 1, answer.status_code
    assert _client(users["ocha"]).get("/hospitals/999999/").status_code == 404


def test_registering_a_hospital(users: Any, parties: Any) -> None:
    client = _client(users["deu"])
    answer = client.post(
        "/hospitals/new/",
        {
            "nation": "DEU",
            "name": "Uniklinik Köln",
            "region": "North Rhine-Westphalia",
            "airport": "EDDK",
            "lat": "50.92",
            "lon": "6.92",
        },
    )
    assert answer.status_code == 302
    hospital = Hospital.objects.get()
    assert (hospital.nation.code, hospital.airport) == ("DEU", "EDDK")
    refused = client.post(
        "/hospitals/new/", {"nation": "DEU", "name": "B", "region": "R", "airport": "QQQQ"}
    )
    assert "QQQQ is not a known ICAO airport code" in refused.content.decode()
    other = client.post("/hospitals/new/", {"nation": "CZE", "name": "C", "region": "R"})
    assert "cannot register a hospital for CZE" in other.content.decode()
    assert Hospital.objects.count() == 1


def test_the_have_download_is_valid(users: Any, hospitals: Any) -> None:
    answer = _client(users["ocha"]).get("/hospitals/have.xml")
    assert answer.status_code == 200
    assert schemas.validate(etree.fromstring(answer.content)) == []


def test_the_pages_in_french(users: Any, hospitals: Any) -> None:
    from aidbridge.accounts.models import Profile

    Profile.objects.filter(user=users["deu"]).update(language="fr")
    html = _client(users["deu"]).get(f"/hospitals/{hospitals['dresden'].pk}/").content.decode()
    assert "Signaler des lits" in html and "Réanimation adulte" in html
