"""The sweep as a background task, for deployments that schedule it through the
task queue rather than ``aidbridge runs sweep`` (see the README, Planners)."""

from __future__ import annotations

from django_tasks import task

from aidbridge.runs.sweep import sweep


@task()
def sweep_runs() -> int:
    """Fail the runs whose worker died; how many."""
    return len(sweep())
