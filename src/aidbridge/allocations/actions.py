"""What a user may do now with allocation runs: start one for a crisis, turn a
finished run's proposal into offers, cancel or restart a run. The rules, once, for the
pages and the services (see ``core.actions``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.permissions import centre_refusal, profile_of
from aidbridge.allocations.models import AllocationRun
from aidbridge.core.actions import Refusal, Rules, allowed, first, require
from aidbridge.core.errors import Conflict
from aidbridge.crises.models import Crisis
from aidbridge.runs import lifecycle


def start_refusal(actor: Any, crisis: Crisis) -> Refusal:
    """The centre runs the allocation planner for an active crisis."""
    refusal: Refusal = centre_refusal(profile_of(actor), "run the allocation planner")
    if refusal is None and crisis.status != Crisis.Status.ACTIVE:
        refusal = Conflict(
            gettext("the crisis %(code)s is closed") % {"code": crisis.code}, field="code"
        )
    return refusal


def run_rules(actor: Any, run: AllocationRun) -> Rules:
    """The centre turns lines of a finished proposal into offers for their donors; it
    cancels a queued or running run, and restarts a failed or cancelled one (planned
    again on the crisis as it is then) while the crisis is active. When a run may
    move is the one table of ``runs.lifecycle``."""
    profile = profile_of(actor)

    def active() -> Refusal:
        if run.crisis.status != Crisis.Status.ACTIVE:
            return Conflict(
                gettext("the crisis %(code)s is closed") % {"code": run.crisis.code}, field="code"
            )
        return None

    def manage(what: str, action: str) -> Refusal:
        return first(
            lambda: centre_refusal(profile, what),
            lambda: lifecycle.refusal(run, action),
        )

    def done() -> Refusal:
        if run.status == AllocationRun.Status.DONE:
            return None
        return Conflict(
            gettext("%(run)s is %(status)s: only a finished proposal can be used")
            % {"run": run, "status": run.status},
            field="id",
        )

    return {
        "propose": lambda: (
            centre_refusal(profile, gettext_noop("turn a proposal into offers")) or done()
        ),
        "restart": lambda: manage("restart an allocation run", "restart") or active(),
        "cancel": lambda: manage("cancel an allocation run", "cancel"),
    }


def run_actions(actor: Any, run: AllocationRun) -> set[str]:
    return allowed(run_rules(actor, run))


def require_run_action(actor: Any, run: AllocationRun, action: str) -> None:
    require(run_rules(actor, run), action)
