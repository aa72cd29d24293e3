"""A database that cannot be reached (``DATABASE_URL`` at a closed port): the commands
stop with one clear message, and the API answers 503 in its error shape.

Each case runs in its own process, configured by the environment as in production."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "aidbridge.cli"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens once the socket is closed


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "AIDBRIDGE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://aidbridge:s3cret-pw@127.0.0.1:{_closed_port()}/aidbridge",
        "DJANGO_SETTINGS_MODULE": "aidbridge.settings",
    }
    env.pop("AIDBRIDGE_TASKS_BACKEND", None)
    return env


@pytest.mark.parametrize("command", [["migrate"], ["serve", "--no-collectstatic", "--no-worker"]])
def test_a_command_says_the_database_cannot_be_reached(env, command) -> None:
    if command[0] == "serve":
        command = [*command, f"127.0.0.1:{_closed_port()}"]
    done = subprocess.run([*CLI, *command], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    port = env["DATABASE_URL"].rsplit(":", 1)[1].split("/")[0]
    assert f"cannot reach the postgresql database 'aidbridge' at 127.0.0.1:{port}" in done.stderr
    assert "Check DATABASE_URL" in done.stderr
    assert "s3cret-pw" not in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 4, done.stderr


SCRIPT = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
bearer = {"Authorization": "Bearer aidb_any-token"}
answers = [
    client.get("/api/v1/crises", headers=bearer),
    client.post("/api/v1/rfas", "{}", content_type="application/json",
                headers={**bearer, "Idempotency-Key": "k-1"}),
]
print(json.dumps([
    {"status": a.status_code, "type": a["Content-Type"], "retry": a.get("Retry-After"),
     "rid": a.get("X-Request-ID"), "body": a.content.decode()}
    for a in answers
]))
"""


def test_the_api_answers_503_in_its_error_shape_while_the_database_is_down(env) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    for answer in answers:
        assert answer["status"] == 503
        assert answer["type"].startswith("application/json")
        assert answer["retry"] == "5"
        body = json.loads(answer["body"])
        assert body["code"] == "database_unavailable"
        assert body["request_id"] == answer["rid"]
        # The log line with the traceback carries the same id.
        assert f"[request_id={body['request_id']}]" in done.stderr
