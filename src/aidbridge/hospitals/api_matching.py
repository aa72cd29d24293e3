"""API: transfer matching runs for a crisis, their proposal, re-check and acceptance.
Thin: services decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from aidbridge.api.schemas import InputSchema, NumberOrZero, PathId
from aidbridge.crises.selectors import crisis_by_code
from aidbridge.hospitals import airlift_source, matching, matching_selectors, tracking
from aidbridge.hospitals.models import TransferMatchingRun
from aidbridge.runs.models import RunStatus

router = Router(tags=["hospitals"])


class TransferOut(Schema):
    id: int = Field(..., description="The transfer to track (depart, arrive)")
    stage: str = Field(..., description="proposed, planned, departed or arrived")
    hospital: int
    hospital_name: str
    nation: str
    offer_line: int
    offer: str = Field(..., description="The bed offer's reference")
    patients: int
    mode: str = Field(..., description="road (ambulance) or air (MEDEVAC flight)")
    minutes: float
    km: float


class NeedOut(Schema):
    need: str = Field(..., description="RFA reference / line position")
    request_line: int | None
    party: str
    region: str
    bed_type: str
    count: int = Field(..., description="Patients still outstanding when matched")
    matched: int
    short: int
    reason_code: str = Field("", description="The matcher's reason code for the shortfall")
    reason: str = Field("", description="The reason in the request's language")
    transfers: list[TransferOut]


class RegionOut(Schema):
    region: str
    requested: int
    matched: int
    share: float
    fill: float


class MatchingRunOut(Schema):
    id: int
    crisis: str
    status: RunStatus
    requested_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None
    phase: str
    attempts: int
    check_ok: bool | None
    error: str
    accepted_by: str | None
    accepted_at: datetime | None
    patient_minutes: float | None
    regions: list[RegionOut]
    needs: list[NeedOut]


class MatchingCheckOut(Schema):
    ok: bool
    problems: list[str]


def _transfer_out(t: Any, accepted: bool) -> dict[str, Any]:
    return {
        "id": t.pk,
        "stage": t.stage if accepted else "proposed",
        "hospital": t.hospital_id,
        "hospital_name": t.hospital.name,
        "nation": t.hospital.nation.code,
        "offer_line": t.offer_line_id,
        "offer": t.offer_line.offer.reference,
        "patients": t.patients,
        "mode": t.mode,
        "minutes": t.minutes,
        "km": t.km,
    }


def run_out(run: TransferMatchingRun) -> dict[str, Any]:
    needs = matching_selectors.proposal_by_need(run)
    for need in needs:
        need["request_line"] = need["line"].pk if need["line"] else None
        need["transfers"] = [
            _transfer_out(t, run.accepted_at is not None) for t in need["transfers"]
        ]
    output = run.output or {}
    return {
        "id": run.pk,
        "crisis": run.crisis.code,
        "status": run.status,
        "requested_by": run.requested_by.get_username(),
        "created_at": run.requested_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "heartbeat_at": run.heartbeat_at,
        "phase": run.phase,
        "attempts": run.attempts,
        "check_ok": run.check_ok,
        "error": run.error,
        "accepted_by": run.accepted_by.get_username() if run.accepted_by else None,
        "accepted_at": run.accepted_at,
        "patient_minutes": output.get("patient_minutes"),
        "regions": output.get("regions", []),
        "needs": needs,
    }


def _fresh(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return run_out(matching_selectors.get_run(request.user, run_id))


@router.post("/crises/{code}/transfer-matching-runs", response={202: MatchingRunOut})
def start_run(request: HttpRequest, code: str) -> Status[dict[str, Any]]:
    """Ask for a proposed matching of the crisis's open transfer needs to offered beds."""
    run = matching.request_matching(request.user, crisis_by_code(code))
    return Status(202, _fresh(request, run.pk))


@router.get("/transfer-matching-runs/{run_id}", response=MatchingRunOut)
def get_run(request: HttpRequest, run_id: PathId) -> dict[str, Any]:
    return _fresh(request, run_id)


