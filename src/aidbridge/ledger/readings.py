"""Reading the maintained figures (``ledger.models``), which ``ledger.maintained`` keeps
equal to the ledger's definitions: one query over a crisis's cells, whatever its size.
Pages, the picture and the planners read here; they never recompute."""

from __future__ import annotations

from django.db import connection, models

from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.ledger.figures import DonorFigures, Figures
from aidbridge.ledger.maintained import DONOR_NAMES, LINE_NAMES
from aidbridge.ledger.models import CellFigures, DonorCellFigures, DonorOffers, LineFigures


def cell_figures(crisis: Crisis, items: models.Q | None = None) -> dict[tuple[int, int], Figures]:
    """The maintained figures per (requesting nation, item) of ``crisis`` (one query over
    its cells, whatever its size); ``items``: only the cells of the items matching it
    (a condition on ``Item``)."""
    rows = CellFigures.objects.filter(crisis=crisis, lines__gt=0)
    if items is not None:
        rows = rows.filter(item__in=Item.objects.filter(items).values("pk"))
    return {
        (r.nation_id, r.item_id): Figures(**{n: getattr(r, n) for n in LINE_NAMES}) for r in rows
    }


def donor_cell_figures(crisis: Crisis) -> dict[tuple[int, int], DonorFigures]:
    """The maintained figures per (donor, item) of ``crisis`` (one query over its cells);
    ``available`` is pledged less drawn, as ``crisis.donor_figures`` works it out."""
    out = {}
    for r in DonorCellFigures.objects.filter(crisis=crisis):
        values = {n: getattr(r, n) for n in DONOR_NAMES}
        if any(values.values()):
            cell = DonorFigures(**values)
            cell.available = cell.pledged - cell.drawn
            out[(r.donor_id, r.item_id)] = cell
    return out


def line_values(crisis: Crisis, name: str) -> dict[int, int]:
    """One figure of each pictured request line of ``crisis`` (``sums.per_line``'s, as
    maintained), by line id: one query, no recomputation."""
    rows = LineFigures.objects.filter(crisis=crisis).values_list("request_line_id", name)
    return dict(rows)


def donor_offer_counts(crisis: Crisis) -> dict[int, int]:
    """Each donor's ``offers`` figure in ``crisis`` (one query over its donors)."""
    rows = DonorOffers.objects.filter(crisis=crisis, offers__gt=0)
    return dict(rows.values_list("donor_id", "offers"))


def fingerprint(crisis: Crisis) -> str:
    """A short key that changes whenever the crisis's figures do (two small aggregates
    over its cells): pages may cache what they draw from crisis-wide history (the
    coverage chart, the flow map) under it. Pictured lines, accepted, dispatched and
    delivered units only ever grow, so any acceptance, circulation, dispatch or receipt
    changes it."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(connection.vendor), [crisis.pk, crisis.pk])
        sums = cursor.fetchone()
    stamp = f"{crisis.pk}:{crisis.created_at.timestamp()}:"
    return stamp + ",".join(str(v or 0) for v in sums)


_fingerprints: dict[str, str] = {}


def _fingerprint_sql(vendor: str) -> str:
    """The cells' sums (every column of ``LINE_NAMES``, then of ``DONOR_NAMES``) in one
    statement, written once per process: pages ask for the fingerprint on every request,
    and building its two aggregates through the ORM cost about 4 ms of CPU each time,
    more than the rest of a cached picture (``bench/load.py``)."""
    if vendor not in _fingerprints:
        quote = connection.ops.quote_name

        def column(model: type[models.Model], name: str) -> str:
            field = model._meta.get_field(name)
            assert isinstance(field, models.Field) and field.column
            return quote(field.column)

        def sums(model: type[models.Model], names: tuple[str, ...]) -> str:
            columns = ", ".join(f"SUM({column(model, n)})" for n in names)
            table = quote(model._meta.db_table)
            return f"SELECT {columns} FROM {table} WHERE {column(model, 'crisis')} = %s"

        _fingerprints[vendor] = (
            f"SELECT * FROM ({sums(CellFigures, LINE_NAMES)}) AS lines, "
            f"({sums(DonorCellFigures, DONOR_NAMES)}) AS donors"
        )
    return _fingerprints[vendor]
