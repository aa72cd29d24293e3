"""An application process killed (SIGKILL) in the middle of a 10,000-line import, on the
production stack: nothing is half written, and the request retried with the same
``Idempotency-Key`` goes through once the crashed request's lease has passed."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

from aidbridge.deploy.tests.conftest import IDEMPOTENCY_LEASE_SECONDS, Answer, Deployed

pytestmark = [
    pytest.mark.deployment,
    pytest.mark.xdist_group("deployment"),
    pytest.mark.django_db,
]

LINES = 10_000
BOUNDARY = "aidbridge-crash-test-boundary"
CATALOGUE = Path(settings.PACKAGE_DIR) / "catalogue" / "data" / "catalogue.json"


def _needs_file() -> bytes:
    data = json.loads(CATALOGUE.read_text())
    codes = [row["code"] for row in data["items"]]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["request", "item", "quantity", "priority", "needed_by"])
    for i in range(LINES):
        writer.writerow([f"Batch {i // 200:03d}", codes[i % len(codes)], i % 500 + 1, 1, ""])
    return out.getvalue().encode()


def _multipart(content: bytes) -> bytes:
    """Built once, so the retry sends the very same bytes (boundary included)."""
    return (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="needs.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def _rows(deployed: Deployed, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(deployed.database_url.replace("postgres://", "postgresql://")) as c:
        return c.execute(sql, params).fetchall()


def _requests_of_crisis(deployed: Deployed) -> tuple[int, int]:
    (counts,) = _rows(
        deployed,
        "SELECT count(DISTINCT r.id), count(l.id) FROM requests_requestforassistance r"
        " JOIN crises_crisis c ON c.id = r.crisis_id"
        " LEFT JOIN requests_requestline l ON l.rfa_id = r.id WHERE c.code = %s",
        deployed.crisis,
    )
    return int(counts[0]), int(counts[1])


def test_a_worker_killed_mid_import_leaves_nothing_and_the_key_works_again(
    deployed: Deployed,
) -> None:
    body = _multipart(_needs_file())
    key = f"crash-import-{os.getpid()}"
    path = f"/api/v1/imports/needs?crisis={deployed.crisis}&title=Crash"

    def send() -> Answer:
        return deployed.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                "Idempotency-Key": key,
            },
            as_user="ita-poc",
            timeout=300,
        )

    answers: list[Answer] = []
    thread = threading.Thread(target=lambda: answers.append(send()))
    thread.start()
    # The key is reserved when Django starts on the request: the import is under way.
    deadline = time.monotonic() + 120
    while not _rows(deployed, "SELECT 1 FROM api_idempotencyrecord WHERE key = %s", key):
        assert time.monotonic() < deadline, "the import never reached the application"
        assert thread.is_alive(), answers
        time.sleep(0.05)
    time.sleep(0.5)
    for pid in deployed.app_workers():
        os.kill(pid, signal.SIGKILL)
    thread.join(timeout=300)
    # nginx tells the client its upstream died; the import had not finished.
    assert [a.status for a in answers] == [502]
    assert _requests_of_crisis(deployed) == (0, 0)

    if not hasattr(settings, "IDEMPOTENCY_LEASE"):
        pytest.xfail(
            "this branch's idempotency keys have no lease: a crashed request's key "
            "answers 409 forever (the i12-sec branch adds the lease)"
        )
    # gunicorn's master has replaced the killed workers; the key is still reserved by
    # the dead request until its lease passes, then the same request goes through.
    deadline = time.monotonic() + IDEMPOTENCY_LEASE_SECONDS + 120
    retried = send()
    while retried.status in (409, 502) and time.monotonic() < deadline:
        time.sleep(1)
        retried = send()
    assert retried.status == 201, retried.body[:2000]
    created = retried.json()["created"]
    assert _requests_of_crisis(deployed) == (len(created), LINES)
    # And once more: the stored answer, nothing created twice.
    again = send()
    assert again.status == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _requests_of_crisis(deployed) == (len(created), LINES)
