"""Matching words of a message to catalogue items, nations and places.

Pure Python (no Django): the catalogue entries, nations and airports come in as
dataclasses, so the parser can be tested and measured on its own. Words are compared
folded (lower case, no accents, plural endings and filler words dropped), exactly when
they can be and with ``rapidfuzz`` otherwise ("ventilaters", "respirtors").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from aidbridge.intake.numbers import fold

# Words that carry no meaning for an item's identity ("masques de protection", "bars of
# soap" after the unit is taken).
STOPWORDS = frozenset(
    {
        "de",
        "d",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l",
        "of",
        "the",
        "a",
        "an",
        "and",
        "et",
        "with",
        "avec",
        "for",
        "pour",
        "en",
        "in",
        "to",
        "each",
        "chaque",
        "x",
        "ea",
        "pcs",
        "pc",
        "pieces",
        "piece",
        "units",
        "unit",
        "nos",
        "no",
        "nr",
        "qty",
        "additional",
        "supplementaires",
        "supplementaire",
        "more",
        "plus",
    }
)
# Unit words that may stand between a quantity and its item ("500 pairs of gloves").
UNIT_WORDS = {
    "pair": "pair", "pairs": "pair", "paire": "pair", "paires": "pair",
    "piece": "piece", "pieces": "piece", "pcs": "piece", "pc": "piece", "ea": "piece",
    "each": "piece", "units": "piece", "unit": "piece", "unites": "piece", "x": "piece",
    "box": "box", "boxes": "box", "boite": "box", "boites": "box",
    "kit": "kit", "kits": "kit", "kg": "kg", "kilos": "kg", "kilogrammes": "kg",
    "kilograms": "kg", "l": "litre", "litre": "litre", "litres": "litre", "liter": "litre",
    "liters": "litre", "tonnes": "tonne", "tons": "tonne", "bars": "piece", "bar": "piece",
    "strips": "piece", "strip": "piece", "sets": "piece", "set": "piece",
    "flacons": "piece", "ampoules": "piece", "vials": "piece",
}  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A crude plural folding for English and French: enough to match a name."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """The folded, stemmed words of ``text``; "FFP-2"/"ffp 2" become "ffp2"."""
    folded = re.sub(r"\b(ffp|kn|n)[\s-]+(\d)", r"\1\2", fold(text).replace("\u2019", "'"))
    return [stem(t) for t in _TOKEN.findall(folded)]


def key(words: Iterable[str]) -> str:
    return " ".join(w for w in words if w not in STOPWORDS)


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name_en: str
    name_fr: str
    unit: str
    synonyms: tuple[str, ...] = ()
    substitutes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemMatch:
    code: str
    score: float  # 0..100
    matched: str  # the catalogue name or synonym it matched
    alternatives: tuple[str, ...] = ()


def _variants(entry: CatalogueEntry) -> set[str]:
    names = {entry.name_en, entry.name_fr, *entry.synonyms}
    # "Surgical mask (type IIR)" is also written "surgical mask".
    names |= {re.sub(r"\s*\(.*?\)", "", n) for n in names}
    names |= {n.split(",")[0] for n in names}
    return {k for k in (key(tokens(n)) for n in names) if len(k) >= 2}


@dataclass
class ItemMatcher:
    entries: Sequence[CatalogueEntry]
    _names: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A name shared by two items ("medical oxygen cylinder" once the "(50 L)" and
        # "(10 L)" are dropped) names neither: only its longer forms are kept.
        owners: dict[str, set[str]] = {}
        for entry in self.entries:
            for name in _variants(entry):
                owners.setdefault(name, set()).add(entry.code)
        explicit = {
            key(tokens(n)): e.code
            for e in self.entries
            for n in (e.name_en, e.name_fr, *e.synonyms)
        }
        self._exact = {n: next(iter(c)) for n, c in owners.items() if len(c) == 1}
        self._exact.update(explicit)
        self._names = list(self._exact.items())
        self._long = [(n, c) for n, c in self._names if len(n) >= 5]
        self._memo: dict[str, ItemMatch | None] = {}

    def exact(self, phrase: str) -> str | None:
        """The item whose name or synonym is exactly ``phrase`` (a key), if any."""
        return self._exact.get(phrase)

    def match(self, phrase: str) -> ItemMatch | None:
        """The item ``phrase`` names (already a key), with close alternatives."""
        if len(phrase) < 2:
            return None
        if phrase not in self._memo:
            self._memo[phrase] = self._match(phrase)
        return self._memo[phrase]

    def _match(self, phrase: str) -> ItemMatch | None:
        # Very short names or phrases ("cap", "n95") only match exactly.
        if len(phrase) < 5:
            code = self._exact.get(phrase)
            return ItemMatch(code, 100.0, phrase) if code else None
        # rapidfuzz picks the few names worth scoring (in C, so a long message with many
        # numbers stays fast); the rules below then score those few.
        names = [n for n, _ in self._long]
        picked = {
            hit[2]
            for scorer in (fuzz.ratio, fuzz.token_sort_ratio)
            for hit in process.extract(phrase, names, scorer=scorer, limit=12, score_cutoff=70)
        }
        scored: dict[str, tuple[float, str]] = {}
        for index in picked:
            name, code = self._long[index]
            score = 100.0 if name == phrase else fuzz.ratio(phrase, name)
            if phrase.count(" ") == name.count(" "):  # "ventilator icu"
                score = max(score, fuzz.token_sort_ratio(phrase, name))
            # A message names an item by its head word first: "soutien en transport
            # aérien" is not a "transport aérien".
            if fuzz.ratio(phrase.split()[0], name.split()[0]) < 75 and score < 100:
                score = min(score, fuzz.token_sort_ratio(phrase, name)) - 15
            if score > scored.get(code, (-1.0, ""))[0]:
                scored[code] = (score, name)
        exact = self._exact.get(phrase)
        if exact:
            scored[exact] = (100.0, phrase)
        if not scored:
            return None
        ranked = sorted(scored, key=lambda c: (-scored[c][0], c))
        best_code = ranked[0]
        best_score, matched = scored[best_code]
        alternatives = tuple(c for c in ranked[1:4] if scored[c][0] >= max(best_score - 8, 75))
        return ItemMatch(best_code, best_score, matched, alternatives)


@dataclass(frozen=True)
class NationEntry:
    code: str
    names: tuple[str, ...]  # English, French and other names and adjectives
    country: str = ""  # ISO 3166-1 alpha-2, to find the nation's airports


@dataclass(frozen=True)
class Airport:
    icao: str
    name: str
    city: str
    country: str  # alpha-2
    iata: str = ""


@dataclass
class PlaceIndex:
    """Airports with a scheduled-service code, by ICAO code and by folded city name."""

    airports: Sequence[Airport]
    by_icao: dict[str, Airport] = field(default_factory=dict)
    by_city: dict[str, list[Airport]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for airport in self.airports:
            self.by_icao[airport.icao] = airport
            if airport.iata and airport.city:
                self.by_city.setdefault(fold(airport.city), []).append(airport)
        for found in self.by_city.values():
            # The main airport first: an international one, then by code (deterministic).
            found.sort(key=lambda a: ("international" not in a.name.lower(), a.icao))
