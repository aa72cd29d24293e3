"""Keeping the maintained figures (``ledger.models``) equal to the ledger's definitions.

One code path: every service that changes what figures are made of (an offer line's
quantities or status, a dispatch, a receipt, a request line, its request's status) calls
``touch_offer_lines``, ``touch_request`` or ``touch_request_lines`` in its own
transaction, after the row locks it already takes. The touched rows' figures are
recomputed from the definitions (``sums`` and ``offer_line_figures``: a few indexed
queries on those rows only) and the difference from what was stored is added to their
cells by ``F()`` increments: no crisis-wide grouping on a write, no second rule.

Lock order, the same in every transaction: request-line rows, request cells, offer-line
rows, donor cells, offer-count rows, donors' offer counts, each in key order. A service
that touches several times (settling the offers of a closed crisis) does so inside
``batched()``, applied once at its end.
``recompute`` (``ledger.recompute``) checks it all from scratch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models, transaction

from aidbridge.ledger.compiled import rows
from aidbridge.ledger.figures import DonorFigures, Figures
from aidbridge.ledger.models import (
    CellFigures,
    DonorCellFigures,
    DonorOffers,
    LineFigures,
    OfferCount,
    OfferLineFigures,
)
from aidbridge.ledger.statements import add_to_row, locked_rows, set_row
from aidbridge.ledger.sums import (
    COUNTED_OFFER,
    DRAWN,
    MOVEMENT_SUMS,
    NOT_WITHDRAWN,
    OFFER_SUMS,
    PLEDGED,
    assemble_lines,
    per_line_queries,
)
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance, RequestLine, in_picture

Cell = tuple[int, int, int]  # crisis, party (requesting nation or donor), item
Values = dict[str, int]
Fresh = dict[int, tuple[Cell, Values]]
LINE_NAMES = tuple(asdict(Figures()))
DONOR_NAMES = tuple(n for n in asdict(DonorFigures()) if n not in ("offers", "available"))


def _request_queries(ids: list[int]) -> tuple[Any, ...]:
    return per_line_queries(RequestLine.objects.filter(in_picture("rfa__"), pk__in=ids))


def request_line_figures(ids: list[int]) -> Fresh:
    """Pictured request lines' figures by the definitions (``sums.per_line``)."""
    figures, keys = assemble_lines(
        rows("request", 0, _request_queries, ids),
        lambda: (
            rows("request", 1, _request_queries, ids),
            rows("request", 2, _request_queries, ids),
        ),
    )
    return {
        pk: ((keys[pk].crisis, keys[pk].nation, keys[pk].item), asdict(f))
        for pk, f in figures.items()
    }


def offer_line_figures(ids: list[int]) -> Fresh:
    """What each offer line adds to its donor's figures, by the expressions of ``sums``
    grouped by offer line: an answer to a pictured request line adds what it offers and
    moves; a standing line (not withdrawn) adds what it pledges and what is drawn from
    it. Other lines add nothing (``crisis.donor_figures`` groups the same rows)."""
    own = rows("offer", 0, _offer_queries, ids)
    moved: dict[int, dict[str, Any]] = {
        m["offer_line_id"]: m for m in rows("offer", 1, _offer_queries, ids)
    }
    standing = [row["pk"] for row in own if row["standing"]]
    drawn = (
        dict(
            OfferLine.objects.filter(drawn_from__in=standing)
            .filter(NOT_WITHDRAWN)
            .values("drawn_from_id")
            .annotate(sum_drawn=DRAWN)
            .order_by()
            .values_list("drawn_from_id", "sum_drawn")
        )
        if standing
        else {}
    )
    return _assemble_offer_lines(own, moved, drawn)


def _offer_queries(ids: list[int]) -> tuple[Any, ...]:
    rows = (
        OfferLine.objects.filter(pk__in=ids)
        .values("pk", "offer__crisis_id", "offer__donor_id", "item_id")
        .annotate(
            **OFFER_SUMS,
            sum_pledged=PLEDGED,
            answers=models.Count(
                "pk",
                filter=in_picture("request_line__rfa__") & models.Q(request_line__isnull=False),
            ),
            standing=models.Count("pk", filter=NOT_WITHDRAWN & models.Q(request_line__isnull=True)),
            rfa_crisis=models.Max("request_line__rfa__crisis_id"),
        )
        .order_by()
    )
    moved = (
        Dispatch.objects.filter(offer_line__in=ids)
        .values("offer_line_id")
        .annotate(**MOVEMENT_SUMS)
        .order_by()
    )
    return rows, moved


