"""A pasted message (English or French) → a proposed draft request. Pure Python.

Every proposed line keeps the words it came from and a confidence; whatever could not
be read (a number with no item, an item with no quantity, a date that is not a
needed-by date, a relative date) is listed in ``unclear``, never guessed silently.
Nothing here writes anything: a person confirms the proposal (``services``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from aidbridge.intake.dates import FoundDate, find_dates
from aidbridge.intake.lexicon import (
    STOPWORDS,
    UNIT_WORDS,
    CatalogueEntry,
    ItemMatch,
    ItemMatcher,
    NationEntry,
    PlaceIndex,
    key,
    tokens,
)
from aidbridge.intake.numbers import Quantity, find_quantities, fold
from aidbridge.intake.places import Guess, find_nation, find_place

ACCEPT = 80.0  # an item match below this score is not proposed (listed as unclear)
PRIORITY_CUES = (
    "urgent", "urgently", "urgence", "urgente", "immediate", "immediately", "asap",
    "as soon as possible", "critical", "vital", "des que possible", "au plus vite",
    "priority: high", "priorite : haute", "priorite: haute", "flash",
)  # fmt: skip
LOW_CUES = ("low priority", "non urgent", "not urgent", "priorite basse", "priorite : basse")
# Numbers that are not counts: measures, percentages, types and classes, phone numbers,
# relative delays (reported separately), everything in parentheses.
_MEASURE = re.compile(
    r"\d[\d.,]*\s*(?:%|mg\b|ml\b|g\b|kva\b|m²|m2\b|m³|m3\b|l/min|iu\b|ui\b|mm\b|cm\b|km\b"
    r"|tonnes?\b|t\b|kw\b|h\b|hours?\b|heures?\b)",
    re.IGNORECASE,
)
_TYPE = re.compile(
    r"\b(?:type|role|rôle|level|niveau|class|classe|no|n°|nr|phase|grade|module)\.?\s*\d+",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?:\+|\b00)\d[\d\s().-]{6,}\d")
_PARENS = re.compile(r"\([^()\n]*\)")
_RELATIVE = re.compile(
    r"\b(?:within|in|dans\s+les|sous|d'ici|en)\s+(?:\d+|[a-z]+)\s+(?:days|jours|weeks|semaines)\b",
    re.IGNORECASE,
)
_ENUM = re.compile(r"(?m)^[ \t*•-]*\d{1,2}[.)](?=\s)")
_ENUM_TAB = re.compile(r"(?m)^[ \t]*\d{1,2}\t(?=.*\d)")
_CELL = re.compile(r"\t|\||\s{3,}| [-\u2013\u2014] |[,;:(]|\n")
_SENTENCE = re.compile(r"\n|[.;!?](?=\s)")
_SUBJECT = re.compile(r"(?im)^\s*(?:subj(?:ect)?|objet|re)\s*:\s*(.+)$")


@dataclass(frozen=True)
class Unclear:
    """Something in the message the parser did not turn into a proposal."""

    kind: str  # quantity_without_item, item_without_quantity, other_date, relative_date, …
    words: str
    start: int
    detail: str = ""  # an item code, a nation code, a date …


@dataclass(frozen=True)
class ProposedLine:
    item: str
    quantity: int
    unit: str
    priority: int  # 1 highest, 3 lowest (as a request line)
    needed_by: date | None
    confidence: float  # 0..1
    source: str  # the words the line came from
    item_words: str
    quantity_words: str
    date_words: str = ""
    priority_words: str = ""
    matched_name: str = ""
    alternatives: tuple[str, ...] = ()
    substitutes: tuple[str, ...] = ()
    unit_words: str = ""
    unit_differs: bool = False


@dataclass(frozen=True)
class Proposal:
    language: str
    title: str
    lines: tuple[ProposedLine, ...]
    unclear: tuple[Unclear, ...]
    nation: Guess | None = None
    place: Guess | None = None
    priority: int = 2


@dataclass(frozen=True)
class Context:
    items: Sequence[CatalogueEntry]
    nations: Sequence[NationEntry]
    places: PlaceIndex
    year: int  # the crisis's year: "10 avril" is in it
    own_nation: str | None = None  # a national POC drafts for their own nation only
    matcher: ItemMatcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "matcher", ItemMatcher(self.items))


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _language(text: str) -> str:
    words = fold(text).split()
    fr = sum(
        w in {"le", "la", "les", "des", "et", "de", "du", "pour", "demande", "avec"} for w in words
    )
    en = sum(
        w in {"the", "and", "of", "for", "to", "requests", "with", "by", "needed"} for w in words
    )
    return "fr" if fr > en else "en"


def _cues(text: str, cues: Sequence[str]) -> re.Match[str] | None:
    folded = fold(text)
    pattern = "|".join(re.escape(c) for c in cues)
    return re.search(rf"(?<![a-z])(?:{pattern})(?![a-z])", folded)


@dataclass
class _Phrase:
    match: ItemMatch
    start: int
    end: int
    unit: str = ""
    unit_words: str = ""


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    words = re.finditer(r"[\w'\u2019-]+", text[start:end])
    return [(m.start() + start, m.end() + start) for m in words]


def _words_follow(text: str, start: int, end: int) -> bool:
    """Whether words other than units and fillers follow a number ("40 widgets")."""
    return any(
        fold(text[a:b]) not in UNIT_WORDS and not _filler(text, (a, b))
        for a, b in _word_spans(text, start, end)
    )


def _filler(text: str, span: tuple[int, int]) -> bool:
    return fold(text[span[0] : span[1]]).strip("'\u2019") in STOPWORDS


def _after(ctx: Context, original: str, text: str, start: int, end: int) -> _Phrase | None:
    """The item named right after a quantity: "500 pairs of nitrile gloves". Words are
    found in the masked ``text`` and read in the ``original`` ("type 2" stays)."""
    spans = _word_spans(text, start, end)[:10]
    unit, unit_words, skip = "", "", 0
    while skip < len(spans):
        word = fold(text[spans[skip][0] : spans[skip][1]])
        if word in UNIT_WORDS and not unit:
            unit, unit_words = UNIT_WORDS[word], text[spans[skip][0] : spans[skip][1]]
        elif word not in STOPWORDS and word not in ("d'", "l'"):
            break
        skip += 1
    best: tuple[float, int] | None = None
    found: _Phrase | None = None
    # The unit word may also be part of the name ("3 000 kits d'hygiène").
    for first in sorted({0, skip}):
        for n in range(1, len(spans) - first + 1):
            if _filler(original, spans[first + n - 1]):
                continue  # "respirateurs FFP2 et": the line's words stop before "et"
            phrase_start, phrase_end = spans[first][0], spans[first + n - 1][1]
            match = ctx.matcher.match(key(tokens(original[phrase_start:phrase_end])))
            if match and match.score >= ACCEPT:
                rank = (match.score + 2 * n, n)
                if best is None or rank > best:
                    kept = (unit, unit_words) if first == skip else ("", "")
                    best, found = rank, _Phrase(match, phrase_start, phrase_end, *kept)
    if found is None and unit:  # "5 000 kits" alone: nothing to match
        return None
    return found


def _before(ctx: Context, original: str, text: str, start: int, end: int) -> _Phrase | None:
    """The item named before a quantity, as in a table row "FFP2 masks | 100,000"."""
    spans = _word_spans(text, start, end)[-6:]
    best: tuple[float, int] | None = None
    found: _Phrase | None = None
    for i in range(len(spans)):
        if _filler(original, spans[i]):
            continue
        for j in range(i, len(spans)):
            if _filler(original, spans[j]):
                continue
            match = ctx.matcher.match(key(tokens(original[spans[i][0] : spans[j][1]])))
            if match and match.score >= ACCEPT:
                rank = (match.score + 2 * (j - i + 1) - (len(spans) - 1 - j), j - i)
                if best is None or rank > best:
                    best, found = rank, _Phrase(match, spans[i][0], spans[j][1])
    return found


def _cell_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the words around a quantity stop: after it, the end of its cell or clause;
    before it, the start of its line (a table row names the item in an earlier cell)."""
    left = text.rfind("\n", 0, start) + 1
    right_match = _CELL.search(text, end)
    return left, right_match.start() if right_match else len(text)


