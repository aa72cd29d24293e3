"""Keeping the hospital registry and recording bed reports (form, API, EDXL-HAVE).

A bed report supersedes the current report of its hospital and bed type; the old one
stays as history. A stale report (older than the configured age), one in the future,
or one older than the report on record is refused with nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from aidbridge.audit.services import record
from aidbridge.catalogue.airports import get_airport
from aidbridge.core.actions import refuse
from aidbridge.core.changes import apply_changes
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.hospitals.actions import manage_refusal
from aidbridge.hospitals.models import BedReport, BedType, Hospital
from aidbridge.hospitals.selectors import is_stale, max_age
from aidbridge.parties.models import Party

HOSPITAL_FIELDS = {
    "name",
    "region",
    "lat",
    "lon",
    "airport",
    "contact_name",
    "contact_email",
    "contact_phone",
}
# A sender's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)


def _text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed(f"{field} must not be empty", field=field)
    if len(text) > limit:
        raise ValidationFailed(f"{field} is longer than {limit} characters", field=field)
    return text


def _coordinate(value: Any, field: str, bound: float) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationFailed("must be a number", field=field) from None
    if not -bound <= number <= bound:
        raise ValidationFailed(f"must be between -{bound:g} and {bound:g}", field=field)
    return number


def check_airport(value: Any) -> str:
    code = str(value or "").strip().upper()
    if code and get_airport(code) is None:
        raise ValidationFailed(f"{code} is not a known ICAO airport code", field="airport")
    return code


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    limits = {"name": 200, "region": 120, "contact_name": 120, "contact_phone": 40}
    for name, value in fields.items():
        if name in limits:
            out[name] = _text(value, name, limits[name], required=name in ("name", "region"))
        elif name == "contact_email":
            out[name] = _text(value, name, 254)
            if out[name] and "@" not in out[name]:
                raise ValidationFailed("not an e-mail address", field=name)
        elif name in ("lat", "lon"):
            out[name] = _coordinate(value, name, 90 if name == "lat" else 180)
        elif name == "airport":
            out[name] = check_airport(value)
    return out


def _check_position(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        field = "lon" if lon is None else "lat"
        raise ValidationFailed("give both latitude and longitude, or neither", field=field)


@transaction.atomic
def register_hospital(
    actor: Any,
    *,
    nation: Party,
    name: str,
    region: str,
    lat: Any = None,
    lon: Any = None,
    airport: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> Hospital:
    """Add a receiving hospital of ``nation`` (the centre, or that nation's POC)."""
    refuse(manage_refusal(actor, nation, "register a hospital"))
    if not nation.is_nation:
        raise ValidationFailed(f"{nation.code} is not a nation", field="nation")
    fields = _clean(
        {
            "name": name,
            "region": region,
            "lat": lat,
            "lon": lon,
            "airport": airport,
            "contact_name": contact_name,
            "contact_email": contact_email,
            "contact_phone": contact_phone,
        }
    )
    _check_position(fields["lat"], fields["lon"])
    # Two registrations of one name at once: the second waits, then finds the first.
    Party.objects.select_for_update().filter(pk=nation.pk).first()
    if Hospital.objects.filter(nation=nation, name__iexact=fields["name"]).exists():
        raise Conflict(f"{nation.code} already has a hospital named {fields['name']}", field="name")
    hospital = Hospital.objects.create(nation=nation, created_by=actor, **fields)
    record(
        actor,
        "hospital.register",
        hospital,
        changes={"nation": [None, nation.code], "name": [None, hospital.name]},
    )
    return hospital


@transaction.atomic
def update_hospital(actor: Any, hospital: Hospital, **changes: Any) -> Hospital:
    hospital = Hospital.objects.select_for_update().select_related("nation").get(pk=hospital.pk)
    refuse(manage_refusal(actor, hospital.nation, "edit this hospital"))
    unknown = sorted(set(changes) - HOSPITAL_FIELDS)
    if unknown:
        raise ValidationFailed(f"{unknown[0]} cannot be changed", field=unknown[0])
    cleaned = _clean(changes)
    _check_position(
        cleaned.get("lat", hospital.lat) if "lat" in cleaned else hospital.lat,
        cleaned.get("lon", hospital.lon) if "lon" in cleaned else hospital.lon,
    )
    if (
        "name" in cleaned
        and Hospital.objects.filter(nation=hospital.nation, name__iexact=cleaned["name"])
        .exclude(pk=hospital.pk)
        .exists()
    ):
        raise Conflict(
            f"{hospital.nation.code} already has a hospital named {cleaned['name']}", field="name"
        )
    diff = apply_changes(hospital, cleaned, HOSPITAL_FIELDS)
    if diff:
        hospital.save(update_fields=list(diff))
        record(actor, "hospital.update", hospital, changes=diff)
    return hospital


@dataclass(frozen=True)
class BedFigures:
    """One bed report as given, before it is checked."""

    bed_type: str
    available: Any
    baseline: Any
    reported_at: Any


def _count(value: Any, field: str, *, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            raise ValidationFailed("a count of beds is required", field=field)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed("must be a whole number", field=field)
    if value < 0:
        raise ValidationFailed("must not be negative", field=field)
    if value > 100_000:
        raise ValidationFailed("is more beds than any hospital has", field=field)
    return value


def check_figures(
    figures: BedFigures, *, now: datetime | None = None, prefix: str = ""
) -> tuple[str, int, int | None, datetime]:
    """The report's values once they are acceptable, or ValidationFailed naming the field.

    ``prefix`` is put before field names (an import names the XML element instead).
    """
    now = now or timezone.now()
    if figures.bed_type not in BedType.values:
        raise ValidationFailed(
            f"{figures.bed_type!r} is not an EDXL-HAVE bed type ({', '.join(BedType.values)})",
            field=f"{prefix}bed_type",
        )
    available = _count(figures.available, f"{prefix}available", required=True)
    assert available is not None
    baseline = _count(figures.baseline, f"{prefix}baseline", required=False)
    at = figures.reported_at
    if not isinstance(at, datetime):
        raise ValidationFailed("must be a date and time", field=f"{prefix}reported_at")
    if timezone.is_naive(at):
        raise ValidationFailed(
            "must carry a time zone (e.g. 2020-03-28T09:00:00+01:00)",
            field=f"{prefix}reported_at",
        )
    if at > now + CLOCK_SKEW:
        raise ValidationFailed("is in the future", field=f"{prefix}reported_at")
    if is_stale(at, now):
        hours = max_age().total_seconds() / 3600
        raise ValidationFailed(
            f"the report of {at.isoformat()} is stale: older than {hours:g} hours "
            "(AIDBRIDGE_BED_REPORT_MAX_AGE_HOURS)",
            field=f"{prefix}reported_at",
            code="stale_report",
        )
    return figures.bed_type, available, baseline, at


def write_report(
    actor: Any,
    hospital: Hospital,
    checked: tuple[str, int, int | None, datetime],
    source: str,
    *,
    field: str = "reported_at",
) -> tuple[BedReport, bool]:
    """Record a checked report (inside the caller's transaction, hospital locked);
    False with the current report when it is the same report sent again."""
    bed_type, available, baseline, at = checked
    current = (
        BedReport.objects.select_for_update()
        .filter(hospital=hospital, bed_type=bed_type, superseded_at__isnull=True)
        .first()
    )
    if current is not None:
        if current.reported_at == at:
            if (current.available, current.baseline) == (available, baseline):
                return current, False  # the same report sent again: nothing new
            raise Conflict(
                f"{hospital} already has a different {bed_type} report for {at.isoformat()}",
                field=field,
            )
        if current.reported_at > at:
            raise Conflict(
                f"{hospital} has a newer {bed_type} report "
                f"({current.reported_at.isoformat()}) than this one ({at.isoformat()})",
                field=field,
            )
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
    report = BedReport.objects.create(
        hospital=hospital,
        bed_type=bed_type,
        available=available,
        baseline=baseline,
        reported_at=at,
        source=source,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor,
        "hospital.beds_report",
        hospital,
        changes={
            "bed_type": [None, bed_type],
            "available": [current.available if current else None, available],
            "baseline": [current.baseline if current else None, baseline],
            "reported_at": [None, at.isoformat()],
        },
    )
    return report, True


def lock_hospital(hospital: Hospital) -> Hospital:
    return Hospital.objects.select_for_update().select_related("nation").get(pk=hospital.pk)


@transaction.atomic
def report_beds(
    actor: Any,
    hospital: Hospital,
    *,
    bed_type: str,
    available: Any,
    baseline: Any = None,
    reported_at: Any = None,
    source: str = BedReport.Source.API,
    as_of: datetime | None = None,
) -> BedReport:
    """Record the availability of one bed type at ``hospital`` (now, unless given).

    ``as_of`` is the clock staleness is judged by (the demo replays spring 2020); the
    API and the pages never pass it.
    """
    refuse(manage_refusal(actor, hospital.nation, "report beds of this hospital"))
    hospital = lock_hospital(hospital)
    checked = check_figures(
        BedFigures(bed_type, available, baseline, reported_at or timezone.now()), now=as_of
    )
    return write_report(actor, hospital, checked, source)[0]
