"""The real stack for the deployment tests: ``aidbridge deploy`` started once per test
session (per xdist worker of the ``deployment`` group) on free ports, against a
PostgreSQL database of its own, cloned from the migrated test database."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from aidbridge.deploy.stack import children_of, nginx_binary

START_TIMEOUT = 180
# A crashed request's Idempotency-Key is taken over after this lease (the default, 120 s,
# is longer than any request; the crash test should not wait that long).
IDEMPOTENCY_LEASE_SECONDS = 10
OUTBOX_TEST_ENV = {
    "AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS": "127.0.0.1/32",
    "AIDBRIDGE_OUTBOX_POLL_S": "2",
    "AIDBRIDGE_OUTBOX_BACKOFF_S": "0.5",
    "AIDBRIDGE_OUTBOX_BACKOFF_MAX_S": "2",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Deployed:
    directory: Path
    process: subprocess.Popen[bytes]
    http_port: int
    https_port: int
    database_url: str
    tokens: dict[str, str]
    crisis: str
    public_sitrep: int

    def tls_context(self) -> ssl.SSLContext:
        """Verifies the stack's own self-signed certificate, as a client that was given
        it would."""
        return ssl.create_default_context(cafile=str(self.directory / "tls" / "cert.pem"))

    def https(self, timeout: float) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(
            "localhost", self.https_port, timeout=timeout, context=self.tls_context()
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        as_user: str | None = None,
        timeout: float = 30,
    ) -> Answer:
        all_headers = dict(headers or {})
        if as_user is not None:
            all_headers["Authorization"] = f"Bearer {self.tokens[as_user]}"
        conn = self.https(timeout)
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            conn.close()

    def gunicorn_master(self) -> int:
        return int((self.directory / "run" / "gunicorn.pid").read_text().strip())

    def app_workers(self) -> list[int]:
        return children_of(self.gunicorn_master())


def _admin_dsn() -> dict[str, Any]:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
    }


def _sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(**_admin_dsn(), autocommit=True) as conn:
        conn.execute(statement)


def _url(name: str) -> str:
    dsn = _admin_dsn()
    secret = f":{dsn['password']}" if dsn["password"] else ""
    return f"postgres://{dsn['user']}{secret}@{dsn['host']}:{dsn['port']}/{name}"


def _app_env(directory: Path, database_url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    env["AIDBRIDGE_DATA_DIR"] = str(directory / "data")
    env["AIDBRIDGE_SECRET_KEY"] = "deployment-tests-only"
    env["AIDBRIDGE_LOG_LEVEL"] = "WARNING"
    env["AIDBRIDGE_IDEMPOTENCY_LEASE_SECONDS"] = str(IDEMPOTENCY_LEASE_SECONDS)
    # The outbox test's webhook receiver listens on loopback, which deliveries may reach
    # only where a deployment allows it; its retries should not take the default
    # minutes (the periodic task looks every 2 s, back-off from 0.5 s).
    env.update(OUTBOX_TEST_ENV)
    for name in ("DJANGO_SETTINGS_MODULE", "AIDBRIDGE_TASKS_BACKEND", "AIDBRIDGE_HTTPS"):
        env.pop(name, None)
    return env


def _wait_for_https(deployed: Deployed) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if deployed.process.poll() is not None:
            log = (deployed.directory / "deploy.log").read_text(errors="replace")
            pytest.fail(f"aidbridge deploy stopped at start-up:\n{log[-3000:]}")
        try:
            # A light page: the OpenAPI document takes seconds to build on a busy machine.
            if deployed.request("GET", "/login/", timeout=10).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the stack did not answer on HTTPS within {START_TIMEOUT} s")


@pytest.fixture(scope="session")
def deployed(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployed]:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the deployment runs several processes on PostgreSQL (DATABASE_URL)")
    try:
        nginx_binary()
    except Exception as exc:
        pytest.skip(str(exc))
    directory = tmp_path_factory.mktemp("deploy")
    template = connections["default"].settings_dict["NAME"]
    name = f"{template}_deploy"
    with django_db_blocker.unblock():
        # A template must have no other session: this worker's own connection goes.
        connections.close_all()
        # ... and any connection an earlier test's thread left open to it.
        _sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{template}' AND pid <> pg_backend_pid()"
        )
        _sql(f'DROP DATABASE IF EXISTS "{name}"')
        _sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    database_url = _url(name)
    env = _app_env(directory, database_url)
    seeded = subprocess.run(
        [sys.executable, "-m", "aidbridge.deploy.tests.seed"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    http_port, https_port = free_port(), free_port()
    log = (directory / "deploy.log").open("wb")
    command = [sys.executable, "-m", "aidbridge.cli", "deploy", str(directory / "stack")]
    command += ["--http-port", str(http_port), "--https-port", str(https_port)]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    deployed = Deployed(
        directory=directory / "stack",
        process=process,
        http_port=http_port,
        https_port=https_port,
        database_url=database_url,
        tokens=seed["tokens"],
        crisis=seed["crisis"],
        public_sitrep=seed["public_sitrep"],
    )
    started: list[int] = []
    try:
        _wait_for_https(deployed)
        started = [deployed.gunicorn_master(), *deployed.app_workers()]
        started.append(int((deployed.directory / "run" / "nginx.pid").read_text()))
        yield deployed
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with django_db_blocker.unblock():
            _sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    # Stopped cleanly: the command ended on SIGTERM and took its processes with it.
    assert process.returncode in (0, 128 + signal.SIGTERM), process.returncode
    assert [pid for pid in started if Path(f"/proc/{pid}").exists()] == []
