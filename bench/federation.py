"""Benchmark: delivery between two live federated centres, commit → partner's ledger.

Starts two centres with the harness of the live tests
(``aidbridge.federation.tests.live``): EADRCC (the origin) on PostgreSQL (a scratch
database ``aidbridge_fed_bench_<AIDBRIDGE_BENCH_DB_TAG>``, dropped at the end) so that
several outbox workers may run, ERCC (the partner) on SQLite; each ``aidbridge serve``
with ``aidbridge outbox deliver --every 0.2`` (the origin with ``--workers`` of them,
each sending ``--concurrency`` messages at once: ``AIDBRIDGE_OUTBOX_CONCURRENCY``; a
list such as ``1,4`` runs each, side by side, 1 being one message at a time).

``--requests`` (50) shared requests are circulated, then ``--events`` offers are made at
the origin through the API, one commit each, spread round-robin over the requests (a
crisis's offers land on many requests; ``--requests 1`` is the worst case: every event
changes the one request, whose snapshot grows with each). A thread reads the partner's
ledger every 50 ms: its maintained figures (``ledger_linefigures``, written in the
transaction that applies a snapshot: what its dashboards and API show), straight from
its SQLite file, so that polling costs the partner's server nothing. An event has
arrived when its request line's ``offered`` includes it; latency = that moment - the
moment the origin answered the POST (its commit). Throughput = events / (last arrival -
first commit). At the end the partner's API is asked for every mirrored line's
figures, which must equal the events made on it (the two ledgers agree).

Where the time goes, from the origin's outbox tables: messages sent per event (a
burst on one request is sent as one snapshot: ``outbox.services.enqueue(coalesce=
True)``), the queue wait (first attempt - written) and the attempt (snapshot built,
signed, POSTed, applied at the partner, answered). CPU seconds of each centre's
processes (``/proc``; PostgreSQL's backends of the scratch database included, read
before they close) and the load average are printed beside the wall-clock figures:
the machine is shared.

    AIDBRIDGE_BENCH_DB_TAG=me uv run python bench/federation.py [--events 300]
        [--workers 1,4] [--concurrency 1,4] [--requests 50] [--port 18130]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from aidbridge.federation.tests import live
from aidbridge.federation.tests.live import Centre, wait_for

TICK = os.sysconf("SC_CLK_TCK")


def pg_db() -> str:
    return "aidbridge_fed_bench_" + os.environ.get("AIDBRIDGE_BENCH_DB_TAG", "bench")


def _pg(sql: str, db: str = "postgres") -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(f"{live.PG_SERVER}/{db}", autocommit=True) as c:
        cur = c.execute(sql)
        return cur.fetchall() if cur.description else []


def cpu_of(pids: list[int]) -> float:
    """User + system CPU seconds of live processes (``/proc/<pid>/stat``)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def backends_of(db: str) -> list[int]:
    """PostgreSQL's server processes connected to ``db`` (same machine)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if cmd.startswith(b"postgres: ") and f" {db} ".encode() in cmd:
                found.append(int(entry.name))
    return found


class Poller(threading.Thread):
    """Reads the partner's ledger every 50 ms: arrival times per origin line id."""

    def __init__(self, sqlite_path: Path, lines: list[int]) -> None:
        super().__init__(daemon=True)
        self.path, self.arrived = sqlite_path, {line: [] for line in lines}
        self.stop = threading.Event()

    def offered(self) -> dict[int, int]:
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5) as db:
            rows = db.execute(
                "SELECT g.gid, f.offered FROM ledger_linefigures f JOIN federation_globallink g"
                " ON g.kind = 'line' AND g.local_id = f.request_line_id"
            ).fetchall()
        return {int(gid.rsplit(":", 1)[1]): offered for gid, offered in rows}

    def run(self) -> None:
        while not self.stop.is_set():
            now = time.monotonic()
            for line, offered in self.offered().items():
                times = self.arrived.get(line)
                while times is not None and len(times) < offered:
                    times.append(now)
            time.sleep(0.05)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else float("nan")


