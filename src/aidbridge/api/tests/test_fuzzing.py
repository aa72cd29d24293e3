"""Schemathesis against the live OpenAPI document, as three roles.

The application runs in pytest-django's live server (the real WSGI stack, threaded,
on the test database) with a small crisis built through the services: requests
circulated, offers accepted, a dispatch received. Schemathesis' command line fetches
``/api/v1/openapi.json`` from it and, for each role's bearer token, sends generated
requests to every operation (examples, fuzzing, and stateful sequences following the
links it infers between operations; not the "coverage" phase, whose hundreds of
boundary cases per operation take far longer than a CI run can give), checking that no
answer is a 5xx and that every status, content type and body is the one the document
declares. Any failure fails the test, with Schemathesis' report (each failure with a
curl command to replay it).

Bounded and reproducible: a fixed seed, ``MAX_EXAMPLES`` per operation, and
deterministic generation when ``CI=true``. PostgreSQL only: the three roles are fuzzed
at once against the threaded server, which SQLite's shared in-memory test database
cannot serve.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aidbridge.accounts.models import ApiToken
from aidbridge.conftest import ApiClient
from aidbridge.core.tests.threads import postgres_only
from aidbridge.sitreps.tests.conftest import World

pytestmark = postgres_only

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]
ROLES = {"centre duty officer": "duty", "requesting nation POC": "ita", "donor POC": "deu"}
SEED = 2020
# Operations that would lock the fuzzer out for the rest of its run (a stateful sequence
# deactivates a user or a party it listed): all later requests would be 401 and prove
# nothing. Their own tests are in accounts/ and parties/. One pattern: the command line
# keeps only the last of several.
LOCKOUTS = r"/(users/\{username\}|parties/\{code\})/deactivate"
# The fuzzing tokens get ids no generated request guesses, so revoking a token (which is
# fuzzed) never revokes the one the run is using.
TOKEN_IDS = 7_340_032_123_456_000
MAX_EXAMPLES = 5


def _build_crisis(world: World) -> None:
    ita = world.rfa("ITA", [("VENT-ICU", 150), ("MASK-SURG", 100000)], contact="Marco Rossi")
    esp = world.rfa("ESP", [("VENT-ICU", 100), ("SUIT-PROT", 2000)])
    deu_esp = world.offer("DEU", esp, "VENT-ICU", 50)
    world.accept(deu_esp, 50)
    sent = world.dispatch(deu_esp, 50, at=datetime(2020, 3, 26, 8, 0, tzinfo=UTC))
    world.receive(sent, 50, datetime(2020, 3, 28, 10, 0, tzinfo=UTC))
    world.offer("DEU", ita, "VENT-ICU", 30)
    world.offer("TUR", ita, "MASK-SURG", 40000)


def _fetch_document(url: str, into: Path) -> Path:
    """The document as the live server serves it, fetched once: building it takes
    seconds on a busy machine, longer than Schemathesis waits for it."""
    with urllib.request.urlopen(f"{url}/api/v1/openapi.json", timeout=300) as answer:
        assert answer.status == 200
        into.write_bytes(answer.read())
    return into


def _schemathesis(url: str, document: Path, token: str, report: Path) -> subprocess.Popen[str]:
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        str(document),
        "--url", url,
        "--header", f"Authorization: {token}",
        "--checks", ",".join(CHECKS),
        "--phases", "examples,fuzzing,stateful",
        "--max-examples", str(MAX_EXAMPLES),
        "--exclude-path-regex", LOCKOUTS,
        "--seed", str(SEED),
        "--workers", "1",
        "--request-timeout", "60",
        "--no-color",
        "--report", "json",
        "--report-json-path", str(report),
    ]  # fmt: skip
    if os.environ.get("CI", "").lower() in ("true", "1"):
        command.append("--generation-deterministic")  # implies no example database
    else:
        command += ["--generation-database", "none"]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=report.parent
    )


def test_no_operation_answers_5xx_or_outside_its_documented_schema(
    live_server: Any,
    users: dict[str, Any],
    parties: dict[str, Any],
    items: dict[str, Any],
    crisis: Any,
    tmp_path: Path,
) -> None:
    _build_crisis(World(crisis, users, parties, items))
    document = _fetch_document(live_server.url, tmp_path / "openapi.json")
    tokens = {}
    for n, who in enumerate(ROLES.values()):
        tokens[who] = ApiClient(users[who]).headers["Authorization"]
        ApiToken.objects.filter(user=users[who]).update(id=TOKEN_IDS + n)
    problems = []
    figures = []
    # The two nations at once, then the centre: the duty officer's legitimate changes
    # (a user's role, a request closed) would otherwise pull the ground from under the
    # nations' runs mid-way.
    for batch in (["requesting nation POC", "donor POC"], ["centre duty officer"]):
        runs = {}
        for role in batch:
            report = tmp_path / f"{ROLES[role]}.json"
            run = _schemathesis(live_server.url, document, tokens[ROLES[role]], report)
            runs[role] = (run, report)
        for role, (process, report) in runs.items():
            output, _ = process.communicate(timeout=900)
            data: dict[str, Any] = json.loads(report.read_text()) if report.exists() else {}
            (report.parent / f"{report.stem}.txt").write_text(output)
            cases = data.get("test_cases") or {}
            failures = data.get("failures") or []
            server_errors = sum(f["count"] for f in failures if f["title"] == "Server error")
            figures.append(
                f"{role}: {(data.get('operations') or {}).get('tested')} operations, "
                f"{cases.get('generated')} requests, {server_errors} 5xx, "
                f"{sum(f['count'] for f in failures)} failures "
                f"({', '.join(f['title'] for f in failures) or 'none'})"
            )
            if process.returncode != 0 or failures or data.get("errors"):
                problems.append(f"--- {role} ---\n{output[-8000:]}")
    print("\n".join(figures))
    assert problems == [], "\n".join(figures + problems)
