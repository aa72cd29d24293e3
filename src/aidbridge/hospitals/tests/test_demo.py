"""The demo's hospitals: several German Länder, Luxembourg and Austria reporting ICU
beds in spring 2020, loaded through the services, once; the 2020 transfer requests
carry their transfer detail."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.demo.loader import load_demo
from aidbridge.demo.open_transfers import BEDS
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
    icu = BedReport.objects.filter(bed_type="AdultICU", reported_at__year=2020)
    assert icu.filter(reported_at__month__in=(3, 4)).count() == icu.count() > 0
    # A hospital that reported twice keeps both reports, the later one current (here the
    # demo's report of today, after the two of 2020).
    dresden = Hospital.objects.get(name="Universitätsklinikum Carl Gustav Carus Dresden")
    history = list(dresden.bed_reports.filter(bed_type="AdultICU").order_by("reported_at"))
    assert [r.superseded_at is None for r in history] == [False, False, True]
    # Reports of 2020 are stale today, and said so; the hospitals offering beds to the
    # demo's open transfer requests reported again at load time (demo.open_transfers).
    every = current_reports(list(Hospital.objects.values_list("pk", flat=True)))
    fresh = {name for _nation, name, *_ in BEDS}
    by_pk = dict(Hospital.objects.values_list("pk", "name"))
    for pk, rows in every.items():
        for a in rows:
            assert a.stale == (by_pk[pk] not in fresh or a.bed_type != "AdultICU"), by_pk[pk]
    assert dresden.bed_reports.filter(reported_at__year=2020, bed_type="AdultICU").count() == 2
    # The transfer requests of 2020 say what they need.
    closed = TransferNeed.objects.filter(request_line__rfa__status="closed")
    needs = {n.request_line.rfa.requester.code: n for n in closed}
    assert needs["ITA"].origin_region == "Lombardy" and needs["ITA"].ventilated
    assert needs["FRA"].origin_region == "Grand Est"
    assert needs["ITA"].request_line.quantity == 100

    counts = (Hospital.objects.count(), BedReport.objects.count(), TransferNeed.objects.count())
    report = load_demo()
    assert not report.created
    assert (Hospital.objects.count(), BedReport.objects.count(), TransferNeed.objects.count()) == (
        counts
    )


def test_a_visitor_matches_the_demo_transfers(api: Any) -> None:
    """The demo's open waves from Lombardy and Grand Est are matched to the beds offered
    against them; the closed 2020 requests, fully decided, are not needs any more."""
    from django.contrib.auth import get_user_model

    from aidbridge.crises.models import Crisis
    from aidbridge.hospitals.matching import request_matching
    from aidbridge.hospitals.matching_selectors import REASONS
    from aidbridge.runs.tests.helpers import committed

    load_demo()
    duty = get_user_model().objects.filter(profile__role="centre_officer").order_by("pk").first()
    assert duty is not None
    crisis = Crisis.objects.get()
    with committed():
        run = request_matching(duty, crisis)
    run.refresh_from_db()
    assert run.status == "done", run.error
    assert run.input is not None and run.output is not None
    assert {n["region"]: n["count"] for n in run.input["needs"]} == {
        "Lombardy": 12,
        "Grand Est": 10,
    }
    per_region = {r["region"]: r["matched"] for r in run.output["regions"]}
    # Italy was offered 10 beds (Dresden 3, Leipzig 2, Munich 3, Innsbruck 2), France 8.
    assert per_region == {"Lombardy": 10, "Grand Est": 8}
    shortfalls = run.output["shortfalls"]
    assert sum(s["patients"] for s in shortfalls) == 2 + 2
    assert all(s["reason"] in REASONS for s in shortfalls)
