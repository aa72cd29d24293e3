"""The plan's published JSON form (spec "Output")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .model import AirliftPlan, Stop


def iso_minute(t: datetime) -> str:
    """UTC timestamp to the minute, the precision the spec checks times to."""
    return t.strftime("%Y-%m-%dT%H:%M:00Z")


def _stop(stop: Stop, first: bool, last: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"airport": stop.airport}
    if stop.arrive is not None:
        out["arrive"] = iso_minute(stop.arrive)
    if stop.depart is not None:
        out["depart"] = iso_minute(stop.depart)
    # The spec's example leaves the cargo lists off the base stops when they are empty.
    if not (first or last) or stop.load or stop.unload:
        out["load"] = list(stop.load)
        out["unload"] = list(stop.unload)
    return out


def plan_to_json(plan: AirliftPlan) -> dict[str, Any]:
    """The plan as the JSON-ready dict of the spec."""
    return {
        "sorties": [
            {
                "aircraft": s.aircraft,
                "stops": [
                    _stop(stop, k == 0, k == len(s.stops) - 1) for k, stop in enumerate(s.stops)
                ],
            }
            for s in plan.sorties
        ],
        "unassigned": [
            {"consignment": u.consignment, "reason": u.reason, "code": u.code, "params": u.params}
            for u in plan.unassigned
        ],
        "stats": plan.stats,
    }
