"""API: airlift consignments, planning runs and sorties. Thin: services decide."""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import datetime
from typing import Any, get_type_hints

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import create_model

from aidbridge.accounts.permissions import profile_of
from aidbridge.airlift import selectors, services
from aidbridge.airlift.consignments import Consignment, build_consignments
from aidbridge.airlift.models import Sortie
from aidbridge.airlift.permissions import require_airlift_staff
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import InputSchema, PathId
from aidbridge.crises.selectors import crisis_by_code, crisis_for_input
from aidbridge.runs.models import RunStatus

router = Router(tags=["airlift"])


def _schema_of(cls: type, name: str) -> type[Schema]:
    """The response schema of a dataclass, field by field, so the two cannot drift."""
    hints = get_type_hints(cls)
    return create_model(  # type: ignore[call-overload]
        name,
        __base__=Schema,
        **{
            f.name: (hints[f.name], ... if f.default is MISSING else f.default) for f in fields(cls)
        },
    )


ConsignmentOut = _schema_of(Consignment, "ConsignmentOut")


class SkippedOut(Schema):
    offer_line: int
    offer: str
    item: str
    quantity: int
    reason: str


class ConsignmentsOut(Schema):
    consignments: list[ConsignmentOut]  # type: ignore[valid-type]
    skipped: list[SkippedOut]


class PlanRequestIn(InputSchema):
    time_limit_s: float = Field(10.0, description="Solver time limit in seconds (max 600)")


class ScheduledSortie(Schema):
    stops: list[dict[str, Any]]
    consignments: list[str]
    weight_kg: float
    pallets: int


class AircraftSchedule(Schema):
    aircraft: str
    type: str
    operator: str
    base: str
    sorties: list[ScheduledSortie]


class UnassignedOut(Schema):
    consignment: str | None
    offer_line: int | None
    reason: str


class PlanOut(Schema):
    id: int
    crisis: str
    status: RunStatus
    approved: bool
    time_limit_s: float
    requested_by: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None = Field(
        None, description="Last sign of life of the worker solving it (runs.lifecycle)"
    )
    phase: str = Field("", description="What the worker is doing while it runs")
    attempts: int = Field(0, description="How many times a worker took it (restarts)")
    approved_by: str | None
    approved_at: datetime | None
    consignments: int
    schedule: list[AircraftSchedule]
    unassigned: list[UnassignedOut]
    stats: dict[str, Any]
    violations: list[str]
    error: str
    sorties: list[str]


class LoadOut(Schema):
    consignment: str
    offer_line: int
    item: str
    quantity: int
    weight_kg: float
    pallets: int
    origin: str
    destination: str
    load_at: datetime
    unload_at: datetime
    dispatch: int | None


class SortieOut(Schema):
    id: int
    reference: str
    crisis: str
    plan: int
    aircraft: str
    type: str
    operator: str
    status: Sortie.Status
    planned_departure: datetime
    planned_return: datetime
    departed_at: datetime | None
    arrived_at: datetime | None
    note: str
    stops: list[dict[str, Any]]
    loads: list[LoadOut]


class SortieFilters(Schema):
    crisis: str | None = Field(None, description="Crisis code")
    status: Sortie.Status | None = None
    aircraft: str | None = Field(None, description="Aircraft tail")


class SortieMoveIn(InputSchema):
    at: datetime | None = Field(None, description="Default: now")
    note: str = ""


@router.get("/crises/{code}/airlift-consignments", response=ConsignmentsOut)
def list_consignments(request: HttpRequest, code: str) -> dict[str, Any]:
    """What a plan would fly now, and the lines needing airlift that it cannot."""
    require_airlift_staff(request.user, "see the airlift consignments")
    found, skipped = build_consignments(crisis_by_code(code))
    return {"consignments": found, "skipped": skipped}


@router.post("/crises/{code}/airlift-plans", response={202: PlanOut})
def request_plan(request: HttpRequest, code: str, payload: PlanRequestIn) -> Status[Any]:
    """Queue a planning run; poll ``GET /airlift-plans/{id}`` until it is done."""
    run = services.request_airlift_plan(
        request.user, crisis_by_code(code), time_limit_s=payload.time_limit_s
    )
    return Status(202, selectors.plan_view(selectors.plan_run(request.user, run.pk)))


@router.get("/crises/{code}/airlift-plans", response=Page[PlanOut])
def list_plans(request: HttpRequest, code: str, page: Query[PageParams]) -> dict[str, Any]:
    profile_of(request.user)
    runs = selectors.plan_runs(crisis_by_code(code))
    return paginate(request, runs, page, lambda rows: [selectors.plan_view(r) for r in rows])


@router.get("/airlift-plans/{plan_id}", response=PlanOut)
def get_plan(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    return selectors.plan_view(selectors.plan_run(request.user, plan_id))


@router.post("/airlift-plans/{plan_id}/restart", response={202: PlanOut})
def restart_plan(request: HttpRequest, plan_id: PathId) -> Status[Any]:
    """Solve a failed or cancelled plan again (the same run and stored input)."""
    services.restart_plan_run(request.user, selectors.plan_run(request.user, plan_id))
    return Status(202, selectors.plan_view(selectors.plan_run(request.user, plan_id)))


@router.post("/airlift-plans/{plan_id}/cancel", response=PlanOut)
def cancel_plan(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    """Stop a queued or running plan; a worker already solving it drops its result."""
    services.cancel_plan_run(request.user, selectors.plan_run(request.user, plan_id))
    return selectors.plan_view(selectors.plan_run(request.user, plan_id))


@router.post("/airlift-plans/{plan_id}/approve", response=PlanOut)
def approve_plan(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    services.approve_airlift_plan(request.user, selectors.plan_run(request.user, plan_id))
    return selectors.plan_view(selectors.plan_run(request.user, plan_id))


@router.get("/sorties", response=Page[SortieOut])
def list_sorties(
    request: HttpRequest, filters: Query[SortieFilters], page: Query[PageParams]
) -> dict[str, Any]:
    profile_of(request.user)
    crisis = crisis_for_input(filters.crisis, "crisis") if filters.crisis else None
    rows = selectors.sorties(crisis=crisis, status=filters.status, aircraft=filters.aircraft)
    return paginate(request, rows, page, lambda found: [selectors.sortie_view(s) for s in found])


@router.get("/sorties/{sortie_id}", response=SortieOut)
def get_sortie(request: HttpRequest, sortie_id: PathId) -> dict[str, Any]:
    return selectors.sortie_view(selectors.sortie(request.user, sortie_id))


@router.post("/sorties/{sortie_id}/depart", response=SortieOut)
def depart(request: HttpRequest, sortie_id: PathId, payload: SortieMoveIn) -> dict[str, Any]:
    found = selectors.sortie(request.user, sortie_id)
    services.depart(request.user, found, at=payload.at, note=payload.note)
    return selectors.sortie_view(selectors.sortie(request.user, sortie_id))


@router.post("/sorties/{sortie_id}/arrive", response=SortieOut)
def arrive(request: HttpRequest, sortie_id: PathId, payload: SortieMoveIn) -> dict[str, Any]:
    found = selectors.sortie(request.user, sortie_id)
    services.arrive(request.user, found, at=payload.at, note=payload.note)
    return selectors.sortie_view(selectors.sortie(request.user, sortie_id))
