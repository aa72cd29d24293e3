"""Patient transfers and bed offers, as request and offer lines with a detail record.

A transfer need is a request line of a patient-transfer item (unit ``patient``, e.g.
``PAT-ICU``): its quantity is the number of patients, its needed-by the date; the
``TransferNeed`` adds the bed type, the origin (hospital or region) and the transport
constraints. A bed offer is an offer line against such a line, made through
``offers.services.make_offer`` in the same transaction as its ``BedOffer`` (bed type,
receiving hospitals and beds at each): accepting, declining, withdrawing and every
ledger figure work on these lines exactly as on any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Sum

from aidbridge.accounts.permissions import profile_of, require_poc_of
from aidbridge.audit.services import record
from aidbridge.core.actions import refuse
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.crises.models import Crisis
from aidbridge.hospitals.models import BedOffer, BedOfferPlace, BedType, Hospital, TransferNeed
from aidbridge.hospitals.selectors import current_report, is_stale
from aidbridge.offers import services as offer_services
from aidbridge.offers.actions import rfa_offer_refusal
from aidbridge.offers.models import OfferLine
from aidbridge.requests import services as rfa_services
from aidbridge.requests.locks import lock_rfa
from aidbridge.requests.models import RequestForAssistance, RequestLine

PATIENT_UNIT = "patient"
# Offer lines whose beds are still held at their hospitals.
HOLDING = (OfferLine.Status.OPEN, OfferLine.Status.PROPOSED, OfferLine.Status.ACCEPTED)


def _bed_type(value: Any, field: str) -> str:
    if value not in BedType.values:
        raise ValidationFailed(
            f"{value!r} is not an EDXL-HAVE bed type ({', '.join(BedType.values)})", field=field
        )
    return str(value)


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed("must be true or false", field=field)
    return value


def _need_fields(
    spec: Mapping[str, Any], prefix: str = ""
) -> tuple[str, Hospital | None, str, bool, bool]:
    bed_type = _bed_type(spec.get("bed_type"), f"{prefix}bed_type")
    origin = spec.get("origin_hospital")
    if origin is not None and not isinstance(origin, Hospital):
        origin = Hospital.objects.filter(pk=origin).first() if str(origin).isdigit() else None
        if origin is None:
            raise ValidationFailed("no such hospital", field=f"{prefix}origin_hospital")
    region = str(spec.get("origin_region") or "").strip()
    if len(region) > 120:
        raise ValidationFailed("longer than 120 characters", field=f"{prefix}origin_region")
    if origin is None and not region:
        raise ValidationFailed(
            "give the origin: a hospital or a region", field=f"{prefix}origin_region"
        )
    ventilated = _flag(spec.get("ventilated", False), f"{prefix}ventilated")
    isolation = _flag(spec.get("needs_isolation", False), f"{prefix}needs_isolation")
    return bed_type, origin, region, ventilated, isolation


def _write_need(actor: Any, line: RequestLine, fields: tuple[Any, ...]) -> TransferNeed:
    bed_type, origin, region, ventilated, isolation = fields
    need, _created = TransferNeed.objects.update_or_create(
        request_line=line,
        defaults={
            "bed_type": bed_type,
            "origin_hospital": origin,
            "origin_region": region or (origin.region if origin else ""),
            "ventilated": ventilated,
            "needs_isolation": isolation,
        },
    )
    record(
        actor,
        "transfer_need.set",
        line,
        crisis=line.rfa.crisis,
        changes={
            "bed_type": [None, bed_type],
            "origin": [None, origin.name if origin else need.origin_region],
            "ventilated": [None, ventilated],
            "needs_isolation": [None, isolation],
        },
    )
    return need


def _check_transfer_line(line: RequestLine, field: str = "request_line") -> None:
    if line.item.unit != PATIENT_UNIT:
        raise ValidationFailed(
            f"{line.item.code} is not a patient-transfer item (its unit is {line.item.unit}, "
            "not patient)",
            field=field,
        )


@transaction.atomic
def set_transfer_need(actor: Any, line: RequestLine, **spec: Any) -> TransferNeed:
    """Describe (or re-describe) a transfer line of a draft or returned request."""
    rfa = lock_rfa(line.rfa_id)
    require_poc_of(actor, rfa.requester, "edit this request")
    if not rfa.is_editable:
        raise Conflict(
            f"only a draft or a returned request can be edited; this one is {rfa.status}",
            field="status",
        )
    line = RequestLine.objects.select_related("item", "rfa__crisis").get(pk=line.pk)
    _check_transfer_line(line)
    return _write_need(actor, line, _need_fields(spec))


def _pick_up(origin: Hospital | None, airport: Any) -> dict[str, Any]:
    """Where the line's transport starts, as a request line says where it is needed: the
    given airport, else the origin hospital's airport, else its coordinates."""
    code = str(airport or "").strip() or (origin.airport if origin else "")
    if code:
        return {"delivery_airport": code}
    if origin is not None and origin.lat is not None:
        return {
            "delivery_place": origin.name,
            "delivery_lat": origin.lat,
            "delivery_lon": origin.lon,
        }
    return {}


