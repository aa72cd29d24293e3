"""Planning runs: requested, restarted and cancelled (the writes). The input is built by
``airlift.adapter``; the run is solved in the background by ``airlift.tasks``, which the
services queue (services import tasks, never the other way round)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from aidbridge.airlift.actions import plan_refusal, require_plan_run_action
from aidbridge.airlift.adapter import planning_input
from aidbridge.airlift.models import AirliftPlanRun
from aidbridge.airlift.tasks import plan_airlift_run
from aidbridge.audit.services import record
from aidbridge.core.actions import refuse
from aidbridge.core.errors import ValidationFailed
from aidbridge.crises.models import Crisis
from aidbridge.runs import lifecycle

MAX_TIME_LIMIT_S = 600.0


def request_airlift_plan(actor: Any, crisis: Crisis, time_limit_s: float = 10.0) -> AirliftPlanRun:
    """Queue a planning run for the crisis's accepted aid awaiting airlift."""
    refuse(plan_refusal(actor, crisis))
    if isinstance(time_limit_s, bool) or not isinstance(time_limit_s, int | float):
        raise ValidationFailed(gettext("must be a number of seconds"), field="time_limit_s")
    if not 0 < time_limit_s <= MAX_TIME_LIMIT_S:
        raise ValidationFailed(
            gettext("must be more than 0 and at most %(MAX_TIME_LIMIT_S)s seconds")
            % {"MAX_TIME_LIMIT_S": format(MAX_TIME_LIMIT_S, ".0f")},
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
