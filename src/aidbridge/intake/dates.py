"""Dates in English and French messages, and whether each says "needed by".

Candidates are found with patterns ("10 avril", "April 14, 2020", "03-Apr-2020",
"15/04/2020", "le 1er avril", "end of April"), then read by ``dateparser`` restricted
to English and French, day before month, with the crisis's year for a date written
without one. dateparser is given no network and no language detection, so the same
text always gives the same date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from aidbridge.intake.numbers import fold

_MONTHS = {
    "january": 1, "jan": 1, "janvier": 1, "janv": 1,
    "february": 2, "feb": 2, "fevrier": 2, "fevr": 2, "fev": 2,
    "march": 3, "mar": 3, "mars": 3,
    "april": 4, "apr": 4, "avril": 4, "avr": 4,
    "may": 5, "mai": 5,
    "june": 6, "jun": 6, "juin": 6,
    "july": 7, "jul": 7, "juillet": 7, "juil": 7,
    "august": 8, "aug": 8, "aout": 8,
    "september": 9, "sep": 9, "sept": 9, "septembre": 9,
    "october": 10, "oct": 10, "octobre": 10,
    "november": 11, "nov": 11, "novembre": 11,
    "december": 12, "dec": 12, "decembre": 12,
}  # fmt: skip
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th|er)?"
_YEAR = r"(?:\d{4})"
_PATTERNS = [
    # 15/04/2020, 06.04.2020, 25-04-20, 15/04 (not 1.5: a decimal)
    re.compile(
        r"(?<![\d/.,-])[0-3]?\d(?:([./-])[01]?\d\1(?:\d{4}|\d{2})|/[01]?\d)(?![\d/-]|[.,]\d)"
    ),
    # 03-Apr-2020, 10 avril 2020, 1st of April, le 1er avril
    re.compile(rf"(?<!\d){_DAY}(?:\s+of)?[\s-]+{_MONTH}(?:[\s,-]+{_YEAR})?\b", re.I),
    # April 14, 2020; APR 14
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b(?!\s*(?:{_MONTH}))", re.I),
    # end of April (2020), fin avril, fin mai si possible
    re.compile(
        rf"\b(?:end\s+of|fin(?:\s+du\s+mois)?(?:\s+d[e'\u2019])?)\s+{_MONTH}(?:\s+{_YEAR})?\b",
        re.I,
    ),
]  # fmt: skip
# Words that make the next date a needed-by date.
NEEDED_CUES = (
    "by", "before", "nlt", "not later than", "no later than", "needed", "required",
    "rdd", "deadline", "until", "target date", "delivery", "deliver", "latest", "due",
    "operational", "start", "first flight", "avant", "d'ici", "pour le", "au plus tard",
    "date limite", "echeance", "livraison", "livrer", "a compter du", "souhaitee", "jusqu'au",
    "pour",
)  # fmt: skip
# Words that make it a date of something else (the message, an earlier request).
OTHER_CUES = (
    "sent", "dated", "of", "du", "received on", "on", "since", "depuis",
    "de notre", "suite a",
)  # fmt: skip


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int
    end: int
    words: str
    needed_by: bool  # a cue before it says "needed by" (or it sits in a table row)


def _settings(year: int) -> dict[str, Any]:
    return {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": datetime(year, 1, 1),
        "PREFER_DATES_FROM": "current_period",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_TIME_AS_PERIOD": False,
        "STRICT_PARSING": False,
        # Only absolute dates: the candidates are dates, never "in 3 days" (which would
        # depend on today), and skipping the other parsers halves the time.
        "PARSERS": ["custom-formats", "absolute-time"],
    }


@cache
def _parser(year: int) -> Any:
    # Imported here: loading dateparser's language data takes a moment, and only the
    # intake needs it. English and French only, no detection: deterministic.
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en", "fr"], settings=_settings(year))


@lru_cache(maxsize=4096)
def _read(words: str, year: int) -> date | None:
    folded = fold(words)
    end_of = re.search(r"(?:end\s+of|fin)\b.*?(" + _MONTH + r")(?:\s+(\d{4}))?", folded)
    if end_of:
        month = _MONTHS[end_of.group(1).rstrip(".")]
        when = int(end_of.group(2)) if end_of.group(2) else year
        return date(when, month, calendar.monthrange(when, month)[1])
    cleaned = re.sub(r"(\d)(?:st|nd|rd|th|er)\b", r"\1", words, flags=re.IGNORECASE)
    cleaned = re.sub(r"\bof\b", " ", cleaned, flags=re.IGNORECASE)
    if re.fullmatch(r"\s*\d{1,2}[./-]\d{1,2}\s*", cleaned):
        cleaned = f"{cleaned.strip()}/{year}".replace(".", "/").replace("-", "/")
    parsed = _parser(year).get_date_data(cleaned.strip()).date_obj
    if parsed is None:
        return None
    found: date = parsed.date()
    if not re.search(r"\d{4}|[./-]\d{2}\s*$", cleaned):
        found = found.replace(year=year)  # no year written: the crisis's year
    return found


def _cue_before(text: str, start: int) -> bool | None:
    """True for a needed-by cue among the few words before ``start``, False for a cue
    of another date ("sent", "our request of"), None for no cue. The cue nearest the
    date decides; of two ending at the same place the longer ("a compter du")."""
    before = fold(text[max(0, start - 50) : start]).replace("\u2019", "'")
    before = re.sub(r"[^\w':]+", " ", before)
    tail = " " + " ".join(before.split()[-5:]) + " "
    best: tuple[int, int, bool] | None = None
    for cues, verdict in ((NEEDED_CUES, True), (OTHER_CUES, False)):
        for cue in cues:
            for found in re.finditer(rf"(?<=\s){re.escape(cue)}(?=\s)", tail):
                key = (found.end(), len(cue), verdict)
                if best is None or key[:2] > best[:2]:
                    best = key
    return None if best is None else best[2]


def find_dates(text: str, year: int) -> list[FoundDate]:
    """Every date written in ``text``, with its span and whether it is a needed-by date."""
    spans: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if not any(a < match.end() and match.start() < b for a, b in spans):
                spans.append((match.start(), match.end()))
            else:
                # Keep the longest of overlapping candidates ("end of April 2020").
                for i, (a, b) in enumerate(spans):
                    if (
                        a < match.end()
                        and match.start() < b
                        and match.end() - match.start() > b - a
                    ):
                        spans[i] = (match.start(), match.end())
    out = []
    for start, end in sorted(set(spans)):
        words = text[start:end]
        value = _read(words, year)
        if value is None:
            continue
        cue = _cue_before(text, start)
        line = text[text.rfind("\n", 0, start) + 1 : start]
        in_table = bool(re.search(r"\t|\||\s{3,}", line))
        out.append(
            FoundDate(value, start, end, words.strip(), bool(cue) or (cue is None and in_table))
        )
    return out
