"""The consolidated picture: what was asked, offered, accepted, moved and received.

Every figure is summed in the database by ``GROUP BY`` queries whose number does not
depend on how many RFAs, lines, offers or dispatches there are: a crisis of ten lines
and one of ten thousand cost the same number of queries. Nothing is stored: the
figures are always those of the offer lines, dispatches and receipts themselves.

The picture is of the requests in it (``requests.selectors.in_picture``: circulated,
whatever happened later); drafts, requests still with the centre and requests withdrawn
or closed before circulation are not part of it, for anyone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, When

from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestLine
from aidbridge.requests.selectors import in_picture

# A proposal the donor has not confirmed yet is not offered by anyone (offers.proposals).
_LIVE = ~Q(status__in=(OfferLine.Status.WITHDRAWN, OfferLine.Status.PROPOSED))


def _sum(expression: Any, when: Q | None = None) -> Sum:
    if when is None:
        return Sum(expression, default=0)
    return Sum(Case(When(when, then=expression), default=0, output_field=IntegerField()))


# Aggregates are named ``sum_<figure>``: an alias equal to a column name ("accepted")
# would shadow the column for the expressions after it in the same query.
PREFIX = "sum_"

# What an offer line contributes, summed over any grouping of offer lines.
OFFER_SUMS = {
    # Offered counts what is still on the table or taken: not declined, not withdrawn.
    "sum_offered": _sum(F("quantity") - F("declined"), _LIVE),
    "sum_open": _sum(F("quantity") - F("accepted") - F("declined"), _LIVE),
    "sum_accepted": _sum("accepted"),
}
# A dispatch has at most one receipt, so both sums run over the same join safely.
MOVEMENT_SUMS = {
    "sum_dispatched": _sum("quantity"),
    "sum_delivered": _sum("receipt__quantity"),
}


@dataclass
class Figures:
    """Quantities of one request line, or summed over several.

    ``over_accepted`` is summed line by line (accepted beyond the line's request), so
    a surplus on one line never hides a shortfall on another: ``outstanding`` is the
    sum of each line's own ``max(requested - accepted, 0)``.
    """

    requested: int = 0
    offered: int = 0
    open: int = 0  # offered and still awaiting the requester's decision
    accepted: int = 0
    dispatched: int = 0
    delivered: int = 0
    over_accepted: int = 0
    lines: int = 0

    @property
    def outstanding(self) -> int:
        return self.requested - self.accepted + self.over_accepted

    @property
    def coverage(self) -> float | None:
        return round(self.accepted / self.requested, 4) if self.requested else None

    def add(self, other: Figures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["outstanding"] = self.outstanding
        out["coverage"] = self.coverage
        return out


def _add(figures: Figures | DonorFigures, row: Mapping[str, Any]) -> None:
    """Add a grouped row's ``sum_*`` values to ``figures``."""
    for key, value in row.items():
        if key.startswith(PREFIX):
            name = key.removeprefix(PREFIX)
            setattr(figures, name, getattr(figures, name) + (value or 0))


def line_figures(lines: Iterable[RequestLine]) -> dict[int, Figures]:
    """Figures of each request line, keyed by its id, in two queries for any number.

    For the RFA detail and the picture's page of lines.
    """
    by_line: dict[int, Figures] = {}
    for line in lines:
        by_line[line.pk] = Figures(requested=line.quantity, lines=1)
    if not by_line:
        return by_line
    offers = (
        OfferLine.objects.filter(request_line_id__in=by_line)
        .values("request_line_id")
        .annotate(**OFFER_SUMS)
        .order_by()
    )
    for row in offers:
        _add(by_line[row["request_line_id"]], row)
    moves = (
        Dispatch.objects.filter(offer_line__request_line_id__in=by_line)
        .values("offer_line__request_line_id")
        .annotate(**MOVEMENT_SUMS)
        .order_by()
    )
    for move in moves:
        line_id = move["offer_line__request_line_id"]
        _add(by_line[line_id], move)
    for figures in by_line.values():
        figures.over_accepted = max(figures.accepted - figures.requested, 0)
    return by_line


# What the picture shows of a line: narrow rows keep sorting a long crisis cheap.
LINE_COLUMNS = (
    *(f.name for f in RequestLine._meta.concrete_fields),
    "rfa__reference",
    "rfa__status",
    "rfa__circulated_at",
    "rfa__requester__code",
    "item__code",
    "item__name_en",
    "item__name_fr",
    "item__unit",
)


def pictured_lines(crisis: Crisis) -> QuerySet[RequestLine]:
    """The request lines the picture shows, in a stable order."""
    return (
        RequestLine.objects.filter(in_picture("rfa__"), rfa__crisis=crisis)
        .select_related("rfa__requester", "item")
        .only(*LINE_COLUMNS)
        .order_by("rfa__circulated_at", "rfa_id", "position")
    )


@dataclass
class Totals:
    overall: Figures
    by_nation: list[tuple[Party, Figures]]
    by_item: list[tuple[Item, Figures]]
    by_donor: list[tuple[Party, DonorFigures]]


@dataclass
class DonorFigures:
    offers: int = 0
    offered: int = 0
    open: int = 0
    accepted: int = 0
    dispatched: int = 0
    delivered: int = 0
    # Unsolicited stock not yet drawn on: offered to the crisis, not to a request.
    standing: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _cells(crisis: Crisis) -> dict[tuple[int, int], Figures]:
    """Figures per (requesting party, item): the grid both roll-ups are made from."""
    cells: dict[tuple[int, int], Figures] = defaultdict(Figures)
    seen = Q(request_line__rfa__crisis=crisis) & in_picture("request_line__rfa__")
    requester, item = "request_line__rfa__requester_id", "request_line__item_id"

    asked = (
        RequestLine.objects.filter(in_picture("rfa__"), rfa__crisis=crisis)
        .values("rfa__requester_id", "item_id")
        .annotate(sum_lines=Count("id"), sum_requested=Sum("quantity"))
        .order_by()
    )
    for row in asked:
        _add(cells[(row["rfa__requester_id"], row["item_id"])], row)

    offered = OfferLine.objects.filter(seen).values(requester, item).annotate(**OFFER_SUMS)
    for row in offered.order_by():
        _add(cells[(row[requester], row[item])], row)

    moved = (
        Dispatch.objects.filter(
            in_picture("offer_line__request_line__rfa__"),
            offer_line__request_line__rfa__crisis=crisis,
        )
        .values(f"offer_line__{requester}", f"offer_line__{item}")
        .annotate(**MOVEMENT_SUMS)
        .order_by()
    )
    moved_by, moved_item = f"offer_line__{requester}", f"offer_line__{item}"
    for move in moved:
        _add(cells[(move[moved_by], move[moved_item])], move)

    # Only lines accepted beyond their request come back: usually none or a few.
    over = (
        OfferLine.objects.filter(seen)
        .values("request_line_id", "request_line__quantity", requester, item)
        .annotate(total=Sum("accepted"))
        .filter(total__gt=F("request_line__quantity"))
        .order_by()
    )
    for surplus in over:
        cells[(surplus[requester], surplus[item])].over_accepted += (
            surplus["total"] - surplus["request_line__quantity"]
        )
    return cells


def _donors(crisis: Crisis) -> dict[int, DonorFigures]:
    donors: dict[int, DonorFigures] = defaultdict(DonorFigures)
    answers = in_picture("request_line__rfa__")
    standing = Q(request_line__isnull=True, status=OfferLine.Status.OPEN)
    rows = (
        OfferLine.objects.filter(Q(offer__crisis=crisis) & (answers | Q(request_line__isnull=True)))
        .values("offer__donor_id")
        .annotate(
            sum_offers=Count("offer_id", distinct=True),
            sum_offered=_sum(F("quantity") - F("declined"), _LIVE & answers),
            sum_open=_sum(F("quantity") - F("accepted") - F("declined"), _LIVE & answers),
            sum_accepted=_sum("accepted", answers),
            sum_standing=_sum(F("quantity") - F("accepted") - F("declined"), standing),
        )
        .order_by()
    )
    for row in rows:
        _add(donors[row["offer__donor_id"]], row)
    moved = (
        Dispatch.objects.filter(
            in_picture("offer_line__request_line__rfa__"),
            offer_line__offer__crisis=crisis,
        )
        .values("offer_line__offer__donor_id")
        .annotate(**MOVEMENT_SUMS)
        .order_by()
    )
    for move in moved:
        _add(donors[move["offer_line__offer__donor_id"]], move)
    return donors


def crisis_totals(crisis: Crisis) -> Totals:
    """Totals per requesting nation, per item and per donor, and overall."""
    cells = _cells(crisis)
    donors = _donors(crisis)
    nations: dict[int, Figures] = defaultdict(Figures)
    per_item: dict[int, Figures] = defaultdict(Figures)
    overall = Figures()
    for (nation_id, item_id), figures in cells.items():
        nations[nation_id].add(figures)
        per_item[item_id].add(figures)
        overall.add(figures)
    parties = Party.objects.in_bulk(set(nations) | set(donors))
    items = Item.objects.in_bulk(set(per_item))
    return Totals(
        overall=overall,
        by_nation=sorted(
            ((parties[k], v) for k, v in nations.items()), key=lambda pair: pair[0].code
        ),
        by_item=sorted(((items[k], v) for k, v in per_item.items()), key=lambda p: p[0].code),
        by_donor=sorted(((parties[k], v) for k, v in donors.items()), key=lambda p: p[0].code),
    )
