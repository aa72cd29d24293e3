"""Two live centres for the federation tests: each an ``aidbridge serve`` process with
its own database and its own outbox worker (``aidbridge outbox deliver --every 0.2``),
federated over HTTP on 127.0.0.1.

The origin (EADRCC) runs on SQLite, the partner (ERCC) on PostgreSQL when the server of
``FEDERATION_PG`` answers (a database ``aidbridge_fed_live`` made and dropped here,
``aidbridge_fed_live_<TEST_DB_SUFFIX>_<xdist worker>`` when those are set, so parallel
runs on one server do not drop each other's), else on a second SQLite file. The ports
are ``FEDERATION_LIVE_PORT`` (18110) and the two after it, plus 10 per xdist worker.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path
from typing import Any

PG_SERVER = os.environ.get("FEDERATION_PG", "postgres://postgres@127.0.0.1:5432")
_SUFFIX = os.environ.get("TEST_DB_SUFFIX", "")
# Each pytest-xdist worker that runs a live test starts its own pair (the tests carry an
# xdist group, but pytest-xdist 3.8 under pytest 9 does not keep a group together):
# ports 10 apart, a database each.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_INDEX = int(_WORKER[2:]) if _WORKER[:2] == "gw" and _WORKER[2:].isdigit() else 0
PG_DB = "aidbridge_fed_live" + "".join(
    f"_{part}" for part in (_SUFFIX, _WORKER) if part.isidentifier()
)
PORT = int(os.environ.get("FEDERATION_LIVE_PORT", "18110")) + 10 * _INDEX
BIN = Path(sys.executable).parent / "aidbridge"


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=2, autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            c.execute(f"CREATE DATABASE {PG_DB}")
        return True
    except Exception:
        return False


def drop_pg() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


class Centre:
    def __init__(self, code: str, port: int, data_dir: Path, database_url: str) -> None:
        self.code, self.port, self.data_dir = code, port, data_dir
        self.database_url = database_url
        self.url = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "AIDBRIDGE_DATA_DIR": str(data_dir),
            "AIDBRIDGE_CENTRE_CODE": code,
            "AIDBRIDGE_OUTBOX_BACKOFF_S": "0.2",
            "AIDBRIDGE_OUTBOX_BACKOFF_MAX_S": "1",
            "AIDBRIDGE_OUTBOX_TIMEOUT_S": "3",
            # A killed worker's claims lapse after this (120 s by default: too long to
            # wait for in a test); above a few attempts at the timeout.
            "AIDBRIDGE_OUTBOX_LEASE_S": "15",
            "AIDBRIDGE_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "DJANGO_SETTINGS_MODULE": "aidbridge.settings",
            # The outbox refuses loopback destinations unless allowed (main's egress
            # rule, SSRF): partner centres are declared by the centre, here on 127.0.0.1.
            "AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS": "127.0.0.1/32",
        }
        self.env.pop("TEST_DB_SUFFIX", None)
        self.tokens: dict[str, str] = {}
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def setup(self, partner_code: str, partner_url: str, sign: str, verify: str) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "aidbridge.federation.tests.live_centre",
                partner_code,
                partner_url,
                sign,
                verify,
            ],
            env=self.env,
            capture_output=True,
            check=True,
            timeout=180,
        )
        self.tokens = json.loads(out.stdout.decode().strip().splitlines()[-1])

    def start(self, extra_env: dict[str, str] | None = None) -> None:
        env = {**self.env, **(extra_env or {})}
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 (closed with the process)
        self.server = subprocess.Popen(
            [
                str(BIN),
                "serve",
                f"127.0.0.1:{self.port}",
                "--no-worker",
                "--no-collectstatic",
                "--threads",
                "4",
            ],
            env=env,
            stdout=log,
            stderr=log,
        )
        self.start_worker(extra_env)
        deadline = time.monotonic() + 180  # a loaded machine starts slowly
        while True:
            try:
                urllib.request.urlopen(self.url + "/api/v1/me", timeout=2).read(10)
                return
            except urllib.error.HTTPError:  # an answer (401): it serves
                return
            except (OSError, urllib.error.URLError):
                assert self.server.poll() is None, "server died: see server.log"
                assert time.monotonic() < deadline, f"{self.code} did not start"
                time.sleep(0.2)

    def start_worker(self, extra_env: dict[str, str] | None = None, name: str = "") -> None:
        log = open(self.data_dir / "worker.log", "ab")  # noqa: SIM115
        self.worker = subprocess.Popen(
            [
                *(str(BIN), "outbox", "deliver", "--every", "0.2"),
                *("--worker", name or f"{self.code}-w"),
            ],
            env={**self.env, **(extra_env or {})},
            stdout=log,
            stderr=log,
        )

    def kill_worker(self) -> None:
        """SIGKILL the outbox worker: no clean-up, whatever it was doing."""
        assert self.worker is not None and self.worker.poll() is None, "no worker running"
        self.worker.kill()
        self.worker.wait()
        self.worker = None

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.terminate()
            self.worker.wait(10)
            self.worker = None

    def freeze(self) -> None:
        """SIGSTOP the server: connections are accepted by the kernel, never answered."""
        assert self.server is not None
        self.server.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.server is not None
        self.server.send_signal(signal.SIGCONT)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read this centre's database directly: what no API shows (the message ids it
        received, its outbox and delivery log, its audit trail). ``%s`` placeholders."""
        if self.database_url.startswith("sqlite:///"):
            path = self.database_url.removeprefix("sqlite:///")
            with closing(sqlite3.connect(path, timeout=20)) as c:
                return c.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.database_url) as c:
            return c.execute(sql, params).fetchall()

    def stop(self) -> None:
        for proc in (self.server, self.worker):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGCONT)  # a frozen process cannot stop
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.server = self.worker = None

    def call(self, method: str, path: str, user: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + "/api/v1" + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.tokens[user]}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read() or b"null")

    def ok(self, method: str, path: str, user: str, body: Any = None) -> Any:
        status, answer = self.call(method, path, user, body)
        assert 200 <= status < 300, (self.code, method, path, status, answer)
        return answer


def wait_for(check: Any, what: str, seconds: float = 90) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


# What the tests read through the API.


def figures(centre: Centre, rfa_id: int) -> list[tuple[int, str, dict[str, Any]]]:
    detail = centre.ok("GET", f"/rfas/{rfa_id}", "duty")
    return [(ln["position"], ln["item"], ln["figures"]) for ln in detail["lines"]]


def mirror_of(partner: Centre, reference: str) -> dict[str, Any] | None:
    rows = partner.ok("GET", "/rfas?crisis=covid-19-2020&limit=200", "fra-poc")["items"]
    for row in rows:
        if row["reference"] == f"EADRCC-{reference}":
            return partner.ok("GET", f"/rfas/{row['id']}", "fra-poc")
    return None


def offer_lines(centre: Centre, rfa_id: int, user: str = "duty") -> list[dict[str, Any]]:
    offers = centre.ok("GET", f"/offers?rfa={rfa_id}&limit=200", user)["items"]
    return [ln for o in offers for ln in o["lines"]]


def settled(origin: Centre, partner: Centre, rfa_id: int, mirror_id: int) -> bool:
    return figures(origin, rfa_id) == figures(partner, mirror_id)
