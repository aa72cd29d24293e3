"""``bench/load.py``'s open loop: N clients whose requests arrive at a fixed total rate,
whatever the server does, as people reading a page before the next do (wrk, Debian's,
has no constant-rate mode: every connection sends again as soon as it is answered).

Each client is a thread with one kept-alive connection (a browser tab): its requests are
due at the times of a seeded schedule (Poisson at ``rate / clients`` per client, so
Poisson at ``rate`` in all, or evenly spaced). A client still waiting for an answer when
its next request falls due sends it on the answer, late; the latency of every request
counts from the time it was *due*, not sent, so a slow server's backlog shows in the
figures instead of slowing the arrivals down (coordinated omission).
"""

from __future__ import annotations

import contextlib
import http.client
import random
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Sent:
    due: float  # seconds after the start
    sent: float
    answered: float
    ok: bool  # a 2xx answer, read whole

    @property
    def latency(self) -> float:
        return self.answered - self.due


def schedule(
    rate: float, clients: int, seconds: float, seed: int, arrivals: str = "poisson"
) -> list[list[float]]:
    """Per client, the times (seconds after the start, ascending, below ``seconds``) its
    requests are due; ``rate`` requests a second in all."""
    if arrivals not in ("poisson", "even"):
        raise ValueError(f"arrivals: poisson or even, not {arrivals!r}")
    rng = random.Random(seed)
    per_client = rate / clients
    plan: list[list[float]] = []
    for i in range(clients):
        times: list[float] = []
        # Evenly spaced: client i takes every clients-th of the slots 1/rate apart.
        t = i / rate if arrivals == "even" else rng.expovariate(per_client)
        while t < seconds:
            times.append(t)
            t += 1 / per_client if arrivals == "even" else rng.expovariate(per_client)
        plan.append(times)
    return plan


def summary(sent: list[Sent], seconds: float) -> dict[str, Any]:
    """req/s answered within the cell (answers over its length, or over the time to the
    last answer when the backlog ran past it), latency percentiles from the due time (ms),
    errors, the p95 lag of sending behind the schedule (ms), and the rate due."""
    answered = [s for s in sent if s.ok]
    latencies = sorted(s.latency * 1000 for s in answered)
    lags = sorted((s.sent - s.due) * 1000 for s in sent)
    span = max([seconds, *(s.answered for s in sent)])

    def pct(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else 0.0

    return {
        "requests": len(sent),
        "rps": len(answered) / span,
        "p50": pct(latencies, 0.50),
        "p95": pct(latencies, 0.95),
        "p99": pct(latencies, 0.99),
        "errors": len(sent) - len(answered),
        "lag_p95": pct(lags, 0.95),
        # What the seeded schedule asked for (a Poisson count is near, not at, the rate).
        "due_rps": len(sent) / seconds,
    }


def _connection(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if parts.scheme == "https":
        # Loopback to the stack's own self-signed certificate.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return http.client.HTTPSConnection(parts.netloc, timeout=30, context=context)
    return http.client.HTTPConnection(parts.netloc, timeout=30)


def _client(url: str, headers: dict[str, str], due: list[float], ready: threading.Barrier,
            start: list[float], out: list[Sent]) -> None:  # fmt: skip
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn = _connection(url)
    # Connected (TLS handshake done) before the clock starts, as an open browser tab is.
    # On failure the first request tries again, and counts as an error if it fails too.
    with contextlib.suppress(OSError):
        conn.connect()
    ready.wait()
    for at in due:
        pause = start[0] + at - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        sent = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            answer = conn.getresponse()
            answer.read()
            ok = 200 <= answer.status < 300
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = _connection(url)
            ok = False
        out.append(Sent(at, sent - start[0], time.perf_counter() - start[0], ok))
    conn.close()


def run_open(
    url: str, header: str, clients: int, rate: float, seconds: float, seed: int,
    arrivals: str = "poisson",
) -> dict[str, Any]:  # fmt: skip
    """Play the schedule against ``url`` with one ``Name: value`` header; ``summary``."""
    name, _, value = header.partition(":")
    headers = {name.strip(): value.strip()}
    plan = schedule(rate, clients, seconds, seed, arrivals)
    outs: list[list[Sent]] = [[] for _ in plan]
    start = [0.0]  # set once every client is connected
    ready = threading.Barrier(clients, action=lambda: start.__setitem__(0, time.perf_counter()))
    threads = [
        threading.Thread(target=_client, args=(url, headers, due, ready, start, out), daemon=True)
        for due, out in zip(plan, outs, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary([s for out in outs for s in out], seconds)
