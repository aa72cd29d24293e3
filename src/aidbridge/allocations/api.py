"""API: allocation runs for a crisis, their proposal, and the donor's answer to the
offers proposed from it. Thin: services decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from aidbridge.allocations import selectors, services
from aidbridge.allocations.models import AllocationRun
from aidbridge.api.schemas import Id, InputSchema, PathId
from aidbridge.crises.selectors import crisis_by_code
from aidbridge.offers import proposals
from aidbridge.offers import selectors as offer_selectors
from aidbridge.offers.api import OfferLineOut, OfferOut, line_out, offer_out
from aidbridge.runs.models import RunStatus

router = Router(tags=["allocation"])


class ProposedLineOut(Schema):
    id: int = Field(..., description="Select this id to turn the line into an offer")
    supply: str = Field(..., description="Standing offer line, as named in the input")
    supply_line: int = Field(..., description="Id of the standing offer line")
    donor: str
    item: str
    quantity: int
    offer: int | None = Field(None, description="The proposed offer made from it, if any")
    offer_line: int | None


class NeedProposalOut(Schema):
    need: str = Field(..., description="RFA reference / line position")
    request_line: int | None
    party: str
    item: str
    quantity: int = Field(..., description="What the need still missed when planned")
    priority: int
    needed_by: str | None
    proposed: int
    explanation: str
    lines: list[ProposedLineOut]


class RunOut(Schema):
    id: int
    crisis: str
    status: RunStatus
    requested_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None = Field(
        None, description="Last sign of life of the worker planning it (runs.lifecycle)"
    )
    phase: str = Field("", description="What the worker is doing while it runs")
    attempts: int = Field(0, description="How many times a worker took it (restarts)")
    build_seconds: float | None
    plan_seconds: float | None
    check_ok: bool | None
    error: str
    stats: dict[str, Any] | None
    needs: list[NeedProposalOut]


class CheckOut(Schema):
    ok: bool
    violations: list[str]


class TurnIn(InputSchema):
    proposals: list[Id] = Field(..., description="Ids of proposed lines of this run")


class DeclineProposalIn(InputSchema):
    reason: str = ""


def _line_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "supply": p.supply_ref,
        "supply_line": p.supply_id,
        "donor": p.supply.offer.donor.code,
        "item": p.supply.item.code,
        "quantity": p.quantity,
        "offer": p.offer_line.offer_id if p.offer_line else None,
        "offer_line": p.offer_line_id,
    }


def run_out(run: AllocationRun) -> dict[str, Any]:
    needs = selectors.proposal_by_need(run)
    for need in needs:
        need["lines"] = [_line_out(p) for p in need["lines"]]
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
        "build_seconds": run.build_seconds,
        "plan_seconds": run.plan_seconds,
        "check_ok": run.check_ok,
        "error": run.error,
        "stats": (run.output or {}).get("stats"),
        "needs": needs,
    }


@router.post("/crises/{code}/allocation-runs", response={202: RunOut})
def start_run(request: HttpRequest, code: str) -> Status[dict[str, Any]]:
    run = services.request_allocation(request.user, crisis_by_code(code))
    return Status(202, run_out(selectors.get_run(request.user, run.pk)))


@router.get("/allocation-runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: PathId) -> dict[str, Any]:
    return run_out(selectors.get_run(request.user, run_id))


@router.post("/allocation-runs/{run_id}/restart", response={202: RunOut})
def restart_run(request: HttpRequest, run_id: PathId) -> Status[dict[str, Any]]:
    """Plan a failed or cancelled run again (the same run, on the crisis as it is now)."""
    services.restart_run(request.user, selectors.get_run(request.user, run_id))
    return Status(202, run_out(selectors.get_run(request.user, run_id)))


@router.post("/allocation-runs/{run_id}/cancel", response=RunOut)
def cancel_run(request: HttpRequest, run_id: PathId) -> dict[str, Any]:
    """Stop a queued or running run; a worker already planning it drops its result."""
    services.cancel_run(request.user, selectors.get_run(request.user, run_id))
    return run_out(selectors.get_run(request.user, run_id))


@router.get("/allocation-runs/{run_id}/check", response=CheckOut)
def check_run(request: HttpRequest, run_id: PathId) -> dict[str, Any]:
    report = services.recheck_run(selectors.get_run(request.user, run_id))
    return {"ok": report.ok, "violations": report.violations}


@router.post("/allocation-runs/{run_id}/offers", response={201: list[OfferLineOut]})
def turn_into_offers(
    request: HttpRequest, run_id: PathId, payload: TurnIn
) -> Status[list[dict[str, Any]]]:
    run = selectors.get_run(request.user, run_id)
    created = services.turn_into_offers(request.user, run, payload.proposals)
    fresh = offer_selectors.lines_with_movement().in_bulk([ln.pk for ln in created])
    return Status(201, [line_out(fresh[ln.pk], ln.offer) for ln in created])


@router.post("/offers/{offer_id}/confirm", response=OfferOut)
def confirm_proposed_offer(request: HttpRequest, offer_id: PathId) -> dict[str, Any]:
    offer = offer_selectors.offer_detail(request.user, offer_id)
    proposals.confirm_proposed_offer(request.user, offer)
    return offer_out(offer_selectors.offer_detail(request.user, offer_id))


@router.post("/offers/{offer_id}/decline-proposal", response=OfferOut)
def decline_proposed_offer(
    request: HttpRequest, offer_id: PathId, payload: DeclineProposalIn
) -> dict[str, Any]:
    offer = offer_selectors.offer_detail(request.user, offer_id)
    proposals.decline_proposed_offer(request.user, offer, payload.reason)
    return offer_out(offer_selectors.offer_detail(request.user, offer_id))
