"""The outbox's background tasks (django-tasks; the worker of the configured backend,
``aidbridge db_worker`` or ``aidbridge rqworker``, runs them: ``core.taskqueue``).

- ``deliver_outbox``: queued after every commit that wrote messages (at most one
  waiting at a time), delivers what is due.
- ``deliver_outbox_periodic``: the retries' clock. django-tasks has no scheduler, so it
  schedules its own next run, at the earliest retry due or ``AIDBRIDGE_OUTBOX_POLL_S``
  from now, whichever comes first (like the Idempotency-Key purge, ``api/tasks.py``).
  ``aidbridge serve`` and ``aidbridge deploy`` queue the first one; ``aidbridge outbox
  deliver --every S`` does the same job from a shell or a service manager.
- ``purge_outbox``: deletes the messages delivered more than
  ``AIDBRIDGE_OUTBOX_KEEP_DAYS`` ago (``outbox.purge``) and runs again
  ``PURGE_EVERY`` later; queued by the same commands, or ``aidbridge outbox purge``
  from cron.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from aidbridge.core.taskqueue import waiting
from aidbridge.outbox.delivery import deliver_pending, next_due
from aidbridge.outbox.purge import purge_delivered

MIN_WAIT = timedelta(seconds=1)
PURGE_EVERY = timedelta(hours=6)


@task()
def deliver_outbox() -> int:
    """Deliver what is due now; how many messages were tried."""
    return deliver_pending()


@task()
def deliver_outbox_periodic() -> int:
    tried = deliver_pending()
    schedule_periodic(force=True)
    return tried


@task()
def purge_outbox() -> int:
    """Delete the old delivered messages; how many."""
    purged = purge_delivered()
    schedule_purge(force=True)
    return purged.messages


def schedule_purge(*, force: bool = False) -> bool:
    """Queue the next purge ``PURGE_EVERY`` from now (unless ``force``, only when none
    is waiting). False when the backend cannot defer a task."""
    if not purge_outbox.get_backend().supports_defer:
        return False
    if not force and _waiting(purge_outbox):
        return False
    purge_outbox.using(run_after=timezone.now() + PURGE_EVERY).enqueue()
    return True


def deliver_soon() -> None:
    """Queue ``deliver_outbox`` unless one is already waiting to start."""
    if _waiting(deliver_outbox, now=True):
        return
    deliver_outbox.enqueue()


def schedule_periodic(*, force: bool = False) -> bool:
    """Queue the next periodic run; unless ``force`` (from the task), only when none
    is waiting. False when the backend cannot defer a task."""
    backend = deliver_outbox_periodic.get_backend()
    if not backend.supports_defer:
        return False
    if not force and _waiting(deliver_outbox_periodic):
        return False
    now = timezone.now()
    poll = now + timedelta(seconds=settings.AIDBRIDGE_OUTBOX_POLL_S)
    earliest = next_due()
    at = max(now + MIN_WAIT, min(poll, earliest)) if earliest else poll
    deliver_outbox_periodic.using(run_after=at).enqueue()
    return True


def _waiting(which: Any, *, now: bool = False) -> bool:
    return waiting(which, now=now)
