"""Allocation runs: asking for a proposal, computing it, re-checking it, acting on it.

A run's status changes only through ``aidbridge.runs.lifecycle`` (one table for
every kind of planning run), each change with its audit entry. The planning itself
runs as a background task (``tasks.run_allocation``) because a large crisis may take
seconds to plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from aidbridge.allocations.actions import require_run_action, start_refusal
from aidbridge.allocations.adapter import open_quantities
from aidbridge.allocations.models import AllocationRun, ProposedLine
from aidbridge.allocations.tasks import run_allocation
from aidbridge.audit.services import record
from aidbridge.core.actions import refuse
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.crises.locks import lock_crisis
from aidbridge.crises.models import Crisis
from aidbridge.offers.proposals import Draw, propose_drawn_offers
from aidbridge.planning.allocation import (
    CheckReport,
    check_allocation,
    parse_allocation,
    plan_from_json,
)
from aidbridge.requests.models import RequestLine
from aidbridge.runs import lifecycle
from aidbridge.runs.lifecycle import enqueue_on_commit


def request_allocation(actor: Any, crisis: Crisis) -> AllocationRun:
    """The centre asks for a proposal for ``crisis``; the planning runs in the background.

    The task is queued when the run is committed, so a worker always finds it.
    """
    with transaction.atomic():
        crisis = lock_crisis(crisis.pk)  # not behind a close of the crisis (core.locks)
        refuse(start_refusal(actor, crisis))
        run = AllocationRun.objects.create(crisis=crisis, requested_by=actor)
        # Sent when the transaction commits, not now: anything failing after this
        # line (the audit entry below) rolls the run back and sends nothing.
        enqueue_on_commit(run, run_allocation)
        record(actor, "allocation_run.request", run, crisis=crisis, to_state=run.status)
    run.refresh_from_db()  # as it stands now: planned already if tasks run inline
    return run


def restart_run(actor: Any, run: AllocationRun) -> AllocationRun:
    """Plan a failed or cancelled run again: the same run, its input rebuilt from the
    crisis as it is now (its old proposal, never usable, is dropped)."""
    with transaction.atomic():
        crisis = lock_crisis(run.crisis_id)
        run.crisis = crisis
        require_run_action(actor, run, "restart")
        ProposedLine.objects.filter(run=run).delete()
        return lifecycle.restart(
            actor,
            run,
            run_allocation,
            input=None,
            rows=None,
            check_ok=None,
            build_seconds=None,
            plan_seconds=None,
        )


def cancel_run(actor: Any, run: AllocationRun, reason: str = "") -> AllocationRun:
    """Stop a queued or running run; a worker already planning it drops its result."""
    require_run_action(actor, run, "cancel")
    return lifecycle.move(actor, run, "cancel", reason=reason, phase="")


def recheck_run(run: AllocationRun) -> CheckReport:
    """Check the stored proposal against the stored input, with the spec's rules."""
    if run.input is None or run.output is None:
        raise Conflict(
            gettext("%(run)s is %(status)s: it has no proposal to check")
            % {"run": run, "status": run.status},
            field="id",
        )
    return check_allocation(parse_allocation(run.input), plan_from_json(run.output))


def turn_into_offers(actor: Any, run: AllocationRun, proposal_ids: Sequence[int]) -> list[Any]:
    """The centre turns selected proposed lines into offers their donors must confirm.

    Refused as a whole, nothing written, when a line is selected twice, is not of this
    run, was already turned into an offer, or its stock or need changed since the run
    so that the quantity no longer fits.
    """
    require_run_action(actor, run, "propose")
    ids = list(proposal_ids)
    if not ids:
        raise ValidationFailed(gettext("select at least one proposed line"), field="proposals")
    twice = sorted(pk for pk, n in Counter(ids).items() if n > 1)
    if twice:
        raise ValidationFailed(
            gettext("proposed lines selected more than once: %(value)s")
            % {"value": ", ".join(map(str, twice))},
            field="proposals",
        )
    with transaction.atomic():
        chosen = {
            p.pk: p
            for p in ProposedLine.objects.select_for_update(no_key=True)
            .filter(run=run, pk__in=ids)
            .order_by("pk")
        }
        unknown = [pk for pk in ids if pk not in chosen]
        if unknown:
            raise ValidationFailed(
                gettext("not proposed lines of %(run)s: %(value)s")
                % {"run": run, "value": ", ".join(map(str, unknown))},
                field="proposals",
            )
        used = [p for p in chosen.values() if p.offer_line_id is not None]
        if used:
            raise Conflict(
                "already turned into offers: " + ", ".join(str(p) for p in used),
                field="proposals",
            )
        lines = [chosen[pk] for pk in ids]
        missing = open_quantities(RequestLine.objects.filter(pk__in={p.need_id for p in lines}))
        wanted: Counter[int] = Counter()
        for p in lines:
            wanted[p.need_id] += p.quantity
        for need_id, quantity in wanted.items():
            if quantity > missing.get(need_id, 0):
                ref = next(p.need_ref for p in lines if p.need_id == need_id)
                raise Conflict(
                    gettext("%(ref)s now misses only %(value)s units, %(quantity)s were selected")
                    % {"ref": ref, "value": max(missing.get(need_id, 0), 0), "quantity": quantity},
                    field="proposals",
                    code="need_changed",
                )
        created = propose_drawn_offers(
            actor,
            [Draw(standing=p.supply_id, need=p.need_id, quantity=p.quantity) for p in lines],
            note=f"Proposed by the allocation planner (run #{run.pk}).",
        )
        for p, offer_line in zip(lines, created, strict=True):
            p.offer_line = offer_line
            p.save(update_fields=["offer_line"])
        record(
            actor,
            "allocation_run.turn_into_offers",
            run,
            crisis=run.crisis,
            changes={"proposed_lines": [None, [p.pk for p in lines]]},
        )
    return created
