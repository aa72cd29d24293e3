"""Instances shaped like spring 2020: requests from a few hard-hit regions of southern
Europe, beds in hospitals spread over central Europe. For tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import random

from .model import BedOffer, MatchingInput, Place, TransferNeed

BED_TYPES = ("AdultICU", "AdultICU", "AdultICU", "PediatricICU", "Burn", "MedicalSurgical")
"""Weighted: most of 2020's transfers were adult intensive care."""

SENDING_REGIONS = (
    ("Lombardy", 45.6, 9.7),
    ("Piedmont", 45.1, 7.7),
    ("Emilia-Romagna", 44.5, 11.3),
    ("Veneto", 45.4, 11.9),
    ("Grand Est", 48.6, 6.2),
    ("Ile-de-France", 48.9, 2.4),
    ("Bourgogne-Franche-Comte", 47.3, 5.0),
    ("Auvergne-Rhone-Alpes", 45.7, 4.8),
    ("Madrid", 40.4, -3.7),
    ("Catalonia", 41.4, 2.2),
    ("Brussels", 50.8, 4.4),
    ("North Brabant", 51.6, 5.1),
)

NOW = dt.datetime(2020, 4, 1, 12, tzinfo=dt.UTC)


def generate(
    n_needs: int, n_hospitals: int, seed: int = 0, n_regions: int = len(SENDING_REGIONS)
) -> MatchingInput:
    rng = random.Random(seed)
    regions = SENDING_REGIONS[:n_regions]
    needs = []
    for i in range(n_needs):
        name, lat, lon = rng.choice(regions)
        needs.append(
            TransferNeed(
                id=f"N{i}",
                region=name,
                bed_type=rng.choice(BED_TYPES),
                count=rng.randint(1, 5),
                origin=Place(lat + rng.uniform(-0.8, 0.8), lon + rng.uniform(-0.8, 0.8)),
                ventilated=rng.random() < 0.4,
                isolation=rng.random() < 0.2,
            )
        )
    offers = []
    for h in range(n_hospitals):
        # Central Europe: Germany, Austria, Luxembourg, Switzerland, Czechia, Poland.
        place = Place(rng.uniform(46.5, 54.5), rng.uniform(5.9, 19.0))
        for bed_type in rng.sample(BED_TYPES[2:], rng.randint(1, 3)):
            offers.append(
                BedOffer(
                    id=f"H{h}-{bed_type}",
                    hospital=f"H{h}",
                    bed_type=bed_type,
                    beds=rng.randint(0, 12),
                    location=place,
                    reported_at=NOW - dt.timedelta(hours=rng.uniform(0, 72)),
                    ventilation=rng.random() < 0.85,
                    isolation=rng.random() < 0.4,
                )
            )
    return MatchingInput(needs=tuple(needs), offers=tuple(offers), now=NOW)
