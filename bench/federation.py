"""Benchmark: delivery between two live federated centres, commit → partner's ledger.

Starts two centres with the harness of the live tests
(``aidbridge.federation.tests.live``): EADRCC (the origin) on PostgreSQL (a scratch
database ``aidbridge_fed_bench``, dropped at the end) so that several outbox workers
may run, ERCC (the partner) on SQLite; each ``aidbridge serve`` with ``aidbridge
outbox deliver --every 0.2``. One shared request is circulated, then ``--events``
offers are made at the origin through the API, one commit each, while the partner's
ledger (``GET /api/v1/rfas/{mirror}``, the line's ``offered``) is polled every 50 ms.
An event has arrived when the partner's figure includes it; latency = that moment -
the moment the origin answered the POST (its commit). Throughput = events / (last
arrival - first commit). Run with 1, then 4, workers at the origin.

Each event is a snapshot of the whole request (state, not events): later snapshots
carry every earlier offer, so a slow queue catches up in one message.

    uv run python bench/federation.py [--events 200] [--workers 1,4]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from aidbridge.federation.tests import live
from aidbridge.federation.tests.live import Centre, wait_for

PG_DB = "aidbridge_fed_bench"


def run(events: int, workers: int, base: Path) -> dict[str, float]:
    import psycopg

    with psycopg.connect(f"{live.PG_SERVER}/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {PG_DB}")
    origin = Centre("EADRCC", 18130, base / "o", f"{live.PG_SERVER}/{PG_DB}")
    partner = Centre("ERCC", 18131, base / "p", f"sqlite:///{base}/ercc.sqlite3")
    k1, k2 = "fedsec_bench-eadrcc-0123456789", "fedsec_bench-ercc-0123456789"
    origin.setup("ERCC", partner.url, k1, k2)
    partner.setup("EADRCC", origin.url, k2, k1)
    extra: list[subprocess.Popen[bytes]] = []
    try:
        origin.start()
        partner.start()
        for n in range(workers - 1):
            extra.append(
                subprocess.Popen(
                    [str(live.BIN), "outbox", "deliver", "--every", "0.2", "--worker", f"x{n}"],
                    env=origin.env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        rfa = origin.ok("POST", "/rfas", "ita-poc", {
            "crisis": "covid-19-2020", "title": "Bench",
            "lines": [{"item": "MASK-SURG", "quantity": 1_000_000, "delivery_airport": "LIMC"}],
        })  # fmt: skip
        origin.ok("POST", f"/rfas/{rfa['id']}/submit", "ita-poc")
        rfa = origin.ok("POST", f"/rfas/{rfa['id']}/circulate", "duty")
        mirror = wait_for(lambda: _mirror(partner, rfa["reference"]), "the mirror", 60)
        line = rfa["lines"][0]["id"]
        committed: list[float] = []
        arrived: list[float] = []
        cpu0 = time.process_time()
        for _n in range(events):
            origin.ok("POST", f"/rfas/{rfa['id']}/offers", "deu-poc",
                      {"lines": [{"request_line": line, "quantity": 1}]})  # fmt: skip
            committed.append(time.monotonic())
            _poll(partner, mirror, arrived)
        deadline = time.monotonic() + 120
        while len(arrived) < events and time.monotonic() < deadline:
            _poll(partner, mirror, arrived)
            time.sleep(0.05)
        latencies = sorted(a - c for a, c in zip(arrived, committed, strict=False))
        return {
            "events": events,
            "arrived": len(arrived),
            "msgs_per_s": len(arrived) / (arrived[-1] - committed[0]) if arrived else 0.0,
            "p50_s": statistics.median(latencies),
            "p95_s": latencies[int(0.95 * (len(latencies) - 1))],
            # The client's own CPU (requests, polling); the centres' is not reaped yet.
            "client_cpu_s": time.process_time() - cpu0,
        }
    finally:
        for proc in extra:
            proc.terminate()
            proc.wait()
        origin.stop()
        partner.stop()
        with psycopg.connect(f"{live.PG_SERVER}/postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def _mirror(partner: Centre, reference: str) -> dict[str, object] | None:
    rows = partner.ok("GET", "/rfas?crisis=covid-19-2020&limit=200", "fra-poc")["items"]
    found = [r for r in rows if r["reference"] == f"EADRCC-{reference}"]
    return partner.ok("GET", f"/rfas/{found[0]['id']}", "fra-poc") if found else None


def _poll(partner: Centre, mirror: dict[str, object], arrived: list[float]) -> None:
    offered = partner.ok("GET", f"/rfas/{mirror['id']}", "duty")["lines"][0]["figures"]["offered"]
    now = time.monotonic()
    while len(arrived) < offered:
        arrived.append(now)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--workers", default="1,4")
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()}")
    for workers in (int(w) for w in args.workers.split(",")):
        with tempfile.TemporaryDirectory(prefix="aidbridge-bench-fed-") as tmp:
            result = run(args.events, workers, Path(tmp))
        print(
            f"workers={workers} "
            + " ".join(
                f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()
            )
        )
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
