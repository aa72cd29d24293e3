"""API: hospitals, their beds (JSON and EDXL-HAVE 1.0), transfer requests, bed offers.

Every role reads hospitals and availability; the centre and the hospital's own nation's
POC register hospitals and report beds (``hospitals.actions``). Each availability row
carries ``stale: true`` when its report is older than
``AIDBRIDGE_BED_REPORT_MAX_AGE_HOURS``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from aidbridge.accounts.permissions import profile_of
from aidbridge.api.errors import json_answer
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import InputSchema, NumberOrZero, PathId, chars
from aidbridge.core.errors import ValidationFailed
from aidbridge.crises.selectors import crisis_for_input
from aidbridge.edxl.api_import import is_xml, xml_body
from aidbridge.edxl.envelope import serialise
from aidbridge.edxl.imports.errors import MessageRefused
from aidbridge.hospitals import have, selectors, services
from aidbridge.hospitals.models import BedReport, BedType, Hospital
from aidbridge.interop.limits import max_upload_bytes
from aidbridge.parties.models import Party

router = Router(tags=["hospitals"])


class AvailabilityOut(Schema):
    bed_type: BedType
    available: int
    baseline: int | None
    reported_at: datetime
    stale: bool = Field(description="The report is older than the configured age")


class HospitalOut(Schema):
    id: int
    name: str
    nation: str
    region: str
    lat: float | None
    lon: float | None
    airport: str
    contact_name: str
    contact_email: str
    contact_phone: str
    beds: list[AvailabilityOut]


class HospitalIn(InputSchema):
    name: str = chars(Hospital, "name")
    nation: str = Field(max_length=20, description="The nation's party code (ISO alpha-3)")
    region: str = chars(Hospital, "region")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    airport: str = chars(Hospital, "airport", "", description="Nearest airport, ICAO code")
    contact_name: str = chars(Hospital, "contact_name", "")
    contact_email: str = chars(Hospital, "contact_email", "")
    contact_phone: str = chars(Hospital, "contact_phone", "")


class HospitalPatch(InputSchema):
    name: str | None = chars(Hospital, "name", None)
    region: str | None = chars(Hospital, "region", None)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    airport: str | None = chars(Hospital, "airport", None)
    contact_name: str | None = chars(Hospital, "contact_name", None)
    contact_email: str | None = chars(Hospital, "contact_email", None)
    contact_phone: str | None = chars(Hospital, "contact_phone", None)


class BedReportIn(InputSchema):
    bed_type: BedType
    available: NumberOrZero
    baseline: NumberOrZero | None = None
    reported_at: datetime | None = Field(None, description="When counted; now if omitted")


class BedReportOut(Schema):
    id: int
    hospital: int
    bed_type: BedType
    available: int
    baseline: int | None
    reported_at: datetime
    source: BedReport.Source
    current: bool
    stale: bool


class HospitalFilters(Schema):
    nation: str | None = Field(None, max_length=20)
    region: str | None = Field(None, max_length=120)
    search: str | None = Field(None, max_length=200)


def hospitals_out(hospitals: list[Hospital]) -> list[dict[str, Any]]:
    reports = selectors.current_reports([h.pk for h in hospitals])
    return [
        {
            "id": h.pk,
            "name": h.name,
            "nation": h.nation.code,
            "region": h.region,
            "lat": h.lat,
            "lon": h.lon,
            "airport": h.airport,
            "contact_name": h.contact_name,
            "contact_email": h.contact_email,
            "contact_phone": h.contact_phone,
            "beds": [
                {
                    "bed_type": a.bed_type,
                    "available": a.available,
                    "baseline": a.baseline,
                    "reported_at": a.reported_at,
                    "stale": a.stale,
                }
                for a in reports[h.pk]
            ],
        }
        for h in hospitals
    ]


def report_out(report: BedReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "hospital": report.hospital_id,
        "bed_type": report.bed_type,
        "available": report.available,
        "baseline": report.baseline,
        "reported_at": report.reported_at,
        "source": report.source,
        "current": report.superseded_at is None,
        "stale": selectors.is_stale(report.reported_at),
    }


def _nation(code: str) -> Party:
    party = Party.objects.filter(code__iexact=code.strip()).first()
    if party is None:
        raise ValidationFailed(f"no party {code!r}", field="nation")
    return party


@router.get("/hospitals", response=Page[HospitalOut])
def list_hospitals(
    request: HttpRequest, filters: Query[HospitalFilters], page: Query[PageParams]
) -> dict[str, Any]:
    profile_of(request.user)
    rows = selectors.hospital_list(
        nation=filters.nation, region=filters.region, search=filters.search
    ).order_by("nation__code", "region", "name", "pk")
    return paginate(request, rows, page, hospitals_out)


@router.post("/hospitals", response={201: HospitalOut})
def register_hospital(request: HttpRequest, payload: HospitalIn) -> Status[dict[str, Any]]:
    profile_of(request.user)
    fields = payload.dict()
    nation = _nation(fields.pop("nation"))
    hospital = services.register_hospital(request.user, nation=nation, **fields)
    return Status(201, hospitals_out([hospital])[0])


@router.get("/hospitals/{hospital_id}", response=HospitalOut)
def get_hospital(request: HttpRequest, hospital_id: PathId) -> dict[str, Any]:
    profile_of(request.user)
    return hospitals_out([selectors.hospital_by_id(hospital_id)])[0]


@router.patch("/hospitals/{hospital_id}", response=HospitalOut)
def update_hospital(
    request: HttpRequest, hospital_id: PathId, payload: HospitalPatch
) -> dict[str, Any]:
    profile_of(request.user)
    hospital = services.update_hospital(
        request.user, selectors.hospital_by_id(hospital_id), **payload.dict(exclude_unset=True)
    )
    return hospitals_out([hospital])[0]


@router.post("/hospitals/{hospital_id}/beds", response={201: BedReportOut})
def report_beds(
    request: HttpRequest, hospital_id: PathId, payload: BedReportIn
) -> Status[dict[str, Any]]:
    profile_of(request.user)
    report = services.report_beds(
        request.user,
        selectors.hospital_by_id(hospital_id),
        bed_type=payload.bed_type.value,
        available=payload.available,
        baseline=payload.baseline,
        reported_at=payload.reported_at,
        source=BedReport.Source.API,
    )
    return Status(201, report_out(report))


@router.get("/hospitals/{hospital_id}/beds/history", response=list[BedReportOut])
def bed_history(request: HttpRequest, hospital_id: PathId) -> list[dict[str, Any]]:
    profile_of(request.user)
    hospital = selectors.hospital_by_id(hospital_id)
    return [report_out(r) for r in selectors.report_history(hospital)]


@router.post("/have/hospital-status", response={200: dict}, openapi_extra=xml_body())
def import_have(request: HttpRequest) -> HttpResponse:
    """Import an EDXL-HAVE 1.0 HospitalStatus (bare or in an EDXL-DE 1.0 envelope)."""
    profile_of(request.user)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > max_upload_bytes():
            raise MessageRefused.one("too_large", f"the message is {declared} bytes", status=413)
        content_type = request.META.get("CONTENT_TYPE", "")
        if declared and not is_xml(content_type):
            raise MessageRefused.one(
                "unsupported_media_type",
                f"send the message as application/xml, not {content_type or 'no type'!r}",
                status=415,
            )
        result = have.import_have(request.user, request.body)
    except MessageRefused as exc:
        return json_answer(request, exc.body(), status=exc.status)
    return json_answer(request, result.as_dict(), status=200)


@router.get(
    "/have/hospital-status",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "EDXL-HAVE 1.0 HospitalStatus (in an EDXL-DE envelope "
                "when a crisis is given)",
                "content": {"application/xml": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export_have(
    request: HttpRequest,
    crisis: str | None = Query(None, max_length=60),
    nation: str | None = Query(None, max_length=20),
) -> HttpResponse:
    """The centre's known bed capacity as EDXL-HAVE 1.0."""
    profile_of(request.user)
    chosen = list(selectors.hospital_list(nation=nation))
    if not chosen:
        raise ValidationFailed("no registered hospital to report", field="nation")
    about = crisis_for_input(crisis, "crisis") if crisis else None
    document = have.export_have(chosen, crisis=about)
    return HttpResponse(serialise(document), content_type="application/xml; charset=utf-8")
