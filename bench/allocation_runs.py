"""Benchmark: an allocation run in the clearing-house, stage by stage, small vs large.

Builds two crises on a throw-away SQLite database (or ``DATABASE_URL``): a small one
(the size of the demo: 20 requests x 5 lines, 20 standing offers x 3 lines) and a large
one (1,000 x 2 = 2,000 needs, 500 x 3 = 1,500 standing lines: the issue's "medium"
planner size), then times, side by side: building the input from the database, the
planner, the explanations, and the whole run (queued -> done, proposal written).

    uv run python bench/allocation_runs.py [--rfas 1000] [--stock 500]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from _django import configure, setup_and_migrate

NATIONS = [f"N{i:02d}" for i in range(40)]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rfas", type=int, default=1000)
    parser.add_argument("--stock", type=int, default=500)
    args = parser.parse_args()

    configure("alloc", AIDBRIDGE_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend")
    setup_and_migrate()
    duty = setup()
    rows = [
        ("small", *measure(duty, build("small", duty, 20, 5, 20))),
        ("large", *measure(duty, build("large", duty, args.rfas, 2, args.stock))),
    ]
    print(
        f"{'crisis':8} {'needs':>6} {'supplies':>8} {'input s':>8} {'plan s':>8} "
        f"{'explain s':>9} {'run s':>7} {'lines':>6}"
    )
    for row in rows:
        print(
            f"{row[0]:8} {row[1]:6d} {row[2]:8d} {row[3]:8.3f} {row[4]:8.3f} "
            f"{row[5]:9.3f} {row[6]:7.3f} {row[7]:6d}"
        )
    return 0


def setup() -> Any:
    from django.contrib.auth import get_user_model

    from aidbridge.accounts.models import Profile, Role
    from aidbridge.catalogue.models import Category, Item, Substitute
    from aidbridge.parties.models import Party

    centre = Party.objects.create(code="CENTRE", kind="centre", name_en="C", name_fr="C")
    Party.objects.bulk_create(Party(code=c, kind="nation", name_en=c, name_fr=c) for c in NATIONS)
    duty = get_user_model().objects.create_user("duty", "duty@example.org", "x")
    Profile.objects.create(user=duty, party=centre, role=Role.CENTRE_OFFICER)
    category = Category.objects.create(code="MED", name_en="Medical", name_fr="Médical")
    items = Item.objects.bulk_create(
        Item(
            code=f"ITEM-{i:02d}",
            category=category,
            name_en=f"Item {i}",
            name_fr=f"A {i}",
            unit="piece",
            unit_weight_kg=Decimal(str(0.5 + i)),
            unit_volume_m3=Decimal("0.01"),
        )
        for i in range(25)
    )
    Substitute.objects.bulk_create(
        Substitute(need_item=items[i], supply_item=items[i + 1]) for i in range(0, 24, 3)
    )
    return duty


def build(code: str, duty: Any, n_rfas: int, n_lines: int, n_stock: int) -> Any:
    from django.utils import timezone

    from aidbridge.catalogue.models import Item
    from aidbridge.crises.models import Crisis
    from aidbridge.offers.models import Offer, OfferLine
    from aidbridge.parties.models import Party
    from aidbridge.requests.models import RequestForAssistance, RequestLine

    rng = random.Random(11)
    parties = list(Party.objects.filter(kind="nation"))
    items = list(Item.objects.all())
    crisis = Crisis.objects.create(
        code=code, name_en=code, name_fr=code, started_on=date(2020, 3, 1)
    )
    now = timezone.now()
    rfas = RequestForAssistance.objects.bulk_create(
        RequestForAssistance(
            crisis=crisis,
            requester=parties[i % 20],
            reference=f"RFA-{code}-{i + 1:05d}",
            title="r",
            status="circulated",
            created_by=duty,
            submitted_at=now,
            circulated_at=now,
        )
        for i in range(n_rfas)
    )
    day = date(2020, 4, 1)
    RequestLine.objects.bulk_create(
        RequestLine(
            rfa=rfa,
            position=p + 1,
            item=rng.choice(items),
            quantity=rng.randint(10, 2000),
            unit="piece",
            priority=rng.randint(1, 3),
            needed_by=day + timedelta(days=rng.randint(0, 30)),
            delivery_lat=rng.uniform(35, 60),
            delivery_lon=rng.uniform(-10, 30),
        )
        for rfa in rfas
        for p in range(n_lines)
    )
    offers = Offer.objects.bulk_create(
        Offer(
            crisis=crisis,
            donor=parties[20 + i % 20],
            reference=f"OFR-{code}-{i + 1:05d}",
            created_by=duty,
            available_from=day + timedelta(days=rng.randint(0, 20)),
            origin_lat=rng.uniform(35, 60),
            origin_lon=rng.uniform(-10, 30),
        )
        for i in range(n_stock)
    )
    OfferLine.objects.bulk_create(
        OfferLine(offer=offer, item=rng.choice(items), quantity=rng.randint(50, 3000))
        for offer in offers
        for _ in range(3)
    )
    return crisis


def measure(duty: Any, crisis: Any) -> tuple[int, int, float, float, float, float, int]:
    from aidbridge.allocations.adapter import build_input
    from aidbridge.allocations.explain import explain_all
    from aidbridge.allocations.services import request_allocation
    from aidbridge.planning.allocation import parse_allocation, plan_allocation

    started = time.perf_counter()
    built = build_input(crisis)
    problem = parse_allocation(built.doc)
    input_s = time.perf_counter() - started
    started = time.perf_counter()
    plan = plan_allocation(problem, check=False)
    plan_s = time.perf_counter() - started
    started = time.perf_counter()
    explain_all(problem, plan)
    explain_s = time.perf_counter() - started
    started = time.perf_counter()
    run = request_allocation(duty, crisis)
    run_s = time.perf_counter() - started
    assert run.status == "done" and run.check_ok, run.error
    return (
        len(problem.needs),
        len(problem.supplies),
        input_s,
        plan_s,
        explain_s,
        run_s,
        run.lines.count(),
    )


if __name__ == "__main__":
    raise SystemExit(main())
