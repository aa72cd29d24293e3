"""Seeded random instances shaped like a real appeal, for the benchmark and the tests.

Demand exceeds supply (as in every appeal), most lines are routine, a few items have
substitutes, a share of offers carry earmarks, and dates are spread over a month so
that some stock arrives too late for some needs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class InstanceSize:
    needs: int
    supplies: int
    parties: int
    items: int


SIZES: dict[str, InstanceSize] = {
    "small": InstanceSize(needs=50, supplies=50, parties=8, items=4),
    # ~200,000 compatible pairs, as the issue asks for the medium size.
    "medium": InstanceSize(needs=2_000, supplies=1_500, parties=40, items=12),
    "large": InstanceSize(needs=10_000, supplies=10_000, parties=200, items=60),
}


def _near(rng: random.Random, home: tuple[float, float]) -> dict[str, float] | None:
    """A point about a degree from ``home``; one line in twenty says nowhere."""
    if rng.random() < 0.05:
        return None
    lat, lon = home
    return {"lat": round(lat + rng.gauss(0, 1), 4), "lon": round(lon + rng.gauss(0, 1), 4)}


def _april(rng: random.Random, lo: int, hi: int) -> str:
    return f"2020-04-{rng.randint(lo, hi):02d}"


def generate_instance(size: InstanceSize, seed: int = 0) -> dict[str, Any]:
    """An input document in the spec's JSON form (a dict), reproducible from ``seed``."""
    rng = random.Random(seed)
    parties = [f"P{i:03d}" for i in range(size.parties)]
    items = [
        {"code": f"ITEM-{i:02d}", "unit_weight_kg": round(rng.choice([0.005, 0.5, 2, 30, 250]), 3)}
        for i in range(size.items)
    ]
    codes = [it["code"] for it in items]
    substitutes = []
    for i in range(0, size.items - 1, 3):
        substitutes.append({"need_item": codes[i], "supply_item": codes[i + 1]})
    # Each party sits somewhere in Europe and the Mediterranean; its lines cluster there.
    home = {p: (rng.uniform(35, 62), rng.uniform(-10, 35)) for p in parties}

    def location(party: str) -> dict[str, float] | None:
        return _near(rng, home[party])

    def day(lo: int, hi: int) -> str:
        return _april(rng, lo, hi)

    needs = []
    for i in range(size.needs):
        party = rng.choice(parties)
        needs.append(
            {
                "id": f"{party}-{i:05d}/1",
                "party": party,
                "item": rng.choice(codes),
                "quantity": max(1, int(rng.lognormvariate(4.0, 1.2))),
                "priority": rng.choices([1, 2, 3], weights=[2, 3, 5])[0],
                "needed_by": day(5, 30) if rng.random() < 0.8 else None,
                "location": location(party),
            }
        )
    supplies = []
    for i in range(size.supplies):
        party = rng.choice(parties)
        earmark = rng.random()
        only_for = (
            rng.sample(parties, k=min(len(parties), rng.randint(1, 5))) if earmark < 0.1 else []
        )
        not_for = (
            rng.sample(parties, k=min(len(parties), rng.randint(1, 3)))
            if 0.1 <= earmark < 0.2
            else []
        )
        supplies.append(
            {
                "id": f"OFFER-{i:05d}",
                "party": party,
                "item": rng.choice(codes),
                # Supply is a bit over half of demand: shortages everywhere.
                "quantity": max(
                    1, int(rng.lognormvariate(4.0, 1.2) * 0.7 * size.needs / size.supplies)
                ),
                "available_from": day(1, 25) if rng.random() < 0.7 else None,
                "location": location(party),
                "only_for": sorted(only_for),
                "not_for": sorted(not_for),
            }
        )
    return {"items": items, "substitutes": substitutes, "needs": needs, "supplies": supplies}


