"""``aidbridge demo --federated``: two centres on one machine, federated over HTTP.

EADRCC (the full COVID-19 scenario) on http://127.0.0.1:8000 and EU ERCC (the same
catalogue, parties, accounts and crisis, no requests of its own) on :8001, each with
its own SQLite database under ``$AIDBRIDGE_DATA_DIR/federated/<code>/`` and its own
task worker (``aidbridge serve`` starts it; it delivers the outbox). Each declares the
other as a partner sharing ``covid-19-2020`` both ways, with keys made once and kept in
``keys.json``; EADRCC then sends its circulated requests, which appear at ERCC as
mirrored requests ("via EADRCC, RFA-2020-0001"). Ctrl-C stops both.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings

from aidbridge.demo.scenario import CRISIS_CODE

CENTRES: tuple[tuple[str, str, int, list[str]], ...] = (
    ("EADRCC", "Euro-Atlantic Disaster Response Coordination Centre", 0, []),
    ("ERCC", "EU Emergency Response Coordination Centre", 1, ["--no-scenario"]),
)


def _bin() -> str:
    return str(Path(sys.executable).parent / "aidbridge")


def _env(code: str) -> dict[str, str]:
    data = Path(settings.DATA_DIR) / "federated" / code.lower()
    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "AIDBRIDGE_DATA_DIR": str(data), "AIDBRIDGE_CENTRE_CODE": code}
    env["DATABASE_URL"] = f"sqlite:///{data / 'aidbridge.sqlite3'}"
    # The partner is on this machine: allow the outbox's loopback (refused by default,
    # as protection against request forgery through webhook URLs).
    env.setdefault("AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS", "127.0.0.1/32")
    return env


def _keys() -> dict[str, str]:
    path = Path(settings.DATA_DIR) / "federated" / "keys.json"
    if path.exists():
        return dict(json.loads(path.read_text()))
    keys = {code: "fedsec_" + secrets.token_urlsafe(32) for code, *_rest in CENTRES}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(keys))
    path.chmod(0o600)
    return keys


def run(out: TextIO | Any, *, serve: bool = True, base_port: int = 8000) -> None:
    """Load, federate and (``serve``) start both centres: EADRCC on ``base_port``, ERCC
    on the next port."""
    keys = _keys()
    for code, _name, offset, extra in CENTRES:
        out.write(f"==> {code}: loading (port {base_port + offset})\n")
        subprocess.run([_bin(), "demo", "--no-serve", *extra], env=_env(code), check=True)
    for (code, _n, _p, _e), (other, name, offset, _x) in (
        (CENTRES[0], CENTRES[1]),
        (CENTRES[1], CENTRES[0]),
    ):
        subprocess.run(
            [_bin(), "federation", "partner", other, "--name", name,
             "--url", f"http://127.0.0.1:{base_port + offset}", "--crisis", CRISIS_CODE,
             "--sign-key", keys[code], "--verify-key", keys[other]],
            env=_env(code), check=True,
        )  # fmt: skip
    subprocess.run([_bin(), "federation", "share", CRISIS_CODE], env=_env("EADRCC"), check=True)
    if not serve:
        return
    servers = [
        subprocess.Popen([_bin(), "serve", f"127.0.0.1:{base_port + offset}"], env=_env(code))
        for code, _name, offset, _extra in CENTRES
    ]
    out.write(
        f"EADRCC: http://127.0.0.1:{base_port}/   ERCC: http://127.0.0.1:{base_port + 1}/"
        "  (Ctrl-C stops)\n"
    )
    try:
        for server in servers:
            server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait()
