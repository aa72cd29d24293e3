"""The clearing-house as a transfer-matching problem (``docs/specs/transfers.md``).

Needs are the transfer lines (request lines with a ``TransferNeed``) of the crisis's
circulated requests that still have outstanding patients, by the ledger's figure
(requested - accepted); the need's region is its origin region. Offers are the hospitals
of bed offers made against those lines and still undecided: one matcher offer per
hospital of a ``BedOffer``, restricted (``only_for``) to the line it was offered
against, dated by the hospital's current report of that bed type. Ids are human
references (``RFA-2020-0007/2``; ``OFR-2020-0031@12`` is hospital 12 of that bed
offer) and map back to rows through ``rows``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from aidbridge.catalogue.airports import get_airport
from aidbridge.crises.models import Crisis
from aidbridge.hospitals.models import BedOfferPlace, BedReport, BedType, TransferNeed
from aidbridge.ledger.sums import with_outstanding
from aidbridge.offers.models import OfferLine
from aidbridge.planning.transfers import BedOffer, MatchingInput, Place
from aidbridge.planning.transfers import TransferNeed as Need
from aidbridge.requests.models import RequestForAssistance, RequestLine

ISOLATION_BEDS = frozenset({BedType.NEGATIVE_FLOW_ISOLATION, BedType.OTHER_ISOLATION})


@dataclass
class Built:
    problem: MatchingInput
    need_rows: dict[str, int] = field(default_factory=dict)  # id -> RequestLine pk
    offer_rows: dict[str, list[int]] = field(default_factory=dict)  # id -> [line, hospital]

    @property
    def rows(self) -> dict[str, Any]:
        return {"needs": self.need_rows, "offers": self.offer_rows}


def _origin(need: TransferNeed, line: RequestLine) -> Place | None:
    """The origin hospital's coordinates, else the line's pick-up place or airport."""
    origin = need.origin_hospital
    if origin is not None and origin.lat is not None and origin.lon is not None:
        return Place(origin.lat, origin.lon)
    if line.delivery_lat is not None and line.delivery_lon is not None:
        return Place(line.delivery_lat, line.delivery_lon)
    code = line.delivery_airport or (origin.airport if origin else "")
    airport = get_airport(code) if code else None
    return Place(airport.lat, airport.lon) if airport is not None else None


def line_ref(line: RequestLine) -> str:
    return f"{line.rfa.reference}/{line.position}"


def build_input(crisis: Crisis, now: dt.datetime | None = None) -> Built:
    now = now or timezone.now()
    lines = with_outstanding(
        RequestLine.objects.filter(
            rfa__crisis=crisis,
            rfa__status=RequestForAssistance.Status.CIRCULATED,
            transfer_need__isnull=False,
        )
    ).select_related("rfa", "transfer_need__origin_hospital")
    built = Built(
        MatchingInput(
            needs=(),
            offers=(),
            now=now,
            max_report_age=dt.timedelta(hours=float(settings.AIDBRIDGE_BED_REPORT_MAX_AGE_HOURS)),
        )
    )
    needs: list[Need] = []
    ids: dict[int, str] = {}
    for line in lines.order_by("rfa__reference", "position"):
        outstanding = int(getattr(line, "outstanding", 0) or 0)  # the ledger's annotation
        need = line.transfer_need
        origin = _origin(need, line)
        if outstanding < 1 or origin is None:
            continue
        ref = line_ref(line)
        ids[line.pk] = ref
        built.need_rows[ref] = line.pk
        needs.append(
            Need(
                id=ref,
                region=need.origin_region or ref,
                bed_type=need.bed_type,
                count=outstanding,
                origin=origin,
                ventilated=need.ventilated,
                isolation=need.needs_isolation,
            )
        )
    places = (
        BedOfferPlace.objects.filter(
            bed_offer__offer_line__request_line_id__in=list(ids),
            bed_offer__offer_line__status=OfferLine.Status.OPEN,
        )
        .select_related("hospital", "bed_offer__offer_line__offer")
        .order_by("bed_offer__offer_line_id", "id")
    )
    reports = {
        (r.hospital_id, r.bed_type): r.reported_at
        for r in BedReport.objects.filter(
            superseded_at__isnull=True, hospital_id__in={p.hospital_id for p in places}
        )
    }
    offers: list[BedOffer] = []
    left: dict[int, int] = {}  # what of each offer line is still undecided
    for place in places:
        offer_line = place.bed_offer.offer_line
        left.setdefault(offer_line.pk, offer_line.pending)
        beds = min(place.beds, left[offer_line.pk])
        hospital = place.hospital
        reported = reports.get((hospital.pk, place.bed_offer.bed_type))
        if beds < 1 or hospital.lat is None or hospital.lon is None or reported is None:
            continue  # nothing left to decide, nowhere to go, or no capacity on record
        left[offer_line.pk] -= beds
        ref = f"{offer_line.offer.reference}@{hospital.pk}"
        if ref in built.offer_rows:  # a second bed line in one offer (not made by offer_beds)
            ref = f"{offer_line.offer.reference}#{offer_line.pk}@{hospital.pk}"
        built.offer_rows[ref] = [offer_line.pk, hospital.pk]
        offers.append(
            BedOffer(
                id=ref,
                hospital=hospital.name,
                bed_type=place.bed_offer.bed_type,
                beds=beds,
                location=Place(hospital.lat, hospital.lon),
                reported_at=reported,
                # An ICU bed comes with its ventilator; isolation only in isolation beds.
                ventilation=True,
                isolation=place.bed_offer.bed_type in ISOLATION_BEDS,
                only_for=frozenset({ids[offer_line.request_line_id or 0]}),
            )
        )
    built.problem = MatchingInput(
        needs=tuple(needs),
        offers=tuple(offers),
        now=now,
        max_report_age=built.problem.max_report_age,
    )
    return built


def input_to_json(problem: MatchingInput) -> dict[str, Any]:
    def place(p: Place) -> dict[str, float]:
        return {"lat": p.lat, "lon": p.lon}

    return {
        "now": problem.now.isoformat(),
        "max_report_age_hours": problem.max_report_age.total_seconds() / 3600,
        "max_minutes": problem.max_minutes,
        "needs": [
            {
                "id": n.id,
                "region": n.region,
                "bed_type": n.bed_type,
                "count": n.count,
                "origin": place(n.origin),
                "ventilated": n.ventilated,
                "isolation": n.isolation,
            }
            for n in problem.needs
        ],
        "offers": [
            {
                "id": o.id,
                "hospital": o.hospital,
                "bed_type": o.bed_type,
                "beds": o.beds,
                "location": place(o.location),
                "reported_at": o.reported_at.isoformat(),
                "ventilation": o.ventilation,
                "isolation": o.isolation,
                "only_for": sorted(o.only_for),
            }
            for o in problem.offers
        ],
    }


def input_from_json(doc: dict[str, Any]) -> MatchingInput:
    def place(p: dict[str, float]) -> Place:
        return Place(p["lat"], p["lon"])

    return MatchingInput(
        needs=tuple(
            Need(
                id=n["id"],
                region=n["region"],
                bed_type=n["bed_type"],
                count=n["count"],
                origin=place(n["origin"]),
                ventilated=n["ventilated"],
                isolation=n["isolation"],
            )
            for n in doc["needs"]
        ),
        offers=tuple(
            BedOffer(
                id=o["id"],
                hospital=o["hospital"],
                bed_type=o["bed_type"],
                beds=o["beds"],
                location=place(o["location"]),
                reported_at=dt.datetime.fromisoformat(o["reported_at"]),
                ventilation=o["ventilation"],
                isolation=o["isolation"],
                only_for=frozenset(o["only_for"]),
            )
            for o in doc["offers"]
        ),
        now=dt.datetime.fromisoformat(doc["now"]),
        max_report_age=dt.timedelta(hours=doc["max_report_age_hours"]),
        max_minutes=doc["max_minutes"],
    )
