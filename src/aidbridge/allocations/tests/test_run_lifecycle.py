"""The one planning-run lifecycle (``aidbridge.runs``) on allocation runs: the
transition table, tasks sent only after commit, the heartbeat, the sweep, cancel and
restart, through the real database and the HTTP API."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks import default_task_backend

from aidbridge.allocations import services, tasks
from aidbridge.allocations.models import AllocationRun, ProposedLine
from aidbridge.audit.models import AuditEntry
from aidbridge.core.errors import Conflict
from aidbridge.runs import lifecycle
from aidbridge.runs.sweep import sweep
from aidbridge.runs.tasks import sweep_runs
from aidbridge.runs.tests.helpers import committed

STATES = ["queued", "running", "done", "failed", "cancelled"]
# Written out here, not read from the table: the lifecycle the README promises.
LEGAL = {
    ("queued", "start"),
    ("queued", "fail"),
    ("queued", "cancel"),
    ("running", "succeed"),
    ("running", "fail"),
    ("running", "cancel"),
    ("failed", "restart"),
    ("cancelled", "restart"),
}
TARGET = {
    "start": "running",
    "succeed": "done",
    "fail": "failed",
    "cancel": "cancelled",
    "restart": "queued",
}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _run_in(state: str, users: dict[str, Any], crisis: Any) -> AllocationRun:
    """A run in ``state``, written directly (the state is the test's premise)."""
    run = AllocationRun.objects.create(crisis=crisis, requested_by=users["duty"])
    AllocationRun.objects.filter(pk=run.pk).update(status=state)
    run.refresh_from_db()
    return run


def _trail(run_id: int) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=run_id, action__startswith="allocation_run.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", sorted(TARGET))
def test_the_transition_table(state, action, users, crisis) -> None:
    run = _run_in(state, users, crisis)
    entries = AuditEntry.objects.count()
    if (state, action) in LEGAL:
        lifecycle.move(users["duty"], run, action, reason="test")
        run.refresh_from_db()
        assert run.status == TARGET[action]
        entry = AuditEntry.objects.latest("pk")
        assert (entry.from_state, entry.to_state, entry.reason) == (state, run.status, "test")
        assert entry.changes["status"] == [state, run.status]
    else:
        with pytest.raises(Conflict) as refused:
            lifecycle.move(users["duty"], run, action)
        assert (refused.value.status, refused.value.code) == (409, "invalid_transition")
        run.refresh_from_db()
        assert run.status == state and AuditEntry.objects.count() == entries


@pytest.mark.parametrize("state", STATES)
def test_restart_and_cancel_through_the_api(state, api, users, crisis) -> None:
    """Every state through the API: a refused move is a 409 naming the status and
    writes nothing; an allowed one answers the run in its new state."""
    for action, ok in (("restart", 202), ("cancel", 200)):
        run = _run_in(state, users, crisis)
        with override_settings(TASKS=DUMMY_TASKS):
            answer = api("duty").post(f"/allocation-runs/{run.pk}/{action}")
        if (state, action) in LEGAL:
            assert answer.status_code == ok, answer.json()
            assert answer.json()["status"] == TARGET[action]
        else:
            assert answer.status_code == 409, answer.json()
            assert answer.json()["code"] == "invalid_transition"
            assert answer.json()["errors"][0]["field"] == "status"
            assert f"is {state}: it cannot {action}" in answer.json()["detail"]
            assert AllocationRun.objects.get(pk=run.pk).status == state
            assert _trail(run.pk) == []


def test_only_the_centre_restarts_and_cancels(api, users, crisis) -> None:
    failed = _run_in("failed", users, crisis)
    queued = _run_in("queued", users, crisis)
    for who in ("ita", "airlift", "ocha"):
        assert api(who).post(f"/allocation-runs/{failed.pk}/restart").status_code == 403
        assert api(who).post(f"/allocation-runs/{queued.pk}/cancel").status_code == 403
    assert AllocationRun.objects.get(pk=failed.pk).status == "failed"
    assert AllocationRun.objects.get(pk=queued.pk).status == "queued"


