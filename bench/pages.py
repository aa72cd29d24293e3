"""Benchmark: the pages of a large crisis (1,000 RFAs x 10 lines, 5,000 offers).

Times the picture API, the dashboard of every role (centre officer and head, requesting
and donor POCs, airlift coordinator, observer), the RFA list and an RFA detail page
through Django's full HTTP stack (middleware, templates, translations), and counts
their SQL queries on a crisis of ``--rfas``/10 RFAs and one of ``--rfas`` side by
side, in one database: the count must not grow with the rows, and the large
crisis's p95 should stay within 1.5x of the small one's. Aim: p95 under 100 ms.
Columns are labelled with the sizes actually run; ``cpu`` is this process's CPU time
per request (p50), which a loaded machine disturbs less than wall time (the database
server's own CPU is not in it on PostgreSQL). Runs on a throw-away SQLite database, or
on a scratch database created on the server of ``--database-url`` (e.g. PostgreSQL).
``ANALYZE`` runs after the bulk load on both.

The pages keep what they compute (``core.cached``: the dashboards' fragments, the
picture), so a repeat read measures the kept copy. ``--cold`` clears Django's cache
before each timed request (and before the query count), so the table shows what the
first reader after any change pays: the page computed. ``--after-change`` instead makes
one real change before each timed request (the requesting nation accepts one unit of
an open offer line of that crisis, through ``offers.services``), so the figures'
fingerprint moves as in a busy crisis and the page shows what a reader pays then (with
``web.picture``: the reader's fragments computed, the map and chart the latest kept).

    uv run python bench/pages.py [--rfas 1000] [--lines 10] [--offers 5000] [--runs 30]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--db FILE-OR-NAME]
        [--only dashboard] [--cold | --after-change] [--build-only]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from _django import (
    analyze,
    configure,
    kept_postgres,
    prepare_for_serving,
    scratch_postgres,
    setup_and_migrate,
)

NATIONS = ["ITA", "ESP", "FRA", "CZE", "BGR", "MNE", "MKD", "DEU", "AUT", "NLD", "TUR", "USA"]
REQUESTERS = NATIONS[:7]
DONORS = NATIONS[7:]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rfas", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument(
        "--db",
        default=None,
        help="a database kept between runs: built (and kept) if missing, else reused as is "
        "(a SQLite file, or with --database-url a database of that name on its server)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="then time and EXPLAIN each query of the pages"
    )
    parser.add_argument("--only", default="", help="time only the pages whose label has this")
    parser.add_argument("--build-only", action="store_true", help="build (--db) and stop")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="clear the cache before each timed request: the pages computed, not kept",
    )
    parser.add_argument(
        "--after-change",
        action="store_true",
        help="one acceptance in the crisis before each timed request (the figures move)",
    )
    args = parser.parse_args()

    tmp = configure("pages", AIDBRIDGE_ALLOWED_HOSTS="testserver")
    url = args.database_url or f"sqlite:///{args.db or tmp / 'bench.sqlite3'}"
    if url.startswith(("postgres://", "postgresql://")):
        if args.db:
            with kept_postgres(url, args.db) as kept:
                return run(args, kept)
        with scratch_postgres(url, "pages") as scratch:
            return run(args, scratch)
    return run(args, url)


def run(args: argparse.Namespace, url: str) -> int:
    os.environ["DATABASE_URL"] = url
    setup_and_migrate()
    from django.db import connection

    started = time.perf_counter()
    if args.db and built_before():
        users, small, large = reuse()
        analyze()  # this checkout's migrations may have added indexes or rebuilt tables
        print(f"reusing {args.db}", flush=True)
    else:
        users = make_parties_and_users()
        small = build("small", users, args.rfas // 10, args.lines, args.offers // 10)
        large = build("large", users, args.rfas, args.lines, args.offers)
        maintain()
        analyze()
        print(f"built in {time.perf_counter() - started:.1f} s on {connection.vendor}", flush=True)
    if args.build_only:
        return 0
    sizes = (size_label(args.rfas // 10), size_label(args.rfas))
    prepare_for_serving()
    mode = "after-change" if args.after_change else "cold" if args.cold else "warm"
    verdict = measure(users, small, large, args.runs, sizes, args.only, mode)
    if args.explain:
        explain(users, large)
    return verdict


def built_before() -> bool:
    from aidbridge.crises.models import Crisis

    return Crisis.objects.filter(code="large").exists()


def reuse() -> tuple[dict[str, Any], Any, Any]:
    """The users and crises of a database built by an earlier run."""
    from django.contrib.auth import get_user_model

    from aidbridge.crises.models import Crisis
    from aidbridge.parties.models import Party

    model = get_user_model()
    parties = {p.code: p for p in Party.objects.filter(code__in=NATIONS)}
    ensure_role_users(parties)  # a file built before every role had its user
    users: dict[str, Any] = {name: model.objects.get(username=name) for name, *_ in ROLE_USERS}
    users["parties"] = parties
    crises = [Crisis.objects.get(code=code) for code in ("small", "large")]
    maintain()  # a file built before the maintained figures existed (or by older code)
    small, large = (busiest(c, users["parties"]) for c in crises)
    return users, small, large


def maintain() -> None:
    """Bring the maintained figures (``ledger.maintained``) up to the bulk-loaded rows, as
    the services would have kept them; older code without them has nothing to do."""
    try:
        from aidbridge.ledger.recompute import recompute
    except ImportError:
        return
    from aidbridge.crises.models import Crisis

    for crisis in Crisis.objects.all():
        recompute(crisis, fix=True)


def busiest(crisis: Any, parties: dict[str, Any]) -> tuple[Any, Any]:
    """``crisis`` and the detail page's request: the first of Italy's circulated ones."""
    from aidbridge.requests.models import RequestForAssistance

    rfa = (
        RequestForAssistance.objects.filter(
            crisis=crisis, requester=parties["ITA"], status="circulated"
        )
        .order_by("pk")
        .first()
    )
    return crisis, rfa


def size_label(n: int) -> str:
    """``1000`` -> ``1k``: the column label of a crisis of ``n`` requests."""
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def make_parties_and_users() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from aidbridge.parties.models import Party

    Party.objects.create(code="CENTRE", kind="centre", name_en="Centre", name_fr="Centre")
    parties = {
        p.code: p
        for p in Party.objects.bulk_create(
            [Party(code=c, kind="nation", name_en=c, name_fr=c) for c in NATIONS]
        )
    }
    ensure_role_users(parties)
    model = get_user_model()
    users: dict[str, Any] = {name: model.objects.get(username=name) for name, *_ in ROLE_USERS}
    users["parties"] = parties
    return users


# One user per role whose dashboard is timed: user name, party code, role (a party not
# among NATIONS is created as the centre or an organisation).
ROLE_USERS = (
    ("duty", "CENTRE", "centre_officer"),
    ("head", "CENTRE", "centre_head"),
    ("ita", "ITA", "national_poc"),  # requests (Italy is the first requester)
    ("deu", "DEU", "national_poc"),  # gives (Germany is the first donor)
    ("airlift", "CENTRE", "airlift_coordinator"),
    ("ocha", "UN-OCHA", "observer"),
)


def ensure_role_users(parties: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from aidbridge.accounts.models import Profile
    from aidbridge.parties.models import Party

    model = get_user_model()
    for name, code, role in ROLE_USERS:
        if model.objects.filter(username=name).exists():
            continue
        party = (
            parties.get(code)
            or Party.objects.get_or_create(
                code=code,
                defaults={
                    "kind": "centre" if code == "CENTRE" else "organisation",
                    "name_en": code,
                    "name_fr": code,
                },
            )[0]
        )
        user = model.objects.create_user(name, f"{name}@example.org", "x")
        Profile.objects.create(user=user, party=party, role=role)


def build(code: str, users: dict[str, Any], n_rfas: int, n_lines: int, n_offers: int) -> Any:
    from django.utils import timezone

    from aidbridge.audit.models import AuditEntry
    from aidbridge.catalogue.models import Category, Item
    from aidbridge.crises.models import Crisis
    from aidbridge.logistics.models import Dispatch, Receipt
    from aidbridge.offers.models import Offer, OfferLine
    from aidbridge.requests.models import RequestForAssistance, RequestLine

    rng = random.Random(7)
    parties, duty = users["parties"], users["duty"]
    category, _ = Category.objects.get_or_create(
        code="MED", defaults={"name_en": "Medical", "name_fr": "Médical"}
    )
    if not Item.objects.exists():
        Item.objects.bulk_create(
            Item(
                code=f"ITEM-{i:02d}",
                category=category,
                name_en=f"Item {i}",
                name_fr=f"Article {i}",
                unit="piece",
                unit_weight_kg=Decimal("2.5"),
                unit_volume_m3=Decimal("0.01"),
            )
            for i in range(25)
        )
    items = list(Item.objects.all())
    crisis = Crisis.objects.create(
        code=code, name_en=f"Crisis {code}", name_fr=f"Crise {code}", started_on=date(2020, 3, 1)
    )
    now = timezone.now()
    statuses = ["circulated"] * 8 + ["submitted", "closed"]
    rfas = RequestForAssistance.objects.bulk_create(
        RequestForAssistance(
            crisis=crisis,
            requester=parties[REQUESTERS[i % len(REQUESTERS)]],
            reference=f"RFA-{code}-{i + 1:04d}",
            title=f"Request {i + 1}",
            status=(status := statuses[i % len(statuses)]),
            created_by=duty,
            submitted_at=now,
            circulated_at=None if status == "submitted" else now,
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
            needed_by=date(2020, 4, 1),
            delivery_airport="LIML",
        )
        for rfa in rfas
        for p in range(n_lines)
    )
    offers = Offer.objects.bulk_create(
        Offer(
            crisis=crisis,
            donor=parties[DONORS[i % len(DONORS)]],
            rfa_id=lines[(i * 7) % len(lines)].rfa_id,
            reference=f"OFR-{code}-{i + 1:05d}",
            created_by=duty,
        )
        for i in range(n_offers)
    )
    offer_lines = OfferLine.objects.bulk_create(
        OfferLine(
            offer=offer,
            request_line=(line := lines[(i * 7) % len(lines)]),
            item_id=line.item_id,
            quantity=q,
            accepted=(a := q // 2 if i % 3 else 0),
            status="accepted" if a else "open",
        )
        for i, offer in enumerate(offers)
        for q in [rng.randint(5, 1000)]
    )
    start = datetime(2020, 3, 10, tzinfo=UTC)
    dispatches = Dispatch.objects.bulk_create(
        Dispatch(
            offer_line=ol,
            crisis_id=ol.offer.crisis_id,
            requester_id=ol.request_line.rfa.requester_id if ol.request_line else None,
            quantity=ol.accepted,
            mode="airlift",
            dispatched_at=start + timedelta(days=i % 30),
            reported_by=duty,
        )
        for i, ol in enumerate(offer_lines)
        if ol.accepted and i % 2
    )
    Receipt.objects.bulk_create(
        Receipt(
            dispatch=d,
            crisis_id=d.crisis_id,
            quantity=d.quantity,
            received_at=now,
            confirmed_by=duty,
        )
        for i, d in enumerate(dispatches)
        if i % 2
    )
    # A history for the "latest changes" and the detail's timeline.
    from django.contrib.contenttypes.models import ContentType

    rfa_type = ContentType.objects.get_for_model(RequestForAssistance)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=now,
            actor=duty,
            actor_party=None,
            action="rfa.circulate",
            target_type=rfa_type,
            target_id=rfa.pk,
            target_repr=str(rfa.reference),
            crisis=crisis,
            from_state="submitted",
            to_state="circulated",
        )
        for rfa in rfas
    )
    # The detail page shows the busiest of Italy's circulated requests.
    return busiest(crisis, parties)


def timed(
    client: Any, url: str, runs: int, mode: str, crisis: Any = None
) -> tuple[float, float, float, int, int]:
    """p50 and p95 wall time, p50 CPU time of this process (ms), the query count, and
    how many timed pages said their map and chart were behind (``web.picture``);
    ``cold``: Django's cache cleared before each (outside the timing), so each request
    computes what the pages otherwise keep (``core.cached``); ``after-change``: one
    acceptance in ``crisis`` before each (outside the timing)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cold = mode == "cold"
    change = changes(crisis) if mode == "after-change" else None
    client.get(url)  # warm caches (templates, translations, content types)
    times, cpus, behind = [], [], 0
    for _ in range(runs):
        if cold:
            cache.clear()
        if change is not None:
            change()
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        behind += b"picture-as-of" in response.content
    if cold:
        cache.clear()
    if change is not None:
        change()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, statistics.median(cpus), len(queries), behind


