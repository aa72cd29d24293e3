"""Benchmark: the EDXL feed of a large crisis (1,000 RFAs x 10 lines, 5,000 offers).

Builds the crisis as ``bench/pages.py`` does, adds the audit trail its steps would have
written (offers, acceptances, dispatches, receipts), then exports the whole feed as the
centre sees it, page by page, serialises every envelope and validates it against the
EDXL-DE and EDXL-RM schemas. Prints messages per second, the cost of building and of
validating one message, and the time for the first 1,000 messages (aim: under 10 s,
exported and validated). Runs on a throw-away SQLite database (or ``DATABASE_URL``).

    uv run python bench/edxl.py [--rfas 1000] [--lines 10] [--offers 5000]
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from typing import Any

from _django import configure, setup_and_migrate


def add_history(crisis: Any) -> int:
    """The audit entries the services would have written for the built offers and moves."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from aidbridge.audit.models import AuditEntry
    from aidbridge.logistics.models import Dispatch, Receipt
    from aidbridge.offers.models import Offer, OfferLine

    types = ContentType.objects.get_for_models(Offer, OfferLine, Dispatch, Receipt)
    now = timezone.now()
    entries: list[AuditEntry] = []

    def entry(action: str, target: Any, model: Any, **kw: Any) -> None:
        entries.append(
            AuditEntry(
                at=now,
                action=action,
                target_type=types[model],
                target_id=target.pk,
                target_repr=str(target.pk),
                crisis=crisis,
                **kw,
            )
        )

    for offer in Offer.objects.filter(crisis=crisis).order_by("pk"):
        entry("offer.create", offer, Offer, to_state="open")
    for line in OfferLine.objects.filter(offer__crisis=crisis, accepted__gt=0).order_by("pk"):
        entry("offer_line.accept", line, OfferLine, changes={"accepted": [0, line.accepted]})
    for d in Dispatch.objects.filter(offer_line__offer__crisis=crisis).order_by("pk"):
        entry("dispatch.create", d, Dispatch, to_state="dispatched")
    for r in Receipt.objects.filter(dispatch__offer_line__offer__crisis=crisis).order_by("pk"):
        entry("receipt.confirm", r, Receipt, to_state="received")
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rfas", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--page", type=int, default=1000, help="feed page size")
    parser.add_argument(
        "--thorough-every", type=int, default=25, help="also check every Nth with xmlschema"
    )
    args = parser.parse_args()

    configure("edxl", AIDBRIDGE_EDXL_FEED_SETTLE_SECONDS="0")
    setup_and_migrate()
    from django.conf import settings
    from lxml import etree
    from pages import build, make_parties_and_users

    from aidbridge.edxl import feed, schemas
    from aidbridge.edxl.envelope import serialise

    settings.AIDBRIDGE_EDXL_FEED_SETTLE_SECONDS = 0
    users = make_parties_and_users()
    crisis, _ = build("large", users, args.rfas, args.lines, args.offers)
    added = add_history(crisis)
    print(
        f"crisis: {args.rfas} RFAs x {args.lines} lines, {args.offers} offers; "
        f"{added} audit entries added to the {args.rfas} circulations"
    )

    started = time.perf_counter()
    schemas.warm()
    load = time.perf_counter() - started
    print(f"schemas loaded once: {load:.2f} s")

    build_s = validate_s = thorough_s = 0.0
    thorough_n = errors = done = 0
    kinds: Counter[str] = Counter()
    first_thousand: float | None = None
    first_thousand_cpu = 0.0
    cursor = 0
    wall, cpu = time.perf_counter(), time.process_time()
    while True:
        t0 = time.perf_counter()
        page = feed.feed(users["duty"], crisis, cursor, args.page)
        data = [serialise(element) for _, element in page.items]
        build_s += time.perf_counter() - t0
        for (message, _), raw in zip(page.items, data, strict=True):
            t1 = time.perf_counter()
            received = etree.fromstring(raw)
            errors += len(schemas.validate(received))
            validate_s += time.perf_counter() - t1
            kinds[message.kind] += 1
            done += 1
            if done % args.thorough_every == 0:
                t2 = time.perf_counter()
                errors += len(schemas.validate_thoroughly(received))
                thorough_s += time.perf_counter() - t2
                thorough_n += 1
            if done == 1000:
                first_thousand = time.perf_counter() - wall
                first_thousand_cpu = time.process_time() - cpu
        cursor = page.cursor
        if not page.more:
            break
    total, cpu = time.perf_counter() - wall, time.process_time() - cpu
    n = max(done, 1)
    print(f"messages: {done} ({', '.join(f'{k} {c}' for k, c in sorted(kinds.items()))})")
    print(f"schema errors: {errors} (all {done} by libxml2, {thorough_n} also by xmlschema)")
    print(
        f"export (query, map, build, serialise): {build_s:.2f} s, "
        f"{1000 * build_s / n:.2f} ms/message"
    )
    print(
        f"validation (parse, DE + RM by libxml2): {validate_s:.2f} s, "
        f"{1000 * validate_s / n:.3f} ms/message"
    )
    if thorough_n:
        print(
            f"xmlschema (error paths; run on refusal only): "
            f"{1000 * thorough_s / thorough_n:.1f} ms/message"
        )
    print(
        f"whole feed: {total:.2f} s wall, {cpu:.2f} s CPU, {done / total:.0f} messages/s "
        f"(the xmlschema sample included)"
    )
    if first_thousand is not None:
        verdict = "meets" if first_thousand < 10 else "MISSES"
        print(
            f"first 1,000 messages exported and validated: {first_thousand:.2f} s wall "
            f"({verdict} the 10 s aim), {first_thousand_cpu:.2f} s CPU; "
            f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
        )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