def _assemble_offer_lines(
    rows: list[Any], moved: dict[int, dict[str, Any]], drawn: dict[int, int]
) -> Fresh:
    out: Fresh = {}
    for row in rows:
        values = dict.fromkeys(DONOR_NAMES, 0)
        if row["answers"]:
            crisis = row["rfa_crisis"]
            for name in ("offered", "awaiting", "accepted", "declined"):
                values[name] = row[f"sum_{name}"] or 0
            for key, value in moved.get(row["pk"], {}).items():
                if key.startswith("sum_"):
                    values[key.removeprefix("sum_")] = value or 0
        elif row["standing"]:
            crisis = row["offer__crisis_id"]
            values["pledged"] = row["sum_pledged"] or 0
            values["drawn"] = drawn.get(row["pk"], 0) or 0
        else:
            continue
        out[row["pk"]] = ((crisis, row["offer__donor_id"], row["item_id"]), values)
    return out


@dataclass(frozen=True)
class Kind:
    """One kind of maintained row and the cells it adds up into."""

    row: Any  # LineFigures or OfferLineFigures
    cell: Any  # CellFigures or DonorCellFigures
    party: str  # the cell's party column: "nation" or "donor"
    names: tuple[str, ...]
    fresh: Callable[[list[int]], Fresh]

    def new_row(self, pk: int, key: Cell, values: Values) -> Any:
        """An unsaved row of offer or request line ``pk`` in cell ``key``."""
        return self.row(
            pk=pk,
            crisis_id=key[0],
            item_id=key[2],
            **{f"{self.party}_id": key[1]},
            **{name: values.get(name, 0) for name in self.names},
        )

    def key(self, row: Any) -> Cell:
        """The cell a stored row (or a cell row) belongs to."""
        return (row.crisis_id, getattr(row, f"{self.party}_id"), row.item_id)

    def values(self, row: Any) -> Values:
        return {name: getattr(row, name) for name in self.names}


REQUEST = Kind(LineFigures, CellFigures, "nation", LINE_NAMES, request_line_figures)
DONOR = Kind(OfferLineFigures, DonorCellFigures, "donor", DONOR_NAMES, offer_line_figures)


# --- what services call ---------------------------------------------------------------
@dataclass
class _Touched:
    request_lines: set[int] = field(default_factory=set)
    leaving: set[int] = field(default_factory=set)
    offer_lines: set[int] = field(default_factory=set)
    offers: set[int] = field(default_factory=set)


