"""Every change of a planning run's status, in one place, for every kind of run.

    queued ──start──▶ running ──succeed──▶ done
      │                 │
      │                 ├──fail──▶ failed ──restart──▶ queued (the same run, planned again)
      └──cancel/fail────┴──cancel──▶ cancelled ──restart──▶ queued

A worker starts and finishes a run; the sweep fails a running run whose worker stopped
writing its heartbeat; a user cancels or restarts one (who may is each app's
``actions.py``; *when* is this table). :func:`move` locks the run's row, checks the
table, stamps the time and writes the audit entry in the same transaction, like the
requests' and offers' transition tables. Tasks are enqueued only once the transaction
that queued the run commits, so a worker never looks for a row that is not there, and
a request that rolls back leaves no task behind.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aidbridge.audit.services import record
from aidbridge.core.changes import jsonable
from aidbridge.core.errors import Conflict
from aidbridge.runs.models import PlanningRun, RunStatus

log = logging.getLogger(__name__)

Run = TypeVar("Run", bound=PlanningRun)


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    audit: str  # the audit action's suffix: "allocation_run.<audit>"
    stamp: str | None = None  # the time field this transition sets


TRANSITIONS: dict[str, Transition] = {
    "start": Transition(frozenset({RunStatus.QUEUED}), RunStatus.RUNNING, "running", "started_at"),
    "succeed": Transition(frozenset({RunStatus.RUNNING}), RunStatus.DONE, "done", "finished_at"),
    "fail": Transition(
        frozenset({RunStatus.QUEUED, RunStatus.RUNNING}), RunStatus.FAILED, "failed", "finished_at"
    ),
    "cancel": Transition(
        frozenset({RunStatus.QUEUED, RunStatus.RUNNING}),
        RunStatus.CANCELLED,
        "cancelled",
        "finished_at",
    ),
    "restart": Transition(
        frozenset({RunStatus.FAILED, RunStatus.CANCELLED}), RunStatus.QUEUED, "restart"
    ),
}

# What a restart clears: the run is planned again from the start.
RESTART_CLEARS: dict[str, Any] = {
    "error": "",
    "phase": "",
    "started_at": None,
    "finished_at": None,
    "heartbeat_at": None,
    "output": None,
}


def refusal(run: PlanningRun, action: str) -> Conflict | None:
    """The 409 for ``action`` if the run's status does not allow it, else None."""
    rule = TRANSITIONS[action]
    if run.status in rule.sources:
        return None
    return Conflict(
        f"{run} is {run.status}: it cannot {action}"
        + (" (only a failed or cancelled run is restarted)" if action == "restart" else ""),
        field="status",
        code="invalid_transition",
    )


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, date, datetime))


def move(actor: Any, run: Run, action: str, *, reason: str = "", **fields: Any) -> Run:
    """Take ``run`` through ``action`` under its row lock, with its audit entry.

    ``fields`` change with the status (the plan, the error...); the small ones are
    recorded in the entry's changes, the documents (input, output) are not. The
    caller's ``run`` object is updated to what was saved.
    """
    rule = TRANSITIONS[action]
    with transaction.atomic():
        locked = type(run)._default_manager.select_for_update().get(pk=run.pk)
        refused = refusal(locked, action)
        if refused is not None:
            raise refused
        before = locked.status
        changes: dict[str, Any] = {"status": [before, rule.target]}
        values: dict[str, Any] = {"status": rule.target, **fields}
        if rule.stamp:
            values[rule.stamp] = timezone.now()
        for name, value in values.items():
            old = getattr(locked, name)
            if name != "status" and _scalar(value) and old != value:
                changes[name] = [jsonable(old), jsonable(value)]
            setattr(locked, name, value)
        locked.save(update_fields=list(values))
        record(
            actor,
            f"{locked.audit_name}.{rule.audit}",
            locked,
            crisis=locked.audit_crisis(),
            from_state=before,
            to_state=rule.target,
            changes=changes,
            reason=reason,
        )
    for name, value in values.items():
        setattr(run, name, value)
    return run


class Task(Protocol):
    """A django-tasks task taking the run's id."""

    def enqueue(self, run_id: int) -> Any: ...


def enqueue_on_commit(run: PlanningRun, task: Task) -> None:
    """Queue ``task`` for the run once the current transaction commits (at once
    outside one). A rolled-back transaction queues nothing."""
    model, pk = type(run), run.pk

    def send() -> None:
        result = task.enqueue(pk)
        model._default_manager.filter(pk=pk).update(task_id=str(result.id))

    # robust: the request that queued the run has already committed; a task backend
    # that fails is logged and the run stays queued, where the user can cancel it.
    transaction.on_commit(send, robust=True)


def restart(actor: Any, run: Run, task: Task, *, reason: str = "", **fields: Any) -> Run:
    """Queue a failed or cancelled run again, the same run, with its task after commit."""
    with transaction.atomic():
        move(actor, run, "restart", reason=reason, **{**RESTART_CLEARS, **fields})
        enqueue_on_commit(run, task)
    return run


class RunGone(Exception):
    """The run is no longer running (cancelled, or failed by the sweep): stop planning."""


class Heartbeat:
    """Tells the database the worker is alive, at phase boundaries and from the
    planner's progress hook (at most once every ``AIDBRIDGE_RUN_HEARTBEAT_S``)."""

    def __init__(self, run: PlanningRun, every: float | None = None) -> None:
        self.model, self.pk = type(run), run.pk
        self.every = settings.AIDBRIDGE_RUN_HEARTBEAT_S if every is None else every
        self.last = time.monotonic()
        self.alive = True

    def _write(self, **values: Any) -> None:
        values["heartbeat_at"] = timezone.now()
        found = self.model._default_manager.filter(pk=self.pk, status=RunStatus.RUNNING).update(
            **values
        )
        self.alive = bool(found)
        self.last = time.monotonic()

    def __call__(self, *_progress: Any) -> None:
        """The planners' progress hook: a heartbeat, throttled. Never raises, so a
        planner's inner loop is not interrupted; a gone run is noticed at the next
        phase boundary."""
        if time.monotonic() - self.last >= self.every:
            self._write()

    def phase(self, name: str) -> None:
        """A new phase begins ("solving"); raises :class:`RunGone` if the run was
        cancelled or swept meanwhile."""
        self._write(phase=name)
        if not self.alive:
            raise RunGone(f"{self.model.__name__} {self.pk} is no longer running")


def execute(model: type[Run], run_id: int, work: Callable[[Run, Heartbeat], None]) -> str:
    """The worker's half of every run: start it, let ``work`` plan and finish it
    (``move(None, run, "succeed" or "fail", ...)``), record any exception as the
    failure. Returns the status the run ended in."""
    run = model._default_manager.get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return str(run.status)  # a task delivered twice, or a run cancelled while queued
    move(None, run, "start", heartbeat_at=timezone.now(), attempts=run.attempts + 1, phase="")
    try:
        work(run, Heartbeat(run))
    except RunGone:
        log.info("%s was cancelled or failed while it ran; its result is dropped", run)
    except Exception as error:  # the run must say it failed, whatever the cause
        log.exception("%s failed", run)
        with transaction.atomic():
            current = model._default_manager.select_for_update().get(pk=run_id)
            if current.status == RunStatus.RUNNING:
                move(
                    None,
                    current,
                    "fail",
                    error=f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}",
                    phase="",
                )
    return str(model._default_manager.values_list("status", flat=True).get(pk=run_id))
