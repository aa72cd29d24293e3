"""Benchmark: importing 1,000 EDXL-RM messages, per-message cost by message type.

On a throw-away SQLite database (or ``DATABASE_URL``, e.g. PostgreSQL): 200 request
chains of five messages each, as national systems would send them, each in an EDXL-DE
envelope: RequestResource (Italy, 5 lines), ResponseToRequestResource (Germany),
RequisitionResource (Italy), ReportResourceDeploymentStatus dispatch (Germany) and
receipt (Italy). Between the requests and the responses the centre submits and
circulates the imported drafts (through the services, not timed). Then the 1,000
documents are sent again (replays, acknowledged, nothing changed). Each document is
imported in-process by ``edxl.imports.import_document`` (parse, schema validation,
mapping, services, one transaction each); the parse + schema share is timed apart.

    uv run python bench/edxl_import.py [--chains 200] [--lines 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from _django import configure, setup_and_migrate

DATA = Path(__file__).resolve().parent.parent / "src/aidbridge/edxl/tests/data"
# (label, documents, wall s, CPU s, parse + schema wall s)
ROWS: list[tuple[str, int, float, float, float]] = []


def envelope(distribution: str, sender: str, payload: str) -> bytes:
    body = payload.split("?>", 1)[1] if payload.startswith("<?xml") else payload
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<de:EDXLDistribution xmlns:de="urn:oasis:names:tc:emergency:EDXL:DE:1.0">'
        f"<de:distributionID>{distribution}</de:distributionID>"
        f"<de:senderID>{sender}@bench.example</de:senderID>"
        "<de:dateTimeSent>2020-03-21T08:00:00Z</de:dateTimeSent>"
        "<de:distributionStatus>Actual</de:distributionStatus>"
        "<de:distributionType>Report</de:distributionType>"
        "<de:combinedConfidentiality>UNCLASSIFIED</de:combinedConfidentiality>"
        "<de:contentObject><de:xmlContent><de:embeddedXMLContent>"
        f"{body}"
        "</de:embeddedXMLContent></de:xmlContent></de:contentObject></de:EDXLDistribution>"
    ).encode()


def request_body(n: int, lines: int) -> str:
    """The test RequestResource with ``lines`` ventilator lines and ids of chain ``n``."""
    text = (DATA / "rm-request.xml").read_text()
    head, rest = text.split("<rmsg:ResourceInformation>", 1)
    first = "<rmsg:ResourceInformation>" + rest.split("</rmsg:ResourceInformation>", 1)[0]
    first += "</rmsg:ResourceInformation>"
    resources = "".join(
        first.replace(
            "<rmsg:ResourceInfoElementID>1<", f"<rmsg:ResourceInfoElementID>{i}<"
        ).replace("<rm:Amount>150<", f"<rm:Amount>{100 + i}<")
        for i in range(1, lines + 1)
    )
    return (head + resources + "</rmsg:RequestResource>\n").replace(
        "ita-system:request:1", f"ita:request:{n}"
    )


def chain(n: int, kind: str) -> str:
    text = (DATA / f"rm-{kind}.xml").read_text()
    for old, new in (
        ("ita-system:request:1", f"ita:request:{n}"),
        ("deu-system:response:1", f"deu:response:{n}"),
        ("ita-system:requisition:1", f"ita:requisition:{n}"),
        ("deu-system:dispatch:1", f"deu:dispatch:{n}"),
        ("ita-system:receipt:1", f"ita:receipt:{n}"),
    ):
        text = text.replace(old, new)
    return text


def seed() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from aidbridge.accounts.models import Profile, Role
    from aidbridge.catalogue.models import Category, Item
    from aidbridge.crises.models import Crisis
    from aidbridge.parties.models import Party

    users: dict[str, Any] = {}
    for code, name, kind, role in (
        ("EADRCC", "Centre", "centre", Role.CENTRE_OFFICER),
        ("ITA", "Italy", "nation", Role.NATIONAL_POC),
        ("DEU", "Germany", "nation", Role.NATIONAL_POC),
    ):
        party = Party.objects.create(code=code, kind=kind, name_en=name, name_fr=name)
        user = get_user_model().objects.create_user(code.lower(), f"{code}@example.org", "x")
        Profile.objects.create(user=user, party=party, role=role)
        users[code] = user
    category = Category.objects.create(code="MED", name_en="Medical", name_fr="Médical")
    for code, en, fr in (
        ("VENT-ICU", "ICU ventilator", "Respirateur de réanimation"),
        ("MASK-SURG", "Surgical mask", "Masque chirurgical"),
    ):
        Item.objects.create(
            code=code,
            category=category,
            name_en=en,
            name_fr=fr,
            unit="piece",
            unit_weight_kg=Decimal("1"),
            unit_volume_m3=Decimal("0.01"),
        )
    Crisis.objects.create(
        code="covid-19-2020", name_en="COVID-19", name_fr="COVID-19", started_on=date(2020, 3, 1)
    )
    return users


def timed(label: str, docs: list[tuple[Any, bytes]], *, replay: bool = False) -> list[Any]:
    from aidbridge.edxl.imports import import_document
    from aidbridge.edxl.imports.reading import read
    from aidbridge.edxl.schemas import validate

    results = []
    start, cpu = time.perf_counter(), time.process_time()
    for actor, data in docs:
        result = import_document(actor, data)
        assert result.replay == replay, (label, result.as_dict())
        results.append(result)
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    for _, data in docs:
        assert not validate(read(data).root)
    checking = time.perf_counter() - start
    ROWS.append((label, len(docs), total, cpu, checking))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chains", type=int, default=200)
    parser.add_argument("--lines", type=int, default=5)
    args = parser.parse_args()
    configure("edxl-import")
    setup_and_migrate()
    from aidbridge.edxl import schemas
    from aidbridge.requests.models import RequestForAssistance
    from aidbridge.requests.services import circulate_request, submit_rfa

    users = seed()
    start = time.perf_counter()
    schemas.warm()
    warm = time.perf_counter() - start
    ita, deu, duty = users["ITA"], users["DEU"], users["EADRCC"]
    n = range(args.chains)
    requests = [(ita, envelope(f"d-req-{i}", "ITA", request_body(i, args.lines))) for i in n]
    steps = [
        ("ResponseToRequestResource", deu, "response", "DEU"),
        ("RequisitionResource", ita, "requisition", "ITA"),
        ("ReportResourceDeploymentStatus (dispatch)", deu, "dispatch", "DEU"),
        ("ReportResourceDeploymentStatus (receipt)", ita, "receipt", "ITA"),
    ]
    every: list[tuple[Any, bytes]] = list(requests)
    timed(f"RequestResource ({args.lines} lines)", requests)
    for rfa in RequestForAssistance.objects.order_by("pk"):
        submit_rfa(ita, rfa)
        circulate_request(duty, rfa)
    for label, actor, kind, sender in steps:
        docs = [(actor, envelope(f"d-{kind}-{i}", sender, chain(i, kind))) for i in n]
        timed(label, docs)
        every.extend(docs)
    timed("replays (all of the above again)", every, replay=True)
    report(args, warm)
    return 0


def report(args: argparse.Namespace, warm: float) -> None:
    from django.db import connection

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\nEDXL import on {connection.vendor}, {args.chains} chains x 5 messages "
        f"(load average {load:.2f}); schema sets loaded once in {warm:.2f} s\n"
    )
    print(
        f"{'messages':<44} {'n':>5} {'wall s':>7} {'ms/msg':>7} {'CPU ms/msg':>10} "
        f"{'parse+schema ms':>15}"
    )
    imported = [r for r in ROWS if not r[0].startswith("replays")]
    count = sum(r[1] for r in imported)
    rows = [*ROWS, ("all imports", count, *(sum(r[i] for r in imported) for i in (2, 3, 4)))]
    for label, n, total, cpu, checking in rows:
        print(
            f"{label:<44} {n:>5} {total:>7.2f} {1000 * total / n:>7.2f} "
            f"{1000 * cpu / n:>10.2f} {1000 * checking / n:>15.2f}"
        )
    total, cpu, checking = rows[-1][2], rows[-1][3], rows[-1][4]
    print(
        f"\n{count} messages imported in {total:.1f} s wall, {cpu:.1f} s CPU "
        f"({count / cpu:.1f} messages per CPU second); parse + schema is "
        f"{100 * checking / total:.0f}% of the wall time"
    )


if __name__ == "__main__":
    sys.exit(main())
