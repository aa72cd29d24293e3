"""Benchmark: airlift planning in the clearing-house, the demo crisis vs a larger one.

On a throw-away SQLite database (or ``DATABASE_URL``): the demo scenario (``load_demo``)
with the seeded fleet (``seed_fleet``: 2 An-124, 3 C-17, 3 A400M, 1 C-130J), then a
synthetic crisis of ``--lines`` accepted offer lines needing airlift between real
European and Turkish airports. For each, side by side: building the consignments,
building the planner's input document, and the whole run (queued -> done, plan
checked and stored) at ``--limit`` seconds of solver time.

    uv run python bench/airlift_runs.py [--lines 200] [--limit 10]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from _django import configure, setup_and_migrate

AIRPORTS = ["LTAC", "LTBA", "EDDF", "EDDP", "LFPG", "LIRF", "LIML", "LEMD", "LKPR", "LOWW",
            "EHAM", "EBBR", "LBSF", "LYPG", "LWSK", "LROP", "LHBP", "EPWA", "LGAV"]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--limit", type=float, default=10.0)
    args = parser.parse_args()
    configure("airlift", AIDBRIDGE_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend")
    setup_and_migrate()

    from aidbridge.airlift.services import seed_fleet
    from aidbridge.crises.models import Crisis
    from aidbridge.demo.loader import load_demo
    from aidbridge.demo.scenario import CRISIS_CODE

    load_demo()
    seed_fleet()
    from django.contrib.auth import get_user_model

    duty = get_user_model().objects.get(username="duty")
    rows = [
        ("demo", *measure(duty, Crisis.objects.get(code=CRISIS_CODE), args.limit)),
        ("synthetic", *measure(duty, synthetic(duty, args.lines), args.limit)),
    ]
    print(
        f"{'crisis':10} {'consign.':>8} {'skipped':>7} {'build s':>8} {'input s':>8} "
        f"{'run s':>7} {'status':>7} {'flown':>6} {'sorties':>7} {'violations':>10}"
    )
    for r in rows:
        print(
            f"{r[0]:10} {r[1]:8d} {r[2]:7d} {r[3]:8.3f} {r[4]:8.3f} {r[5]:7.2f} {r[6]:>7} "
            f"{r[7]:6d} {r[8]:7d} {r[9]:10d}"
        )
    return 0


def measure(duty: Any, crisis: Any, limit: float) -> tuple[Any, ...]:
    from aidbridge.airlift.actions import carried
    from aidbridge.airlift.adapter import planning_input
    from aidbridge.airlift.consignments import build_consignments
    from aidbridge.airlift.services import request_airlift_plan

    t0 = time.perf_counter()
    consignments, skipped = build_consignments(crisis)
    t1 = time.perf_counter()
    planning_input(crisis)
    t2 = time.perf_counter()
    if not consignments:
        return len(consignments), len(skipped), t1 - t0, t2 - t1, 0.0, "-", 0, 0, 0
    run = request_airlift_plan(duty, crisis, time_limit_s=limit)
    t3 = time.perf_counter()
    sorties = len((run.output or {}).get("sorties", []))
    return (
        len(consignments), len(skipped), t1 - t0, t2 - t1, t3 - t2, run.status,
        len(carried(run)), sorties, len(run.violations),
    )  # fmt: skip


def synthetic(duty: Any, n: int) -> Any:
    """``n`` accepted lines needing airlift, written straight to the tables."""
    from aidbridge.catalogue.models import Item
    from aidbridge.crises.models import Crisis
    from aidbridge.offers.models import Offer, OfferLine
    from aidbridge.parties.models import Party
    from aidbridge.requests.models import RequestForAssistance, RequestLine

    rng = random.Random(7)
    crisis = Crisis.objects.create(
        code="bench-airlift", name_en="B", name_fr="B", started_on=date(2020, 3, 20)
    )
    nations = list(Party.objects.filter(kind="nation")[:10])
    items = [i for i in Item.objects.all() if i.unit_weight_kg > 0][:20]
    rfas = [
        RequestForAssistance.objects.create(
            crisis=crisis, requester=nations[k % 5], title=f"R{k}", status="circulated",
            reference=f"RFA-B-{k:04d}", created_by=duty,
        )
        for k in range(max(1, n // 10))
    ]  # fmt: skip
    for k in range(n):
        rfa = rfas[k % len(rfas)]
        item = items[k % len(items)]
        # Loads between 0.5 and 15 t whatever the item's unit weight.
        quantity = max(1, int(Decimal(rng.uniform(500, 15_000)) / item.unit_weight_kg))
        need = RequestLine.objects.create(
            rfa=rfa, position=k + 1, item=item, quantity=quantity, unit=item.unit,
            priority=rng.choice((1, 2, 2, 3)), needed_by=date(2020, 4, 1)
            + timedelta(days=rng.randint(2, 10)),
            delivery_airport=rng.choice(AIRPORTS), transport_needed=True,
        )  # fmt: skip
        offer = Offer.objects.create(
            crisis=crisis, donor=nations[5 + k % 5], rfa=rfa, reference=f"OFR-B-{k:05d}",
            available_from=date(2020, 4, 1) + timedelta(days=rng.randint(0, 3)),
            origin_airport=rng.choice(AIRPORTS), created_by=duty,
        )  # fmt: skip
        OfferLine.objects.create(
            offer=offer, request_line=need, item=item, quantity=quantity, accepted=quantity,
            status="accepted",
        )  # fmt: skip
    return crisis


if __name__ == "__main__":
    raise SystemExit(main())
