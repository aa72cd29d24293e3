"""Planning runs: the clearing-house's state as the planner's input, solved in the
background (django-tasks), the result checked and stored with its input.

The input document is the spec's own JSON (shared/specs/airlift.md), built from the
fleet, the airfield limits and :func:`build_consignments`; it is stored on the run
with the output, so anyone can re-run :func:`check_airlift` on them later.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from aidbridge.airlift.actions import plan_refusal
from aidbridge.airlift.consignments import build_consignments, iso
from aidbridge.airlift.models import Aircraft, AircraftType, AirfieldLimit, AirliftPlanRun, Size
from aidbridge.audit.services import record
from aidbridge.catalogue.airports import get_airport
from aidbridge.core.actions import refuse
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.crises.models import Crisis
from aidbridge.planning.airlift import check_airlift, parse_airlift, plan_airlift, plan_to_json

log = logging.getLogger(__name__)

GROUND_MINUTES = 90
MAX_TIME_LIMIT_S = 600.0


def planning_input(crisis: Crisis) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    """``(document, lines, skipped)``: the spec's input document for the crisis, the
    offer line and quantity behind each consignment id, and the lines left out."""
    fleet = list(Aircraft.objects.select_related("type").order_by("tail"))
    if not fleet:
        raise Conflict("the fleet is empty: add aircraft before planning", field="fleet")
    consignments, skipped = build_consignments(crisis)
    horizon_end = max(a.available_until for a in fleet)
    codes = {a.base for a in fleet}
    for c in consignments:
        codes |= {c.origin, c.destination}
    limits = dict(AirfieldLimit.objects.filter(icao__in=codes).values_list("icao", "max_aircraft"))
    airports = []
    for code in sorted(codes):
        found = get_airport(code)
        if found is None:  # a base saved before the check existed; refuse by name
            raise Conflict(f"base {code} is not a known ICAO airport", field="fleet")
        airports.append(
            {
                "code": code,
                "lat": found.lat,
                "lon": found.lon,
                "max_aircraft": limits.get(code, Size.HEAVY),
            }
        )
    types = AircraftType.objects.filter(aircraft__isnull=False).distinct().order_by("code")
    document = {
        "airports": airports,
        "aircraft_types": [
            {
                "code": t.code,
                "payload_kg": t.payload_kg,
                "pallets": t.pallets,
                "cruise_kmh": t.cruise_kmh,
                "range_km": t.range_km,
                "size": t.size,
                "cost_per_hour": t.cost_per_hour,
            }
            for t in types
        ],
        "fleet": [
            {
                "id": a.tail,
                "type": a.type.code,
                "base": a.base,
                "available_from": iso(a.available_from),
                "available_until": iso(a.available_until),
            }
            for a in fleet
        ],
        "consignments": [c.spec(horizon_end) for c in consignments],
        "ground_minutes": GROUND_MINUTES,
    }
    lines = {c.id: {"offer_line": c.offer_line, "quantity": c.quantity} for c in consignments}
    return document, lines, [asdict(s) for s in skipped]


def request_airlift_plan(actor: Any, crisis: Crisis, time_limit_s: float = 10.0) -> AirliftPlanRun:
    """Queue a planning run for the crisis's accepted aid awaiting airlift."""
    refuse(plan_refusal(actor, crisis))
    if isinstance(time_limit_s, bool) or not isinstance(time_limit_s, int | float):
        raise ValidationFailed("must be a number of seconds", field="time_limit_s")
    if not 0 < time_limit_s <= MAX_TIME_LIMIT_S:
        raise ValidationFailed(
            f"must be more than 0 and at most {MAX_TIME_LIMIT_S:.0f} seconds",
            field="time_limit_s",
        )
    with transaction.atomic():
        document, lines, skipped = planning_input(crisis)
        # Built again under the transaction: the rule once more on what is planned.
        refuse(
            plan_refusal(
                actor, crisis, awaiting=len(document["consignments"]), skipped=len(skipped)
            )
        )
        run = AirliftPlanRun.objects.create(
            crisis=crisis,
            time_limit_s=float(time_limit_s),
            input=document,
            lines=lines,
            skipped=skipped,
            requested_by=actor,
        )
        record(
            actor,
            "airlift_plan.request",
            run,
            crisis=crisis,
            to_state=run.status,
            changes={"consignments": [None, len(lines)], "time_limit_s": [None, time_limit_s]},
        )
    # Enqueued once the run is committed: a worker must find the row it is given.
    result = plan_airlift_run.enqueue(run.pk)
    AirliftPlanRun.objects.filter(pk=run.pk, task_id="").update(task_id=str(result.id))
    run.refresh_from_db()
    return run


def _move(run_id: int, to: str, **values: Any) -> AirliftPlanRun:
    with transaction.atomic():
        run = AirliftPlanRun.objects.select_for_update().get(pk=run_id)
        old = run.status
        run.status = to
        for name, value in values.items():
            setattr(run, name, value)
        run.save()
        record(None, f"airlift_plan.{to}", run, crisis=run.crisis, from_state=old, to_state=to)
    return run


@task()
def plan_airlift_run(run_id: int) -> str:
    """The background half: solve the stored input, check the plan, store both."""
    run = AirliftPlanRun.objects.get(pk=run_id)
    if run.status != AirliftPlanRun.Status.QUEUED:
        return run.status  # a retried task must not plan twice
    run = _move(run_id, AirliftPlanRun.Status.RUNNING, started_at=timezone.now())
    try:
        problem = parse_airlift(run.input)
        plan = plan_airlift(problem, time_limit_s=run.time_limit_s)
        violations = [str(v) for v in check_airlift(problem, plan)]
        output = plan_to_json(plan)
    except Exception as exc:  # a planner failure is recorded on the run, not lost
        log.exception("airlift plan %s failed", run_id)
        _move(
            run_id,
            AirliftPlanRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}",
        )
        return AirliftPlanRun.Status.FAILED
    _move(
        run_id,
        AirliftPlanRun.Status.DONE,
        finished_at=timezone.now(),
        output=output,
        violations=violations,
    )
    return AirliftPlanRun.Status.DONE
