"""The command line: serve, createuser (ops) and demo, through call_command and a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from aidbridge.audit.models import AuditEntry
from aidbridge.catalogue.models import Item, Substitute
from aidbridge.ops.management.commands.serve import parse_addrport
from aidbridge.parties.models import Party


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("8001", ("127.0.0.1", 8001)),
        ("0.0.0.0:80", ("0.0.0.0", 80)),
        ("[::1]:8000", ("::1", 8000)),
        ("localhost:9000", ("localhost", 9000)),
    ],
)
def test_addrport_is_parsed(value: str, expected: tuple[str, int]) -> None:
    assert parse_addrport(value) == expected


@pytest.mark.parametrize("value", ["", "host:", "127.0.0.1:99999", "127.0.0.1:0", "a b:80"])
def test_a_bad_addrport_is_named(value: str) -> None:
    with pytest.raises(CommandError, match="not HOST:PORT"):
        parse_addrport(value)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the child processes of ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append((int(entry.name), cmd))
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_serve_answers_http_serves_static_files_and_runs_a_task_worker(tmp_path: Path) -> None:
    """A real server process: the API schema and an admin stylesheet over HTTP, and a
    db_worker and the runs' sweep beside it that stop with it."""
    port = _free_port()
    env = {**os.environ, "AIDBRIDGE_DATA_DIR": str(tmp_path)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "AIDBRIDGE_TASKS_BACKEND"):
        env.pop(name, None)
    cli = [sys.executable, "-m", "aidbridge.cli"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    proc = subprocess.Popen(
        [*cli, "serve", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180  # collectstatic first, on a busy machine
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5) as r:
                    assert r.status == 200
                    assert b'"openapi"' in r.read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode() if proc.stdout else ""
                    pytest.fail(f"server did not answer (exit {proc.poll()}):\n{out}")
                time.sleep(0.3)
        with urllib.request.urlopen(f"{base}/static/admin/css/base.css", timeout=5) as r:
            assert r.status == 200 and b"body" in r.read()
        assert (tmp_path / "static" / "admin" / "css" / "base.css").exists()
        workers = [pid for pid, cmd in _children(proc.pid) if "db_worker" in cmd]
        assert len(workers) == 1, _children(proc.pid)
        sweepers = [pid for pid, cmd in _children(proc.pid) if "runs sweep --every" in cmd]
        assert len(sweepers) == 1, _children(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert not Path(f"/proc/{workers[0]}").exists(), "the worker stops with the server"
    assert not Path(f"/proc/{sweepers[0]}").exists(), "the sweep stops with the server"


def _counts() -> dict[str, int]:
    from aidbridge.notifications.models import Notification
    from aidbridge.offers.models import Offer, OfferLine
    from aidbridge.requests.models import RequestForAssistance

    return {
        "items": Item.objects.count(),
        "substitutes": Substitute.objects.count(),
        "parties": Party.objects.count(),
        "users": get_user_model().objects.count(),
        "rfas": RequestForAssistance.objects.count(),
        "offers": Offer.objects.count(),
        "offer_lines": OfferLine.objects.count(),
        "audit": AuditEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


@pytest.mark.django_db
def test_serve_refuses_a_bad_address_before_doing_anything() -> None:
    with pytest.raises(CommandError, match="not HOST:PORT"):
        call_command("serve", "nowhere:", stdout=StringIO())


@pytest.fixture
def static_root(settings: Any, tmp_path: Path) -> Path:
    settings.STATIC_ROOT = tmp_path / "static"
    return Path(settings.STATIC_ROOT)


@pytest.mark.django_db(transaction=True)
def test_demo_twice_duplicates_nothing(static_root: Path) -> None:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    first = _counts()
    text = out.getvalue()
    assert "aidbridge demo is ready" in text
    assert "http://127.0.0.1:8000/" in text and "aidbridge-demo-2020" in text
    assert "ita-poc" in text and "Centre duty officer" in text
    assert first["items"] >= 80 and first["parties"] >= 70
    assert (static_root / "admin" / "css" / "base.css").exists()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("aidbridge-demo-2020")
    assert admin.profile.party.code == "EADRCC"

    call_command("demo", "--no-serve", stdout=StringIO())
    assert _counts() == first


@pytest.mark.django_db
def test_createuser_goes_through_the_accounts_service() -> None:
    out = StringIO()
    call_command("createuser", "chief", "--party", "EADRCC", "--role", "centre_head", stdout=out)
    assert "Created chief (EADRCC, centre_head)" in out.getvalue()
    call_command("load_parties", stdout=StringIO())
    call_command(
        "createuser", "ita-1", "--party", "ita", "--role", "national_poc", "--actor", "chief",
        "--email", "ita-1@example.org", stdout=StringIO(),
    )  # fmt: skip
    user = get_user_model().objects.get(username="ita-1")
    assert user.profile.party.code == "ITA" and user.profile.role == "national_poc"
    assert not user.has_usable_password()
    entry = AuditEntry.objects.get(action="user.create", target_id=user.pk)
    assert entry.actor is not None and entry.actor.username == "chief"


@pytest.mark.django_db
def test_createuser_reads_the_password_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", StringIO("a-long-enough-passphrase\n"))
    call_command(
        "createuser", "duty2", "--party", "EADRCC", "--role", "centre_officer",
        "--password-from-stdin", stdout=StringIO(),
    )  # fmt: skip
    assert get_user_model().objects.get(username="duty2").check_password("a-long-enough-passphrase")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--party", "XXX", "--role", "national_poc"], "no party with code 'XXX'"),
        (["x", "--party", "EADRCC", "--role", "national_poc"], "party: "),
        (["x", "--party", "EADRCC", "--role", "centre_head", "--actor", "nobody"], "actor: "),
    ],
)
def test_createuser_names_what_is_wrong(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("createuser", *args, stdout=StringIO())
    assert not get_user_model().objects.filter(username="x").exists()
