"""Background work: solving an airlift planning run (``django-tasks``; the database
backend in production, run by ``aidbridge db_worker``; inline in the tests).

The worker's half lives here and the services queue it, so services import tasks and
never the other way round.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop
from django_tasks import task

from aidbridge.airlift.models import AirliftPlanRun
from aidbridge.planning.airlift import check_airlift, parse_airlift, plan_airlift, plan_to_json
from aidbridge.runs import lifecycle


def _solve(run: AirliftPlanRun, beat: lifecycle.Heartbeat) -> None:
    beat.phase(gettext_noop("solving"))
    problem = parse_airlift(run.input)
    plan = plan_airlift(problem, time_limit_s=run.time_limit_s, progress=beat)
    beat.phase(gettext_noop("checking the plan"))
    violations = [str(v) for v in check_airlift(problem, plan)]
    lifecycle.move(None, run, "succeed", output=plan_to_json(plan), violations=violations, phase="")


@task()
def plan_airlift_run(run_id: int) -> str:
    """The background half: solve the stored input, check the plan, store both."""
    return lifecycle.execute(AirliftPlanRun, run_id, _solve)