@override_settings(TASKS=DUMMY_TASKS)
def test_the_task_is_sent_only_when_the_run_commits(api, users, crisis, house) -> None:
    default_task_backend.clear()  # type: ignore[attr-defined]
    with committed():
        answer = api("duty").post(f"/crises/{crisis.code}/allocation-runs")
        assert answer.status_code == 202
        # The request has answered, its transaction is not committed yet: nothing sent.
        assert default_task_backend.results == []  # type: ignore[attr-defined]
    (sent,) = default_task_backend.results  # type: ignore[attr-defined]
    assert sent.task.func is tasks.run_allocation.func and sent.args == [answer.json()["id"]]
    assert AllocationRun.objects.get().task_id == str(sent.id)


@override_settings(TASKS=DUMMY_TASKS)
def test_a_rolled_back_request_sends_no_task(api, users, crisis, house, monkeypatch) -> None:
    """The run is created, then the request fails before its transaction commits: no
    run is left, and no worker is ever asked to plan it."""
    default_task_backend.clear()  # type: ignore[attr-defined]

    def audit_down(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services, "record", audit_down)
    client = api("duty")
    client.client.raise_request_exception = False
    with committed():
        answer = client.post(f"/crises/{crisis.code}/allocation-runs")
    assert answer.status_code == 500
    assert not AllocationRun.objects.exists()
    assert default_task_backend.results == []  # type: ignore[attr-defined]


@override_settings(TASKS=DUMMY_TASKS)
def test_a_run_queued_inside_a_transaction_that_rolls_back_sends_nothing(
    users, crisis, house
) -> None:
    """A caller's own transaction around the service (an import, a script) rolls back
    after the service returned: the run it queued never reaches a worker."""
    default_task_backend.clear()  # type: ignore[attr-defined]
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        services.request_allocation(users["duty"], crisis)
        raise RuntimeError("the caller fails afterwards")
    assert not AllocationRun.objects.exists()
    assert default_task_backend.results == []  # type: ignore[attr-defined]


def test_the_worker_writes_its_heartbeat_and_phases(
    users, crisis, house, monkeypatch, settings
) -> None:
    settings.AIDBRIDGE_RUN_HEARTBEAT_S = 0  # every progress report is a heartbeat
    seen: list[tuple[str, str, Any]] = []
    real = tasks.plan_allocation

    def watched(problem: Any, progress: Any = None, check: bool = False) -> Any:
        run = AllocationRun.objects.get()
        seen.append((run.status, run.phase, run.heartbeat_at))
        progress("a step")
        run.refresh_from_db()
        seen.append((run.status, run.phase, run.heartbeat_at))
        return real(problem, progress=progress, check=check)

    monkeypatch.setattr(tasks, "plan_allocation", watched)
    with committed():
        run = services.request_allocation(users["duty"], crisis)
    (before, after) = seen
    assert before[:2] == ("running", "solving") and before[2] is not None
    assert after[:2] == ("running", "solving") and after[2] > before[2]
    run.refresh_from_db()
    assert (run.status, run.phase, run.attempts) == ("done", "", 1)


def test_a_run_cancelled_while_it_plans_drops_its_result(users, crisis, house, monkeypatch):
    real = tasks.plan_allocation

    def cancelled_meanwhile(problem: Any, progress: Any = None, check: bool = False) -> Any:
        services.cancel_run(users["head"], AllocationRun.objects.get())
        return real(problem, progress=progress, check=check)

    monkeypatch.setattr(tasks, "plan_allocation", cancelled_meanwhile)
    with committed():
        run = services.request_allocation(users["duty"], crisis)
    run.refresh_from_db()
    assert run.status == "cancelled" and run.output is None
    assert not ProposedLine.objects.filter(run=run).exists()
    assert _trail(run.pk) == [
        "allocation_run.request",
        "allocation_run.running",
        "allocation_run.cancelled",
    ]