@router.post("/transfer-matching-runs/{run_id}/accept", response=MatchingRunOut)
def accept_run(request: HttpRequest, run_id: PathId) -> dict[str, Any]:
    """Accept the proposal: each bed offer line used is accepted for its patients."""
    matching.accept_run(request.user, matching_selectors.get_run(request.user, run_id))
    return _fresh(request, run_id)


@router.post("/transfer-matching-runs/{run_id}/restart", response={202: MatchingRunOut})
def restart_run(request: HttpRequest, run_id: PathId) -> Status[dict[str, Any]]:
    matching.restart_run(request.user, matching_selectors.get_run(request.user, run_id))
    return Status(202, _fresh(request, run_id))


@router.post("/transfer-matching-runs/{run_id}/cancel", response=MatchingRunOut)
def cancel_run(request: HttpRequest, run_id: PathId) -> dict[str, Any]:
    matching.cancel_run(request.user, matching_selectors.get_run(request.user, run_id))
    return _fresh(request, run_id)


@router.get("/transfer-matching-runs/{run_id}/check", response=MatchingCheckOut)
def check_run(request: HttpRequest, run_id: PathId) -> dict[str, Any]:
    report = matching.recheck_run(matching_selectors.get_run(request.user, run_id))
    return {"ok": report.ok, "problems": list(report.problems)}


class DepartIn(InputSchema):
    departed_at: datetime | None = None
    expected_at: datetime | None = None
    carrier: str = Field("", max_length=100, description="Who moves the patients")
    transport_reference: str = Field("", max_length=60)


class ArriveIn(InputSchema):
    patients: NumberOrZero | None = Field(None, description="Default: all who departed")
    arrived_at: datetime | None = None
    note: str = ""


class TrackedOut(Schema):
    id: int
    run: int
    stage: str = Field(..., description="planned, departed or arrived")
    mode: str
    hospital: str
    patients: int
    dispatch: int | None
    airlift: bool = Field(..., description="Handed to the airlift planner (MEDEVAC aircraft)")


def _tracked(t: Any) -> dict[str, Any]:
    t = matching_selectors.transfer_by_id(t.pk)
    return {
        "id": t.pk,
        "run": t.run_id,
        "stage": t.stage,
        "mode": t.mode,
        "hospital": t.hospital.name,
        "patients": t.patients,
        "dispatch": t.dispatch_id,
        "airlift": t.airlift or t.mode == "air",
    }


@router.post("/proposed-transfers/{transfer_id}/depart", response={201: TrackedOut})
def depart(request: HttpRequest, transfer_id: PathId, payload: DepartIn) -> Status[dict[str, Any]]:
    """The patients leave: a dispatch of the bed offer line (road or MEDEVAC flight)."""
    transfer = matching_selectors.transfer_by_id(transfer_id)
    tracking.depart(request.user, transfer, **payload.model_dump())
    return Status(201, _tracked(transfer))


@router.post("/proposed-transfers/{transfer_id}/arrive", response={201: TrackedOut})
def arrive(request: HttpRequest, transfer_id: PathId, payload: ArriveIn) -> Status[dict[str, Any]]:
    """The patients arrived: the requesting nation confirms the dispatch's receipt."""
    transfer = matching_selectors.transfer_by_id(transfer_id)
    tracking.arrive(request.user, transfer, **payload.model_dump())
    return Status(201, _tracked(transfer))


@router.post("/proposed-transfers/{transfer_id}/airlift", response=TrackedOut)
def hand_to_airlift(request: HttpRequest, transfer_id: PathId) -> dict[str, Any]:
    """The centre hands an accepted transfer to the airlift planner: a consignment that
    only a MEDEVAC-fitted aircraft carries (409 while the fleet has none)."""
    transfer = matching_selectors.transfer_by_id(transfer_id)
    airlift_source.hand_to_airlift(request.user, transfer)
    return _tracked(transfer)
