"""Planning runs: the clearing-house's state as the planner's input, solved in the
background (django-tasks), the result checked and stored with its input.

The input document is the spec's own JSON (docs/specs/airlift.md), built from the
fleet, the airfield limits and :func:`build_consignments`; it is stored on the run
with the output, so anyone can re-run :func:`check_airlift` on them later.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop
from django_tasks import task

from aidbridge.airlift.actions import plan_refusal, require_plan_run_action
from aidbridge.airlift.consignments import build_consignments, iso
from aidbridge.airlift.models import Aircraft, AircraftType, AirfieldLimit, AirliftPlanRun, Size
from aidbridge.audit.services import record
from aidbridge.catalogue.airports import get_airport
from aidbridge.core.actions import refuse
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.crises.models import Crisis
from aidbridge.planning.airlift import check_airlift, parse_airlift, plan_airlift, plan_to_json
from aidbridge.runs import lifecycle

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
        # Queued when the run is committed: a worker must find the row it is given.
        lifecycle.enqueue_on_commit(run, plan_airlift_run)
    run.refresh_from_db()  # as it stands now: planned already if tasks run inline
    return run


def restart_plan_run(actor: Any, run: AirliftPlanRun) -> AirliftPlanRun:
    """Solve a failed or cancelled run again: the same run and its stored input (an
    approval checks that the clearing-house did not change since)."""
    require_plan_run_action(actor, run, "restart")
    return lifecycle.restart(actor, run, plan_airlift_run, violations=[])


def cancel_plan_run(actor: Any, run: AirliftPlanRun, reason: str = "") -> AirliftPlanRun:
    """Stop a queued or running run; a worker already solving it drops its result."""
    require_plan_run_action(actor, run, "cancel")
    return lifecycle.move(actor, run, "cancel", reason=reason, phase="")


def _solve(run: AirliftPlanRun, beat: lifecycle.Heartbeat) -> None:
    beat.phase(gettext_noop("solving"))
    problem = parse_airlift(run.input)
    plan = plan_airlift(problem, time_limit_s=run.time_limit_s, progress=beat)
    beat.phase(gettext_noop("checking the plan"))
    violations = [str(v) for v in check_airlift(problem, plan)]
    lifecycle.move(None, run, "succeed", output=plan_to_json(plan), violations=violations, phase="")


@task()
def plan_airlift_run(run_id: int) -> str:
    """The background half: solve the stored input, check the plan, store both."""
    return lifecycle.execute(AirliftPlanRun, run_id, _solve)