def _sentence_of(text: str, position: int) -> tuple[int, int]:
    ends = [m.end() for m in _SENTENCE.finditer(text)]
    left = ends[bisect.bisect_right(ends, position) - 1] if ends and ends[0] <= position else 0
    right = _SENTENCE.search(text, position)
    return left, right.start() if right else len(text)


def _masked(text: str, unclear: list[Unclear]) -> str:
    """The text with numbers that are not counts blanked out (same length, same spans)."""
    for pattern in (_PHONE, _PARENS, _MEASURE, _ENUM, _ENUM_TAB):
        for m in pattern.finditer(text):
            text = _blank(text, m.start(), m.end())
    for m in _TYPE.finditer(text):  # "type 2": only the number goes, the word stays
        digits = re.search(r"\d+$", m.group(0))
        assert digits is not None
        text = _blank(text, m.start() + digits.start(), m.end())
    for m in _RELATIVE.finditer(text):
        unclear.append(Unclear("relative_date", m.group(0), m.start()))
        text = _blank(text, m.start(), m.end())
    return text


def parse(text: str, ctx: Context) -> Proposal:
    """Read ``text`` into a proposal. Never raises on odd text: it lists it instead."""
    unclear: list[Unclear] = []
    dates = find_dates(text, ctx.year)
    work = text
    for d in dates:
        work = _blank(work, d.start, d.end)
    work = _masked(work, unclear)
    quantities = find_quantities(work)
    lines: list[ProposedLine] = []
    used: list[tuple[int, int]] = []
    line_dates: set[int] = set()
    message_urgent = _cues(text, PRIORITY_CUES)
    message_low = _cues(text, LOW_CUES)
    for index, qty in enumerate(quantities):
        left, right = _cell_bounds(text, qty.start, qty.end)
        next_start = quantities[index + 1].start if index + 1 < len(quantities) else len(work)
        prev_end = quantities[index - 1].end if index else 0
        phrase = _after(ctx, text, work, qty.end, min(right, next_start))
        if phrase is None and not _words_follow(work, qty.end, min(right, next_start)):
            # Nothing after the number in its cell: a table row ("FFP2 masks | 100,000"),
            # never the words of the line before.
            taken = used[-1][1] if used else 0
            phrase = _before(ctx, text, work, max(left, prev_end, taken), qty.start)
        if phrase is None:
            if not 1900 <= qty.value <= 2100:
                follow = " ".join(text[qty.end : qty.end + 40].split()[:4])
                unclear.append(
                    Unclear("quantity_without_item", f"{qty.words} {follow}".strip(), qty.start)
                )
            continue
        lines.append(_line(ctx, text, qty, phrase, dates, line_dates, message_urgent, message_low))
        used.append((min(qty.start, phrase.start), max(qty.end, phrase.end)))
    lines = _apply_message_date(text, lines, dates, line_dates)
    _unused_dates(dates, lines, unclear)
    _items_without_quantity(ctx, work, used, unclear)
    nation = find_nation(text, ctx.nations)
    if nation and ctx.own_nation and nation.code != ctx.own_nation:
        unclear.append(Unclear("other_nation", nation.words, 0, nation.code))
    place = find_place(
        text, ctx.places, ctx.nations, ctx.own_nation or (nation.code if nation else None)
    )
    subject = _SUBJECT.search(text)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    title = (subject.group(1).strip() if subject else first)[:200]
    priority = 1 if message_urgent else 3 if message_low else 2
    return Proposal(
        _language(text), title, tuple(lines), tuple(sorted(unclear, key=lambda u: u.start)),
        nation, place, priority,
    )  # fmt: skip