# Issue 11's shape: twelve items in four families whose volumes differ by six orders of
# magnitude (masks by the million, ventilators by the dozen), substitutes inside each
# family, three priority classes in comparable shares, earmarks and dates on both sides.
APPEAL_ITEMS: tuple[tuple[str, float, float], ...] = (
    # code, unit weight kg, typical units per line
    ("MASK-SURG", 0.004, 40_000.0),
    ("RESP-FFP2", 0.006, 15_000.0),
    ("RESP-FFP3", 0.008, 5_000.0),
    ("TEST-PCR", 0.02, 20_000.0),
    ("TEST-ANTIGEN", 0.01, 30_000.0),
    ("REAGENT-PCR", 0.5, 2_000.0),
    ("GOWN-ISO", 0.15, 10_000.0),
    ("COVERALL", 0.3, 3_000.0),
    ("APRON", 0.05, 8_000.0),
    ("VENT-ICU", 30.0, 20.0),
    ("VENT-TRANSPORT", 8.0, 15.0),
    ("OXY-CONC", 20.0, 40.0),
)
APPEAL_SUBSTITUTES: tuple[tuple[str, str], ...] = (
    ("MASK-SURG", "RESP-FFP2"),
    ("MASK-SURG", "RESP-FFP3"),
    ("RESP-FFP2", "RESP-FFP3"),
    ("TEST-ANTIGEN", "TEST-PCR"),
    ("GOWN-ISO", "COVERALL"),
    ("APRON", "GOWN-ISO"),
    ("VENT-TRANSPORT", "VENT-ICU"),
)


def generate_appeal(
    needs: int = 2_000, supplies: int = 800, seed: int = 0, parties: int = 30
) -> dict[str, Any]:
    """An instance shaped like issue 11's (2,000 x 800 gives ~180,000 compatible pairs)."""
    rng = random.Random(seed)
    codes = [f"P{i:03d}" for i in range(parties)]
    home = {p: (rng.uniform(35, 62), rng.uniform(-10, 35)) for p in codes}

    def location(party: str) -> dict[str, float] | None:
        return _near(rng, home[party])

    def day(lo: int, hi: int) -> str:
        return _april(rng, lo, hi)

    def units(scale: float) -> int:
        return max(1, int(rng.lognormvariate(0.0, 1.5) * scale * 3))

    need_docs = []
    for i in range(needs):
        party = rng.choice(codes)
        code, _, scale = rng.choice(APPEAL_ITEMS)
        need_docs.append(
            {
                "id": f"{party}-{i:05d}/1",
                "party": party,
                "item": code,
                "quantity": units(scale),
                "priority": rng.choices([1, 2, 3], weights=[3, 3, 4])[0],
                "needed_by": day(5, 30) if rng.random() < 0.8 else None,
                "location": location(party),
            }
        )
    # Supply is about a third of demand overall, and scarcer for some items than for
    # others, so that even critical needs compete for it.
    scarcity = {code: rng.uniform(0.1, 0.6) for code, _, _ in APPEAL_ITEMS}
    per_supply = needs / max(supplies, 1)
    supply_docs = []
    for i in range(supplies):
        party = rng.choice(codes)
        code, _, scale = rng.choice(APPEAL_ITEMS)
        earmark = rng.random()
        only_for = sorted(rng.sample(codes, k=rng.randint(1, 5))) if earmark < 0.1 else []
        not_for = sorted(rng.sample(codes, k=rng.randint(1, 3))) if 0.1 <= earmark < 0.2 else []
        supply_docs.append(
            {
                "id": f"OFFER-{i:05d}",
                "party": party,
                "item": code,
                "quantity": units(scale * per_supply * scarcity[code]),
                "available_from": day(1, 25) if rng.random() < 0.7 else None,
                "location": location(party),
                "only_for": only_for,
                "not_for": not_for,
            }
        )
    return {
        "items": [{"code": c, "unit_weight_kg": w} for c, w, _ in APPEAL_ITEMS],
        "substitutes": [{"need_item": a, "supply_item": b} for a, b in APPEAL_SUBSTITUTES],
        "needs": need_docs,
        "supplies": supply_docs,
    }
