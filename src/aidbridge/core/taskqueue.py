"""Which backend runs the background tasks, and what follows for the processes.

Two are supported, switched by ``AIDBRIDGE_TASKS_BACKEND`` (README, "Background tasks"):

- **the database** (``django_tasks_db.DatabaseBackend``, the default): tasks are rows in
  the application's database; ``aidbridge db_worker`` runs them. Nothing else to run.
- **RQ on Redis** (``django_tasks_rq.RQBackend``): tasks are Redis jobs
  (``AIDBRIDGE_REDIS_URL``); ``aidbridge rqworker --with-scheduler`` runs them, its
  scheduler moving a deferred task (a retry's clock, a purge) to the queue when due.

``serve`` and ``deploy`` start the worker this module names; the self-rescheduling
tasks ask ``waiting`` so that a restart does not start a second chain of them.
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings

DATABASE = "django_tasks_db.DatabaseBackend"
RQ = "django_tasks_rq.RQBackend"


def backend_path() -> str:
    return str(settings.TASKS["default"]["BACKEND"])


def uses_database() -> bool:
    return backend_path().startswith("django_tasks_db.")


def uses_rq() -> bool:
    return backend_path().startswith("django_tasks_rq.")


def needs_worker() -> bool:
    """Only these two keep tasks for a worker; the others run them inline or not at all."""
    return uses_database() or uses_rq()


def rq_queues() -> list[str]:
    return list(settings.TASKS["default"].get("QUEUES") or settings.RQ_QUEUES)


def worker_command(python: str = sys.executable) -> list[str]:
    """The command of one task worker for the configured backend (every queue)."""
    cli = [python, "-m", "aidbridge.cli"]
    if uses_rq():
        # The backend's Job class runs Django tasks; the scheduler runs deferred ones.
        rq = ["rqworker", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
        return [*cli, *rq, *rq_queues()]
    return [*cli, "db_worker", "--queue-name", "*", "--no-reload"]


def waiting(task: Any, *, now: bool = False) -> bool:
    """Is a run of ``task`` waiting to start (``now``: one that may start now, not a
    deferred one)? False for a backend that cannot tell (a second run is harmless)."""
    if uses_database():
        from django_tasks_db.models import DBTaskResult

        rows = DBTaskResult.objects.filter(task_path=task.module_path)
        return (rows.ready() if now else rows.filter(status="READY")).exists()
    if uses_rq():
        import django_rq
        from rq.job import Job

        queue = django_rq.get_queue(task.queue_name)
        ids = list(queue.get_job_ids())
        if not now:
            ids += queue.scheduled_job_registry.get_job_ids()
        jobs = Job.fetch_many(ids, connection=queue.connection)
        return any(job is not None and job.func_name == task.module_path for job in jobs)
    return False