def _line(
    ctx: Context,
    text: str,
    qty: Quantity,
    phrase: _Phrase,
    dates: list[FoundDate],
    line_dates: set[int],
    urgent: re.Match[str] | None,
    low: re.Match[str] | None,
) -> ProposedLine:
    entry = next(e for e in ctx.items if e.code == phrase.match.code)
    s_start, s_end = _sentence_of(text, qty.start)
    sentence = text[s_start:s_end]
    own = [d for d in dates if s_start <= d.start < s_end and d.needed_by]
    needed = own[0] if own else None
    if needed:
        line_dates.add(needed.start)
    here_urgent = _cues(sentence, PRIORITY_CUES)
    here_low = _cues(sentence, LOW_CUES)
    priority = 1 if (here_urgent or urgent) else 3 if (here_low or low) else 2
    cue = here_urgent or urgent
    confidence = phrase.match.score / 100
    if not qty.words[0].isdigit():
        confidence *= 0.95  # numbers in words are read right less often
    differs = bool(phrase.unit) and phrase.unit != entry.unit and phrase.unit != "piece"
    if differs:
        confidence *= 0.7
    start, end = min(qty.start, phrase.start), max(qty.end, phrase.end)
    return ProposedLine(
        item=entry.code,
        quantity=qty.value,
        unit=entry.unit,
        priority=priority,
        needed_by=needed.value if needed else None,
        confidence=round(confidence, 2),
        source=" ".join(text[start:end].split()),
        item_words=" ".join(text[phrase.start : phrase.end].split()),
        quantity_words=qty.words,
        date_words=needed.words if needed else "",
        priority_words=cue.group(0) if cue else "",
        matched_name=phrase.match.matched,
        alternatives=phrase.match.alternatives,
        substitutes=entry.substitutes,
        unit_words=phrase.unit_words,
        unit_differs=differs,
    )


