"""What a user may do now with transfer matching runs: start one for an active crisis,
accept a finished proposal once, cancel or restart a run. The centre only; when a run
may move is the one table of ``runs.lifecycle`` (see ``core.actions``)."""

from __future__ import annotations

from typing import Any

from aidbridge.accounts.permissions import centre_refusal, profile_of
from aidbridge.core.actions import Refusal, Rules, allowed, first, require
from aidbridge.core.errors import Conflict
from aidbridge.crises.models import Crisis
from aidbridge.hospitals.models import TransferMatchingRun
from aidbridge.runs import lifecycle


def start_refusal(actor: Any, crisis: Crisis) -> Refusal:
    refusal: Refusal = centre_refusal(profile_of(actor), "run the transfer matching")
    if refusal is None and crisis.status != Crisis.Status.ACTIVE:
        refusal = Conflict(f"the crisis {crisis.code} is closed", field="code")
    return refusal


def run_rules(actor: Any, run: TransferMatchingRun) -> Rules:
    profile = profile_of(actor)

    def active() -> Refusal:
        if run.crisis.status != Crisis.Status.ACTIVE:
            return Conflict(f"the crisis {run.crisis.code} is closed", field="code")
        return None

    def acceptable() -> Refusal:
        if run.status != TransferMatchingRun.Status.DONE:
            return Conflict(f"{run} is {run.status}: only a finished proposal is accepted")
        if run.accepted_at is not None:
            return Conflict(f"{run} was already accepted", code="already_accepted")
        if not run.transfers.exists():
            return Conflict(f"{run} proposes no transfer", code="nothing_to_accept")
        return None

    def manage(what: str, action: str) -> Refusal:
        return first(lambda: centre_refusal(profile, what), lambda: lifecycle.refusal(run, action))

    return {
        "accept": lambda: first(
            lambda: centre_refusal(profile, "accept a transfer matching"), active, acceptable
        ),
        "restart": lambda: manage("restart a transfer matching run", "restart") or active(),
        "cancel": lambda: manage("cancel a transfer matching run", "cancel"),
    }


def run_actions(actor: Any, run: TransferMatchingRun) -> set[str]:
    return allowed(run_rules(actor, run))


def require_run_action(actor: Any, run: TransferMatchingRun, action: str) -> None:
    require(run_rules(actor, run), action)
