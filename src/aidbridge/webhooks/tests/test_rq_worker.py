"""The RQ backend (``django_tasks_rq`` on Redis) runs the outbox's tasks: jobs queued in
a real Redis are taken by a real ``aidbridge rqworker`` process, which delivers the
webhooks to a real receiver; a deferred task waits in RQ's scheduled registry and runs
when due; the self-rescheduling task is not queued twice. PostgreSQL, since the worker
is another process that must see the test database; skipped when Redis is unreachable.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus

from aidbridge.core import taskqueue
from aidbridge.outbox import tasks
from aidbridge.requests.models import RequestForAssistance
from aidbridge.webhooks.tests.helpers import all_delivered, play, subscribe
from aidbridge.webhooks.tests.receiver import Receiver

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the RQ worker is another process: it must reach the test database (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True),
]

# A database of the Redis server of its own, so the suite's jobs meet no other user's
# (and the test can empty it); AIDBRIDGE_TEST_REDIS_URL to use another.
REDIS_URL = os.environ.get("AIDBRIDGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
PATIENCE_S = 120.0  # a bound for a loaded machine, not a timing


@pytest.fixture
def redis_backend(settings: Any) -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as down:
        pytest.skip(f"Redis is unreachable at {REDIS_URL} ({down}): the RQ backend needs it")
    client.flushdb()
    settings.TASKS = {"default": {"BACKEND": taskqueue.RQ, "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    yield client
    client.flushdb()
    client.close()


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or "5432"
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def _worker(tmp: Path) -> subprocess.Popen[bytes]:
    """The worker ``serve`` and ``deploy`` start for this backend, in its own process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aidbridge.settings",
        "DATABASE_URL": _database_url(),
        "AIDBRIDGE_DATA_DIR": str(tmp),
        "AIDBRIDGE_TASKS_BACKEND": taskqueue.RQ,
        "AIDBRIDGE_REDIS_URL": REDIS_URL,
        "AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS": "127.0.0.1/32",  # the receiver
    }
    log = (tmp / "rqworker.log").open("wb")
    return subprocess.Popen(taskqueue.worker_command(), env=env, stdout=log, stderr=log)


def _wait_for(what: str, ready: Any, worker: subprocess.Popen[bytes], tmp: Path) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not ready():
        log = (tmp / "rqworker.log").read_text(errors="replace")[-2000:]
        assert worker.poll() is None, f"the worker exited:\n{log}"
        assert time.monotonic() < deadline, f"still waiting for {what}:\n{log}"
        time.sleep(0.2)


def test_an_rq_worker_process_runs_the_outbox_tasks_through_redis(
    redis_backend: Any,
    users: dict[str, Any],
    ita_rfa: RequestForAssistance,
    machine: Any,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    assert taskqueue.worker_command()[3:5] == ["rqworker", "--job-class"]
    subscribe(machine, receiver)
    play(users, ita_rfa)  # each commit queues a delivery job in Redis: no worker yet
    assert taskqueue.waiting(tasks.deliver_outbox, now=True)
    assert receiver.arrived == []
    # A deferred task: in RQ's scheduled registry until due, and not queued twice.
    later = tasks.deliver_outbox_periodic.using(run_after=timezone.now() + timedelta(seconds=3))
    deferred = later.enqueue()
    assert taskqueue.waiting(tasks.deliver_outbox_periodic)
    assert not taskqueue.waiting(tasks.deliver_outbox_periodic, now=True)
    assert tasks.schedule_periodic() is False  # one is waiting already
    assert redis_backend.zcard("rq:scheduled:default") == 1

    worker = _worker(tmp_path)
    try:
        _wait_for("every webhook delivered", all_delivered, worker, tmp_path)
        assert len(receiver.processed) == 6 and all(a.verified for a in receiver.arrived)

        def deferred_ran() -> bool:
            return tasks.deliver_outbox_periodic.get_result(deferred.id).status in (
                TaskResultStatus.SUCCESSFUL,
                TaskResultStatus.FAILED,
            )

        _wait_for("the deferred task to run", deferred_ran, worker, tmp_path)
        result = tasks.deliver_outbox_periodic.get_result(deferred.id)
        assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
        assert result.worker_ids  # run by the worker, recorded in Redis
        # It scheduled its own next run, in Redis.
        assert taskqueue.waiting(tasks.deliver_outbox_periodic)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