def run(
    events: int, workers: int, concurrency: int, n_requests: int, port: int, base: Path
) -> dict[str, Any]:
    db = pg_db()
    _pg(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    _pg(f"CREATE DATABASE {db}")
    origin = Centre("EADRCC", port, base / "o", f"{live.PG_SERVER}/{db}")
    origin.env["AIDBRIDGE_OUTBOX_CONCURRENCY"] = str(concurrency)
    partner_db = base / "ercc.sqlite3"
    partner = Centre("ERCC", port + 1, base / "p", f"sqlite:///{partner_db}")
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
        rfas = []
        for n in range(n_requests):
            rfa = origin.ok("POST", "/rfas", "ita-poc", {
                "crisis": "covid-19-2020", "title": f"Bench {n}",
                "lines": [{"item": "MASK-SURG", "quantity": 1_000_000, "delivery_airport": "LIMC"}],
            })  # fmt: skip
            origin.ok("POST", f"/rfas/{rfa['id']}/submit", "ita-poc")
            rfa = origin.ok("POST", f"/rfas/{rfa['id']}/circulate", "duty")
            rfas.append((rfa["id"], rfa["lines"][0]["id"]))
        poller = Poller(partner_db, [line for _rfa, line in rfas])
        wait_for(lambda: len(poller.offered()) == n_requests, "the mirrors", 120)
        origin_pids = [p.pid for p in (origin.server, origin.worker, *extra) if p is not None]
        partner_pids = [p.pid for p in (partner.server, partner.worker) if p is not None]
        cpu0 = (cpu_of(origin_pids), cpu_of(backends_of(db)), cpu_of(partner_pids))
        load0 = os.getloadavg()[0]
        committed: dict[int, list[float]] = {line: [] for _rfa, line in rfas}
        poller.start()
        started = _pg("SELECT now()", db)[0][0]
        first = time.monotonic()
        for n in range(events):
            rfa_id, line = rfas[n % n_requests]
            origin.ok("POST", f"/rfas/{rfa_id}/offers", "deu-poc",
                      {"lines": [{"request_line": line, "quantity": 1}]})  # fmt: skip
            committed[line].append(time.monotonic())
        produced = time.monotonic() - first
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and any(
            len(poller.arrived[line]) < len(times) for line, times in committed.items()
        ):
            time.sleep(0.1)
        poller.stop.set()
        poller.join()
        cpu1 = (cpu_of(origin_pids), cpu_of(backends_of(db)), cpu_of(partner_pids))
        latencies = [
            a - c
            for line, times in committed.items()
            for a, c in zip(poller.arrived[line], times, strict=False)
        ]
        last = max((t[-1] for t in poller.arrived.values() if t), default=first)
        agree = all(
            partner_line_offered(partner, origin, rfa_id) == len(committed[line])
            for rfa_id, line in rfas
        )
        if not agree or len(latencies) < events:
            diagnose(partner, partner_db, db, rfas, committed)
        return {
            "events": events,
            "arrived": len(latencies),
            "produced/s": events / produced,
            "events/s": len(latencies) / (last - first) if latencies else 0.0,
            "p50 s": statistics.median(latencies) if latencies else float("nan"),
            "p95 s": quantile(latencies, 0.95),
            "max s": max(latencies, default=float("nan")),
            "ledgers agree": agree,
            **breakdown(db, events, started),
            "origin CPU s": cpu1[0] - cpu0[0],
            "origin PostgreSQL CPU s": cpu1[1] - cpu0[1],
            "partner CPU s": cpu1[2] - cpu0[2],
            "load at start/end": f"{load0:.1f} / {os.getloadavg()[0]:.1f}",
        }
    finally:
        for proc in extra:
            proc.terminate()
            proc.wait()
        origin.stop()
        partner.stop()
        _pg(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


def partner_line_offered(partner: Centre, origin: Centre, rfa_id: int) -> int:
    """The offered figure of the mirror of origin request ``rfa_id``, by the partner's API."""
    reference = origin.ok("GET", f"/rfas/{rfa_id}", "duty")["reference"]
    rows = partner.ok("GET", "/rfas?crisis=covid-19-2020&limit=200", "duty")["items"]
    found = [r for r in rows if r["reference"] == f"EADRCC-{reference}"]
    mirror = partner.ok("GET", f"/rfas/{found[0]['id']}", "duty")
    return int(mirror["lines"][0]["figures"]["offered"])


def diagnose(
    partner: Centre,
    partner_db: Path,
    db: str,
    rfas: list[tuple[int, int]],
    committed: dict[int, list[float]],
) -> None:
    """Where the missing events are, printed when the ledgers disagree: for each line
    short at the partner, the offers the origin has, the offer rows the partner has,
    the partner's maintained figure, the versions on both sides; then the partner's
    ``aidbridge ledger recompute`` (maintained figures against the definitions)."""
    with sqlite3.connect(f"file:{partner_db}?mode=ro", uri=True, timeout=5) as lite:
        for rfa_id, line in rfas:
            made = len(committed[line])
            gid = f"%:line:{line}"
            rows, figure, version = lite.execute(
                "SELECT (SELECT count(*) FROM offers_offerline ol WHERE ol.request_line_id ="
                " g.local_id), (SELECT offered FROM ledger_linefigures f WHERE"
                " f.request_line_id = g.local_id), (SELECT m.version FROM federation_mirror m"
                " JOIN requests_requestline rl ON rl.rfa_id = m.rfa_id WHERE rl.id = g.local_id)"
                " FROM federation_globallink g WHERE g.kind = 'line' AND g.gid LIKE ?",
                (gid,),
            ).fetchone()
            if rows == made and figure == made:
                continue
            origin_version = _pg(
                f"SELECT version FROM federation_share WHERE rfa_id = {int(rfa_id)}", db
            )
            print(
                f"  request {rfa_id}, line {line}: {made} offers made at the origin; the"
                f" partner has {rows} offer lines, offered figure {figure}, mirror version"
                f" {version} (origin's share version {origin_version[0][0]})",
                flush=True,
            )
    out = subprocess.run(
        [str(live.BIN), "ledger", "recompute"], env=partner.env, capture_output=True, text=True
    )
    print(f"  partner's ledger recompute: {(out.stdout + out.stderr).strip()[:2000]}", flush=True)


def breakdown(db: str, events: int, since: Any) -> dict[str, Any]:
    """Messages per event, queue wait and attempt time, from the origin's outbox (the
    snapshots written since the first event)."""
    import psycopg

    with psycopg.connect(f"{live.PG_SERVER}/{db}", autocommit=True) as c:
        rows = c.execute(
            "SELECT extract(epoch FROM min(a.started_at) - m.created_at), min(a.duration_ms),"
            " count(a.id), m.status FROM outbox_outboxmessage m"
            " LEFT JOIN outbox_deliveryattempt a ON a.message_id = m.id"
            " WHERE m.event_type = 'federation.snapshot' AND m.created_at >= %s GROUP BY m.id",
            (since,),
        ).fetchall()
    waits = [float(r[0]) for r in rows if r[0] is not None]
    sends = [r[1] / 1000 for r in rows if r[1] is not None]
    return {
        "snapshots sent": sum(r[3] == "delivered" for r in rows),
        "snapshots per event": sum(r[3] == "delivered" for r in rows) / events,
        "retried": sum(r[2] > 1 for r in rows),
        "queue wait p50/p95 s": f"{statistics.median(waits):.2f} / {quantile(waits, 0.95):.2f}"
        if waits
        else "-",
        "attempt p50/p95 s": f"{statistics.median(sends):.2f} / {quantile(sends, 0.95):.2f}"
        if sends
        else "-",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--workers", default="1,4")
    parser.add_argument(
        "--concurrency",
        default="4",
        help="messages each origin worker sends at once (AIDBRIDGE_OUTBOX_CONCURRENCY);"
        " a list runs each, 1 being one at a time",
    )
    parser.add_argument("--requests", type=int, default=50, help="requests the events spread over")
    parser.add_argument("--port", type=int, default=18130, help="origin's; the partner's is +1")
    args = parser.parse_args()
    results = {}
    for workers in (int(w) for w in args.workers.split(",")):
        for concurrency in (int(c) for c in args.concurrency.split(",")):
            column = f"{workers} worker{'s' if workers > 1 else ''}, {concurrency} at once"
            with tempfile.TemporaryDirectory(prefix="aidbridge-bench-fed-") as tmp:
                results[column] = run(
                    args.events, workers, concurrency, args.requests, args.port, Path(tmp)
                )
            print(f"{column}: {results[column]}", flush=True)
    print(
        f"\n{args.events} events over {args.requests} request(s); "
        f"{os.cpu_count()} CPUs, load average now {os.getloadavg()[0]:.1f}\n"
    )
    names = list(next(iter(results.values())))
    print("| | " + " | ".join(results) + " |")
    print("|---" * (len(results) + 1) + "|")
    for name in names:
        cells = [results[w][name] for w in results]
        text = [f"{v:.2f}" if isinstance(v, float) else str(v) for v in cells]
        print(f"| {name} | " + " | ".join(text) + " |")


if __name__ == "__main__":
    main()
