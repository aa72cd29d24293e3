"""The periodic clean-up of expired ``Idempotency-Key`` rows.

django-tasks has no scheduler, so the task schedules its own next run: each run
purges, then enqueues itself ``PURGE_EVERY`` later (with a backend that keeps deferred
tasks, the database or RQ; the worker that ``aidbridge serve`` or ``deploy`` starts
runs them). ``serve`` and ``deploy`` enqueue the first run when none is waiting. Without a worker,
``aidbridge idempotency purge`` from cron does the same job.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from aidbridge.api.idempotency import purge_expired
from aidbridge.core.taskqueue import waiting

PURGE_EVERY = timedelta(hours=1)


@task()
def purge_idempotency_keys() -> int:
    """Delete the expired keys; returns how many."""
    deleted = purge_expired()
    schedule_purge(force=True)
    return deleted


def schedule_purge(*, force: bool = False) -> bool:
    """Enqueue the next purge ``PURGE_EVERY`` from now, if the backend can defer a task
    and (unless ``force``, from the task itself) none is waiting already."""
    backend = purge_idempotency_keys.get_backend()
    if not backend.supports_defer:
        return False
    if not force and _waiting():
        return False
    purge_idempotency_keys.using(run_after=timezone.now() + PURGE_EVERY).enqueue()
    return True


def _waiting() -> bool:
    return waiting(purge_idempotency_keys)
