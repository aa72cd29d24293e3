"""Benchmark: the outbox and webhooks, on SQLite and PostgreSQL side by side.

For each database (a throw-away SQLite file, and a scratch database on the PostgreSQL
server of ``--postgres``), in its own process:

1. **Cost on an acceptance**: Italy accepts offer lines through
   ``offers.services.accept_offer_line``, in alternating blocks with webhooks off (no
   subscription) and on (one subscription to ``offer.accepted``: the audit hook, the
   visibility check, the ledger figures, the outbox row, the delivery task queued on
   commit). Nothing is delivered during this part. Milliseconds per acceptance (wall
   and CPU), median and p95, and the difference.
2. **Delivery**: ``--events`` (10,000) webhook events are committed one transaction
   each (100 requests, so 100 ordering keys) while 1, then 4, ``aidbridge outbox
   deliver --every 0.05`` worker processes send them. ``--producer audit`` writes each
   through the real hook (an audit entry of an acceptance: visibility check, ledger
   figures, outbox row; its cost is part 1's, and on a shared 2-CPU machine it limits
   production to a few events a second); ``--producer enqueue`` (the default) writes
   the outbox row alone with ``outbox.services.enqueue``, the body a copy of a real
   event's, so the producer keeps ahead and the figures are the outbox's own. Workers
   send them to a local receiver process that verifies every signature with
   ``standardwebhooks``. Throughput = events / (last receipt - first commit); latency
   = receipt time - commit time, per event (p50, p95); duplicates = arrivals - distinct
   webhook-ids (0 expected: no worker dies here).

The machine is shared: the load average before and after and the CPU seconds of the
producer, the workers and the receiver are printed beside the figures.

    uv run python bench/outbox.py [--events 10000] [--acceptances 200]
        [--producer enqueue|audit] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
        [--only sqlite|postgresql]

The receiver listens on 127.0.0.1, which the outbox reaches only where allowed
(``AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS``): the benchmark allows that one address.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REQUESTS = 100  # ordering keys of the delivery part


# --- the receiver (a separate process: its CPU is not the producer's) ---------------


def receiver_main(port_file: str, out_file: str, secrets_file: str) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from standardwebhooks import Webhook

    arrivals: list[tuple[str, float, bool]] = []
    verifiers: dict[str, Webhook] = {}

    def verifier() -> list[Webhook]:
        for line in Path(secrets_file).read_text().split():
            verifiers.setdefault(line, Webhook(line))
        return list(verifiers.values())

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            at = time.time()
            headers = {k.lower(): v for k, v in self.headers.items()}
            ok = False
            for hook in verifier():
                try:
                    hook.verify(body, headers)
                    ok = True
                    break
                except Exception:
                    continue
            arrivals.append((headers.get("webhook-id", ""), at, ok))
            self.send_response(204 if ok else 400)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True

    def stop(*_: Any) -> None:
        Path(out_file).write_text(json.dumps(arrivals))
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        Path(out_file + ".cpu").write_text(str(cpu.ru_utime + cpu.ru_stime))
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    Path(port_file).write_text(str(server.server_address[1]))
    server.serve_forever()


# --- one database --------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def world() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from aidbridge.accounts.models import Profile, Role
    from aidbridge.crises.models import Crisis
    from aidbridge.parties.models import Party

    call_command("load_catalogue", verbosity=0)
    parties = {
        code: Party.objects.create(code=code, kind=kind, name_en=code, name_fr=code)
        for code, kind in (
            ("EADRCC", Party.Kind.CENTRE),
            ("ITA", Party.Kind.NATION),
            ("DEU", Party.Kind.NATION),
            ("UN-OCHA", Party.Kind.ORGANISATION),
        )
    }
    users = {}
    for name, party, role in (
        ("duty", "EADRCC", Role.CENTRE_OFFICER),
        ("ita", "ITA", Role.NATIONAL_POC),
        ("deu", "DEU", Role.NATIONAL_POC),
        ("bot", "UN-OCHA", Role.OBSERVER),
    ):
        user = get_user_model().objects.create_user(username=name, password=None)
        Profile.objects.create(user=user, party=parties[party], role=role)
        users[name] = user
    crisis = Crisis.objects.create(
        code="bench-2020", name_en="Bench", name_fr="Banc", started_on="2020-03-01"
    )
    return {"users": users, "crisis": crisis, "parties": parties}


def circulated_requests(w: dict[str, Any], n: int, quantity: int) -> list[Any]:
    from aidbridge.requests import services as rfas

    out = []
    for i in range(n):
        rfa = rfas.create_rfa(
            w["users"]["ita"],
            crisis=w["crisis"],
            title=f"Bench {i}",
            lines=[{"item": "VENT-ICU", "quantity": quantity, "delivery_airport": "LIRF"}],
        )
        rfa = rfas.submit_rfa(w["users"]["ita"], rfa)
        out.append(rfas.circulate_request(w["users"]["duty"], rfa))
    return out


def acceptance_cost(w: dict[str, Any], n: int, url: str) -> dict[str, Any]:
    from django.utils import timezone

    from aidbridge.offers import services as offers
    from aidbridge.offers.models import OfferLine
    from aidbridge.webhooks import services as hooks

    rfas = circulated_requests(w, 10, 1_000_000)
    lines = []
    for i in range(n):
        rfa = rfas[i % len(rfas)]
        offer = offers.make_offer(
            w["users"]["deu"], rfa=rfa, lines=[{"request_line": rfa.lines.get(), "quantity": 10}]
        )
        lines.append(OfferLine.objects.get(offer=offer))
    sub = hooks.create_subscription(w["users"]["bot"], url, ["offer.accepted"])
    times: dict[str, list[tuple[float, float]]] = {"off": [], "on": []}
    block = 20
    for start in range(0, n, block):
        mode = "off" if (start // block) % 2 == 0 else "on"
        # Off: the subscription is deleted for this block (no subscriber, no message).
        type(sub).objects.filter(pk=sub.pk).update(
            deleted_at=timezone.now() if mode == "off" else None
        )
        for line in lines[start : start + block]:
            wall, cpu = time.perf_counter(), time.process_time()
            offers.accept_offer_line(w["users"]["ita"], line, 5)
            times[mode].append(
                ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
            )
    out: dict[str, Any] = {}
    for mode, rows in times.items():
        walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
        out[mode] = {
            "n": len(rows),
            "wall_p50": statistics.median(walls),
            "wall_p95": pct(walls, 0.95),
            "cpu_p50": statistics.median(cpus),
        }
    type(sub).objects.filter(pk=sub.pk).update(deleted_at=timezone.now())
    return out


def delivery(
    w: dict[str, Any],
    events: int,
    workers: int,
    url: str,
    secrets_file: Path,
    env: dict[str, str],
    producer: str = "enqueue",
) -> dict[str, Any]:
    from django.db import transaction

    from aidbridge.audit.services import record
    from aidbridge.offers import services as offers
    from aidbridge.offers.models import OfferLine
    from aidbridge.outbox.models import OutboxMessage
    from aidbridge.outbox.services import enqueue
    from aidbridge.webhooks import services as hooks

    rfas = circulated_requests(w, REQUESTS, 10)
    lines = []
    for rfa in rfas:
        offer = offers.make_offer(
            w["users"]["deu"], rfa=rfa, lines=[{"request_line": rfa.lines.get(), "quantity": 1}]
        )
        lines.append(OfferLine.objects.select_related("offer__crisis").get(offer=offer))
    sub = hooks.create_subscription(w["users"]["bot"], url, ["offer.accepted"])
    with secrets_file.open("a") as f:
        f.write(sub.secret + "\n")
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aidbridge.cli",
                "outbox",
                "deliver",
                "--every",
                "0.05",
                "--worker",
                f"bench-{i}",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for i in range(workers)
    ]
    committed: dict[int, float] = {}
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.time()
    template: dict[str, Any] = {}
    for n in range(events):
        line = lines[n % len(lines)]
        if producer == "audit" or not template:
            with transaction.atomic():
                entry = record(
                    w["users"]["ita"], "offer_line.accept", line, crisis=line.offer.crisis
                )
            committed[entry.pk] = time.time()
            if not template:  # the real event's body, copied for the others
                template = json.loads(mine_latest(OutboxMessage, sub.destination).payload)
            continue
        key = -n  # the "audit entry" of a copy: distinct from every real one
        body = {**template, "data": {**template["data"], "audit_entry": key}}
        with transaction.atomic():
            enqueue(
                sub.destination,
                f"rfa:{line.offer.rfa_id}",
                json.dumps(body, separators=(",", ":")),
                event_type="offer.accepted",
            )
        committed[key] = time.time()
    produced = time.time() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    mine = OutboxMessage.objects.filter(destination=sub.destination)
    deadline = time.time() + 1800
    while mine.exclude(status="delivered").exists():
        if time.time() > deadline:
            break
        time.sleep(0.2)
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
    entry_of = {
        m: json.loads(p)["data"]["audit_entry"]
        for m, p in mine.values_list("message_id", "payload")
    }
    return {
        "events": events,
        "workers": workers,
        "produced_s": produced,
        "producer_cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "committed": {str(k): v for k, v in committed.items()},
        "entry_of": entry_of,
        "undelivered": mine.exclude(status="delivered").count(),
    }


def mine_latest(model: Any, destination: str) -> Any:
    return model.objects.filter(destination=destination).latest("id")


def one_database(vendor: str, args: argparse.Namespace, out_path: str) -> None:
    sys.path.insert(0, str(HERE))
    from _django import configure, scratch_postgres, setup_and_migrate

    tmp = configure(f"outbox-{vendor}", AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS="127.0.0.1/32")
    port_file, arrivals_file, secrets_file = tmp / "port", tmp / "arrivals.json", tmp / "secrets"
    secrets_file.write_text("")

    def run(database_url: str | None) -> None:
        if database_url:
            os.environ["DATABASE_URL"] = database_url
        setup_and_migrate()
        receiver = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--receiver",
                str(port_file),
                str(arrivals_file),
                str(secrets_file),
            ]
        )
        while not port_file.exists() or not port_file.read_text():
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port_file.read_text()}/hook"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aidbridge.settings"}
        w = world()
        load = [os.getloadavg()[0]]
        result: dict[str, Any] = {
            "vendor": vendor,
            "cpus": os.cpu_count(),
            "producer": args.producer,
        }
        result["acceptance"] = acceptance_cost(w, args.acceptances, url)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        result["delivery"] = []
        for workers in (1, 4):
            result["delivery"].append(
                delivery(w, args.events, workers, url, secrets_file, env, args.producer)
            )
            now = resource.getrusage(resource.RUSAGE_CHILDREN)
            result["delivery"][-1]["workers_cpu_s"] = (now.ru_utime + now.ru_stime) - (
                children.ru_utime + children.ru_stime
            )
            children = now
        load.append(os.getloadavg()[0])
        receiver.send_signal(signal.SIGTERM)
        receiver.wait(timeout=60)
        result["arrivals"] = json.loads(arrivals_file.read_text())
        result["receiver_cpu_s"] = float(Path(str(arrivals_file) + ".cpu").read_text())
        result["load"] = load
        Path(out_path).write_text(json.dumps(result))

    if vendor == "postgresql":
        with scratch_postgres(args.postgres, "outbox") as url:
            run(url)
    else:
        run(None)


# --- the report -----------------------------------------------------------------------


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    arrivals = result["arrivals"]
    first_arrival: dict[str, float] = {}
    for message_id, at, ok in arrivals:
        if ok:
            first_arrival.setdefault(message_id, at)
    out: dict[str, Any] = {"acceptance": result["acceptance"], "delivery": []}
    for run in result["delivery"]:
        latencies, receipts = [], []
        for message_id, entry in run["entry_of"].items():
            if message_id in first_arrival:
                receipt = first_arrival[message_id]
                latencies.append(receipt - run["committed"][str(entry)])
                receipts.append(receipt)
        ids = set(run["entry_of"])
        mine = [a for a in arrivals if a[0] in ids]
        first_commit = min(run["committed"].values())
        out["delivery"].append(
            {
                "workers": run["workers"],
                "events": run["events"],
                "delivered": len(latencies),
                "duplicates": len(mine) - len({a[0] for a in mine}),
                "bad_signatures": sum(1 for a in mine if not a[2]),
                "produced_per_s": run["events"] / run["produced_s"],
                "throughput": len(latencies) / (max(receipts) - first_commit) if receipts else 0,
                "p50": pct(latencies, 0.5),
                "p95": pct(latencies, 0.95),
                "producer_cpu_s": run["producer_cpu_s"],
                "workers_cpu_s": run["workers_cpu_s"],
                "producer_cpu_ms": 1000 * run["producer_cpu_s"] / run["events"],
                "workers_cpu_ms": 1000 * run["workers_cpu_s"] / max(len(latencies), 1),
            }
        )
    out["load"] = result["load"]
    out["producer"] = result["producer"]
    out["receiver_cpu_s"] = result["receiver_cpu_s"]
    out["cpus"] = result["cpus"]
    return out


def report(results: dict[str, dict[str, Any]]) -> None:
    vendors = list(results)
    print(f"\nOutbox and webhooks benchmark ({', '.join(vendors)}; {os.cpu_count()} CPUs)")
    for v in vendors:
        load = results[v]["load"]
        print(
            f"  {v}: load average {load[0]:.2f} before, {load[1]:.2f} after; "
            f"receiver CPU {results[v]['receiver_cpu_s']:.1f} s"
        )
    print("\n1. Cost on an acceptance (ms; webhooks off vs on, alternating blocks of 20)")
    print(f"  {'':<12}" + "".join(f"{v:>34}" for v in vendors))
    for label, key in (("wall p50", "wall_p50"), ("wall p95", "wall_p95"), ("CPU p50", "cpu_p50")):
        cells = []
        for v in vendors:
            a = results[v]["acceptance"]
            off, on = a["off"][key], a["on"][key]
            cells.append(f"{off:7.2f} -> {on:7.2f} (+{on - off:5.2f}, x{on / off:4.2f})")
        print(f"  {label:<12}" + "".join(f"{c:>34}" for c in cells))
    n = results[vendors[0]]["acceptance"]["on"]["n"]
    print(f"  ({n} acceptances with webhooks on, {n} off, per database)")
    producer = results[vendors[0]]["producer"]
    print(f"\n2. Delivery to a local receiver (verifies each signature; producer: {producer})")
    head = f"  {'':<28}" + "".join(f"{f'{v} {w}w':>16}" for v in vendors for w in (1, 4))
    print(head)
    rows = [
        ("events delivered", "delivered", "{:.0f}"),
        ("duplicates", "duplicates", "{:.0f}"),
        ("bad signatures", "bad_signatures", "{:.0f}"),
        ("produced (events/s)", "produced_per_s", "{:.0f}"),
        ("throughput (messages/s)", "throughput", "{:.0f}"),
        ("latency p50 (s)", "p50", "{:.3f}"),
        ("latency p95 (s)", "p95", "{:.3f}"),
        ("producer CPU (s)", "producer_cpu_s", "{:.1f}"),
        ("workers CPU (s)", "workers_cpu_s", "{:.1f}"),
        ("producer CPU ms / event", "producer_cpu_ms", "{:.1f}"),
        ("workers CPU ms / message", "workers_cpu_ms", "{:.1f}"),
    ]
    for label, key, fmt in rows:
        cells = [fmt.format(d[key]) for v in vendors for d in results[v]["delivery"]]
        print(f"  {label:<28}" + "".join(f"{c:>16}" for c in cells))
    print("\n  ratios (4 workers / 1 worker):")
    for v in vendors:
        one, four = results[v]["delivery"]
        print(
            f"  {v}: throughput x{four['throughput'] / one['throughput']:.2f}, "
            f"p95 x{four['p95'] / one['p95']:.2f}"
        )
    if len(vendors) == 2:
        a, b = vendors
        ratios = [
            results[b]["delivery"][i]["throughput"] / results[a]["delivery"][i]["throughput"]
            for i in (0, 1)
        ]
        print(f"\n  {b} / {a}: throughput 1w x{ratios[0]:.2f}, 4w x{ratios[1]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--acceptances", type=int, default=200)
    parser.add_argument("--producer", choices=["enqueue", "audit"], default="enqueue")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--receiver", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.receiver:
        receiver_main(*args.receiver)
        return
    if args.one:
        one_database(args.one, args, args.out)
        return
    results = {}
    for vendor in [args.only] if args.only else ["sqlite", "postgresql"]:
        out = tempfile.mktemp(suffix=f"-{vendor}.json")
        cmd = [
            sys.executable,
            __file__,
            "--one",
            vendor,
            "--out",
            out,
            "--events",
            str(args.events),
            "--acceptances",
            str(args.acceptances),
            "--producer",
            args.producer,
            "--postgres",
            args.postgres,
        ]
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        subprocess.run(cmd, check=True, env=env)
        results[vendor] = summarise(json.loads(Path(out).read_text()))
    report(results)


if __name__ == "__main__":
    main()
