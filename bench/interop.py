"""Benchmark: importing 10,000 lines, exporting a large crisis, backup and restore.

Steps, on a throw-away SQLite database (or ``DATABASE_URL``, e.g. PostgreSQL):
dry run and import of a 10,000-line needs file as CSV and as XLSX (through the request
services, 50 draft RFAs of 200 lines); export of a crisis of 1,000 RFAs x 10 lines and
5,000 offers as CSV, XLSX and HXL; backup of that database; restore into a fresh one
(a separate process, as an operator would run it).

Times are wall-clock without tracing. Memory: the peak of Python allocations
(tracemalloc) in a second, traced run of each repeatable step (a dry run does all the
work of an import, then rolls it back); for the restore, the peak RSS of its process.

    uv run python bench/interop.py [--lines 10000] [--rfas 1000]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from _django import configure, setup_and_migrate

AIM_IMPORT_S = 10.0
RESULTS: list[tuple[str, float, str]] = []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--rfas", type=int, default=1000)
    parser.add_argument("--offers", type=int, default=5000)
    args = parser.parse_args()

    tmp = configure("interop")
    setup_and_migrate()
    ctx = build(args.rfas, args.offers)
    bench_imports(ctx, args.lines)
    bench_exports(ctx)
    bench_backup_restore(tmp)
    report(args)
    return 0


def measure(name: str, run: Callable[[], Any], *, traced: bool = True) -> Any:
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    memory = "-"
    if traced:
        tracemalloc.start()
        run()
        memory = f"{tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB"
        tracemalloc.stop()
    RESULTS.append((name, seconds, memory))
    print(f"  {name}: {seconds:.2f} s, peak {memory}", flush=True)
    return result


def build(n_rfas: int, n_offers: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from aidbridge.accounts.models import Profile, Role
    from aidbridge.audit.models import AuditEntry
    from aidbridge.catalogue.models import Category, Item
    from aidbridge.crises.models import Crisis
    from aidbridge.offers.models import Offer, OfferLine
    from aidbridge.parties.models import Party
    from aidbridge.requests.models import RequestForAssistance, RequestLine

    print(f"building a crisis of {n_rfas} RFAs x 10 lines and {n_offers} offers", flush=True)
    rng = random.Random(7)
    codes = ["CENTRE", "ITA", "ESP", "CZE", "DEU", "TUR", "USA", "AUT", "NLD", "FRA"]
    parties = {
        c: Party.objects.create(
            code=c, kind="centre" if c == "CENTRE" else "nation", name_en=c, name_fr=c
        )
        for c in codes
    }
    users = {}
    for code in codes:
        user = get_user_model().objects.create_user(code.lower(), f"{code}@example.org", "x")
        role = Role.CENTRE_OFFICER if code == "CENTRE" else Role.NATIONAL_POC
        Profile.objects.create(user=user, party=parties[code], role=role)
        users[code] = user
    category = Category.objects.create(code="MED", name_en="Medical", name_fr="Médical")
    items = Item.objects.bulk_create(
        Item(
            code=f"ITEM-{i:02d}",
            category=category,
            name_en=f"Relief item {i}",
            name_fr=f"Article de secours {i}",
            unit="piece",
            unit_weight_kg=Decimal("2.5"),
            unit_volume_m3=Decimal("0.01"),
        )
        for i in range(90)
    )
    crisis = Crisis.objects.create(
        code="bench", name_en="Bench", name_fr="Banc", started_on=date(2020, 3, 1)
    )
    now = datetime(2020, 3, 20, tzinfo=UTC)
    requesters = [parties[c] for c in ("ITA", "ESP", "CZE", "FRA")]
    rfas = RequestForAssistance.objects.bulk_create(
        RequestForAssistance(
            crisis=crisis,
            requester=requesters[i % 4],
            reference=f"RFA-2020-{i + 1:04d}",
            title=f"Request {i + 1}",
            status="circulated",
            created_by=users["CENTRE"],
            circulated_at=now,
        )
        for i in range(n_rfas)
    )
    lines = RequestLine.objects.bulk_create(
        RequestLine(
            rfa=rfa,
            position=p + 1,
            item=rng.choice(items),
            quantity=rng.randint(10, 5000),
            unit="piece",
            priority=rng.randint(1, 3),
        )
        for rfa in rfas
        for p in range(10)
    )
    donors = [parties[c] for c in ("DEU", "TUR", "USA", "AUT", "NLD")]
    offers = Offer.objects.bulk_create(
        Offer(
            crisis=crisis,
            donor=donors[i % 5],
            rfa_id=lines[i * 2].rfa_id,
            reference=f"OFR-2020-{i + 1:05d}",
            created_by=users["DEU"],
        )
        for i in range(n_offers)
    )
    OfferLine.objects.bulk_create(
        OfferLine(
            offer=o,
            request_line=lines[i * 2],
            item_id=lines[i * 2].item_id,
            quantity=100,
            accepted=50 if i % 2 else 0,
            status="accepted" if i % 2 else "open",
        )
        for i, o in enumerate(offers)
    )
    from django.contrib.contenttypes.models import ContentType

    rfa_type = ContentType.objects.get_for_model(RequestForAssistance)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=now,
            actor=users["CENTRE"],
            action="rfa.circulate",
            target_type=rfa_type,
            target_id=rfa.pk,
            target_repr=str(rfa.reference),
            crisis=crisis,
            from_state="submitted",
            to_state="circulated",
            changes={"reference": [None, rfa.reference]},
        )
        for rfa in rfas
    )
    return {"crisis": crisis, "users": users, "items": items}


def needs_rows(items: list[Any], n: int) -> list[list[Any]]:
    rows: list[list[Any]] = [["request", "item", "quantity", "priority", "needed_by"]]
    for i in range(n):
        item = items[i % len(items)]
        name = item.code if i % 3 == 0 else (item.name_en if i % 3 == 1 else item.name_fr)
        rows.append([f"Imported batch {i // 200:03d}", name, i % 500 + 1, i % 3 + 1, "2020-04-15"])
    return rows


def bench_imports(ctx: dict[str, Any], n: int) -> None:
    import csv

    import openpyxl

    from aidbridge.interop.importers import import_needs

    rows = needs_rows(ctx["items"], n)
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    files = {"csv": text.getvalue().encode()}
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("needs")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    files["xlsx"] = out.getvalue()
    print(
        f"importing {n} lines (CSV {len(files['csv']) / 2**20:.1f} MiB, "
        f"XLSX {len(files['xlsx']) / 2**20:.1f} MiB)",
        flush=True,
    )
    for fmt, data in files.items():

        def run(dry: bool, fmt: str = fmt, data: bytes = data) -> Any:
            report = import_needs(
                ctx["users"]["CZE"],
                crisis=ctx["crisis"],
                data=data,
                filename=f"needs.{fmt}",
                dry_run=dry,
            )
            assert report.ok and len(report.created) == -(-n // 200), report.problems[:3]
            return report

        measure(f"dry run {n} lines {fmt.upper()}", lambda run=run: run(True))
        measure(f"import {n} lines {fmt.upper()}", lambda run=run: run(False), traced=False)


def bench_exports(ctx: dict[str, Any]) -> None:
    from aidbridge.interop.exporters import export

    print("exporting the crisis", flush=True)
    for table in ("rfas", "offers", "picture"):
        for fmt in ("csv", "xlsx", "hxl"):
            try:
                measure(
                    f"export {table} {fmt.upper()}",
                    lambda t=table, f=fmt: export(ctx["users"]["CENTRE"], ctx["crisis"], t, f),
                )
            except ImportError as exc:  # the reports app is not installed yet
                print(f"  export {table}: skipped ({exc})")
                break


def bench_backup_restore(tmp: Path) -> None:
    from aidbridge.interop.backup import write_backup

    archive = tmp / "backup.zip"

    def backup() -> None:
        with archive.open("wb") as out:
            write_backup(out)

    print("backup and restore", flush=True)
    measure("backup", backup)
    print(f"  archive: {archive.stat().st_size / 2**20:.1f} MiB", flush=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'restored.sqlite3'}"}
    if os.environ["DATABASE_URL"].startswith("postgres"):
        env["DATABASE_URL"] = os.environ.get("BENCH_RESTORE_URL", env["DATABASE_URL"])
    cli = [sys.executable, "-m", "aidbridge.cli"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True)
    start = time.perf_counter()
    child = subprocess.Popen([*cli, "restore", str(archive)], env=env)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    assert status == 0, "restore failed"
    memory = f"{usage.ru_maxrss / 1024:.0f} MiB RSS"
    RESULTS.append(("restore (fresh process)", seconds, memory))
    print(f"  restore: {seconds:.2f} s, peak {memory}", flush=True)


def report(args: argparse.Namespace) -> None:
    from django.db import connection

    print(
        f"\n{connection.vendor}, {args.lines} lines, {args.rfas} RFAs x 10 lines, "
        f"{args.offers} offers"
    )
    print(f"{'step':<32} {'time':>9} {'peak memory':>14}")
    for name, seconds, memory in RESULTS:
        note = ""
        if name.startswith("import"):
            note = f"  aim < {AIM_IMPORT_S:.0f} s: {seconds / AIM_IMPORT_S:.2f}x of the aim"
        print(f"{name:<32} {seconds:>7.2f} s {memory:>14}{note}")


if __name__ == "__main__":
    sys.exit(main())
