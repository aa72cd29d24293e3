"""The production stack keeps deliveries going by itself: a webhook whose receiver
answers 500 is retried, and delivered once the receiver is back, without anyone running
a command (``aidbridge deploy`` queued the periodic delivery task its worker runs)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from aidbridge.deploy.tests.conftest import Deployed
from aidbridge.webhooks.tests.receiver import Receiver

pytestmark = [
    pytest.mark.deployment,
    pytest.mark.xdist_group("deployment"),
    pytest.mark.django_db,
]

WAIT_S = 90  # a bound for a loaded machine; the stack retries every 2 s here


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    live = Receiver().start()
    yield live
    live.stop()


def _rows(deployed: Deployed, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(deployed.database_url.replace("postgres://", "postgresql://")) as c:
        return c.execute(sql).fetchall()


def _post(deployed: Deployed, path: str, body: dict[str, Any], as_user: str) -> Any:
    answer = deployed.request(
        "POST" if not path.startswith("PATCH ") else "PATCH",
        "/api/v1" + path.removeprefix("PATCH "),
        body=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        as_user=as_user,
    )
    assert 200 <= answer.status < 300, (path, answer.status, answer.body[:500])
    return answer.json()


def _wait(what: str, done: Any) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done():
        assert time.monotonic() < deadline, f"{what}: not within {WAIT_S} s"
        time.sleep(0.5)


def test_a_failing_webhook_is_retried_by_the_stack_until_delivered(
    deployed: Deployed, receiver: Receiver
) -> None:
    receiver.answer = "error"
    hook = _post(
        deployed,
        "/webhooks",
        {"url": receiver.url, "event_types": ["sitrep.published"]},
        "feed-bot",
    )
    receiver.secrets.append(hook["secret"])
    draft = _post(deployed, f"/crises/{deployed.crisis}/sitreps", {}, "duty")
    _post(deployed, f"PATCH /sitreps/{draft['id']}", {"general_situation": "Retry."}, "duty")
    _post(deployed, f"/sitreps/{draft['id']}/publish", {}, "head")
    _wait("the first attempt (after the commit)", lambda: len(receiver.arrived) >= 1)
    # The receiver failed it: the message waits for its retry, which only the
    # periodic task (queued by deploy, run by the stack's worker) will make.
    _wait(
        "the failed attempt recorded",
        lambda: (
            _rows(
                deployed,
                "SELECT count(*) FROM outbox_deliveryattempt WHERE status_code = 500",
            )[0][0]
            >= 1
        ),
    )
    receiver.answer = "ok"
    _wait("delivered after the receiver came back", lambda: len(receiver.processed) == 1)
    where = f"destination = 'webhook:{hook['id']}'"
    _wait(
        "the delivery recorded",
        lambda: (
            _rows(deployed, f"SELECT status FROM outbox_outboxmessage WHERE {where}")
            == [("delivered",)]
        ),
    )
    assert all(a.verified for a in receiver.arrived)
    assert receiver.processed[0]["type"] == "sitrep.published"
    assert len(receiver.arrived) >= 2  # failed at least once, then delivered