_batch: ContextVar[_Touched | None] = ContextVar("ledger_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Collect the touches inside and apply them once, at the end, in the lock order."""
    if _batch.get() is not None:
        yield
        return
    touched = _Touched()
    token = _batch.set(touched)
    try:
        yield
    finally:
        _batch.reset(token)
    _apply(touched)


def _touch(
    request_lines: Iterable[int] = (),
    offer_lines: Iterable[int] = (),
    *,
    leaving: bool = False,
    offers: Iterable[int] = (),
) -> None:
    touched = _batch.get() or _Touched()
    (touched.leaving if leaving else touched.request_lines).update(request_lines)
    touched.offer_lines.update(offer_lines)
    touched.offers.update(offers)
    if _batch.get() is None:
        _apply(touched)


def touch_offer_lines(lines: Iterable[OfferLine]) -> None:
    """Offer lines changed (created, decided, withdrawn, dispatched, received)."""
    lines = list(lines)
    _touch(
        (ln.request_line_id for ln in lines if ln.request_line_id is not None),
        [*(ln.pk for ln in lines), *(ln.drawn_from_id for ln in lines if ln.drawn_from_id)],
    )


def touch_request(rfa: RequestForAssistance) -> None:
    """A request's status or lines changed: its lines and the offer lines answering
    them (and the stock they draw on) enter, stay in or leave the picture. A request
    never circulated is in no figure (and nothing clears ``circulated_at``): nothing to
    do, which keeps drafting and importing requests as cheap as before."""
    if rfa.circulated_at is None:
        return
    rfa_id = rfa.pk
    ids = list(RequestLine.objects.filter(rfa_id=rfa_id).values_list("pk", flat=True))
    answers = OfferLine.objects.filter(request_line__rfa_id=rfa_id).values_list(
        "pk", "drawn_from_id"
    )
    offers = Offer.objects.filter(rfa_id=rfa_id).values_list("pk", flat=True)
    _touch(ids, {pk for pair in answers for pk in pair if pk is not None}, offers=offers)


def touch_request_lines(ids: Iterable[int], *, leaving: bool = False) -> None:
    """Request lines changed; ``leaving``: about to be deleted (call it before)."""
    _touch(ids, leaving=leaving)


def offer_made(offer: Offer) -> None:
    """A new offer (made by a service or mirrored from a partner): counted in its donor's
    ``offers`` if it counts."""
    _touch(offers=[offer.pk])


def refresh_offers(ids_in: Iterable[int]) -> None:
    """Bring the ``OfferCount`` rows of offers ``ids_in`` and their donors' counts up to
    date with ``COUNTED_OFFER``: an offer counts from its making if standing or answering
    a circulated request, or from its request's circulation (a mirrored request may be
    circulated after its offers arrive). As ``refresh``: missing rows are created
    uncounted, then every row is locked and compared, so no count is lost or doubled."""
    ids = sorted(set(ids_in))
    if not ids:
        return
    offers = {
        pk: (crisis, donor)
        for pk, crisis, donor in Offer.objects.filter(pk__in=ids).values_list(
            "pk", "crisis_id", "donor_id"
        )
    }
    OfferCount.objects.bulk_create(
        [OfferCount(pk=pk, crisis_id=c, donor_id=d) for pk, (c, d) in offers.items()],
        ignore_conflicts=True,
    )
    stored = locked_rows(OfferCount, sorted(offers))
    counted = set(Offer.objects.filter(COUNTED_OFFER, pk__in=ids).values_list("pk", flat=True))
    deltas: dict[tuple[int, int], int] = defaultdict(int)
    flips: dict[bool, list[int]] = {True: [], False: []}
    for pk, row in stored.items():
        now = pk in counted
        if row.counted != now:
            deltas[(row.crisis_id, row.donor_id)] += 1 if now else -1
            flips[now].append(pk)
    for value, pks in flips.items():
        if pks:
            OfferCount.objects.filter(pk__in=pks).update(counted=value)
    for (crisis, donor), n in sorted(deltas.items()):
        where = {"crisis_id": crisis, "donor_id": donor}
        # An F() increment on the (crisis, donor) row: concurrent offers are all counted.
        if not add_to_row(DonorOffers, where, {"offers": n}):
            DonorOffers.objects.bulk_create([DonorOffers(**where)], ignore_conflicts=True)
            add_to_row(DonorOffers, where, {"offers": n})


def _apply(touched: _Touched) -> None:
    # No savepoint of its own: a failure here fails the service's transaction anyway.
    with transaction.atomic(savepoint=False):
        refresh(REQUEST, touched.request_lines | touched.leaving, gone=touched.leaving)
        refresh(DONOR, touched.offer_lines)
        refresh_offers(touched.offers)


# --- the refresh ----------------------------------------------------------------------
def refresh(kind: Kind, ids_in: Iterable[int], gone: Iterable[int] = ()) -> None:
    """Bring ``kind``'s rows ``ids_in`` and their cells up to date with the definitions.

    The stored rows are locked first (in id order): a concurrent change of the same row
    waits here, then recomputes from what the first committed, so no delta is lost or
    counted twice. ``gone``: rows whose lines are about to be deleted.
    """
    ids = sorted(set(ids_in))
    if not ids:
        return
    leaving = set(gone)
    stored = _locked(kind, ids)
    fresh = {pk: f for pk, f in kind.fresh(ids).items() if pk not in leaving}
    missing = [pk for pk in fresh if pk not in stored]
    if missing:
        # Rows entering: created at zero (a concurrent insert of the same row is
        # ignored), then locked and recomputed like the others.
        kind.row.objects.bulk_create(
            [kind.new_row(pk, fresh[pk][0], {}) for pk in missing], ignore_conflicts=True
        )
        stored |= _locked(kind, missing)
        fresh = {pk: f for pk, f in kind.fresh(ids).items() if pk not in leaving}
    deltas: dict[Cell, Values] = defaultdict(lambda: defaultdict(int))
    changed, dropped = [], []
    for pk in ids:
        row, new = stored.get(pk), fresh.get(pk)
        if row is not None:
            old_key, old = kind.key(row), kind.values(row)
            if new is not None and new == (old_key, old):
                continue
            for name, value in old.items():
                deltas[old_key][name] -= value
        if new is None:
            if row is not None:
                dropped.append(pk)
            continue
        for name, value in new[1].items():
            deltas[new[0]][name] += value
        changed.append(kind.new_row(pk, *new))
    if dropped:
        kind.row.objects.filter(pk__in=dropped).delete()
    if len(changed) == 1:  # the usual case (one decision, one dispatch): a plain UPDATE
        (one,) = changed
        party = f"{kind.party}_id"
        set_row(
            kind.row,
            one.pk,
            {
                **{n: getattr(one, n) for n in kind.names},
                "crisis_id": one.crisis_id,
                "item_id": one.item_id,
                party: getattr(one, party),
            },
        )
    elif changed:
        columns = [*kind.names, "crisis", kind.party, "item"]
        kind.row.objects.bulk_update(changed, columns, batch_size=500)
    _add_to_cells(kind, deltas)


def _locked(kind: Kind, ids: list[int]) -> dict[int, Any]:
    return locked_rows(kind.row, ids)  # ``select_for_update``, its SQL written once


def _add_to_cells(kind: Kind, deltas: dict[Cell, Values]) -> None:
    """Add each delta to its cell by ``F()`` increments, in key order (no lost update,
    no deadlock between two writers touching the same cells)."""
    for key in sorted(deltas):
        values = {n: v for n, v in deltas[key].items() if v}
        if not values:
            continue
        where = {"crisis_id": key[0], f"{kind.party}_id": key[1], "item_id": key[2]}
        if not add_to_row(kind.cell, where, values):
            kind.cell.objects.bulk_create([kind.cell(**where)], ignore_conflicts=True)
            add_to_row(kind.cell, where, values)
