"""The receiving hospitals of spring 2020 and their intensive-care beds.

Hospitals that took Italian or French intensive-care patients in March and April 2020,
as public reporting names them (university hospitals of Dresden, Leipzig, Cologne,
Bonn, Münster, Munich, Freiburg, Heidelberg, Homburg; the Centre Hospitalier de
Luxembourg; Salzburg and Innsbruck). Coordinates are approximate. The bed counts are
**illustrative**: plausible figures for the demo, not the hospitals' own reports.

Loaded through the hospitals services by each nation's point of contact; a hospital is
found by (nation, name) and a report already on record for the same time is reused, so
loading twice duplicates nothing. The reports are of 2020: the pages and the API show
them as stale, which they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aidbridge.demo.scenario import at
from aidbridge.hospitals import services
from aidbridge.hospitals.models import BedReport, Hospital
from aidbridge.parties.models import Party


@dataclass(frozen=True)
class DemoHospital:
    nation: str
    name: str
    region: str
    lat: float
    lon: float
    airport: str
    # (day, hour UTC, available, baseline) adult ICU reports, oldest first
    icu: tuple[tuple[str, int, int, int], ...]
    isolation: tuple[int, int] | None = None  # negative-pressure beds at the last report


HOSPITALS = (
    DemoHospital("DEU", "Universitätsklinikum Carl Gustav Carus Dresden", "Saxony",
                 51.0546, 13.7810, "EDDC", (("03-25", 7, 14, 120), ("03-27", 7, 9, 120)), (4, 12)),
    DemoHospital("DEU", "Universitätsklinikum Leipzig", "Saxony",
                 51.3316, 12.3857, "EDDP", (("03-25", 7, 12, 110), ("03-27", 7, 8, 110))),
    DemoHospital("DEU", "Klinikum Chemnitz", "Saxony",
                 50.8240, 12.8960, "EDDC", (("03-27", 7, 6, 70),)),
    DemoHospital("DEU", "LMU Klinikum München", "Bavaria",
                 48.1110, 11.4690, "EDDM", (("03-26", 8, 10, 180), ("03-28", 8, 7, 180)), (3, 16)),
    DemoHospital("DEU", "Universitätsklinikum Erlangen", "Bavaria",
                 49.6010, 11.0060, "EDDN", (("03-28", 8, 6, 90),)),
    DemoHospital("DEU", "Uniklinik Köln", "North Rhine-Westphalia",
                 50.9247, 6.9189, "EDDK", (("03-30", 9, 11, 140), ("04-01", 9, 6, 140)), (2, 10)),
    DemoHospital("DEU", "Universitätsklinikum Bonn", "North Rhine-Westphalia",
                 50.6977, 7.1046, "EDDK", (("04-01", 9, 8, 100),)),
    DemoHospital("DEU", "Universitätsklinikum Münster", "North Rhine-Westphalia",
                 51.9605, 7.5951, "EDDG", (("04-01", 9, 7, 110),)),
    DemoHospital("DEU", "Universitätsklinikum Freiburg", "Baden-Württemberg",
                 48.0070, 7.8400, "LFSB", (("03-24", 8, 9, 130), ("03-26", 8, 5, 130))),
    DemoHospital("DEU", "Universitätsklinikum Heidelberg", "Baden-Württemberg",
                 49.4170, 8.6670, "EDFM", (("03-26", 8, 8, 140),)),
    DemoHospital("DEU", "Universitätsklinikum des Saarlandes", "Saarland",
                 49.3070, 7.3470, "EDDR", (("03-22", 8, 6, 80), ("03-24", 8, 4, 80))),
    DemoHospital("DEU", "Klinikum Saarbrücken", "Saarland",
                 49.2190, 7.0140, "EDDR", (("03-24", 8, 3, 40),)),
    DemoHospital("LUX", "Centre Hospitalier de Luxembourg", "Luxembourg",
                 49.6170, 6.1120, "ELLX", (("03-25", 8, 5, 40), ("03-28", 8, 3, 40)), (2, 6)),
    DemoHospital("LUX", "Hôpitaux Robert Schuman", "Luxembourg",
                 49.6310, 6.1500, "ELLX", (("03-28", 8, 2, 24),)),
    DemoHospital("AUT", "Uniklinikum Salzburg", "Salzburg",
                 47.8070, 13.0320, "LOWS", (("03-27", 8, 4, 60), ("03-30", 8, 2, 60))),
    DemoHospital("AUT", "Tirol Kliniken Innsbruck", "Tyrol",
                 47.2630, 11.3860, "LOWI", (("04-01", 8, 6, 70),)),
)  # fmt: skip


def load_hospitals(pocs: dict[str, Any], report: Any) -> None:
    """Register the hospitals and replay their reports, as each nation's POC."""
    for spec in HOSPITALS:
        poc = pocs[spec.nation]
        nation = Party.objects.get(code=spec.nation)
        hospital = Hospital.objects.filter(nation=nation, name=spec.name).first()
        report.add("hospitals", hospital is None)
        if hospital is None:
            hospital = services.register_hospital(
                poc,
                nation=nation,
                name=spec.name,
                region=spec.region,
                lat=spec.lat,
                lon=spec.lon,
                airport=spec.airport,
            )
        reports = [("AdultICU", at(day, hour), available, baseline)
                   for day, hour, available, baseline in spec.icu]  # fmt: skip
        if spec.isolation is not None:
            last = reports[-1][1]
            reports.append(("NegativeFlowIsolation", last, *spec.isolation))
        for bed_type, when, available, baseline in reports:
            known = BedReport.objects.filter(
                hospital=hospital, bed_type=bed_type, reported_at__gte=when
            ).exists()
            report.add("bed reports", not known)
            if known:
                continue
            # Judged as of an hour after the count: the demo replays 2020.
            services.report_beds(
                poc,
                hospital,
                bed_type=bed_type,
                available=available,
                baseline=baseline,
                reported_at=when,
                source=BedReport.Source.FORM,
                as_of=when + timedelta(hours=1),
            )
