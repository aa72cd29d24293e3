"""Benchmark: what writes cost on a large crisis, this checkout beside another git ref.

Times, through the services, ``--n`` acceptances (Italy accepts one unit of an open offer
line), ``--n`` dispatches (Germany dispatches one unit of an accepted line) and one
import of ``--lines`` request lines (CSV, through ``interop.import_needs``), on a copy of
a database built by ``bench/pages.py --db FILE`` (so every run starts from the same
rows). With ``--compare-to REF`` the same steps run again with REF's code (its ``src``
extracted by ``git archive`` into a temporary folder and put first on ``sys.path``,
same virtualenv) on another copy, and both are printed side by side with their ratio:
the maintained figures may cost writes at most +20 %. Times are CPU time of the process
(``process_time``, SQLite runs inside it), p50 per call, and the machine's load.

    uv run python bench/writes.py --db /tmp/p10k.sqlite3 [--n 40] [--lines 10000]
        [--compare-to main] [--ref-db FILE]

An older ref may not run on this checkout's schema (columns it does not fill): give it
its own database, built by its code (``PYTHONPATH=<its src> bench/pages.py --db FILE``
with the same sizes: the generator is seeded, so the rows are the same).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STEPS = ("acceptance", "dispatch", "import")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", required=True, help="a SQLite file built by bench/pages.py --db")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--compare-to", default=None, help="a git ref, e.g. main")
    parser.add_argument(
        "--ref-db",
        default=None,
        help="the database REF runs on (default: --db): one built by REF's code with "
        "bench/pages.py --db, when REF cannot run on this checkout's schema (an older ref)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.db, args.n, args.lines)))
        return 0
    runs = {"this checkout": run_child(args, None, args.db)}
    if args.compare_to:
        with tempfile.TemporaryDirectory(prefix="aidbridge-bench-ref-") as tmp:
            archive = subprocess.run(
                ["git", "-C", str(HERE.parent), "archive", args.compare_to, "src"],
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            runs[args.compare_to] = run_child(args, Path(tmp) / "src", args.ref_db or args.db)
    report(runs, args)
    return 0


def run_child(args: argparse.Namespace, src: Path | None, source: str) -> dict[str, Any]:
    """The steps in a fresh process on a fresh copy of the database ``source``."""
    with tempfile.TemporaryDirectory(prefix="aidbridge-bench-writes-") as tmp:
        db = Path(tmp) / "bench.sqlite3"
        shutil.copy(source, db)
        env = dict(os.environ)
        if src is not None:
            env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")])
        cmd = [sys.executable, __file__, "--child", "--db", str(db), "--n", str(args.n)]
        out = subprocess.run(
            [*cmd, "--lines", str(args.lines)], env=env, check=True, capture_output=True, text=True
        )
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def measure(db: str, n: int, lines: int) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    from _django import configure, setup_and_migrate

    configure("writes", DATABASE_URL=f"sqlite:///{db}")
    setup_and_migrate()
    from django.contrib.auth import get_user_model

    import aidbridge
    from aidbridge.logistics.models import Dispatch
    from aidbridge.logistics.services import dispatch_offer_line
    from aidbridge.offers.models import OfferLine
    from aidbridge.offers.services import accept_offer_line

    users = {u.username: u for u in get_user_model().objects.all()}
    undecided = OfferLine.objects.filter(
        offer__crisis__code="large",
        status="open",
        accepted=0,
        request_line__rfa__status="circulated",
        request_line__rfa__requester__code="ITA",
    ).order_by("pk")[: n + 1]
    # The first call of each step warms caches (content types, translations): not counted.
    accepting = [timed(lambda ln=ln: accept_offer_line(users["ita"], ln, 1)) for ln in undecided]
    accepting = accepting[1:]
    sendable = OfferLine.objects.filter(
        offer__crisis__code="large",
        offer__donor__code="DEU",
        accepted__gt=0,
        dispatches__isnull=True,
        request_line__rfa__status="circulated",
    ).order_by("pk")[: n + 1]
    road = Dispatch.Mode.ROAD
    dispatching = [
        timed(lambda ln=ln: dispatch_offer_line(users["deu"], ln, quantity=1, mode=road))
        for ln in sendable
    ][1:]
    import_lines(users["ita"], 50)
    importing = [timed(lambda: import_lines(users["ita"], lines))]
    return {
        "code": str(Path(aidbridge.__file__).parent),
        "acceptance": accepting,
        "dispatch": dispatching,
        "import": importing,
    }


def timed(call: Any) -> float:
    start = time.process_time()
    call()
    return (time.process_time() - start) * 1000


def import_lines(actor: Any, n: int) -> None:
    import csv
    import io

    from interop import needs_rows

    from aidbridge.catalogue.models import Item
    from aidbridge.crises.models import Crisis
    from aidbridge.interop.importers import import_needs

    text = io.StringIO()
    csv.writer(text).writerows(needs_rows(list(Item.objects.order_by("code")), n))
    crisis = Crisis.objects.get(code="large")
    report = import_needs(actor, crisis=crisis, data=text.getvalue().encode(), filename="n.csv")
    assert report.ok, report.problems[:3]


def report(runs: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    names = list(runs)
    on = args.db if not args.ref_db else f"{args.db} (ref: {args.ref_db})"
    print(f"CPU ms per call (p50; import: one run of {args.lines} lines), on {on}")
    header = f"{'step':12}" + "".join(f"{name:>22}" for name in names)
    if len(names) == 2:
        header += f"{'ratio':>10}"
    print(header)
    for step in STEPS:
        values = [statistics.median(runs[name][step]) for name in names]
        counts = [len(runs[name][step]) for name in names]
        row = f"{step:12}" + "".join(
            f"{v:16.1f} (n={c:>2})" for v, c in zip(values, counts, strict=True)
        )
        if len(values) == 2:
            row += f"{values[0] / values[1]:9.2f}x"
        print(row)
    for name in names:
        print(f"  {name}: code from {runs[name]['code']}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")


if __name__ == "__main__":
    raise SystemExit(main())
