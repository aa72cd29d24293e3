"""Building the parser's context: catalogue entries with their synonyms, nations with
their other names, airports. Pure Python over plain rows, so the corpus test reads the
seed files and the service reads the database through the same functions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import airportsdata
import pycountry

from aidbridge.intake.lexicon import Airport, CatalogueEntry, NationEntry, PlaceIndex
from aidbridge.intake.parse import Context

DATA = Path(__file__).resolve().parent / "data" / "synonyms.json"
SEEDS = Path(__file__).resolve().parent.parent


@cache
def synonyms() -> dict[str, dict[str, list[str]]]:
    data: dict[str, dict[str, list[str]]] = json.loads(DATA.read_text(encoding="utf-8"))
    return {"items": data["items"], "nations": data["nations"]}


@cache
def place_index() -> PlaceIndex:
    rows = airportsdata.load("ICAO")
    return PlaceIndex(
        [
            Airport(code, row["name"], row["city"], row["country"], row["iata"])
            for code, row in rows.items()
        ]
    )


def catalogue_entries(
    items: Iterable[Mapping[str, Any]], substitutes: Iterable[tuple[str, str]]
) -> list[CatalogueEntry]:
    """``items`` rows with code, name_en, name_fr, unit; ``substitutes`` (need, supply)."""
    subs: dict[str, list[str]] = {}
    for need, supply in substitutes:
        subs.setdefault(need, []).append(supply)
    extra = synonyms()["items"]
    return [
        CatalogueEntry(
            code=row["code"],
            name_en=row["name_en"],
            name_fr=row["name_fr"],
            unit=row["unit"],
            synonyms=tuple(extra.get(row["code"], ())),
            substitutes=tuple(sorted(subs.get(row["code"], ()))),
        )
        for row in items
    ]


def nation_entries(parties: Iterable[Mapping[str, Any]]) -> list[NationEntry]:
    """Nations (ISO alpha-3 codes) with their names, other names and alpha-2 country."""
    extra = synonyms()["nations"]
    out = []
    for row in parties:
        country = pycountry.countries.get(alpha_3=row["code"])
        if country is None:
            continue  # an organisation, not a nation
        names = (row["code"], row["name_en"], row["name_fr"], *extra.get(row["code"], ()))
        out.append(NationEntry(row["code"], tuple(names), country.alpha_2))
    return out


@cache
def _seed_rows() -> tuple[list[dict[str, Any]], list[tuple[str, str]], list[dict[str, Any]]]:
    catalogue = json.loads((SEEDS / "catalogue" / "data" / "catalogue.json").read_text("utf-8"))
    parties = json.loads((SEEDS / "parties" / "data" / "parties.json").read_text("utf-8"))
    rows = [p for group in parties.values() for p in group]
    subs = [(s["need"], s["supply"]) for s in catalogue["substitutes"]]
    return catalogue["items"], subs, rows


def seed_context(year: int, own_nation: str | None = None) -> Context:
    """The context from the seed files shipped in the package (no database)."""
    items, subs, parties = _seed_rows()
    return Context(
        catalogue_entries(items, subs), nation_entries(parties), place_index(), year, own_nation
    )
