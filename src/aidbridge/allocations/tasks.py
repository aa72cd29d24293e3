"""Background work: planning a run (``django-tasks``; the database backend in
production, run by ``aidbridge db_worker``; inline in the tests).

The worker's half lives here and the services queue it, so services import tasks and
never the other way round.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils.translation import gettext_noop
from django_tasks import task

from aidbridge.allocations.adapter import build_input
from aidbridge.allocations.explain import english_text, explain_all
from aidbridge.allocations.models import AllocationRun, ProposedLine
from aidbridge.planning.allocation import (
    check_allocation,
    parse_allocation,
    plan_allocation,
    plan_to_json,
)
from aidbridge.runs import lifecycle


@task()
def run_allocation(run_id: int) -> str:
    """Plan the queued run ``run_id``; its status says how it ended."""
    return compute(run_id)


def compute(run_id: int) -> str:
    """Build the input, plan, check, and store the proposal (what the task does)."""
    return lifecycle.execute(AllocationRun, run_id, _plan)


def _plan(run: AllocationRun, beat: lifecycle.Heartbeat) -> None:
    beat.phase(gettext_noop("building the input"))
    started = time.perf_counter()
    built = build_input(run.crisis)
    problem = parse_allocation(built.doc)
    build_seconds = time.perf_counter() - started
    beat.phase(gettext_noop("solving"))
    started = time.perf_counter()
    plan = plan_allocation(problem, progress=beat, check=False)
    beat.phase(gettext_noop("checking the plan"))
    report = check_allocation(problem, plan)
    parts = explain_all(problem, plan)
    explanations = {need: english_text(p) for need, p in parts.items()}
    plan_seconds = time.perf_counter() - started
    output = plan_to_json(plan)
    output["explanations"] = explanations
    # The same as reason codes, which the pages word in the reader's language.
    output["explanation_parts"] = parts
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
        lifecycle.move(
            None,
            run,
            "succeed" if report.ok else "fail",
            input=built.doc,
            rows={"needs": built.need_rows, "supplies": built.supply_rows},
            output=output,
            check_ok=report.ok,
            error="\n".join(report.violations[:20]),
            phase="",
            build_seconds=round(build_seconds, 4),
            plan_seconds=round(plan_seconds, 4),
        )
