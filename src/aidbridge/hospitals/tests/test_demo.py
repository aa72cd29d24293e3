"""The demo's hospitals: several German Länder, Luxembourg and Austria reporting ICU
beds in spring 2020, loaded through the services, once; the 2020 transfer requests
carry their transfer detail."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.demo.loader import load_demo
from aidbridge.hospitals.models import BedReport, Hospital, TransferNeed
from aidbridge.hospitals.selectors import current_reports

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_2020_hospitals_once(api: Any) -> None:
    load_demo()
    regions = set(Hospital.objects.filter(nation__code="DEU").values_list("region", flat=True))
    assert {"Saxony", "Bavaria", "North Rhine-Westphalia", "Baden-Württemberg", "Saarland"} <= (
        regions
    )
    assert Hospital.objects.filter(nation__code="LUX", name="Centre Hospitalier de Luxembourg")
    assert Hospital.objects.filter(nation__code="AUT").count() >= 2
    icu = BedReport.objects.filter(bed_type="AdultICU")
    assert icu.filter(reported_at__year=2020, reported_at__month__in=(3, 4)).count() == icu.count()
    # A hospital that reported twice keeps both reports, the later one current.
    dresden = Hospital.objects.get(name="Universitätsklinikum Carl Gustav Carus Dresden")
    history = list(dresden.bed_reports.filter(bed_type="AdultICU").order_by("reported_at"))
    assert [r.superseded_at is None for r in history] == [False, True]
    # Reports of 2020 are stale today, and said so.
    every = current_reports(list(Hospital.objects.values_list("pk", flat=True)))
    assert all(a.stale for rows in every.values() for a in rows)
    # The transfer requests of 2020 say what they need.
    needs = {n.request_line.rfa.requester.code: n for n in TransferNeed.objects.all()}
    assert needs["ITA"].origin_region == "Lombardy" and needs["ITA"].ventilated
    assert needs["FRA"].origin_region == "Grand Est"
    assert needs["ITA"].request_line.quantity == 100

    counts = (Hospital.objects.count(), BedReport.objects.count(), TransferNeed.objects.count())
    report = load_demo()
    assert not report.created
    assert (Hospital.objects.count(), BedReport.objects.count(), TransferNeed.objects.count()) == (
        counts
    )
