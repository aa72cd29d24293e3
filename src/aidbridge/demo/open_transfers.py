"""The demo's open patient transfers, for a visitor to match on the transfers page.

The 2020 transfers themselves are in the demo's story (``demo.stories``: Lombardy to
Germany and Austria, Grand Est to Germany, Luxembourg and Austria, all dispatched and
received, so the ledger counts them as patients transferred). Those requests are
closed, and their beds were reported in 2020: nothing is left to match. So the demo
adds one further wave from each region, still open, and beds reported **at load
time** by some of the same hospitals (illustrative figures, not the hospitals' own),
offered against those requests through the ordinary services. A bed report goes stale
after ``AIDBRIDGE_BED_REPORT_MAX_AGE_HOURS``: loading the demo again re-reports the
beds of a report older than half of that, so the visitor's run finds fresh capacity;
left alone longer, the run says the capacity was reported too long ago, which is true.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from aidbridge.crises.models import Crisis
from aidbridge.demo.clock import replay_clock
from aidbridge.hospitals import services, transfers
from aidbridge.hospitals.models import BedReport, Hospital
from aidbridge.hospitals.selectors import current_report, max_age
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.services import circulate_request, submit_rfa

# The open wave is circulated in the story's autumn 2020, after its last sitrep.
WAVE_AT = datetime(2020, 11, 25, 9, tzinfo=UTC)

# (requester, title, patients, origin region, origin airport, ventilated)
WAVES = (
    ("ITA", "Further ICU patients from Lombardy (open)", 12, "Lombardy", "LIME", True),
    ("FRA", "Further ICU patients from Grand Est (open)", 10, "Grand Est", "LFST", True),
)  # fmt: skip

# (nation, hospital, free adult ICU beds reported now, beds offered to ITA, to FRA)
BEDS = (
    ("DEU", "Universitätsklinikum Carl Gustav Carus Dresden", 6, 3, 0),
    ("DEU", "Universitätsklinikum Leipzig", 5, 2, 0),
    ("DEU", "LMU Klinikum München", 6, 3, 0),
    ("DEU", "Universitätsklinikum Freiburg", 5, 0, 3),
    ("DEU", "Universitätsklinikum des Saarlandes", 4, 0, 2),
    ("LUX", "Centre Hospitalier de Luxembourg", 3, 0, 2),
    ("AUT", "Tirol Kliniken Innsbruck", 4, 2, 0),
    ("AUT", "Uniklinikum Salzburg", 3, 0, 1),
)  # fmt: skip


def _refresh_beds(pocs: dict[str, Any], report: Any) -> dict[str, Hospital]:
    now = timezone.now()
    found = {}
    for nation, name, available, *_ in BEDS:
        hospital = Hospital.objects.filter(nation__code=nation, name=name).first()
        if hospital is None:
            continue  # the 2020 registry did not load it: nothing to report
        found[name] = hospital
        current = current_report(hospital, "AdultICU")
        fresh = current is not None and current.reported_at > now - max_age() / 2
        report.add("fresh bed reports", not fresh)
        if not fresh:
            services.report_beds(
                pocs[nation],
                hospital,
                bed_type="AdultICU",
                available=available,
                baseline=(current.baseline if current else None),
                reported_at=now - timedelta(minutes=30),
                source=BedReport.Source.FORM,
            )
    return found


def load_open_transfers(crisis: Crisis, pocs: dict[str, Any], duty: Any, report: Any) -> None:
    hospitals = _refresh_beds(pocs, report)
    for column, (requester, title, count, region, airport, ventilated) in enumerate(WAVES):
        rfa = RequestForAssistance.objects.filter(crisis=crisis, title=title).first()
        report.add("open transfer requests", rfa is None)
        if rfa is not None:
            continue
        # The requests belong to the 2020 story (after its last sitrep); the beds are
        # reported and offered now, so that the visitor's run finds fresh capacity.
        with replay_clock() as clock:
            clock.set(WAVE_AT)
            rfa = transfers.request_transfers(
                pocs[requester],
                crisis=crisis,
                title=title,
                situation="A further wave of intensive-care patients needs beds abroad.",
                transfers=[
                    {
                        "count": count,
                        "needed_by": WAVE_AT.date() + timedelta(days=3),
                        "bed_type": "AdultICU",
                        "origin_region": region,
                        "origin_airport": airport,
                        "ventilated": ventilated,
                    }
                ],
            )
            rfa = submit_rfa(pocs[requester], rfa)
            rfa = circulate_request(duty, rfa)
        line = rfa.lines.get()
        by_nation: dict[str, list[dict[str, Any]]] = {}
        for nation, name, _available, *offered in BEDS:
            beds = offered[column]
            if beds and name in hospitals:
                by_nation.setdefault(nation, []).append(
                    {"hospital": hospitals[name].pk, "beds": beds}
                )
        for nation, places in by_nation.items():
            transfers.offer_beds(
                pocs[nation], rfa=rfa, request_line=line, bed_type="AdultICU", hospitals=places
            )
