"""Reading airlift plans and sorties, shaped for the API and the page alike."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from aidbridge.accounts.permissions import profile_of
from aidbridge.airlift.models import Aircraft, AirliftPlanRun, Sortie
from aidbridge.airlift.wording import worded
from aidbridge.core.errors import NotFound
from aidbridge.crises.models import Crisis


def plan_runs_visible_to(actor: Any) -> QuerySet[AirliftPlanRun]:
    """Airlift plans move accepted aid only, which is in the shared picture (accepting
    needs a circulated request): every role reads them, as the pages always did."""
    profile_of(actor)
    return AirliftPlanRun.objects.all()


def sorties_visible_to(actor: Any) -> QuerySet[Sortie]:
    """Sorties carry accepted aid only: every role reads them, like plans."""
    profile_of(actor)
    return Sortie.objects.all()


def plan_run(actor: Any, run_id: int) -> AirliftPlanRun:
    run = (
        plan_runs_visible_to(actor)
        .select_related("crisis", "requested_by", "approved_by")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise NotFound(gettext("no airlift plan %(run_id)s") % {"run_id": run_id}, field="plan_id")
    return run


def plan_runs(crisis: Crisis) -> QuerySet[AirliftPlanRun]:
    return AirliftPlanRun.objects.filter(crisis=crisis).select_related(
        "crisis", "requested_by", "approved_by"
    )


def sorties(
    *, crisis: Crisis | None = None, status: str | None = None, aircraft: str | None = None
) -> QuerySet[Sortie]:
    rows = Sortie.objects.select_related("crisis", "aircraft__type", "run").prefetch_related(
        "loads__offer_line__item", "loads__dispatch"
    )
    if crisis is not None:
        rows = rows.filter(crisis=crisis)
    if status:
        rows = rows.filter(status=status)
    if aircraft:
        rows = rows.filter(aircraft__tail__iexact=aircraft)
    return rows


def sortie(actor: Any, sortie_id: int) -> Sortie:
    found = sorties().filter(pk__in=sorties_visible_to(actor)).filter(pk=sortie_id).first()
    if found is None:
        raise NotFound(
            gettext("no sortie %(sortie_id)s") % {"sortie_id": sortie_id}, field="sortie_id"
        )
    return found


def _weights(run: AirliftPlanRun) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in run.input.get("consignments", [])}


def schedule(run: AirliftPlanRun) -> list[dict[str, Any]]:
    """The plan's sorties grouped per aircraft (a flight schedule), in fleet order."""
    if not run.output:
        return []
    specs = _weights(run)
    fleet = {a["id"]: a for a in run.input["fleet"]}
    planes = {a.tail: a for a in Aircraft.objects.filter(tail__in=fleet).select_related("type")}
    per_aircraft: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for planned in run.output["sorties"]:
        loads = [cid for stop in planned["stops"] for cid in stop.get("load", [])]
        per_aircraft[planned["aircraft"]].append(
            {
                "stops": planned["stops"],
                "consignments": loads,
                "weight_kg": round(sum(specs[c]["weight_kg"] for c in loads), 1),
                "pallets": sum(specs[c]["pallets"] for c in loads),
            }
        )
    return [
        {
            "aircraft": tail,
            "type": fleet[tail]["type"],
            "operator": planes[tail].operator if tail in planes else "",
            "base": fleet[tail]["base"],
            "sorties": per_aircraft[tail],
        }
        for tail in sorted(per_aircraft)
    ]


def unassigned(run: AirliftPlanRun) -> list[dict[str, Any]]:
    """Why each consignment is not flown: the planner's reasons, then the lines that
    could not become consignments at all."""
    out = [
        {
            "consignment": u["consignment"],
            "offer_line": run.lines.get(u["consignment"], {}).get("offer_line"),
            "reason": worded(u),
        }
        for u in (run.output or {}).get("unassigned", [])
    ]
    out += [
        {"consignment": None, "offer_line": s["offer_line"], "reason": worded(s)}
        for s in run.skipped
    ]
    return out


def plan_view(run: AirliftPlanRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "crisis": run.crisis.code,
        "status": run.status,
        "approved": run.approved_at is not None,
        "time_limit_s": run.time_limit_s,
        "requested_by": run.requested_by.get_username(),
        "requested_at": run.requested_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "heartbeat_at": run.heartbeat_at,
        "phase": run.phase,
        "attempts": run.attempts,
        "approved_by": run.approved_by.get_username() if run.approved_by else None,
        "approved_at": run.approved_at,
        "consignments": len(run.input.get("consignments", [])),
        "schedule": schedule(run),
        "unassigned": unassigned(run),
        "stats": (run.output or {}).get("stats", {}),
        "violations": run.violations,
        "error": run.error.splitlines()[0] if run.error else "",
        "sorties": [s.reference for s in run.sorties.all()],
    }


def sortie_view(s: Sortie) -> dict[str, Any]:
    return {
        "id": s.pk,
        "reference": s.reference,
        "crisis": s.crisis.code,
        "plan": s.run_id,
        "aircraft": s.aircraft.tail,
        "type": s.aircraft.type.code,
        "operator": s.aircraft.operator,
        "status": s.status,
        "planned_departure": s.planned_departure,
        "planned_return": s.planned_return,
        "departed_at": s.departed_at,
        "arrived_at": s.arrived_at,
        "note": s.note,
        "stops": s.stops,
        "loads": [
            {
                "consignment": load.consignment,
                "offer_line": load.offer_line_id,
                "item": load.offer_line.item.code,
                "quantity": load.quantity,
                "weight_kg": load.weight_kg,
                "pallets": load.pallets,
                "origin": load.origin,
                "destination": load.destination,
                "load_at": load.load_at,
                "unload_at": load.unload_at,
                "dispatch": load.dispatch_id,
            }
            for load in s.loads.all()
        ],
    }