@transaction.atomic
def request_transfers(
    actor: Any,
    *,
    crisis: Crisis,
    title: str,
    transfers: Sequence[Mapping[str, Any]],
    item: str = "PAT-ICU",
    situation: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> RequestForAssistance:
    """Draft a request of patient transfers: one line of ``item`` per entry of
    ``transfers`` (``count``, ``needed_by``, ``bed_type``, ``origin_hospital`` or
    ``origin_region``, ``origin_airport``, ``ventilated``, ``needs_isolation``), each
    with its detail. The line's delivery place is where the transfer starts (the
    origin's airport): the transport is planned from there."""
    if not transfers:
        raise ValidationFailed("a transfer request needs at least one transfer", field="transfers")
    checked = [_need_fields(spec, f"transfers.{i}.") for i, spec in enumerate(transfers)]
    lines = []
    for i, spec in enumerate(transfers):
        needed_by = spec.get("needed_by")
        if needed_by is not None and not isinstance(needed_by, date):
            raise ValidationFailed("must be a date", field=f"transfers.{i}.needed_by")
        lines.append(
            {"item": item, "quantity": spec.get("count"), "needed_by": needed_by}
            | _pick_up(checked[i][1], spec.get("origin_airport"))
        )
    try:
        rfa = rfa_services.create_rfa(
            actor,
            crisis=crisis,
            title=title,
            situation=situation,
            lines=lines,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
        )
    except ValidationFailed as exc:
        # The request's own check names lines.N.quantity; here they are transfers.N.count.
        if exc.field and exc.field.startswith("lines."):
            exc.field = (
                exc.field.replace("lines.", "transfers.", 1)
                .replace("quantity", "count")
                .replace("delivery_airport", "origin_airport")
            )
        raise
    for line, fields in zip(rfa.lines.select_related("item", "rfa__crisis"), checked, strict=True):
        _check_transfer_line(line, "item")
        _write_need(actor, line, fields)
    return rfa


def beds_held(hospital: Hospital, bed_type: str, since: Any) -> int:
    """Beds of this type at this hospital already offered (and not declined or
    withdrawn) since its current report: they are no longer free to offer."""
    held = BedOfferPlace.objects.filter(
        hospital=hospital,
        bed_offer__bed_type=bed_type,
        bed_offer__offer_line__status__in=HOLDING,
        bed_offer__offer_line__offer__created_at__gte=since,
    ).aggregate(n=Sum("beds"))["n"]
    return int(held or 0)


def _places(
    donor_id: int, bed_type: str, places: Sequence[Mapping[str, Any]]
) -> list[tuple[Hospital, int]]:
    if not places:
        raise ValidationFailed("name at least one receiving hospital", field="hospitals")
    out: list[tuple[Hospital, int]] = []
    for i, place in enumerate(places):
        field = f"hospitals.{i}"
        hospital = place.get("hospital")
        if not isinstance(hospital, Hospital):
            hospital = (
                Hospital.objects.filter(pk=int(str(hospital))).first()
                if str(hospital).isdigit()
                else None
            )
        if hospital is None:
            raise ValidationFailed("no such hospital", field=f"{field}.hospital")
        if hospital.nation_id != donor_id:
            raise ValidationFailed(
                f"{hospital} is not a hospital of the offering nation", field=f"{field}.hospital"
            )
        if any(h.pk == hospital.pk for h, _ in out):
            raise ValidationFailed(f"{hospital} is named twice", field=f"{field}.hospital")
        beds = place.get("beds")
        if isinstance(beds, bool) or not isinstance(beds, int) or beds < 1:
            raise ValidationFailed("must be a whole number of at least 1", field=f"{field}.beds")
        report = current_report(hospital, bed_type)
        if report is None:
            raise ValidationFailed(
                f"{hospital} has reported no {bed_type} beds", field=f"{field}.hospital"
            )
        if is_stale(report.reported_at):
            raise ValidationFailed(
                f"{hospital}'s {bed_type} report of {report.reported_at.isoformat()} is stale: "
                "report its beds again first",
                field=f"{field}.hospital",
                code="stale_report",
            )
        free = report.available - beds_held(hospital, bed_type, report.reported_at)
        if beds > free:
            raise ValidationFailed(
                f"{hospital} reported {report.available} free {bed_type} beds, of which "
                f"{max(free, 0)} are not yet offered; {beds} were offered",
                field=f"{field}.beds",
            )
        out.append((hospital, beds))
    return out


def offer_beds(
    actor: Any,
    *,
    rfa: RequestForAssistance,
    request_line: RequestLine,
    bed_type: str,
    hospitals: Sequence[Mapping[str, Any]],
    available_from: date | None = None,
    conditions: str = "",
    notes: str = "",
) -> OfferLine:
    """The actor's nation offers beds at its hospitals against a transfer line."""
    profile = profile_of(actor)
    refuse(rfa_offer_refusal(actor, rfa))  # who may offer, before reading the input
    if request_line.rfa_id != rfa.pk:
        raise ValidationFailed("not a line of this request", field="request_line")
    need = TransferNeed.objects.filter(request_line=request_line).first()
    if need is None:
        raise ValidationFailed(
            "this line is not a patient transfer (it has no transfer detail)",
            field="request_line",
        )
    bed_type = _bed_type(bed_type, "bed_type")
    if bed_type != need.bed_type:
        raise ValidationFailed(
            f"the request asks for {need.bed_type} beds, not {bed_type}", field="bed_type"
        )
    with transaction.atomic():
        # Two offers from one nation's hospitals must not both take the last beds: the
        # hospitals are locked while their free beds are counted and the offer written.
        ids = [int(str(p.get("hospital"))) for p in hospitals if str(p.get("hospital")).isdigit()]
        list(Hospital.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        places = _places(profile.party_id, bed_type, hospitals)
        offer = offer_services.make_offer(
            actor,
            rfa=rfa,
            lines=[
                {
                    "request_line": request_line.pk,
                    "quantity": sum(b for _, b in places),
                    "notes": notes,
                }
            ],
            available_from=available_from,
            conditions=conditions,
        )
        line = offer.lines.get()
        bed_offer = BedOffer.objects.create(offer_line=line, bed_type=bed_type)
        BedOfferPlace.objects.bulk_create(
            [BedOfferPlace(bed_offer=bed_offer, hospital=h, beds=b) for h, b in places]
        )
        record(
            actor,
            "bed_offer.create",
            line,
            crisis=rfa.crisis,
            changes={
                "bed_type": [None, bed_type],
                "hospitals": [None, [{"hospital": h.name, "beds": b} for h, b in places]],
            },
        )
    return line
