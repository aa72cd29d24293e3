"""The database expressions behind every figure, and the queries that group them.

Each figure is one expression below, summed by ``GROUP BY`` over whatever grouping a
caller needs (request line, donor and item, offer line): the definitions are written
once. Every query here costs a constant number of round trips whatever the size of the
crisis; nothing is stored, so the figures are always those of the offer lines,
dispatches and receipts themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from aidbridge.crises.models import Crisis
from aidbridge.ledger.compiled import rows
from aidbridge.ledger.figures import Figures, Stock
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import OfferLine
from aidbridge.requests.models import RequestForAssistance, RequestLine, in_picture

Status = OfferLine.Status
RFA = RequestForAssistance


def _sum(expression: Any, when: Q | None = None) -> Sum:
    if when is None:
        return Sum(expression, default=0)
    return Sum(Case(When(when, then=expression), default=0, output_field=IntegerField()))


# --- the definitions ------------------------------------------------------------------
# A proposal its donor has not confirmed is offered by nobody yet; a withdrawn line is
# taken back. Aggregates are named ``sum_<figure>``: an alias equal to a column name
# ("accepted") would shadow the column for the expressions after it in the same query.
COUNTED = ~Q(status__in=(Status.WITHDRAWN, Status.PROPOSED))


def _when(condition: Q, expression: Any) -> Case:
    return Case(When(condition, then=expression), default=0, output_field=IntegerField())


# What one offer line contributes; summed over any grouping below.
OFFER_TERMS: dict[str, Any] = {
    "offered": _when(COUNTED, F("quantity") - F("declined")),
    "awaiting": _when(Q(status=Status.OPEN), F("quantity") - F("accepted") - F("declined")),
    "accepted": F("accepted"),
    "declined": _when(COUNTED, F("declined")),
}
OFFER_SUMS = {f"sum_{name}": Sum(term, default=0) for name, term in OFFER_TERMS.items()}
# Over dispatches: a dispatch has at most one receipt, so these run over one join safely.
MOVEMENT_SUMS = {
    "sum_dispatched": _sum("quantity"),
    "sum_delivered": _sum("receipt__quantity"),
    "sum_in_transit": _sum("quantity", Q(receipt__isnull=True)),
    "sum_short_on_arrival": _sum(F("quantity") - F("receipt__quantity"), Q(receipt__isnull=False)),
}
MOVED = ("dispatched", "delivered", "in_transit", "short_on_arrival")
# Standing stock: a line of an unsolicited offer pledges what was not declined; a line
# drawn from it (proposed or confirmed, not withdrawn) reserves what was not declined.
NOT_WITHDRAWN = ~Q(status=Status.WITHDRAWN)
# The offers a donor's ``offers`` figure counts: standing ones, and those answering a
# request in the picture (a condition on ``Offer``).
COUNTED_OFFER = Q(rfa__isnull=True) | in_picture("rfa__")
PLEDGED = _sum(F("quantity") - F("declined"))
DRAWN = _sum(F("quantity") - F("declined"))


def fill(target: Any, row: Mapping[str, Any]) -> None:
    """Add a grouped row's ``sum_*`` values to ``target``."""
    for key, value in row.items():
        if key.startswith("sum_"):
            name = key.removeprefix("sum_")
            setattr(target, name, getattr(target, name) + (value or 0))


# --- scope ----------------------------------------------------------------------------
def pictured_rfas(crisis: Crisis) -> QuerySet[RFA]:
    """Requests ever circulated, whatever became of them since: the picture's scope.

    A request withdrawn or closed before circulation never has ``circulated_at``.
    """
    return RFA.objects.filter(in_picture(), crisis=crisis)


