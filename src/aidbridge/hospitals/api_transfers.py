"""API: patient-transfer requests and bed offers (request and offer lines with their
``hospitals`` detail records; see ``hospitals.transfers``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from aidbridge.accounts.permissions import profile_of
from aidbridge.api.schemas import Id, InputSchema, PathId
from aidbridge.core.errors import ValidationFailed
from aidbridge.crises.selectors import crisis_for_input
from aidbridge.hospitals import transfers
from aidbridge.hospitals.models import BedType
from aidbridge.requests.models import RequestLine
from aidbridge.requests.selectors import get_rfa

router = Router(tags=["hospitals"])


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
