"""What ``aidbridge deploy`` queues so that deliveries keep going (the stack itself is
tested in ``deploy/tests``): the self-rescheduling tasks, once however often the
stack is restarted; nothing with a backend that cannot defer a task, where the stack
runs an ``outbox deliver --every`` process instead."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from aidbridge.api.tasks import purge_idempotency_keys
from aidbridge.deploy.stack import OUTBOX_COMMAND
from aidbridge.ops.management.commands.deploy import schedule_periodic_tasks
from aidbridge.outbox.tasks import deliver_outbox_periodic, purge_outbox

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_deploy_queues_each_self_rescheduling_task_once() -> None:
    with override_settings(TASKS=DATABASE):
        from django_tasks_db.models import DBTaskResult

        assert schedule_periodic_tasks()
        assert schedule_periodic_tasks()  # restarted: nothing more is queued
        waiting = DBTaskResult.objects.filter(status="READY")
        paths = sorted(waiting.values_list("task_path", flat=True))
    assert paths == sorted(
        t.module_path for t in (deliver_outbox_periodic, purge_outbox, purge_idempotency_keys)
    )


def test_without_a_deferring_backend_the_stack_runs_an_outbox_process(db: Any) -> None:
    # The test settings' immediate backend cannot run a task later.
    assert schedule_periodic_tasks() is False
    assert OUTBOX_COMMAND[-4:] == ["outbox", "deliver", "--every", "5"]