def changes(crisis: Any) -> Any:
    """A function making one real change in ``crisis`` per call: Italy accepts one unit
    of an open offer line of its circulated requests (as ``bench/writes.py``), moving to
    the next line when the services refuse (nothing left to accept)."""
    from django.contrib.auth import get_user_model

    from aidbridge.core.errors import DomainError
    from aidbridge.offers.models import OfferLine
    from aidbridge.offers.services import accept_offer_line

    italy = get_user_model().objects.get(username="ita")
    lines = iter(
        OfferLine.objects.filter(
            offer__crisis=crisis,
            status="open",
            accepted=0,
            request_line__rfa__status="circulated",
            request_line__rfa__requester__code="ITA",
        ).order_by("pk")
    )
    current = next(lines)

    def change() -> None:
        nonlocal current
        while True:
            try:
                accept_offer_line(italy, current, 1)
                return
            except DomainError:
                current = next(lines)

    return change


def measure(
    users: dict[str, Any],
    small: Any,
    large: Any,
    runs: int,
    sizes: tuple[str, str],
    only: str,
    mode: str = "warm",
) -> int:
    from django.test import Client

    clients = {}
    for who, *_ in ROLE_USERS:
        clients[who] = Client()
        clients[who].force_login(users[who])
    pages = [
        ("picture API (centre)", "duty", lambda c, r: f"/api/v1/crises/{c.code}/picture"),
        ("dashboard (requesting POC)", "ita", lambda c, r: f"/crises/{c.code}/"),
        ("dashboard (centre)", "duty", lambda c, r: f"/crises/{c.code}/"),
        ("dashboard (head of centre)", "head", lambda c, r: f"/crises/{c.code}/"),
        ("dashboard (donor POC)", "deu", lambda c, r: f"/crises/{c.code}/"),
        ("dashboard (airlift coord.)", "airlift", lambda c, r: f"/crises/{c.code}/"),
        ("dashboard (observer)", "ocha", lambda c, r: f"/crises/{c.code}/"),
        ("RFA list", "duty", lambda c, r: f"/rfas/?crisis={c.code}"),
        ("RFA list, item filter", "duty", lambda c, r: f"/rfas/?crisis={c.code}&item=ITEM-03"),
        ("RFA detail", "ita", lambda c, r: f"/rfas/{r.pk}/"),
        ("offer list", "duty", lambda c, r: f"/offers/?crisis={c.code}"),
        ("offer list (donor POC)", "deu", lambda c, r: f"/offers/?crisis={c.code}"),
    ]
    aim, ratio_aim = 100.0, 1.5
    s, b = sizes
    print(
        {
            "cold": "cold: cache cleared before each request (pages computed)",
            "after-change": "after-change: one acceptance in the crisis before each request",
            "warm": "warm: repeat reads (pages kept by core.cached where they are)",
        }[mode]
    )
    print(
        f"{'page':28} {'p50 ' + s:>9} {'p95 ' + s:>9} {'cpu ' + s:>9} {'p50 ' + b:>9} "
        f"{'p95 ' + b:>9} {'cpu ' + b:>9} {'p95 ' + b + '/' + s:>10} {'q ' + s:>5} "
        f"{'q ' + b:>5}  verdict"
    )
    worst, worst_ratio = 0.0, 0.0
    constant = True
    for label, who, url_of in pages:
        if only not in label:
            continue
        s50, s95, scpu, sq, sb = timed(clients[who], url_of(*small), runs, mode, small[0])
        l50, l95, lcpu, lq, lb = timed(clients[who], url_of(*large), runs, mode, large[0])
        ratio = l95 / s95
        worst, worst_ratio = max(worst, l95), max(worst_ratio, ratio)
        constant &= sq == lq
        verdict = "ok" if l95 < aim and ratio <= ratio_aim and sq == lq else "MISSED"
        print(
            f"{label:28} {s50:7.1f}ms {s95:7.1f}ms {scpu:7.1f}ms {l50:7.1f}ms {l95:7.1f}ms "
            f"{lcpu:7.1f}ms {ratio:9.2f}x {sq:5d} {lq:5d}  {verdict}",
            flush=True,
        )
        if mode == "after-change":
            print(f"{'':28} map and chart behind ('as of' note): {sb}/{runs} {s}, {lb}/{runs} {b}")
    print(
        f"worst p95 at {b} RFAs: {worst:.1f} ms (aim < {aim:.0f} ms, {worst / aim:.2f}x the "
        f"aim); worst {b}/{s} ratio {worst_ratio:.2f}x (aim <= {ratio_aim}); "
        f"query counts constant: {constant}"
    )
    return 0 if worst < aim and worst_ratio <= ratio_aim and constant else 1


def explain(users: dict[str, Any], large: Any) -> None:
    """Each query of the picture and the centre dashboard on the large crisis: its time
    as Django measured it, its SQL, and the database's plan for it."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(users["duty"])
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    for url in (f"/api/v1/crises/{large[0].code}/picture", f"/crises/{large[0].code}/"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"\n== {url}")
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:8]:
            sql = query["sql"]
            print(f"\n-- {float(query['time']) * 1000:.1f} ms: {sql[:1500]}")
            if not sql.startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                for row in cursor.fetchall():
                    print("   ", " ".join(str(c) for c in row))


if __name__ == "__main__":
    raise SystemExit(main())
