"""The requesting nation and the delivery place named in a message. Pure Python.

A nation is found by its names and adjectives in English and French ("L'Italie",
"Italy", "Italian") or its ISO code written in capitals ("ITA"). A place is an ICAO
code written in capitals ("LIMC"), or a city with an airport of scheduled service
("Milan" → LIMC Malpensa), in the requesting nation's country, or elsewhere when the
message says "to"/"à"/"delivery" just before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from aidbridge.intake.lexicon import NationEntry, PlaceIndex
from aidbridge.intake.numbers import fold


@dataclass(frozen=True)
class Guess:
    """A nation or a delivery airport read from the message."""

    code: str
    words: str
    confidence: float
    alternatives: tuple[str, ...] = ()


_DELIVERY_CUES = re.compile(
    r"(?:\bto|\bat|\bin|\bfor|\bpour|\bvers|\bsur|\bdepuis|(?<![a-z])a|delivery(?: point)?|"
    r"livraison|apod|airport|aeroport(?: de)?|destination)[\s:]*$"
)
_CAPITALISED = re.compile(r"\b[A-ZÀ-Ý][\w'\u2019-]*(?:[ -][A-ZÀ-Ý][\w'\u2019-]*){0,2}")


@lru_cache(maxsize=8)
def _nation_patterns(
    nations: tuple[NationEntry, ...],
) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """One pattern for codes in capitals ("ITA", "UK"), one for folded names, longest
    first ("Macédoine du Nord" before "Nord"), and who owns each."""
    owner: dict[str, str] = {}
    codes, names = set(), set()
    for nation in nations:
        for name in nation.names:
            if len(name) <= 3 and name.isupper():
                codes.add(name)
                owner[name] = nation.code
            else:
                names.add(fold(name))
                owner[fold(name)] = nation.code

    def alternation(words: set[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))

    return (
        re.compile(rf"(?<![\w-])(?:{alternation(codes)})(?![\w-])"),
        re.compile(rf"(?<![\w-])(?:{alternation(names)})(?![\w-])"),
        owner,
    )


def find_nation(text: str, nations: Sequence[NationEntry]) -> Guess | None:
    """The first nation the message names; the others named are its alternatives."""
    folded = fold(text).replace("\u2019", "'")
    codes, names, owner = _nation_patterns(tuple(nations))
    hits = [(m.start(), owner[m.group(0)], m.group(0)) for m in codes.finditer(text)]
    hits += [
        (m.start(), owner[m.group(0)], text[m.start() : m.end()]) for m in names.finditer(folded)
    ]
    if not hits:
        return None
    hits.sort()
    _, code, words = hits[0]
    others = tuple(dict.fromkeys(c for _, c, _ in hits if c != code))
    return Guess(code, words, 0.9 if not others else 0.6, others)


def find_place(
    text: str, index: PlaceIndex, nations: Sequence[NationEntry], nation: str | None
) -> Guess | None:
    """The delivery airport: an ICAO code in capitals first, else the city most likely
    meant (in the requester's country, or after a delivery word)."""
    for m in re.finditer(r"(?<![\w-])[A-Z]{4}(?![\w-])", text):
        airport = index.by_icao.get(m.group(0))
        if airport is not None and airport.iata:
            return Guess(airport.icao, m.group(0), 0.95)
    country = next((n.country for n in nations if n.code == nation), "")
    candidates: list[tuple[float, int, str, tuple[str, ...]]] = []
    for m in _CAPITALISED.finditer(text):
        words = m.group(0)
        parts = re.split(r"[ -]", words)
        # Try "Grand Est", "Tirana Intl", then each word alone.
        for n in range(len(parts), 0, -1):
            for i in range(len(parts) - n + 1):
                name = " ".join(parts[i : i + n])
                found = index.by_city.get(fold(name))
                if not found:
                    continue
                home = [a for a in found if a.country == country]
                cued = bool(_DELIVERY_CUES.search(fold(text[max(0, m.start() - 25) : m.start()])))
                if home:
                    score = 0.85 if cued else 0.75
                    pool = home
                elif cued:
                    score, pool = 0.5, found
                else:
                    continue
                if len(pool) > 1:
                    score -= 0.1
                alternatives = tuple(a.icao for a in pool[1:4])
                candidates.append((score, -m.start(), pool[0].icao, (name, *alternatives)))
    if not candidates:
        return None
    score, _, icao, (name, *others) = max(candidates)
    return Guess(icao, name, round(score, 2), tuple(others))