def _stale(run: AllocationRun, seconds: float) -> None:
    """The worker last wrote its heartbeat ``seconds`` ago."""
    at = timezone.now() - timedelta(seconds=seconds)
    AllocationRun.objects.filter(pk=run.pk).update(started_at=at, heartbeat_at=at)


def test_the_sweep_fails_only_runs_whose_worker_went_silent(users, crisis) -> None:
    dead = _run_in("running", users, crisis)
    _stale(dead, 120)
    alive = _run_in("running", users, crisis)
    _stale(alive, 30)
    never_beat = _run_in("running", users, crisis)
    AllocationRun.objects.filter(pk=never_beat.pk).update(
        started_at=timezone.now() - timedelta(seconds=120)
    )
    waiting = _run_in("queued", users, crisis)
    failed = sweep(timedelta(seconds=60))
    assert sorted(r.pk for r in failed) == sorted([dead.pk, never_beat.pk])
    statuses = dict(AllocationRun.objects.values_list("pk", "status"))
    assert statuses == {
        dead.pk: "failed",
        alive.pk: "running",
        never_beat.pk: "failed",
        waiting.pk: "queued",
    }
    dead.refresh_from_db()
    assert dead.error.startswith("The worker stopped answering: no heartbeat since")
    assert "(timeout 60 s). Restart the run to plan it again." in dead.error
    entry = AuditEntry.objects.filter(target_id=dead.pk).latest("pk")
    assert (entry.action, entry.actor, entry.reason) == ("allocation_run.failed", None, dead.error)
    assert sweep(timedelta(seconds=60)) == []  # nothing twice


def test_the_sweep_command_and_task(users, crisis, settings) -> None:
    first = _run_in("running", users, crisis)
    _stale(first, 120)
    out = io.StringIO()
    call_command("runs", "sweep", "--timeout", "60", stdout=out)
    assert f"failed {first}: The worker stopped answering" in out.getvalue()
    second = _run_in("running", users, crisis)
    _stale(second, 120)
    settings.AIDBRIDGE_RUN_TIMEOUT_S = 200
    assert sweep_runs.enqueue().return_value == 0  # the default timeout is the setting's
    settings.AIDBRIDGE_RUN_TIMEOUT_S = 100
    assert sweep_runs.enqueue().return_value == 1
    assert AllocationRun.objects.get(pk=second.pk).status == "failed"


def test_a_swept_run_is_restarted_and_plans_again(api, users, crisis, house) -> None:
    with override_settings(TASKS=DUMMY_TASKS), committed():
        run = services.request_allocation(users["duty"], crisis)
    # A worker takes it, then dies: its heartbeat is 10 minutes old.
    lifecycle.move(None, run, "start", attempts=1)  # as the worker does (lifecycle.execute)
    _stale(run, 600)
    (swept,) = sweep()
    page = Client()
    page.force_login(users["duty"])
    shown = page.get(f"/allocation-runs/{run.pk}/").text
    assert "The worker stopped answering" in shown and "Restart the run" in shown
    with committed():
        again = page.post(f"/allocation-runs/{run.pk}/restart/")
    assert again["Location"] == f"/allocation-runs/{run.pk}/"
    fresh = api("duty").get(f"/allocation-runs/{run.pk}").json()
    assert (fresh["status"], fresh["error"], fresh["attempts"], fresh["check_ok"]) == (
        "done",
        "",
        2,
        True,
    )
    assert ProposedLine.objects.filter(run=run).count() == 3
    assert _trail(run.pk) == [
        "allocation_run.request",
        "allocation_run.running",
        "allocation_run.failed",
        "allocation_run.restart",
        "allocation_run.running",
        "allocation_run.done",
    ]
    restart = AuditEntry.objects.get(target_id=run.pk, action="allocation_run.restart")
    assert restart.actor == users["duty"] and restart.changes["error"][0] == swept.error
