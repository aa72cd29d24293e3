"""Allocation runs: asking for a proposal, computing it, re-checking it, acting on it.

A run's status changes only through ``_move`` (queued -> running -> done | failed),
each change with its audit entry. The planning itself runs as a background task
(``tasks.run_allocation``) because a large crisis may take seconds to plan.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from aidbridge.allocations.actions import require_run_action, start_refusal
from aidbridge.allocations.adapter import build_input, open_quantities
from aidbridge.allocations.explain import explain_all
from aidbridge.allocations.models import AllocationRun, ProposedLine
from aidbridge.audit.services import record
from aidbridge.core.actions import refuse
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.core.locks import lock_crisis
from aidbridge.crises.models import Crisis
from aidbridge.offers.proposals import Draw, propose_drawn_offers
from aidbridge.planning.allocation import (
    CheckReport,
    check_allocation,
    parse_allocation,
    plan_allocation,
    plan_from_json,
    plan_to_json,
)
from aidbridge.requests.models import RequestLine

RunStatus = AllocationRun.Status
_NEXT: dict[str, set[str]] = {
    RunStatus.QUEUED: {RunStatus.RUNNING, RunStatus.FAILED},
    RunStatus.RUNNING: {RunStatus.DONE, RunStatus.FAILED},
}


def _move(run: AllocationRun, to: str, actor: Any = None, **fields: Any) -> AllocationRun:
    """The one place a run's status changes, with its audit entry."""
    before = run.status
    if to not in _NEXT.get(before, set()):
        raise Conflict(f"{run} is {before}: it cannot become {to}", field="status")
    run.status = to
    for name, value in fields.items():
        setattr(run, name, value)
    with transaction.atomic():
        run.save(update_fields=["status", *fields])
        changes = {k: v for k, v in fields.items() if k in {"check_ok", "error"}}
        record(
            actor,
            f"allocation_run.{to}",
            run,
            crisis=run.crisis,
            from_state=before,
            to_state=to,
            changes=changes,
        )
    return run


def request_allocation(actor: Any, crisis: Crisis) -> AllocationRun:
    """The centre asks for a proposal for ``crisis``; the planning runs in the background.

    The task is queued once the run is committed, so a worker always finds it.
    """
    from aidbridge.allocations.tasks import run_allocation

    with transaction.atomic():
        crisis = lock_crisis(crisis.pk)  # not behind a close of the crisis (core.locks)
        refuse(start_refusal(actor, crisis))
        run = AllocationRun.objects.create(crisis=crisis, requested_by=actor)
        record(actor, "allocation_run.request", run, crisis=crisis, to_state=run.status)
    run_allocation.enqueue(run.pk)
    run.refresh_from_db()
    return run


def compute(run_id: int) -> AllocationRun:
    """Build the input, plan, check, and store the proposal (what the task does)."""
    run = AllocationRun.objects.select_related("crisis").get(pk=run_id)
    _move(run, RunStatus.RUNNING, started_at=timezone.now())
    try:
        started = time.perf_counter()
        built = build_input(run.crisis)
        problem = parse_allocation(built.doc)
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        plan = plan_allocation(problem, check=False)
        report = check_allocation(problem, plan)
        explanations = explain_all(problem, plan)
        plan_seconds = time.perf_counter() - started
        output = plan_to_json(plan)
        output["explanations"] = explanations
        with transaction.atomic():
            ProposedLine.objects.bulk_create(
                ProposedLine(
                    run=run,
                    supply_id=built.supply_rows[a.supply],
                    need_id=built.need_rows[a.need],
                    supply_ref=a.supply,
                    need_ref=a.need,
                    quantity=a.quantity,
                    explanation=explanations.get(a.need, ""),
                )
                for a in plan.allocations
            )
            _move(
                run,
                RunStatus.DONE if report.ok else RunStatus.FAILED,
                input=built.doc,
                rows={"needs": built.need_rows, "supplies": built.supply_rows},
                output=output,
                check_ok=report.ok,
                error="\n".join(report.violations[:20]),
                finished_at=timezone.now(),
                build_seconds=round(build_seconds, 4),
                plan_seconds=round(plan_seconds, 4),
            )
    except Exception as error:  # the run must say it failed, whatever the cause
        run.refresh_from_db()
        if run.status == RunStatus.RUNNING:
            _move(
                run,
                RunStatus.FAILED,
                error=f"{type(error).__name__}: {error}",
                finished_at=timezone.now(),
            )
        raise
    return run


def recheck_run(run: AllocationRun) -> CheckReport:
    """Check the stored proposal against the stored input, with the spec's rules."""
    if run.input is None or run.output is None:
        raise Conflict(f"{run} is {run.status}: it has no proposal to check", field="id")
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
        raise ValidationFailed("select at least one proposed line", field="proposals")
    twice = sorted(pk for pk, n in Counter(ids).items() if n > 1)
    if twice:
        raise ValidationFailed(
            f"proposed lines selected more than once: {', '.join(map(str, twice))}",
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
                f"not proposed lines of {run}: {', '.join(map(str, unknown))}", field="proposals"
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
                    f"{ref} now misses only {max(missing.get(need_id, 0), 0)} units, "
                    f"{quantity} were selected",
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
