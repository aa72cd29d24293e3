"""Transfer matching runs: asking for a proposal, re-checking it, accepting it.

The matching itself runs as a background task (``matching_tasks``); a run's status
changes only through ``runs.lifecycle``. Accepting a proposal accepts, for each bed
offer line it uses, as many patients as the plan sends there, through the offers' own
acceptance service (the ledger's figures follow); what the plan does not use stays
undecided, for the requesting nation to decide.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone

from aidbridge.audit.services import record
from aidbridge.core.actions import refuse
from aidbridge.core.errors import Conflict
from aidbridge.crises.locks import lock_crisis
from aidbridge.crises.models import Crisis
from aidbridge.hospitals.matching_actions import require_run_action, start_refusal
from aidbridge.hospitals.matching_input import input_from_json
from aidbridge.hospitals.matching_tasks import run_transfer_matching
from aidbridge.hospitals.models import ProposedTransfer, TransferMatchingRun
from aidbridge.offers.models import OfferLine
from aidbridge.offers.services import accept_offer_line
from aidbridge.planning.transfers import (
    MatchingCheck,
    MatchingPlan,
    RegionFill,
    Shortfall,
    Transfer,
    check_matching,
)
from aidbridge.runs import lifecycle
from aidbridge.runs.lifecycle import enqueue_on_commit


def request_matching(actor: Any, crisis: Crisis) -> TransferMatchingRun:
    """The centre asks for a proposed matching for ``crisis``, planned in the background
    (the task is queued when the run is committed)."""
    with transaction.atomic():
        crisis = lock_crisis(crisis.pk)
        refuse(start_refusal(actor, crisis))
        run = TransferMatchingRun.objects.create(crisis=crisis, requested_by=actor)
        enqueue_on_commit(run, run_transfer_matching)
        record(actor, "transfer_matching_run.request", run, crisis=crisis, to_state=run.status)
    run.refresh_from_db()
    return run


def restart_run(actor: Any, run: TransferMatchingRun) -> TransferMatchingRun:
    """Match a failed or cancelled run again, on the crisis as it is now."""
    with transaction.atomic():
        run.crisis = lock_crisis(run.crisis_id)
        require_run_action(actor, run, "restart")
        ProposedTransfer.objects.filter(run=run).delete()
        return lifecycle.restart(
            actor, run, run_transfer_matching, input=None, rows=None, check_ok=None
        )


def cancel_run(actor: Any, run: TransferMatchingRun, reason: str = "") -> TransferMatchingRun:
    require_run_action(actor, run, "cancel")
    return lifecycle.move(actor, run, "cancel", reason=reason, phase="")


def plan_from_json(doc: dict[str, Any]) -> MatchingPlan:
    return MatchingPlan(
        transfers=tuple(Transfer(**t) for t in doc["transfers"]),
        shortfalls=tuple(Shortfall(**s) for s in doc["shortfalls"]),
        regions=tuple(
            RegionFill(**{k: v for k, v in r.items() if k != "fill"}) for r in doc["regions"]
        ),
        patient_minutes=doc["patient_minutes"],
        levels=tuple(doc["levels"]),
        seconds=doc["seconds"],
    )


def recheck_run(run: TransferMatchingRun) -> MatchingCheck:
    """The stored proposal against the stored input, with the matcher's own check."""
    if run.input is None or run.output is None:
        raise Conflict(f"{run} is {run.status}: it has no proposal to check", field="id")
    return check_matching(input_from_json(run.input), plan_from_json(run.output))


def accept_run(actor: Any, run: TransferMatchingRun) -> list[OfferLine]:
    """The centre accepts the proposal: each bed offer line it uses is accepted for the
    patients the plan sends to its hospitals. Refused as a whole, nothing written, if any
    line can no longer take them (withdrawn, decided meanwhile, need met since)."""
    with transaction.atomic():
        run = TransferMatchingRun.objects.select_for_update().get(pk=run.pk)
        run.crisis = lock_crisis(run.crisis_id)
        require_run_action(actor, run, "accept")
        patients: Counter[int] = Counter()
        for offer_line_id, n in run.transfers.values_list("offer_line_id", "patients"):
            patients[offer_line_id] += n
        accepted = [
            accept_offer_line(actor, OfferLine.objects.get(pk=pk), quantity, by_centre_plan=True)
            for pk, quantity in sorted(patients.items())
        ]
        run.accepted_by, run.accepted_at = actor, timezone.now()
        run.save(update_fields=["accepted_by", "accepted_at"])
        record(
            actor,
            "transfer_matching_run.accept",
            run,
            crisis=run.crisis,
            changes={
                "patients": [None, sum(patients.values())],
                "offer_lines": [None, sorted(patients)],
            },
        )
    return accepted
