"""API: hospitals, their beds (JSON and EDXL-HAVE 1.0), transfer requests, bed offers.

Every role reads hospitals and availability; the centre and the hospital's own nation's
POC register hospitals and report beds (``hospitals.actions``). Each availability row
carries ``stale: true`` when its report is older than
``AIDBRIDGE_BED_REPORT_MAX_AGE_HOURS``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from aidbridge.accounts.permissions import profile_of
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import Id, InputSchema, NumberOrZero, PathId, chars
from aidbridge.core.errors import ValidationFailed
from aidbridge.crises.selectors import crisis_for_input
from aidbridge.edxl.api_import import _is_xml, _xml_body
from aidbridge.edxl.envelope import serialise
from aidbridge.edxl.imports.errors import MessageRefused
from aidbridge.hospitals import have, selectors, services, transfers
from aidbridge.hospitals.models import BedReport, BedType, Hospital
from aidbridge.interop.limits import max_upload_bytes
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestLine
from aidbridge.requests.selectors import get_rfa

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


@router.post("/have/hospital-status", response={200: dict}, openapi_extra=_xml_body())
def import_have(request: HttpRequest) -> HttpResponse:
    """Import an EDXL-HAVE 1.0 HospitalStatus (bare or in an EDXL-DE 1.0 envelope)."""
    from aidbridge.api.root import api

    profile_of(request.user)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > max_upload_bytes():
            raise MessageRefused.one("too_large", f"the message is {declared} bytes", status=413)
        content_type = request.META.get("CONTENT_TYPE", "")
        if declared and not _is_xml(content_type):
            raise MessageRefused.one(
                "unsupported_media_type",
                f"send the message as application/xml, not {content_type or 'no type'!r}",
                status=415,
            )
        result = have.import_have(request.user, request.body)
    except MessageRefused as exc:
        return api.create_response(request, exc.body(), status=exc.status)
    return api.create_response(request, result.as_dict(), status=200)


@router.get(
    "/have/hospital-status",
    response={200: str},
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


# --- transfer requests and bed offers -------------------------------------------------


class TransferIn(InputSchema):
    count: int = Field(ge=1, le=100_000, description="Patients to transfer")
    bed_type: BedType
    origin_hospital: Id | None = None
    origin_region: str = Field("", max_length=120)
    origin_airport: str = Field(
        "",
        max_length=4,
        description="ICAO code where the transfer starts (default: the origin hospital's airport)",
    )
    needed_by: date | None = None
    ventilated: bool = False
    needs_isolation: bool = False


class TransferNeedIn(InputSchema):
    bed_type: BedType
    origin_hospital: Id | None = None
    origin_region: str = Field("", max_length=120)
    ventilated: bool = False
    needs_isolation: bool = False


class TransferRequestIn(InputSchema):
    crisis: str = Field(max_length=60)
    title: str = Field(max_length=200)
    situation: str = ""
    item: str = Field("PAT-ICU", max_length=40, description="A patient-transfer item")
    transfers: list[TransferIn] = Field(min_length=1, max_length=200)
    contact_name: str = Field("", max_length=120)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=40)


class TransferLineOut(Schema):
    request_line: int
    position: int
    item: str
    count: int
    needed_by: date | None
    bed_type: BedType
    origin_hospital: int | None
    origin_region: str
    ventilated: bool
    needs_isolation: bool


class TransferRequestOut(Schema):
    rfa: int
    status: str
    transfers: list[TransferLineOut]


class BedPlaceIn(InputSchema):
    hospital: Id
    beds: int = Field(ge=1, le=100_000)


class BedOfferIn(InputSchema):
    request_line: Id
    bed_type: BedType
    hospitals: list[BedPlaceIn] = Field(min_length=1, max_length=100)
    available_from: date | None = None
    conditions: str = ""
    notes: str = ""


class BedPlaceOut(Schema):
    hospital: int
    hospital_name: str
    beds: int


class BedOfferOut(Schema):
    offer: int
    offer_reference: str
    offer_line: int
    request_line: int
    bed_type: BedType
    beds: int
    status: str
    hospitals: list[BedPlaceOut]


def transfer_line_out(line: RequestLine) -> dict[str, Any]:
    need = line.transfer_need
    return {
        "request_line": line.pk,
        "position": line.position,
        "item": line.item.code,
        "count": line.quantity,
        "needed_by": line.needed_by,
        "bed_type": need.bed_type,
        "origin_hospital": need.origin_hospital_id,
        "origin_region": need.origin_region,
        "ventilated": need.ventilated,
        "needs_isolation": need.needs_isolation,
    }


def _transfer_lines(rfa: Any) -> list[dict[str, Any]]:
    lines = rfa.lines.select_related("item", "transfer_need").filter(transfer_need__isnull=False)
    return [transfer_line_out(ln) for ln in lines.order_by("position")]


@router.post("/transfer-requests", response={201: TransferRequestOut})
def request_transfers(request: HttpRequest, payload: TransferRequestIn) -> Status[dict[str, Any]]:
    profile_of(request.user)
    data = payload.dict()
    specs = [
        {**t, "bed_type": t["bed_type"].value if hasattr(t["bed_type"], "value") else t["bed_type"]}
        for t in data.pop("transfers")
    ]
    rfa = transfers.request_transfers(
        request.user, crisis=crisis_for_input(data.pop("crisis"), "crisis"), transfers=specs, **data
    )
    return Status(201, {"rfa": rfa.pk, "status": rfa.status, "transfers": _transfer_lines(rfa)})


@router.get("/rfas/{rfa_id}/transfers", response=TransferRequestOut)
def list_transfers(request: HttpRequest, rfa_id: PathId) -> dict[str, Any]:
    rfa = get_rfa(request.user, rfa_id)
    return {"rfa": rfa.pk, "status": rfa.status, "transfers": _transfer_lines(rfa)}


@router.put("/rfas/{rfa_id}/lines/{line_id}/transfer", response=TransferLineOut)
def set_transfer_need(
    request: HttpRequest, rfa_id: PathId, line_id: PathId, payload: TransferNeedIn
) -> dict[str, Any]:
    rfa = get_rfa(request.user, rfa_id)
    line = rfa.lines.filter(pk=line_id).first()
    if line is None:
        raise ValidationFailed("not a line of this request", field="line_id")
    spec = payload.dict()
    spec["bed_type"] = payload.bed_type.value
    transfers.set_transfer_need(request.user, line, **spec)
    line = RequestLine.objects.select_related("item", "transfer_need").get(pk=line.pk)
    return transfer_line_out(line)


@router.post("/rfas/{rfa_id}/bed-offers", response={201: BedOfferOut})
def offer_beds(request: HttpRequest, rfa_id: PathId, payload: BedOfferIn) -> Status[Any]:
    rfa = get_rfa(request.user, rfa_id)
    line = rfa.lines.filter(pk=payload.request_line).first()
    if line is None:
        raise ValidationFailed("not a line of this request", field="request_line")
    offer_line = transfers.offer_beds(
        request.user,
        rfa=rfa,
        request_line=line,
        bed_type=payload.bed_type.value,
        hospitals=[p.dict() for p in payload.hospitals],
        available_from=payload.available_from,
        conditions=payload.conditions,
        notes=payload.notes,
    )
    return Status(201, bed_offer_out(offer_line))


def bed_offer_out(line: Any) -> dict[str, Any]:
    bed_offer = line.bed_offer
    places = list(bed_offer.places.select_related("hospital"))
    return {
        "offer": line.offer_id,
        "offer_reference": line.offer.reference,
        "offer_line": line.pk,
        "request_line": line.request_line_id,
        "bed_type": bed_offer.bed_type,
        "beds": line.quantity,
        "status": line.status,
        "hospitals": [
            {"hospital": p.hospital_id, "hospital_name": p.hospital.name, "beds": p.beds}
            for p in places
        ],
    }
