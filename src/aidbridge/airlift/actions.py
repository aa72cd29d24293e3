"""What a user may do now with the airlift: start a plan for a crisis, approve a plan,
mark a sortie departed or arrived. The rules, once, for the pages and the services
(see ``core.actions``)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.permissions import centre_refusal, profile_of
from aidbridge.airlift.consignments import build_consignments
from aidbridge.airlift.models import Aircraft, AirliftPlanRun, Sortie
from aidbridge.airlift.permissions import airlift_staff_refusal
from aidbridge.core.actions import Refusal, Rules, allowed, first, require
from aidbridge.core.errors import Conflict
from aidbridge.crises.models import Crisis
from aidbridge.runs import lifecycle


def plan_refusal(
    actor: Any, crisis: Crisis, *, awaiting: int | None = None, skipped: int = 0
) -> Refusal:
    """The centre or the airlift coordinator plans while a fleet exists and accepted aid
    awaits airlift. ``awaiting``/``skipped``: the consignment counts if already built."""
    refusal = airlift_staff_refusal(profile_of(actor), gettext_noop("plan the airlift"))
    if refusal is not None:
        return refusal
    if not Aircraft.objects.exists():
        return Conflict(gettext("the fleet is empty: add aircraft before planning"), field="fleet")
    if awaiting is None:
        consignments, left_out = build_consignments(crisis)
        awaiting, skipped = len(consignments), len(left_out)
    if awaiting:
        return None
    return Conflict(
        f"no accepted aid of {crisis.code} awaits airlift"
        + (f" ({skipped} line(s) skipped: see the consignments)" if skipped else ""),
        field="crisis",
    )


def carried(run: AirliftPlanRun) -> list[str]:
    """Consignment ids loaded on the plan's sorties, in plan order."""
    sorties = (run.output or {}).get("sorties", [])
    return [cid for s in sorties for stop in s["stops"] for cid in stop.get("load", [])]


def approvable(run: AirliftPlanRun) -> Refusal:
    """The plan's side of approving: finished, feasible, flies something, not yet
    approved. (The pages tell the airlift coordinator such a plan awaits the centre.)"""
    if run.approved_at is not None:
        return Conflict(gettext("%(run)s is already approved") % {"run": run}, field="run")
    if run.status != AirliftPlanRun.Status.DONE:
        return Conflict(
            gettext("%(run)s is %(status)s: only a finished plan is approved")
            % {"run": run, "status": run.status},
            field="run",
        )
    if run.violations:
        return Conflict(
            gettext("%(run)s fails the feasibility check: %(value)s")
            % {"run": run, "value": run.violations[0]},
            field="run",
        )
    if not carried(run):
        return Conflict(
            gettext("%(run)s flies nothing: there is nothing to approve") % {"run": run},
            field="run",
        )
    return None


def plan_run_rules(actor: Any, run: AirliftPlanRun) -> Rules:
    """The centre approves a finished, feasible plan that flies something, once.
    (Whether the clearing-house changed since is checked on approval: it is costly.)"""
    profile = profile_of(actor)

    def manage(what: str, action: str) -> Refusal:
        return first(
            lambda: airlift_staff_refusal(profile, what),
            lambda: lifecycle.refusal(run, action),
        )

    return {
        "approve": lambda: (
            centre_refusal(profile, gettext_noop("approve an airlift plan")) or approvable(run)
        ),
        # Whoever may plan may stop a plan or solve a failed one again; when is the
        # one table of runs.lifecycle.
        "restart": lambda: manage("restart an airlift plan", "restart"),
        "cancel": lambda: manage("cancel an airlift plan", "cancel"),
    }


def plan_run_actions(actor: Any, run: AirliftPlanRun) -> set[str]:
    return allowed(plan_run_rules(actor, run))


def require_plan_run_action(actor: Any, run: AirliftPlanRun, action: str) -> None:
    require(plan_run_rules(actor, run), action)


# Each action on a sortie: the status it starts from and the status it leads to.
SORTIE_MOVES: dict[str, tuple[str, str]] = {
    "depart": (Sortie.Status.PLANNED, Sortie.Status.DEPARTED),
    "arrive": (Sortie.Status.DEPARTED, Sortie.Status.ARRIVED),
}


def sortie_rules(actor: Any, sortie: Sortie) -> Rules:
    """The centre or the airlift coordinator tracks a sortie: planned, departed, arrived."""
    profile = profile_of(actor)

    def move(action: str) -> Refusal:
        refusal: Refusal = airlift_staff_refusal(profile, gettext_noop("track sorties"))
        source, target = SORTIE_MOVES[action]
        if refusal is None and sortie.status != source:
            refusal = Conflict(
                gettext("sortie %(sortie)s is %(status)s: it cannot become %(target)s")
                % {"sortie": sortie, "status": sortie.status, "target": target},
                field="status",
            )
        return refusal

    return {action: partial(move, action) for action in SORTIE_MOVES}


def sortie_actions(actor: Any, sortie: Sortie) -> set[str]:
    return allowed(sortie_rules(actor, sortie))


def require_sortie_action(actor: Any, sortie: Sortie, action: str) -> None:
    require(sortie_rules(actor, sortie), action)
