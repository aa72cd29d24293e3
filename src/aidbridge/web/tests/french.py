"""Helpers for the French-completeness tests: what a page shows as text, which words are
English, and which words are data users typed (allowed in any language).

The English vocabulary is the interface's own: every word of the catalogue's English
(msgids) that never occurs in its French (msgstrs), plus common English words. A word
the French also uses ("transport", "date", "total") is thereby never counted, and any
English sentence a page shows (translated or hard-coded) shares words with it.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models

PO = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{[^}]*\}")

# English function and interface words that may be missing from the catalogue's
# msgids; any that French shares is dropped by the subtraction below.
COMMON = (Path(__file__).with_name("english_words.txt")).read_text(encoding="utf-8").split()


SYSTEM_WRITTEN = {
    *("action", "kind", "status", "task_path", "subject", "body", "password", "unit"),
    *("target_repr", "from_state", "to_state", "explanation", "from_line", "to_line"),
    *("phase", "error", "message_type", "key", "path", "content_type", "scope"),
}


# French words that the catalogue's French writes only after an elided article
# ("d'allocation"), so its msgstrs do not show them alone.
FRENCH_TOO = {"allocation", "allocations", "accepter", "offre", "offres"}
URL = re.compile(r"https?://\S+")


def visible_text(page: str) -> str:
    """What a reader sees or hears: text, plus titles, placeholders, labels, button
    values and confirmation prompts (scripts, styles and catalogue datalists left out)."""
    page = re.sub(r"<(script|style|datalist)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    shown = re.findall(
        r"""\b(?:title|placeholder|aria-label|alt|data-confirm)\s*=\s*"([^"]*)\"""", page
    )
    buttons = re.findall(r"""<input\b[^>]*type="(?:submit|button)"[^>]*value="([^"]*)\"""", page)
    text = re.sub(r"<[^>]+>", " ", page)
    return URL.sub(" ", html.unescape(" ".join([text, *shown, *buttons])))


def words(text: str) -> set[str]:
    """Lower-cased words; all-capital tokens are codes (ITA, VENT-ICU, RFA) and single
    letters are symbols ("t" for tonnes), both skipped."""
    return {w.lower() for w in WORD.findall(text) if not w.isupper() and len(w) > 1}


def _po_strings(kind: str) -> list[str]:
    out: list[str] = []
    current: list[str] | None = None
    for raw in PO.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith(("msgid", "msgstr", "msgctxt")):
            key, _, rest = line.partition(" ")
            current = [] if key.startswith(kind) else None
            if current is not None:
                out.append("")
            line = rest
        if current is not None and line.startswith('"'):
            out[-1] += line[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    return [_PLACEHOLDER.sub(" ", s) for s in out]


@cache
def french_words() -> frozenset[str]:
    french: set[str] = set()
    for msgstr in _po_strings("msgstr"):
        french |= words(msgstr)
    return frozenset(french)


@cache
def english_vocabulary() -> frozenset[str]:
    english: set[str] = set(COMMON)
    for msgid in _po_strings("msgid"):
        english |= words(msgid)
    return frozenset(english - french_words() - FRENCH_TOO)


def _is_typed(model: type[models.Model], field: models.Field[Any, Any]) -> bool:
    """A free-text field a user filled; not a code from a list, not the English half of
    a name that has a French one (the French page must show the French)."""
    if not isinstance(field, models.CharField | models.TextField) or field.choices:
        return False
    name = field.name
    if name.endswith("_en") and any(f.name == name[:-3] + "_fr" for f in model._meta.fields):
        return False
    # What the system writes (audit actions and labels, notification texts, units,
    # planner explanations, letterheads, run phases): their words must not hide an
    # untranslated label.
    return name not in SYSTEM_WRITTEN


def english_names() -> frozenset[str]:
    """Words of the English names that have a French one (items, categories, parties,
    crises): a French page shows the French name, so these count as English too."""
    found: set[str] = set()
    for model in apps.get_models():
        names = [f.name for f in model._meta.fields if f.name.endswith("_en")]
        names = [n for n in names if any(f.name == n[:-3] + "_fr" for f in model._meta.fields)]
        for row in model._default_manager.values_list(*names) if names else ():
            for value in row:
                found |= words(str(value or ""))
    return frozenset(found - french_words())


def data_values() -> set[str]:
    """Every text users typed into the database (titles, situations, reasons, notes,
    names of people), which pages show as written, whitespace normalised."""
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "admin", "contenttypes", "django_tasks"}:
            continue
        fields = [f.name for f in model._meta.fields if _is_typed(model, f)]
        for row in model._default_manager.values_list(*fields) if fields else ():
            found.update(" ".join(str(v).split()) for v in row if v and str(v).strip())
    return found


class Data:
    """The typed data a page may show: whole values are cut out of the page's text
    before its words are looked at, so an English situation does not excuse the same
    words elsewhere on the page (the words of values under 4 characters are allowed as
    words: cutting them out would cut into other words)."""

    def __init__(self, values: set[str]):
        long = sorted((v for v in values if len(v) >= 4), key=len, reverse=True)
        self.pattern = re.compile(
            "|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in long) or r"(?!)"
        )
        self.words: set[str] = set()
        for value in values:
            if len(value) < 4:
                self.words |= words(value)

    def cut(self, text: str) -> str:
        return self.pattern.sub(" ", " ".join(text.split()))


def english_in(
    page: str, data: Data, allowed: set[str], names: frozenset[str] = frozenset()
) -> set[str]:
    """The English words a page shows outside the typed data and the ``allowed`` words
    (``names``: the words of English names, from :func:`english_names`)."""
    shown = words(data.cut(visible_text(page)))
    return (shown & (english_vocabulary() | names)) - allowed - data.words


def context(page: str, word: str, width: int = 40) -> str:
    """Where a word occurs in a page's visible text (for a failure message)."""
    text = " ".join(visible_text(page).split())
    match = re.search(rf"(?i)\b{re.escape(word)}\b", text)
    if match is None:
        return word
    return text[max(0, match.start() - width) : match.end() + width]
