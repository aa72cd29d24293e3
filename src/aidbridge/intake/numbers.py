"""Quantities as people write them in English and French messages.

"150 000", "150,000", "150.000", "1,5 million", "1.5m", "250k", "two hundred",
"deux cents", "vingt-cinq", "a thousand". Pure Python: the parser finds every
quantity with its span in the text, so a proposed line can show the words it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Quantity:
    value: int
    start: int
    end: int
    words: str


_UNITS = {
    # English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    # French (accents are stripped before lookup)
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60,
}  # fmt: skip
_HUNDRED = {"hundred", "cent", "cents"}
_SCALES = {
    "thousand": 1_000, "mille": 1_000, "milliers": 1_000,
    "million": 1_000_000, "millions": 1_000_000, "billion": 1_000_000_000,
    "milliard": 1_000_000_000, "milliards": 1_000_000_000,
}  # fmt: skip
# Joiners inside a number in words: "one hundred and fifty", "soixante et onze".
_JOINERS = {"and", "et"}
# "a"/"an" count as 1 only before a scale word ("a thousand"), never alone: "a mask" is
# not a quantity. French "un"/"une" is both the article and the number, and a request
# for "un hôpital de campagne" asks for one.
_ARTICLES = {"a", "an"}

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
# Digits with thousands separators (space, no-break space, comma, dot, apostrophe) or
# a plain number with an optional decimal part.
_DIGITS = re.compile(
    r"(?<![\w.,/-])(\d{1,3}(?:(?:[  \u202f'\u2019]\d{3})+|(?:,\d{3})+|(?:\.\d{3})+)|\d+)"
    r"(?:([.,])(\d+))?(?![\d/-])"
)
# A scale written after digits: "1.5m", "250k", "1,5 million", "2 MILLION", "3 mio".
_SCALE_AFTER = re.compile(
    r"\s*(millions?|milliards?|billion|thousand|mille|milliers|mio|mln|m|k)\b", re.IGNORECASE
)
_SCALE_SHORT = {"m": 1_000_000, "mio": 1_000_000, "mln": 1_000_000, "k": 1_000}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents: how words are compared."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _from_digits(match: re.Match[str], text: str) -> tuple[float, int] | None:
    """The value of the digits at ``match`` (with a scale word after it, if any) and
    where the quantity ends; None for a decimal without a scale ("0.9", "1,5")."""
    whole = re.sub(r"[^\d]", "", match.group(1))
    sep, decimals = match.group(2), match.group(3)
    end = match.end()
    scale_match = _SCALE_AFTER.match(text, end)
    scale = 1
    if scale_match:
        word = fold(scale_match.group(1))
        scale = _SCALE_SHORT.get(word) or _SCALES.get(word, 1)
        # "5 m" would also be five metres; only a scale glued on or a written word counts.
        if word == "m" and scale_match.group(0) != scale_match.group(1):
            scale, scale_match = 1, None
    if scale_match is None and end < len(text) and text[end].isalpha():
        return None  # glued to letters: a code or a measure ("20ml", "3M"), not a count
    if decimals is not None:
        if sep and len(decimals) == 3 and scale == 1 and "," not in match.group(1):
            # "10.000" or "10,000" with one group: a thousands separator, not a decimal.
            whole, decimals = whole + decimals, None
        elif scale == 1:
            return None
    value = float(f"{whole}.{decimals}") if decimals else float(whole)
    if scale_match:
        end = scale_match.end()
    return value * scale, end


def _words_value(words: list[str]) -> int | None:
    """The value of a run of number words, or None if they do not make a number."""
    total, current, seen = 0, 0, False
    for index, word in enumerate(words):
        if word in _JOINERS:
            continue
        if word in _ARTICLES:
            following = words[index + 1] if index + 1 < len(words) else ""
            if following not in _HUNDRED and following not in _SCALES:
                return None
            current += 1
        elif word in _UNITS:
            if (
                word == "quatre"
                and index + 1 < len(words)
                and words[index + 1] in ("vingt", "vingts")
            ):
                current += 4  # quatre-vingt(s): multiplied below
                continue
            if word in ("vingt", "vingts") and index > 0 and words[index - 1] == "quatre":
                current = current - 4 + 80
            else:
                current += _UNITS[word]
            seen = True
        elif word in _HUNDRED:
            current = max(current, 1) * 100
            seen = True
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current, seen = 0, True
        else:
            return None
    return total + current if seen else None


def _is_number_word(word: str) -> bool:
    return word in _UNITS or word in _HUNDRED or word in _SCALES or word in _ARTICLES


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity written in ``text``, in order, with its span."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for match in _DIGITS.finditer(text):
        parsed = _from_digits(match, text)
        if parsed is None:
            continue
        value, end = parsed
        if value != int(value) or value < 1:
            continue
        found.append(Quantity(int(value), match.start(), end, text[match.start() : end]))
        taken.append((match.start(), end))
    found.extend(_word_quantities(text, taken))
    return sorted(found, key=lambda q: q.start)


def _word_quantities(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    """Numbers in words: runs of number words joined by spaces, hyphens or "and"/"et"."""
    out: list[Quantity] = []
    words = [(m.start(), m.end(), fold(m.group(0))) for m in _WORD.finditer(text)]
    index = 0
    while index < len(words):
        start, _end, word = words[index]
        if not _is_number_word(word) or any(a <= start < b for a, b in taken):
            index += 1
            continue
        run = [word]
        last = index
        while last + 1 < len(words):
            gap = text[words[last][1] : words[last + 1][0]]
            nxt = words[last + 1][2]
            if gap.strip(" -") or not (_is_number_word(nxt) or nxt in _JOINERS):
                break
            run.append(nxt)
            last += 1
        while run and run[-1] in _JOINERS:  # "fifty and" ends before "and"
            run.pop()
            last -= 1
        value = _words_value(run)
        if value:
            out.append(Quantity(value, start, words[last][1], text[start : words[last][1]]))
        index = last + 1
    return out
