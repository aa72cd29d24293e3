"""Benchmark: many clients at once, over loopback, against `aidbridge serve` and the
production stack (`aidbridge deploy`: nginx, gunicorn, a task worker) side by side.

Builds (once; kept and reused) a PostgreSQL crisis of ``--rfas`` requests x 10 lines x 5
offers per request with ``bench/pages.py``'s builder, in a database named after
``AIDBRIDGE_BENCH_DB_TAG`` (``aidbridge_<tag>_load_<rfas>``; ``--fresh`` rebuilds it), starts
each server in turn on ``--port-base``..+3, signs in a centre officer and a requesting
POC through the login form (session cookies, for the dashboards) and gives them API
tokens (for the API), then drives ``wrk`` at 1, 8 and 32 connections per page. ``wrk``
is Debian's (``apt-get install wrk``): the benchmark installs it when it is missing and
it runs as root, else it says so and stops.

Per cell it prints req/s, p50/p95/p99 latency, errors (connection errors, timeouts and
non-2xx answers), the CPU time the server's processes and the database server's
backends spent per request (steadier than wall time on a shared machine) and the load
average. For the deployment it also reads nginx's and gunicorn's access logs
(``deploy/nginx.conf.template``, ``deploy/gunicorn.conf.py``), joined by request id:
a request's time in gunicorn's queue is nginx's ``$upstream_response_time`` minus
gunicorn's own time for it; the table gives the share of requests that waited longer
than they were served, and the p95 wait.

wrk is a closed loop: each connection sends again the moment it is answered, so with more
clients than workers some requests always wait, however fast each is served.
``--open-rates 100,150`` adds, per page, open-loop cells (``bench/_openloop.py``): the
largest ``--clients`` count of clients whose requests are due at that total rate (Poisson,
seeded, or ``--arrivals even``) however the server keeps up, latency counted from the time
each request was due. Column ``c`` reads ``32`` (closed) or ``32@100`` (open, 100 req/s
asked), ``due/s`` the rate the seeded schedule drew (a Poisson count, near the rate);
``lag p95`` is how far behind its schedule an open-loop request was sent (a client
still waiting for its previous answer, or the client itself late); ``cli cpu`` is the
load generator's CPU per request (wrk's, or the Python client's own), on the same cores.

    uv run python bench/load.py [--rfas 1000] [--clients 1,8,32] [--duration 15]
        [--servers serve,deploy] [--only picture,dashboard,rfa] [--workers 5]
        [--open-rates 100,150] [--arrivals poisson|even] [--seed 15]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--fresh]
        [--port-base 18400]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _django import analyze, configure, setup_and_migrate
from _load import (
    Page,
    Server,
    cpu_of_tree,
    database_cpu,
    login,
    queueing,
    run_wrk,
    spent,
    wait_for,
)
from _openloop import run_open

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rfas", type=int, default=1000)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--duration", type=int, default=15, help="seconds per cell")
    parser.add_argument("--servers", default="serve,deploy")
    parser.add_argument("--only", default="", help="pages whose label has one of these")
    parser.add_argument("--workers", type=int, default=None, help="deploy's --workers")
    parser.add_argument("--threads", type=int, default=8, help="serve's --threads")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--fresh", action="store_true", help="rebuild the kept database")
    parser.add_argument("--port-base", type=int, default=18400)
    parser.add_argument("--label", default="", help="printed in each row (e.g. before/after)")
    parser.add_argument("--open-rates", default="", help="open-loop cells at these req/s")
    parser.add_argument("--arrivals", default="poisson", choices=("poisson", "even"))
    parser.add_argument("--seed", type=int, default=15, help="the open loop's schedule")
    args = parser.parse_args()
    ensure_wrk()
    tmp = configure("load")
    url = kept_database(args.database_url, args.rfas, args.fresh)
    os.environ["DATABASE_URL"] = url
    setup_and_migrate()
    tokens = prepare(args.rfas)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "AIDBRIDGE_DATA_DIR": str(tmp / "data"),
        "AIDBRIDGE_LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    pages = [
        Page("picture API (POC token)", "/api/v1/crises/large/picture", "ita", "token"),
        Page("dashboard (centre)", "/crises/large/", "duty", "session"),
        Page("dashboard (POC)", "/crises/large/", "ita", "session"),
        Page("RFA list API (centre)", "/api/v1/rfas?crisis=large", "duty", "token"),
    ]
    wanted = [w for w in args.only.split(",") if w]
    pages = [p for p in pages if not wanted or any(w in p.label for w in wanted)]
    clients = [int(c) for c in args.clients.split(",")]
    rates = [float(r) for r in args.open_rates.split(",") if r]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"# bench/load.py {' '.join(sys.argv[1:])}  ({when})")
    print(
        f"{'server':7} {'page':24} {'c':>7} {'due/s':>5} {'req/s':>7} {'p50':>7} {'p95':>7} "
        f"{'p99':>7} {'err':>5} {'app cpu':>8} {'db cpu':>7} {'queued>served':>13} {'wait p95':>8} "
        f"{'lag p95':>7} {'cli cpu':>7} {'load':>5} {args.label}"
    )
    for kind in args.servers.split(","):
        server = start(kind, args, env, tmp)
        try:
            cookies = {who: login(server, who) for who in ("duty", "ita")}
            for page in pages:
                auth = (
                    f"Authorization: Bearer {tokens[page.who]}"
                    if page.auth == "token"
                    else f"Cookie: {cookies[page.who]}"
                )
                for c in clients:
                    cell(server, page, auth, c, None, args, url)
                for rate in rates:
                    cell(server, page, auth, max(clients), rate, args, url)
        finally:
            server.stop()
    return 0


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: apt-get install wrk (Debian's package)")
    print("installing wrk (Debian's package)", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)


def kept_database(server_url: str, rfas: int, fresh: bool) -> str:
    """The benchmark's database on ``server_url``'s server, created if missing."""
    import psycopg

    tag = os.environ.get("AIDBRIDGE_BENCH_DB_TAG", "bench")
    name = f"aidbridge_{tag}_load_{rfas}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        if fresh:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def prepare(rfas: int) -> dict[str, str]:
    """The crisis built (or found), passwords set, one fresh API token per user."""
    from django.contrib.auth import get_user_model

    from aidbridge.accounts.models import ApiToken
    from aidbridge.accounts.tokens import hash_token, new_raw_token
    from aidbridge.crises.models import Crisis

    sys.path.insert(0, str(Path(__file__).parent))
    import pages as builder

    if not Crisis.objects.filter(code="large").exists():
        started = time.perf_counter()
        users = builder.make_parties_and_users()
        builder.build("large", users, rfas, 10, rfas * 5)
        builder.maintain()
        analyze()
        print(f"# built {rfas} requests in {time.perf_counter() - started:.0f} s", flush=True)
    tokens = {}
    for user in get_user_model().objects.filter(username__in=("duty", "ita")):
        user.set_password("load-bench")
        user.save()
        raw = new_raw_token()
        ApiToken.objects.filter(user=user, name="load bench").delete()
        ApiToken.objects.create(
            user=user, name="load bench", prefix=raw[:12], key_hash=hash_token(raw)
        )
        tokens[user.username] = raw
    from django.db import connections

    connections.close_all()
    return tokens


def start(kind: str, args: argparse.Namespace, env: dict[str, str], tmp: Path) -> Server:
    base = args.port_base
    if kind == "serve":
        command = [sys.executable, "-m", "aidbridge.cli", "serve", f"127.0.0.1:{base + 1}"]
        command += ["--no-worker", "--threads", str(args.threads)]
        server = Server(kind, f"http://127.0.0.1:{base + 1}", command, env, tmp / "serve")
    else:
        directory = tmp / "deploy"
        command = [sys.executable, "-m", "aidbridge.cli", "deploy", str(directory)]
        command += ["--http-port", str(base + 2), "--https-port", str(base + 3), "--no-migrate"]
        if args.workers:
            command += ["--workers", str(args.workers)]
        server = Server(kind, f"https://localhost:{base + 3}", command, env, directory)
    server.start()
    wait_for(server)
    return server


def cell(
    server: Server,
    page: Page,
    auth: str,
    clients: int,
    rate: float | None,
    args: argparse.Namespace,
    db_url: str,
) -> None:
    """One row: wrk's closed loop with ``clients`` connections, or (``rate`` given) the
    open loop of ``clients`` clients at ``rate`` requests a second in all."""
    url = server.url + page.path
    run_wrk(url, auth, clients, 2)  # warm: the first request of each worker pays its imports
    marks = server.log_marks()
    cpu0, db0, client0 = cpu_of_tree(server.pid), database_cpu(db_url), client_cpu()
    if rate is None:
        result = run_wrk(url, auth, clients, args.duration)
    else:
        result = run_open(url, auth, clients, rate, args.duration, args.seed, args.arrivals)
    cpu1, db1, client1 = cpu_of_tree(server.pid), database_cpu(db_url), client_cpu()
    n = max(result["requests"], 1)
    app_ms, db_ms = (cpu1 - cpu0) * 1000 / n, spent(db0, db1) * 1000 / n
    queue = queueing(server, marks) if server.kind == "deploy" else None
    q_share = f"{queue[0]:12.0%}" if queue else f"{'n/a':>12}"
    q_p95 = f"{queue[1]:6.0f}ms" if queue else f"{'n/a':>8}"
    c = f"{clients}@{rate:g}" if rate is not None else str(clients)
    lag = f"{result['lag_p95']:5.0f}ms" if rate is not None else f"{'n/a':>7}"
    due = f"{result['due_rps']:5.1f}" if rate is not None else f"{'n/a':>5}"
    print(
        f"{server.kind:7} {page.label:24} {c:>7} {due} {result['rps']:7.1f} "
        f"{result['p50']:5.0f}ms {result['p95']:5.0f}ms {result['p99']:5.0f}ms "
        f"{result['errors']:5d} {app_ms:6.1f}ms {db_ms:5.1f}ms "
        f"{q_share} {q_p95} {lag} {(client1 - client0) * 1000 / n:5.1f}ms "
        f"{os.getloadavg()[0]:5.1f} {args.label}",
        flush=True,
    )


def client_cpu() -> float:
    """CPU seconds of the load generators so far: this process (the open loop's threads)
    and its reaped children (every wrk)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
