"""Background work: matching a run's transfer needs to offered beds (``django-tasks``,
on the lifecycle every planning run shares). Services queue it; it never imports them."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.utils.translation import gettext_noop
from django_tasks import task

from aidbridge.hospitals.matching_input import build_input, input_to_json
from aidbridge.hospitals.models import ProposedTransfer, TransferMatchingRun
from aidbridge.planning.transfers import MatchingPlan, check_matching, match_transfers
from aidbridge.runs import lifecycle


@task()
def run_transfer_matching(run_id: int) -> str:
    """Match the queued run ``run_id``; its status says how it ended."""
    return lifecycle.execute(TransferMatchingRun, run_id, _match)


def plan_to_json(plan: MatchingPlan) -> dict[str, object]:
    return {
        "transfers": [asdict(t) for t in plan.transfers],
        "shortfalls": [asdict(s) for s in plan.shortfalls],
        "regions": [asdict(r) | {"fill": r.fill} for r in plan.regions],
        "patient_minutes": plan.patient_minutes,
        "levels": list(plan.levels),
        "seconds": plan.seconds,
    }


def _match(run: TransferMatchingRun, beat: lifecycle.Heartbeat) -> None:
    beat.phase(gettext_noop("building the input"))
    built = build_input(run.crisis)
    beat.phase(gettext_noop("solving"))
    plan = match_transfers(built.problem)
    beat.phase(gettext_noop("checking the plan"))
    report = check_matching(built.problem, plan)
    with transaction.atomic():
        if report.ok:
            ProposedTransfer.objects.bulk_create(
                ProposedTransfer(
                    run=run,
                    need_id=built.need_rows[t.need],
                    offer_line_id=built.offer_rows[t.offer][0],
                    hospital_id=built.offer_rows[t.offer][1],
                    need_ref=t.need,
                    offer_ref=t.offer,
                    patients=t.patients,
                    minutes=round(t.minutes, 1),
                    km=round(t.km, 1),
                    mode=t.mode,
                )
                for t in plan.transfers
            )
        # A plan that breaks a rule is never shown as a proposal: the run fails with
        # the check's findings.
        lifecycle.move(
            None,
            run,
            "succeed" if report.ok else "fail",
            input=input_to_json(built.problem),
            rows=built.rows,
            output=plan_to_json(plan),
            check_ok=report.ok,
            error="\n".join(report.problems[:20]),
            phase="",
        )
