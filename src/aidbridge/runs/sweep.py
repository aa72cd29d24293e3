"""Failing the runs whose worker died.

A worker writes the run's heartbeat while it plans (``lifecycle.Heartbeat``). A worker
killed in the middle (out of memory, the machine restarted, ``kill -9``) writes
nothing more, and its run would stay "running" for ever. The sweep, run periodically
(``aidbridge runs sweep``, or its task ``sweep_runs``), marks every running run whose
heartbeat is older than the timeout as failed, with the reason; the user may then
restart it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aidbridge.runs.lifecycle import move
from aidbridge.runs.models import PlanningRun, RunStatus


def run_models() -> list[type[PlanningRun]]:
    """Every concrete run table (found here, so this layer imports no domain app)."""
    return [m for m in apps.get_models() if issubclass(m, PlanningRun)]


def default_timeout() -> timedelta:
    return timedelta(seconds=settings.AIDBRIDGE_RUN_TIMEOUT_S)


def stale_reason(last: datetime | None, timeout: timedelta) -> str:
    seen = last.strftime("%Y-%m-%d %H:%M:%S UTC") if last else "its start"
    return (
        f"The worker stopped answering: no heartbeat since {seen} "
        f"(timeout {timeout.total_seconds():g} s). Restart the run to plan it again."
    )


def sweep(timeout: timedelta | None = None) -> list[PlanningRun]:
    """Fail every running run whose heartbeat is older than ``timeout``; the runs failed."""
    timeout = default_timeout() if timeout is None else timeout
    cutoff = timezone.now() - timeout
    stale = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    failed: list[PlanningRun] = []
    for model in run_models():
        running = model._default_manager.filter(stale, status=RunStatus.RUNNING)
        for pk in running.values_list("pk", flat=True):
            with transaction.atomic():
                # Again under the row lock: the worker may have beaten or finished since.
                run = model._default_manager.select_for_update().filter(stale, pk=pk).first()
                if run is None or run.status != RunStatus.RUNNING:
                    continue
                reason = stale_reason(run.heartbeat_at or run.started_at, timeout)
                failed.append(move(None, run, "fail", reason=reason, error=reason, phase=""))
    return failed
