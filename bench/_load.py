"""The parts of ``bench/load.py`` that talk to processes: a server started and stopped,
a sign-in through the login form, wrk and its Lua summary, CPU time from /proc, and the
deployment's access logs joined by request id."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# wrk's own summary lacks p95 and counts non-2xx apart: one JSON line instead.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d, "p50": %f, "p95": %f, "p99": %f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    who: str
    auth: str  # "token" or "session"


@dataclass
class Server:
    kind: str  # "serve" or "deploy"
    url: str
    command: list[str]
    env: dict[str, str]
    directory: Path
    process: subprocess.Popen[bytes] | None = field(default=None)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        log = (self.directory.parent / f"{self.kind}.out").open("ab")
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # serve stops its threads on SIGINT; deploy stops nginx, gunicorn, the worker.
        self.process.send_signal(signal.SIGINT if self.kind == "serve" else signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def logs(self) -> tuple[Path, Path]:
        return (
            self.directory / "log" / "nginx-access.log",
            self.directory / "log" / "gunicorn-access.log",
        )

    def log_marks(self) -> tuple[int, int]:
        if self.kind != "deploy":
            return (0, 0)
        return tuple(p.stat().st_size if p.exists() else 0 for p in self.logs())  # type: ignore[return-value]


def _tls() -> ssl.SSLContext:
    # Loopback to the stack's own self-signed certificate.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def wait_for(server: Server, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process is not None
        if server.process.poll() is not None:
            out = (server.directory.parent / f"{server.kind}.out").read_text(errors="replace")
            raise SystemExit(f"{server.kind} stopped at start-up:\n{out[-3000:]}")
        try:
            with urllib.request.urlopen(server.url + "/login/", timeout=5, context=_tls()) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{server.kind} did not answer within {timeout:.0f} s")


def login(server: Server, username: str, password: str = "load-bench") -> str:
    """Sign in through the login form as a browser does; the Cookie header after."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), urllib.request.HTTPSHandler(context=_tls())
    )
    with opener.open(server.url + "/login/", timeout=30) as page:
        form = page.read().decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert found, "no CSRF token on the login form"
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": found[1]}
    ).encode()
    request = urllib.request.Request(
        server.url + "/login/",
        data=body,
        headers={"Referer": server.url + "/login/", "Origin": server.url},
    )
    with opener.open(request, timeout=30):
        pass
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, f"{username} could not sign in on {server.kind}"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def run_wrk(url: str, header: str, clients: int, seconds: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        out = subprocess.run(
            [
                "wrk", "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{seconds}s",
                "--timeout", "30s", "-H", header, "-s", script.name, url,
            ],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    summary = json.loads(out.strip().splitlines()[-1])
    errors = sum(summary[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": summary["requests"],
        "rps": summary["requests"] / (summary["duration_us"] / 1e6),
        "p50": summary["p50"],
        "p95": summary["p95"],
        "p99": summary["p99"],
        "errors": errors,
    }


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its reaped children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), sum(int(f) for f in fields[11:15]) / TICKS


def cpu_of_tree(root: int) -> float:
    """CPU seconds of ``root`` and every process below it, living or reaped."""
    stats = {int(p.name): _stat(int(p.name)) for p in Path("/proc").iterdir() if p.name.isdigit()}
    children: dict[int, list[int]] = {}
    for pid, stat in stats.items():
        if stat is not None:
            children.setdefault(stat[0], []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        stat = stats.get(pid)
        if stat is not None:
            total += stat[1]
        todo.extend(children.get(pid, []))
    return total


def database_cpu(url: str) -> dict[int, float]:
    """CPU seconds of each database server backend now connected to ``url``'s database
    (a local server: their /proc entries), by process id."""
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        pids = [r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]
        )]  # fmt: skip
    return {p: s[1] for p in pids if (s := _stat(p)) is not None}


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two ``database_cpu`` readings by the backends alive at
    the second (a backend that ended in between is missed: a slight undercount)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def _new_lines(path: Path, mark: int) -> list[str]:
    with path.open("rb") as f:
        f.seek(mark)
        return f.read().decode(errors="replace").splitlines()


def queueing(server: Server, marks: tuple[int, int]) -> tuple[float, float] | None:
    """Of the requests logged since ``marks``: the share that waited for a gunicorn
    worker longer than the worker took to serve them, and the p95 wait (ms).

    nginx logs ``$request_id $upstream_response_time`` (from handing the request to the
    socket to the answer's end), gunicorn ``<request id> <its own µs>``; the difference
    is the time in the socket's queue."""
    nginx_log, gunicorn_log = server.logs()
    if not (nginx_log.exists() and gunicorn_log.exists()):
        return None
    upstream: dict[str, float] = {}
    for line in _new_lines(nginx_log, marks[0]):
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "timed":
            try:
                upstream[parts[1]] = float(parts[2].split(",")[-1])
            except ValueError:
                continue
    waits, longer = [], 0
    for line in _new_lines(gunicorn_log, marks[1]):
        parts = line.split()
        if len(parts) < 3 or parts[0] != "timed" or parts[1] not in upstream:
            continue
        served = int(parts[2]) / 1e6
        wait = max(0.0, upstream[parts[1]] - served)
        waits.append(wait)
        longer += wait > served
    if not waits:
        return None
    waits.sort()
    return longer / len(waits), waits[min(len(waits) - 1, round(0.95 * (len(waits) - 1)))] * 1000
