"""Reading transfer matching runs: the run, and its proposal need by need with the
reasons of every shortfall in the reader's language (the matcher gives codes)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aidbridge.accounts.permissions import require_centre
from aidbridge.core.errors import NotFound
from aidbridge.crises.models import Crisis
from aidbridge.hospitals.models import BedType, Hospital, ProposedTransfer, TransferMatchingRun
from aidbridge.hospitals.selectors import current_reports
from aidbridge.hospitals.transfer_map import Flow, HospitalPoint
from aidbridge.hospitals.transfers import PATIENT_UNIT
from aidbridge.ledger.figures import Figures
from aidbridge.ledger.readings import cell_figures
from aidbridge.ledger.sums import total
from aidbridge.requests.models import RequestLine

# The matcher's reason codes (``planning.transfers.model.Reason``), in words.
REASONS: dict[str, Promise] = {
    "no_bed_of_type": _("No bed of this type is offered for it."),
    "no_bed_meeting_constraints": _(
        "The beds offered do not meet its constraints (ventilation, isolation)."
    ),
    "capacity_report_too_old": _(
        "The hospitals offering beds reported their capacity too long ago."
    ),
    "no_bed_in_range": _("No offered bed is within reach of the transport."),
    "beds_shared_fairly": _(
        "Compatible beds went to regions served less well so far (fair share)."
    ),
}


def reason_text(code: str) -> str:
    return str(REASONS.get(code, code))


def get_run(actor: Any, run_id: int) -> TransferMatchingRun:
    require_centre(actor, "see transfer matching runs")
    run = (
        TransferMatchingRun.objects.select_related("crisis", "requested_by", "accepted_by")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise NotFound(f"no transfer matching run {run_id}", field="id")
    return run


def latest_run(crisis: Crisis) -> TransferMatchingRun | None:
    return (
        TransferMatchingRun.objects.filter(crisis=crisis).order_by("-requested_at", "-pk").first()
    )


def proposal_by_need(run: TransferMatchingRun) -> list[dict[str, Any]]:
    """Per need of the run's input, in input order: the patients it asked, the
    transfers proposed (hospital, mode, time) and the shortfall with its reason."""
    if run.input is None:
        return []
    transfers: dict[str, list[ProposedTransfer]] = defaultdict(list)
    for t in (
        ProposedTransfer.objects.filter(run=run)
        .select_related("hospital__nation", "offer_line__offer", "dispatch__receipt")
        .order_by("pk")
    ):
        transfers[t.need_ref].append(t)
    shortfalls = {s["need"]: s for s in (run.output or {}).get("shortfalls", [])}
    rows = (run.rows or {}).get("needs", {})
    lines = RequestLine.objects.select_related("rfa__requester").in_bulk(list(rows.values()))
    out = []
    for need in run.input["needs"]:
        line = lines.get(rows.get(need["id"], 0))
        short = shortfalls.get(need["id"])
        out.append(
            {
                "need": need["id"],
                "line": line,
                "party": line.rfa.requester.code if line else "",
                "region": need["region"],
                "bed_type": need["bed_type"],
                "count": need["count"],
                "ventilated": need["ventilated"],
                "isolation": need["isolation"],
                "transfers": transfers.get(need["id"], []),
                "matched": sum(t.patients for t in transfers.get(need["id"], [])),
                "short": short["patients"] if short else 0,
                "reason_code": short["reason"] if short else "",
                "reason": reason_text(short["reason"]) if short else "",
            }
        )
    return out


def patient_figures(crisis: Crisis) -> Figures:
    """The ledger's figures of the crisis's patient-transfer lines: requested, accepted,
    in transit (departed) and delivered (patients transferred)."""
    # The sum of the maintained cells of patient items (``ledger.maintained``): the same
    # figures as the lines' own, without reading every line of the crisis.
    return total(cell_figures(crisis, Q(unit=PATIENT_UNIT)).values())


def transfer_by_id(pk: int) -> ProposedTransfer:
    """A transfer to track; who may record its departure or arrival is the dispatch's
    own rule (the receiving nation or the centre; the requesting nation)."""
    found = (
        ProposedTransfer.objects.select_related("run__crisis", "hospital", "offer_line")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(f"no proposed transfer {pk}", field="id")
    return found


def map_data(crisis: Crisis) -> tuple[list[Any], list[Any]]:
    """The transfers map's hospitals (every hospital with a current bed report, free
    beds by type) and flows (the transfers of the crisis's accepted matchings)."""

    names = dict(BedType.choices)
    hospitals = list(
        Hospital.objects.filter(
            lat__isnull=False, lon__isnull=False, bed_reports__superseded_at__isnull=True
        ).distinct()
    )
    reports = current_reports([h.pk for h in hospitals])
    points = [
        HospitalPoint(
            h.name,
            float(h.lat or 0),
            float(h.lon or 0),
            tuple((str(names[a.bed_type]), a.available, a.stale) for a in reports[h.pk]),
        )
        for h in hospitals
    ]
    flows = []
    origins: dict[int, dict[str, Any]] = {}
    for t in (
        ProposedTransfer.objects.filter(run__crisis=crisis, run__accepted_at__isnull=False)
        .select_related("run", "hospital")
        .order_by("pk")
    ):
        if t.run_id not in origins:
            origins[t.run_id] = {n["id"]: n["origin"] for n in (t.run.input or {}).get("needs", [])}
        origin = origins[t.run_id].get(t.need_ref)
        if origin is None or t.hospital.lat is None or t.hospital.lon is None:
            continue
        flows.append(
            Flow(
                (origin["lat"], origin["lon"]),
                (t.hospital.lat, t.hospital.lon),
                t.patients,
                t.mode == ProposedTransfer.Mode.AIR,
                f"{t.need_ref} → {t.hospital.name}: {t.patients} ({t.get_mode_display()})",
            )
        )
    return points, flows
