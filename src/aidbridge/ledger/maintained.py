"""Keeping the maintained figures (``ledger.models``) equal to the ledger's definitions.

One code path: every service that changes what a request line's figures are made of (an
offer line's quantities or status, a dispatch, a receipt, the line itself, its request's
status) calls ``refresh_lines`` with the lines it touched, in its own transaction, after
the row locks it already takes. The touched lines' figures are recomputed from the
definitions (``sums.per_line``, a few indexed queries on those lines only) and the
difference from what was stored is added to their cells by ``F()`` increments: no
crisis-wide grouping on a write, and the figures are never written by a second rule.

``recompute`` rebuilds everything from scratch and says what differed: the check that
the cache is the definitions (``aidbridge ledger recompute [--fix]``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from django.db import transaction
from django.db.models import F

from aidbridge.crises.models import Crisis
from aidbridge.ledger.figures import Figures
from aidbridge.ledger.models import CellFigures, LineFigures
from aidbridge.ledger.sums import LineKey, per_line
from aidbridge.requests.models import RequestLine, in_picture

NAMES = tuple(f.name for f in fields(Figures))
Cell = tuple[int, int, int]  # crisis, nation, item


def _figures_of(row: Any) -> Figures:
    return Figures(**{name: getattr(row, name) for name in NAMES})


def _fresh(line_ids: list[int], leaving: bool) -> tuple[dict[int, Figures], dict[int, LineKey]]:
    """The touched lines' figures by the definitions; lines out of the picture (or
    ``leaving``: about to be deleted) have none."""
    if leaving:
        return {}, {}
    return per_line(RequestLine.objects.filter(in_picture("rfa__"), pk__in=line_ids))


def refresh_request(rfa_id: int) -> None:
    """``refresh_lines`` for every line of a request (its status or lines changed)."""
    refresh_lines(RequestLine.objects.filter(rfa_id=rfa_id).values_list("pk", flat=True))


def refresh_lines(line_ids: Iterable[int], *, leaving: bool = False) -> None:
    """Bring the maintained figures of ``line_ids`` (and their cells) up to date.

    Call it inside the transaction of the change, after the change is written. The
    stored rows are locked first (in id order, after the service's own locks): a
    concurrent change of the same line waits here, then recomputes from what the first
    committed, so the deltas never cross. Cells are incremented in key order.
    ``leaving``: the lines are about to be deleted (call it before), their figures go.
    """
    ids = sorted(set(line_ids))
    if not ids:
        return
    with transaction.atomic():
        stored = _locked(ids)
        fresh, keys = _fresh(ids, leaving)
        missing = [pk for pk in fresh if pk not in stored]
        if missing:
            # A line entering the picture: its zero row is created (a concurrent insert
            # of the same row is ignored), then locked like the others.
            LineFigures.objects.bulk_create(
                [_row(pk, Figures(), keys[pk]) for pk in missing], ignore_conflicts=True
            )
            stored |= _locked(missing)
            fresh, keys = _fresh(ids, leaving)
        deltas: dict[Cell, Figures] = defaultdict(Figures)
        changed, gone = [], []
        for pk in ids:
            row, new = stored.get(pk), fresh.get(pk)
            old = _figures_of(row) if row is not None else Figures()
            if row is not None and new == old and _key(row) == _cell(keys[pk]):
                continue  # nothing moved (a proposal, a withdrawn line's note...)
            if row is not None:
                _sub(deltas[_key(row)], old)
            if new is None:
                gone.append(pk)
                continue
            deltas[_cell(keys[pk])].add(new)
            changed.append(_row(pk, new, keys[pk]))
        if gone:
            LineFigures.objects.filter(pk__in=gone).delete()
        if changed:
            LineFigures.objects.bulk_update(
                changed, [*NAMES, "crisis", "rfa", "nation", "item"], batch_size=500
            )
        add_to_cells(deltas)


def _locked(ids: list[int]) -> dict[int, LineFigures]:
    rows = LineFigures.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {row.pk: row for row in rows}


def _row(pk: int, f: Figures, key: LineKey) -> LineFigures:
    return LineFigures(
        request_line_id=pk,
        crisis_id=key.crisis,
        rfa_id=key.rfa,
        nation_id=key.nation,
        item_id=key.item,
        **{name: getattr(f, name) for name in NAMES},
    )


def _key(row: LineFigures | CellFigures) -> Cell:
    return (row.crisis_id, row.nation_id, row.item_id)


def _cell(key: LineKey) -> Cell:
    return (key.crisis, key.nation, key.item)


def _sub(into: Figures, other: Figures) -> None:
    for name in NAMES:
        setattr(into, name, getattr(into, name) - getattr(other, name))


def add_to_cells(deltas: dict[Cell, Figures]) -> None:
    """Add each delta to its cell by ``F()`` increments, in key order (no lost update,
    no deadlock between two writers touching the same cells)."""
    for key in sorted(deltas):
        values = {n: F(n) + v for n in NAMES if (v := getattr(deltas[key], n))}
        if not values:
            continue
        cells = CellFigures.objects.filter(crisis_id=key[0], nation_id=key[1], item_id=key[2])
        if not cells.update(**values):
            CellFigures.objects.bulk_create(
                [CellFigures(crisis_id=key[0], nation_id=key[1], item_id=key[2])],
                ignore_conflicts=True,
            )
            cells.update(**values)


def cell_figures(crisis: Crisis) -> dict[tuple[int, int], Figures]:
    """The maintained figures per (requesting nation, item) of ``crisis`` (one query over
    its cells, whatever its size)."""
    rows = CellFigures.objects.filter(crisis=crisis, lines__gt=0)
    return {(row.nation_id, row.item_id): _figures_of(row) for row in rows}


# --- the check ------------------------------------------------------------------------
@dataclass
class Difference:
    what: str  # "line 12", "cell ITA/MASK"
    figure: str
    stored: int
    defined: int


def recompute(crisis: Crisis, *, fix: bool = False) -> list[Difference]:
    """Compare ``crisis``'s maintained figures with the definitions computed from
    scratch; with ``fix``, rewrite them to the definitions (in one transaction)."""
    from aidbridge.ledger.sums import pictured_rfas

    fresh, keys = per_line(RequestLine.objects.filter(rfa__in=pictured_rfas(crisis)))
    cells: dict[Cell, Figures] = defaultdict(Figures)
    for pk, f in fresh.items():
        cells[_cell(keys[pk])].add(f)
    diffs: list[Difference] = []
    stored_lines = {row.pk: row for row in LineFigures.objects.filter(crisis=crisis)}
    for pk in sorted(set(fresh) | set(stored_lines)):
        row = stored_lines.get(pk)
        _compare(diffs, f"line {pk}", _figures_of(row) if row else None, fresh.get(pk))
        if row is not None and pk in keys and _key(row) != _cell(keys[pk]):
            diffs.append(Difference(f"line {pk}", "cell", 0, 1))
    stored_cells = {_key(c): c for c in CellFigures.objects.filter(crisis=crisis)}
    for key in sorted(set(cells) | set(stored_cells)):
        cell = stored_cells.get(key)
        what = f"cell nation={key[1]} item={key[2]}"
        _compare(diffs, what, _figures_of(cell) if cell else None, cells.get(key))
    if fix and diffs:
        with transaction.atomic():
            LineFigures.objects.filter(crisis=crisis).delete()
            CellFigures.objects.filter(crisis=crisis).delete()
            LineFigures.objects.bulk_create(
                [_row(pk, f, keys[pk]) for pk, f in fresh.items()], batch_size=1000
            )
            CellFigures.objects.bulk_create(
                CellFigures(
                    crisis_id=k[0],
                    nation_id=k[1],
                    item_id=k[2],
                    **{n: getattr(f, n) for n in NAMES},
                )
                for k, f in cells.items()
            )
    return diffs


def _compare(
    diffs: list[Difference], what: str, stored: Figures | None, defined: Figures | None
) -> None:
    for name in NAMES:
        s = getattr(stored, name) if stored else 0
        d = getattr(defined, name) if defined else 0
        if s != d:
            diffs.append(Difference(what, name, s, d))
