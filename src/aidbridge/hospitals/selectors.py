"""Reading hospitals and their beds. A report is stale when it is older than
``AIDBRIDGE_BED_REPORT_MAX_AGE_HOURS``; every reader of availability asks ``is_stale``
here, so the page, the API and the offer check agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from aidbridge.core.errors import NotFound
from aidbridge.hospitals.models import BedReport, Hospital


def max_age() -> timedelta:
    return timedelta(hours=float(settings.AIDBRIDGE_BED_REPORT_MAX_AGE_HOURS))


def is_stale(reported_at: datetime, now: datetime | None = None) -> bool:
    return reported_at < (now or timezone.now()) - max_age()


@dataclass(frozen=True)
class Availability:
    """The current report of one bed type at one hospital, as readers show it."""

    report: BedReport
    stale: bool

    @property
    def bed_type(self) -> str:
        return self.report.bed_type

    @property
    def available(self) -> int:
        return self.report.available

    @property
    def baseline(self) -> int | None:
        return self.report.baseline

    @property
    def reported_at(self) -> datetime:
        return self.report.reported_at


def hospital_list(
    *, nation: str | None = None, region: str | None = None, search: str | None = None
) -> QuerySet[Hospital]:
    hospitals = Hospital.objects.select_related("nation")
    if nation:
        hospitals = hospitals.filter(nation__code__iexact=nation)
    if region:
        hospitals = hospitals.filter(region__iexact=region)
    if search:
        hospitals = hospitals.filter(Q(name__icontains=search) | Q(region__icontains=search))
    return hospitals


def hospital_by_id(pk: int) -> Hospital:
    try:
        return Hospital.objects.select_related("nation").get(pk=pk)
    except Hospital.DoesNotExist:
        raise NotFound("no such hospital", field="hospital") from None


def current_reports(hospital_ids: list[int]) -> dict[int, list[Availability]]:
    """Each hospital's current report per bed type, with its staleness, in one query."""
    now = timezone.now()
    out: dict[int, list[Availability]] = {pk: [] for pk in hospital_ids}
    reports = BedReport.objects.filter(
        hospital_id__in=hospital_ids, superseded_at__isnull=True
    ).order_by("hospital_id", "bed_type")
    for report in reports:
        out[report.hospital_id].append(Availability(report, is_stale(report.reported_at, now)))
    return out


def current_report(hospital: Hospital, bed_type: str) -> BedReport | None:
    return BedReport.objects.filter(
        hospital=hospital, bed_type=bed_type, superseded_at__isnull=True
    ).first()


def report_history(hospital: Hospital) -> QuerySet[BedReport]:
    """Every report of the hospital, the current ones and those they superseded."""
    return hospital.bed_reports.order_by("bed_type", "-reported_at", "-id")
