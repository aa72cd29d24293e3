"""Benchmark: sitreps of a large crisis (1,000 RFAs x 3 lines, 5,000 offers).

Times drafting (figures + header), the HTML and the PDF in English and French, and
prints each against the aim (PDF under 5 s); then the published sitrep's public PDF and
page through the HTTP stack, first request (rendered and stored) against the second
(served from storage) and a revalidation (304). Runs on a throw-away SQLite database
(or on ``DATABASE_URL`` if set, e.g. PostgreSQL).

    uv run python bench/sitreps.py [--rfas 1000] [--offers 5000]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from _django import configure, setup_and_migrate

NATIONS = [
    "ITA",
    "ESP",
    "FRA",
    "DEU",
    "CZE",
    "BGR",
    "MNE",
    "MKD",
    "AUT",
    "NLD",
    "BEL",
    "LUX",
    "POL",
    "ROU",
    "GRC",
    "TUR",
    "PRT",
    "HRV",
    "SVN",
    "SVK",
    "HUN",
    "NOR",
    "DNK",
    "SWE",
    "FIN",
    "EST",
    "LVA",
    "LTU",
    "GBR",
    "USA",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rfas", type=int, default=1000)
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=3)
    args = parser.parse_args()

    tmp = configure("sitreps", AIDBRIDGE_ALLOWED_HOSTS="testserver")
    setup_and_migrate()
    sitrep = build(args.rfas, args.offers, args.lines)
    status = measure(sitrep, tmp)
    served(sitrep)
    return status


def build(n_rfas: int, n_offers: int, n_lines: int) -> object:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from aidbridge.accounts.models import Profile, Role
    from aidbridge.catalogue.models import Category, Item
    from aidbridge.crises.models import Crisis
    from aidbridge.logistics.models import Dispatch, Receipt
    from aidbridge.offers.models import Offer, OfferLine
    from aidbridge.parties.models import Party
    from aidbridge.requests.models import RequestForAssistance, RequestLine
    from aidbridge.sitreps.services import draft_sitrep, update_sitrep_text

    rng = random.Random(7)
    centre = Party.objects.create(code="CENTRE", kind="centre", name_en="Centre", name_fr="Centre")
    parties = Party.objects.bulk_create(
        [Party(code=c, kind="nation", name_en=c, name_fr=c) for c in NATIONS]
    )
    user_model = get_user_model()
    duty = user_model.objects.create_user("duty", "duty@example.org", "x")
    head = user_model.objects.create_user("head", "head@example.org", "x")
    Profile.objects.create(user=duty, party=centre, role=Role.CENTRE_OFFICER)
    Profile.objects.create(user=head, party=centre, role=Role.CENTRE_HEAD)
    category = Category.objects.create(code="MED", name_en="Medical", name_fr="Médical")
    items = Item.objects.bulk_create(
        [
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
        ]
    )
    crisis = Crisis.objects.create(
        code="bench", name_en="Bench crisis", name_fr="Crise de test", started_on=date(2020, 3, 1)
    )
    now = timezone.now()
    requesters = parties[:12]
    rfas = RequestForAssistance.objects.bulk_create(
        [
            RequestForAssistance(
                crisis=crisis,
                requester=requesters[i % len(requesters)],
                reference=f"RFA-2020-{i + 1:04d}",
                title=f"Request {i + 1}",
                status="circulated",
                created_by=duty,
                circulated_at=now,
                contact_name=f"Contact {i % 12}",
            )
            for i in range(n_rfas)
        ]
    )
    lines = RequestLine.objects.bulk_create(
        [
            RequestLine(
                rfa=rfa,
                position=p + 1,
                item=rng.choice(items),
                quantity=rng.randint(10, 5000),
                unit="piece",
                priority=rng.randint(1, 3),
                needed_by=date(2020, 4, 1),
            )
            for rfa in rfas
            for p in range(n_lines)
        ]
    )
    donors = parties[12:]
    offers = Offer.objects.bulk_create(
        [
            Offer(
                crisis=crisis,
                donor=rng.choice(donors),
                rfa_id=lines[i % len(lines)].rfa_id,
                reference=f"OFF-2020-{i + 1:05d}",
                created_by=duty,
            )
            for i in range(n_offers)
        ]
    )
    offer_lines = OfferLine.objects.bulk_create(
        [
            OfferLine(
                offer=o,
                request_line=lines[i % len(lines)],
                item_id=lines[i % len(lines)].item_id,
                quantity=q,
                accepted=(a := q // 2 if i % 3 else 0),
                status="accepted" if a else "open",
            )
            for i, o in enumerate(offers)
            for q in [rng.randint(5, 1000)]
        ]
    )
    start = datetime(2020, 3, 10, tzinfo=UTC)
    dispatches = Dispatch.objects.bulk_create(
        [
            Dispatch(
                offer_line=ol,
                crisis_id=ol.offer.crisis_id,
                requester_id=ol.request_line.rfa.requester_id if ol.request_line else None,
                quantity=ol.accepted,
                mode=rng.choice(["airlift", "road"]),
                dispatched_at=start + timedelta(days=i % 30),
                reported_by=duty,
            )
            for i, ol in enumerate(offer_lines)
            if ol.accepted and i % 2
        ]
    )
    Receipt.objects.bulk_create(
        [
            Receipt(
                dispatch=d,
                crisis_id=d.crisis_id,
                quantity=d.quantity,
                confirmed_by=duty,
                received_at=d.dispatched_at + timedelta(days=2),
            )
            for i, d in enumerate(dispatches)
            if i % 3
        ]
    )
    print(
        f"crisis: {len(rfas)} RFAs, {len(lines)} request lines, {len(offers)} offers, "
        f"{len(dispatches)} dispatches"
    )
    t0 = time.perf_counter()
    sitrep = draft_sitrep(duty, crisis)
    update_sitrep_text(duty, sitrep, general_situation="Benchmark.", releasable=True)
    print(f"draft_sitrep: {time.perf_counter() - t0:.3f} s")
    from aidbridge.sitreps.services import publish_sitrep

    t0 = time.perf_counter()
    published = publish_sitrep(head, sitrep)
    print(f"publish_sitrep (freezes the figures): {time.perf_counter() - t0:.3f} s")
    return published


def _pages(path: Path) -> str:
    """Page count from poppler's pdfinfo (the PDF's objects are compressed)."""
    try:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return "?"
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return found.group(1) if found else "?"


def measure(sitrep: object, tmp: Path) -> int:
    """Wall and CPU seconds of each rendering: on a shared, loaded machine the wall time
    depends on the load; the CPU time says what the rendering itself costs."""
    from aidbridge.sitreps.render import render_html, render_pdf

    render_html(sitrep, "en")  # type: ignore[arg-type]  # warm the map data cache
    w = time.perf_counter()
    import weasyprint  # noqa: F401  # once per process (a server has it loaded)

    print(f"import weasyprint (once per process): {time.perf_counter() - w:.3f} s")
    aim = 5.0
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    print(f"{'render':<12}{'lang':<6}{'wall s':>8}{'cpu s':>8}{'aim':>6}{'ratio':>7}  pages  size")
    worst = 0.0
    for part in ("body", "annex"):
        for lang in ("en", "fr"):
            for fmt in ("html", "pdf"):
                w, c = time.perf_counter(), time.process_time()
                if fmt == "html":
                    out: bytes = str(render_html(sitrep, lang, part=part)).encode()  # type: ignore[arg-type]
                else:
                    out = render_pdf(sitrep, lang, part=part)  # type: ignore[arg-type]
                wall, cpu = time.perf_counter() - w, time.process_time() - c
                name = f"{part}-{lang}.{fmt}"
                (tmp / name).write_bytes(out)
                pages = _pages(tmp / name) if fmt == "pdf" else ""
                timed = fmt == "pdf" and part == "body"
                if timed:
                    worst = max(worst, wall)
                against = (f"{aim:.1f}", f"{wall / aim:.2f}") if timed else ("", "")
                print(
                    f"{part + ' ' + fmt:<12}{lang:<6}{wall:>8.3f}{cpu:>8.3f}"
                    f"{against[0]:>6}{against[1]:>7}"
                    f"  {pages:>5}  {len(out) // 1024} KiB"
                )
    print(
        f"files in {tmp}; worst sitrep PDF {worst:.2f} s vs aim {aim:.1f} s: "
        f"{'met' if worst < aim else 'NOT met'} (the annex is a separate download)"
    )
    return 0


def served(sitrep: object) -> None:
    """A published sitrep is rendered on its first request and stored; later requests
    read the stored file, and a client holding it gets 304 without the body."""
    from django.test import Client

    client = Client()
    pk = sitrep.pk  # type: ignore[attr-defined]
    print(f"{'served':<22}{'first s':>9}{'second s':>10}{'304 s':>8}  same bytes")
    for name, url, params in [
        ("public PDF (en)", f"/public/sitreps/{pk}/pdf/", {"lang": "en"}),
        ("public PDF annex (fr)", f"/public/sitreps/{pk}/pdf/", {"lang": "fr", "part": "annex"}),
        ("public page (fr)", f"/public/sitreps/{pk}/", {"lang": "fr"}),
    ]:
        times, bodies = [], []
        for _ in range(2):
            w = time.perf_counter()
            response = client.get(url, params)
            times.append(time.perf_counter() - w)
            bodies.append(response.content)
        w = time.perf_counter()
        again = client.get(url, params, headers={"If-None-Match": response["ETag"]})
        revalidate = time.perf_counter() - w
        assert again.status_code == 304, again.status_code
        print(
            f"{name:<22}{times[0]:>9.3f}{times[1]:>10.3f}{revalidate:>8.3f}  "
            f"{'yes' if bodies[0] == bodies[1] else 'NO'}"
        )


if __name__ == "__main__":
    sys.exit(main())