def _apply_message_date(
    text: str, lines: list[ProposedLine], dates: list[FoundDate], line_dates: set[int]
) -> list[ProposedLine]:
    """A needed-by date in a sentence without lines ("RDD 02 APR 2020.") holds for every
    line that has none of its own, if it is the only such date; several are unclear."""
    loose = {d.value: d for d in dates if d.needed_by and d.start not in line_dates}
    if len(loose) != 1:
        return lines
    only = next(iter(loose.values()))
    line_dates.add(only.start)
    out = []
    for line in lines:
        if line.needed_by is None:
            line = ProposedLine(
                **{**line.__dict__, "needed_by": only.value, "date_words": only.words,
                   "confidence": round(line.confidence * 0.95, 2)}
            )  # fmt: skip
        out.append(line)
    return out


def _unused_dates(
    dates: list[FoundDate], lines: list[ProposedLine], unclear: list[Unclear]
) -> None:
    taken = {line.date_words for line in lines}
    for d in dates:
        if d.words not in taken:
            unclear.append(Unclear("other_date", d.words, d.start, d.value.isoformat()))


def _items_without_quantity(
    ctx: Context, work: str, used: list[tuple[int, int]], unclear: list[Unclear]
) -> None:
    """Catalogue items named in the text (exactly, two words or more, or one long word)
    outside every proposed line: "ventilators may be needed later"."""
    for a, b in sorted(used, reverse=True):
        work = _blank(work, a, b)
    spans = _word_spans(work, 0, len(work))
    i = 0
    while i < len(spans):
        hit = None
        for j in range(min(len(spans), i + 4) - 1, i - 1, -1):
            phrase = key(tokens(work[spans[i][0] : spans[j][1]]))
            if len(phrase) >= 6 and (code := ctx.matcher.exact(phrase)):
                hit = (j, code)
                break
        if hit:
            words = " ".join(work[spans[i][0] : spans[hit[0]][1]].split())
            unclear.append(Unclear("item_without_quantity", words, spans[i][0], hit[1]))
            i = hit[0] + 1
        else:
            i += 1