# What the picture shows of a line: narrow rows keep sorting a long crisis cheap.
LINE_COLUMNS = (
    *(f.name for f in RequestLine._meta.concrete_fields),
    "rfa__reference",
    "rfa__status",
    "rfa__circulated_at",
    "rfa__requester__code",
    "rfa__requester__name_en",
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


# --- request lines --------------------------------------------------------------------
@dataclass(frozen=True)
class LineKey:
    rfa: int
    nation: int
    item: int
    crisis: int = 0


def _accepted_of_line() -> Coalesce:
    sub = (
        OfferLine.objects.filter(request_line=OuterRef("pk"))
        .order_by()
        .values("request_line")
        .annotate(total=OFFER_SUMS["sum_accepted"])
        .values("total")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def outstanding_of(accepted: Any) -> Case:
    """A line's outstanding units (nothing once its request is closed), given the
    expression of its accepted units."""
    return Case(
        When(rfa__status=RFA.Status.CLOSED, then=Value(0)),
        default=Greatest(F("quantity") - accepted, Value(0)),
        output_field=IntegerField(),
    )


def over_accepted_of(accepted: Any) -> Greatest:
    """A line's units accepted beyond what it asked for."""
    return Greatest(accepted - F("quantity"), Value(0))


def with_outstanding(lines: QuerySet[RequestLine]) -> QuerySet[RequestLine]:
    """``lines`` annotated with ``line_accepted``, ``outstanding`` and ``over_accepted``.

    The definitions of a line's outstanding (nothing once its request is closed) and
    over-accepted units, as SQL so that pages may filter and sort on them.
    """
    return lines.annotate(line_accepted=_accepted_of_line()).annotate(
        outstanding=outstanding_of(F("line_accepted")),
        over_accepted=over_accepted_of(F("line_accepted")),
    )


# A line's own figures, summed over any grouping of request lines: what ``per_line``
# reads line by line, so that a crisis's totals are added up in the database.
def line_sums() -> dict[str, Any]:
    accepted = _accepted_of_line()
    return {
        "sum_lines": Count("pk"),
        "sum_open_lines": Count("pk", filter=~Q(rfa__status=RFA.Status.CLOSED)),
        "sum_requested": Sum("quantity", default=0),
        "sum_outstanding": Sum(outstanding_of(accepted), default=0),
        "sum_over_accepted": Sum(over_accepted_of(accepted), default=0),
    }


_LINE_VALUES = (
    "pk",
    "quantity",
    "rfa_id",
    "rfa__status",
    "rfa__requester_id",
    "rfa__crisis_id",
    "item_id",
    "outstanding",
    "over_accepted",
)


def per_line_queries(lines: QuerySet[RequestLine]) -> tuple[QuerySet[Any], ...]:
    """The three queries of ``per_line`` (the line's own figures, its offers' sums, its
    dispatches' sums), for a caller that runs them itself (``maintained`` reuses their
    compiled SQL on every write)."""
    ids = lines.order_by().values("pk")
    return (
        with_outstanding(lines).order_by().values(*_LINE_VALUES),
        OfferLine.objects.filter(request_line__in=ids)
        .values("request_line_id")
        .annotate(**OFFER_SUMS)
        .order_by(),
        Dispatch.objects.filter(offer_line__request_line__in=ids)
        .values("offer_line__request_line_id")
        .annotate(**MOVEMENT_SUMS)
        .order_by(),
    )


def per_line(lines: QuerySet[RequestLine]) -> tuple[dict[int, Figures], dict[int, LineKey]]:
    """Figures of every line of ``lines``, in three queries for any number of lines."""
    own, offered, moved = per_line_queries(lines)
    return assemble_lines(own, lambda: (offered, moved))


def assemble_lines(
    own: Iterable[Mapping[str, Any]],
    answers: Any,  # () -> (offered rows, moved rows), run only if there are lines
) -> tuple[dict[int, Figures], dict[int, LineKey]]:
    """Each line's ``Figures`` from the rows of ``per_line_queries``."""
    figures: dict[int, Figures] = {}
    keys: dict[int, LineKey] = {}
    for row in own:
        figures[row["pk"]] = Figures(
            lines=1,
            open_lines=0 if row["rfa__status"] == RFA.Status.CLOSED else 1,
            requested=row["quantity"],
            outstanding=row["outstanding"],
            over_accepted=row["over_accepted"],
        )
        keys[row["pk"]] = LineKey(
            row["rfa_id"], row["rfa__requester_id"], row["item_id"], row["rfa__crisis_id"]
        )
    if not figures:
        return figures, keys
    offered, moved = answers()
    for o in offered:
        fill(figures[o["request_line_id"]], o)
    for m in moved:
        fill(figures[m["offer_line__request_line_id"]], m)
    return figures, keys


def line_figures(lines: Iterable[RequestLine] | QuerySet[RequestLine]) -> dict[int, Figures]:
    """Figures of each request line, keyed by its id (three queries for any number).

    Given the lines themselves (not a queryset), the queries are compiled once per
    number of lines (``compiled``): an acceptance, a dispatch, a request's page ask
    for a few lines, and building the queries cost them more than running them."""
    if isinstance(lines, QuerySet):
        return per_line(lines)[0]
    ids = [ln.pk for ln in lines]
    return assemble_lines(
        rows("lines", 0, _lines_queries, ids),
        lambda: (rows("lines", 1, _lines_queries, ids), rows("lines", 2, _lines_queries, ids)),
    )[0]


def _lines_queries(ids: list[int]) -> tuple[QuerySet[Any], ...]:
    return per_line_queries(RequestLine.objects.filter(pk__in=ids))


def total(figures: Iterable[Figures]) -> Figures:
    out = Figures()
    for f in figures:
        out.add(f)
    return out


def drawn_undecided(lines: QuerySet[RequestLine]) -> dict[int, int]:
    """Units drawn from standing stock for each line and not yet decided (proposed or
    awaiting decision): the planner must not propose them a second time."""
    rows = (
        OfferLine.objects.filter(request_line__in=lines.order_by().values("pk"))
        .filter(drawn_from__isnull=False, status__in=(Status.PROPOSED, Status.OPEN))
        .values("request_line_id")
        .annotate(total=_sum(F("quantity") - F("accepted") - F("declined")))
        .order_by()
    )
    return {row["request_line_id"]: row["total"] for row in rows}


# --- standing stock -------------------------------------------------------------------
def standing_stock(standing: QuerySet[OfferLine]) -> dict[int, Stock]:
    """Pledged and drawn units of each standing line of ``standing`` (two queries)."""
    drawn = {
        row["drawn_from_id"]: row["sum_drawn"]
        for row in OfferLine.objects.filter(drawn_from__in=standing.order_by().values("pk"))
        .filter(NOT_WITHDRAWN)
        .values("drawn_from_id")
        .annotate(sum_drawn=DRAWN)
        .order_by()
    }
    return {
        pk: Stock(pledged=quantity - declined, drawn=drawn.get(pk, 0))
        for pk, quantity, declined in standing.values_list("pk", "quantity", "declined")
    }


# --- offer lines ----------------------------------------------------------------------
def _movement_of(name: str) -> Coalesce:
    sub = (
        Dispatch.objects.filter(offer_line=OuterRef("pk"))
        .order_by()
        .values("offer_line")
        .annotate(total=MOVEMENT_SUMS[f"sum_{name}"])
        .values("total")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def with_movement(lines: QuerySet[OfferLine]) -> QuerySet[OfferLine]:
    """``lines`` annotated with ``offered``, ``awaiting``, ``dispatched``, ``delivered``,
    ``in_transit``, ``short_on_arrival`` and ``left_to_dispatch`` (one query for any
    number of lines)."""
    return lines.annotate(
        offered=OFFER_TERMS["offered"],
        awaiting=OFFER_TERMS["awaiting"],
        **{name: _movement_of(name) for name in MOVED},
    ).annotate(
        # Accepted and not yet dispatched: the one rule for "left to dispatch".
        left_to_dispatch=Greatest(F("accepted") - F("dispatched"), Value(0))
    )


@dataclass(frozen=True)
class Movement:
    """One offer line's ``with_movement`` figures (``movement_of``, ``moved``)."""

    pk: int
    accepted: int
    offered: int
    awaiting: int
    dispatched: int
    delivered: int
    in_transit: int
    short_on_arrival: int
    left_to_dispatch: int


def movement_of(line_pk: int) -> Movement:
    """Offer line ``line_pk``'s movement figures by ``with_movement``, its query compiled
    once (``compiled``): every dispatch checks its line's, and building the annotated
    query cost it more than running it."""
    (row,) = rows("movement", 0, _movement_queries, [line_pk])
    return Movement(**row)


def _movement_queries(ids: list[int]) -> tuple[QuerySet[Any], ...]:
    names = [f.name for f in fields(Movement)]
    return (with_movement(OfferLine.objects.filter(pk__in=ids)).values(*names),)


def moved(line: OfferLine) -> Movement:
    """``line``'s movement figures; ``line`` must come from ``with_movement``."""
    if not hasattr(line, "left_to_dispatch"):
        raise TypeError(f"offer line {line.pk} was not read through with_movement")
    return Movement(**{f.name: getattr(line, f.name) for f in fields(Movement)})
