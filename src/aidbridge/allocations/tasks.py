"""Background work: planning a run (``django-tasks``; the database backend in
production, run by ``manage.py db_worker``; inline in the tests)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_allocation(run_id: int) -> str:
    """Plan the queued run ``run_id``; its status says how it ended."""
    from aidbridge.allocations.services import compute

    return str(compute(run_id).status)
