"""Fault: a task worker killed in the middle of a planning run.

Real processes on PostgreSQL: a django-tasks database worker (``db_worker``) takes an
airlift run, is killed with SIGKILL while the solver runs, and the run stays "running"
with a heartbeat that no longer moves. The sweep, with a short timeout, marks it
failed with the reason; the coordinator restarts it, and a new worker plans it to the
end.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aidbridge.airlift.models import AirliftPlanRun
from aidbridge.audit.models import AuditEntry
from aidbridge.core.tests.threads import postgres_only

pytestmark = postgres_only

PLANS = "/crises/covid-19-2020/airlift-plans"
# Long enough to be killed in the middle, short enough for the restart to finish.
SOLVE_SECONDS = 8
# Generous bounds so a loaded machine does not fail the test; they are not timings.
PATIENCE_S = 180.0


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or "5432"
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def _worker(tmp: Path, *extra: str) -> subprocess.Popen[bytes]:
    """``aidbridge db_worker`` on the test database, in a process of its own."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aidbridge.settings",
        "DATABASE_URL": _database_url(),
        "AIDBRIDGE_DATA_DIR": str(tmp),
        "AIDBRIDGE_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    log = (tmp / f"worker-{time.monotonic_ns()}.log").open("wb")
    command = [sys.executable, "-m", "django", "db_worker", "--no-startup-delay", "--no-reload"]
    return subprocess.Popen(
        [*command, "--interval", "0.2", *extra], env=env, stdout=log, stderr=log
    )


def _wait_for(what: str, ready: Callable[[], bool], worker: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not ready():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        assert worker.poll() is None or what == "the worker to finish", "the worker exited"
        time.sleep(0.2)


def test_a_killed_worker_s_run_is_failed_by_the_sweep_and_restarted(
    api: Any, users: Any, airlift_state: Any, c17: Any, settings: Any, tmp_path: Path
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    coordinator = api("airlift")
    asked = coordinator.post(PLANS, {"time_limit_s": SOLVE_SECONDS})
    assert asked.status_code == 202, asked.json()
    run_id = asked.json()["id"]
    assert DBTaskResult.objects.count() == 1  # sent once the request committed

    def run() -> AirliftPlanRun:
        return AirliftPlanRun.objects.get(pk=run_id)

    first = _worker(tmp_path)
    try:
        _wait_for("the solver to start", lambda: run().phase == "solving", first)
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=PATIENCE_S) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
    orphan = run()
    assert (orphan.status, orphan.output, orphan.attempts) == ("running", None, 1)
    assert orphan.heartbeat_at is not None

    # The sweep with a 1-second timeout, once the dead worker's last heartbeat is older.
    last = orphan.heartbeat_at
    while timezone.now() - last <= timedelta(seconds=1):
        time.sleep(0.2)
    out = io.StringIO()
    call_command("runs", "sweep", "--timeout", "1", stdout=out)
    failed = run()
    assert failed.status == "failed"
    assert failed.error.startswith("The worker stopped answering: no heartbeat since")
    assert "Restart the run to plan it again." in failed.error
    assert f"failed {failed}: The worker stopped answering" in out.getvalue()
    shown = coordinator.get(f"/airlift-plans/{run_id}").json()
    assert shown["status"] == "failed" and shown["error"] == failed.error

    restarted = coordinator.post(f"/airlift-plans/{run_id}/restart")
    assert restarted.status_code == 202, restarted.json()
    assert (restarted.json()["status"], restarted.json()["error"]) == ("queued", "")
    second = _worker(tmp_path, "--batch")  # plans what is queued, then exits
    try:
        assert second.wait(timeout=PATIENCE_S) == 0
    finally:
        if second.poll() is None:
            second.kill()
    done = coordinator.get(f"/airlift-plans/{run_id}").json()
    assert (done["status"], done["error"], done["attempts"]) == ("done", "", 2)
    assert done["violations"] == [] and len(done["schedule"]) == 1
    trail = list(
        AuditEntry.objects.filter(target_id=run_id, action__startswith="airlift_plan.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert trail == [
        "airlift_plan.request",
        "airlift_plan.running",
        "airlift_plan.failed",
        "airlift_plan.restart",
        "airlift_plan.running",
        "airlift_plan.done",
    ]
