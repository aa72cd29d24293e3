"""Every consumer of the figures, read the way its users read it, in the story model's
terms (``story_ledger``): a dict of rows keyed by line id, "nation|item", donor...

Only names are translated here (the API's ``open`` is the glossary's "awaiting
decision", the donor's ``standing`` its stock still available); no figure is derived.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any

from django.test import Client

from aidbridge.airlift.consignments import build_consignments
from aidbridge.allocations.adapter import build_input
from aidbridge.crises.models import Crisis
from aidbridge.sitreps.figures import compute_figures

from .story_ledger import DONOR_FIGURES, LINE_FIGURES, Figures

Rows = dict[Any, Figures]
ALIASES = {"open": "awaiting", "standing": "available", "short_on_arrival": "short"}
# Every figure the bookkeeping keeps, read from any consumer's row.
LINE_NAMES = {*LINE_FIGURES, *DONOR_FIGURES, "coverage"}


def _figures(row: dict[str, Any]) -> Figures:
    out: Figures = {}
    for name, value in row.items():
        name = ALIASES.get(name, name)
        if name in LINE_NAMES:
            out[name] = _number(value)
    return out


def _number(value: Any) -> int | float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return float(text) if "." in text else int(text)


def picture(api: Any, code: str) -> dict[str, Rows]:
    response = api.get(f"/crises/{code}/picture", limit=200)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lines"]["count"] <= 200
    return {
        "overall": {"all": _figures(body["overall"])},
        "nation": {row["party"]: _figures(row) for row in body["by_nation"]},
        "item": {row["item"]: _figures(row) for row in body["by_item"]},
        "donor": {row["party"]: _figures(row) for row in body["by_donor"]},
        "lines": {row["id"]: _figures(row) for row in body["lines"]["items"]},
    }


class _FigureParser(HTMLParser):
    """Collects ``data-figure`` elements per ``<section id="line-<pk>">``."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: Rows = {}
        self.line: int | None = None
        self.open: tuple[str, int] | None = None  # figure being read, its depth
        self.depth = 0
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += 1
        found = dict(attrs)
        match = re.fullmatch(r"line-(\d+)", found.get("id") or "")
        if tag == "section" and match:
            self.line = int(match.group(1))
            self.rows[self.line] = {}
        name = found.get("data-figure")
        if name and self.line is not None:
            if found.get("data-value") is not None:
                self.rows[self.line][name] = _number(found["data-value"])
            else:
                self.open, self.text = (name, self.depth), ""

    def handle_endtag(self, tag: str) -> None:
        if self.open is not None and self.open[1] == self.depth and self.line is not None:
            self.rows[self.line][self.open[0]] = int(re.sub(r"\D", "", self.text))
            self.open = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.text += data


def rfa_pages(client: Client, rfa_ids: list[int]) -> Rows:
    """Per line of each RFA page: the figures it prints (an RFA without offers prints
    "No offer yet." instead of an offered total: that is 0)."""
    rows: Rows = {}
    for pk in rfa_ids:
        response = client.get(f"/rfas/{pk}/")
        assert response.status_code == 200, (pk, response.status_code)
        parser = _FigureParser()
        parser.feed(response.content.decode())
        for line, figures in parser.rows.items():
            figures.setdefault("offered", 0)
            rows[line] = figures
    return rows


def _csv(content: bytes) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return [row for row in reader if not next(iter(row.values()), "").startswith("#")]


def matrix_csv(client: Client, code: str) -> Rows:
    response = client.get(f"/crises/{code}/matrix.csv")
    assert response.status_code == 200
    return {f"{row['nation']}|{row['item_code']}": _figures(row) for row in _csv(response.content)}


def picture_export(api: Any, code: str) -> Rows:
    """Rows keyed "reference|line position"."""
    response = api.get(f"/crises/{code}/export/picture", format="csv")
    assert response.status_code == 200, response.content
    return {f"{row['reference']}|{row['line']}": _figures(row) for row in _csv(response.content)}


def sitrep(crisis: Crisis) -> dict[str, Rows]:
    doc = compute_figures(crisis, since=None)
    return {
        "requests": {f"{r['nation']}|{r['item']}": _figures(r) for r in doc["requests"]},
        "assistance": {f"{r['donor']}|{r['item']}": _figures(r) for r in doc["assistance"]},
    }


def allocation_input(crisis: Crisis) -> tuple[dict[int, int], dict[int, int]]:
    """(open quantity per request line, free quantity per standing offer line)."""
    built = build_input(crisis)
    needs = {built.need_rows[n["id"]]: n["quantity"] for n in built.doc["needs"]}
    supplies = {built.supply_rows[s["id"]]: s["quantity"] for s in built.doc["supplies"]}
    return needs, supplies


def consignments(crisis: Crisis) -> dict[int, int]:
    """Quantity left to fly per offer line, whether or not it could be planned."""
    planned, skipped = build_consignments(crisis)
    out: dict[int, int] = {}
    for line, quantity in [
        *((c.offer_line, c.quantity) for c in planned),
        *((c.offer_line, c.quantity) for c in skipped),
    ]:
        out[line] = out.get(line, 0) + quantity
    return out


def same(
    consumer: str,
    expected: Rows,
    actual: Rows,
    required: set[str],
    names: frozenset[str] | None = None,
) -> None:
    """``actual`` reports ``expected``'s figures, row for row, for every name it has.

    Rows whose figures are all zero mean "nothing" and may be shown or left out.
    ``required`` names must be present (a consumer that drops one is a failure too).
    """

    def nonzero(rows: Rows, shown: set[str]) -> Rows:
        return {k: v for k, v in rows.items() if any(v.get(n) for n in shown)}

    if names is not None:  # the consumer's other columns mean something else here
        actual = {k: {n: v for n, v in row.items() if n in names} for k, row in actual.items()}
    # Only what the consumer shows decides whether a row has anything to show.
    shown = set(required).union(*(row.keys() for row in actual.values()))
    exp, act = nonzero(expected, shown), nonzero(actual, shown)
    assert set(act) == set(exp), (
        f"{consumer}: rows {sorted(map(str, act))} != {sorted(map(str, exp))}"
    )
    for key, row in act.items():
        missing = required - set(row)
        assert not missing, f"{consumer} {key}: no {sorted(missing)} in {row}"
        for name, value in row.items():
            want = exp[key].get(name)
            if name == "coverage":
                ok = (value is None) == (want is None) or (not value and not want)
                ok = ok and (value is None or want is None or abs(value - want) < 1.0001e-4)
            else:
                ok = value == want
            assert ok, f"{consumer} {key}: {name} = {value}, the ledger says {want} ({exp[key]})"
