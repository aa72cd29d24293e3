"""The exported tables: the consolidated picture, RFAs, offers and deliveries.

Each table shows what its reader may see and nothing else: the picture is of requests
in the picture; the RFA table of the requests the reader sees
(``requests.selectors.lines_visible_to``: their own nation's drafts too, never another's);
offers and deliveries follow ``offers.selectors``.

Each table is a list of (header, HXL hashtag, value-of-row) columns. Headers and tags
match the import columns where they mean the same thing, so an exported RFA or offer
file can be edited and imported again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from aidbridge.accounts.permissions import profile_of
from aidbridge.crises.models import Crisis
from aidbridge.interop.writers import write_table
from aidbridge.ledger.crisis import crisis_figures
from aidbridge.ledger.sums import pictured_lines
from aidbridge.logistics.models import Dispatch
from aidbridge.logistics.selectors import dispatches_visible_to
from aidbridge.offers.selectors import offer_lines_visible_to
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.selectors import lines_visible_to

RFA = RequestForAssistance
TABLES = ("picture", "rfas", "offers", "deliveries")


@dataclass(frozen=True)
class Col:
    header: str
    tag: str
    get: Callable[[Any], Any]


def _item_cols(get_item: Callable[[Any], Any]) -> list[Col]:
    return [
        Col("item_code", "#item+code", lambda r: get_item(r).code),
        Col("item_name", "#item+name", lambda r: get_item(r).name_en),
        Col("item_name_fr", "#item+i_fr+name", lambda r: get_item(r).name_fr),
    ]


def _figure(name: str) -> Callable[[Any], Any]:
    return lambda row: getattr(row[1], name)


def picture_table(actor: Any, crisis: Crisis) -> tuple[list[Col], Iterator[Any]]:
    """One row per request line in the picture with the ledger's figures."""
    profile_of(actor)
    lines = list(pictured_lines(crisis))
    figures = crisis_figures(crisis).lines
    cols = [
        Col("reference", "#meta+rfa", lambda r: r[0].rfa.reference),
        Col("requester", "#country+code", lambda r: r[0].rfa.requester.code),
        Col("requester_name", "#country+name", lambda r: r[0].rfa.requester.name_en),
        Col("status", "#status", lambda r: r[0].rfa.status),
        Col("line", "#meta+line", lambda r: r[0].position),
        *_item_cols(lambda r: r[0].item),
        Col("unit", "#item+unit", lambda r: r[0].unit),
        Col("priority", "#meta+priority", lambda r: r[0].priority),
        Col("needed_by", "#date+needed", lambda r: r[0].needed_by),
        *(
            Col(name, f"#item+num+{name}", _figure(name))
            for name in ("requested", "offered", "accepted", "dispatched", "delivered")
        ),
        Col("outstanding", "#item+num+outstanding", lambda r: r[1].outstanding),
        Col("coverage", "#indicator+coverage+pct", lambda r: r[1].coverage),
    ]
    return cols, ((line, figures[line.pk]) for line in lines)


def rfas_table(
    actor: Any, crisis: Crisis | None, rfas: QuerySet[Any] | None = None
) -> tuple[list[Col], Iterator[Any]]:
    """Request lines in the needs import format, with their RFA's reference and status;
    only the lines of ``rfas`` when given (a page's filtered list, which may span
    crises)."""
    lines = lines_visible_to(actor)
    if crisis is not None:
        lines = lines.filter(rfa__crisis=crisis)
    if rfas is not None:
        lines = lines.filter(rfa__in=rfas.order_by().values("pk"))
    lines = lines.select_related("rfa__requester", "item").order_by("rfa_id", "position")
    cols = [
        Col("reference", "#meta+rfa", lambda ln: ln.rfa.reference or ""),
        Col("request", "#meta+request", lambda ln: ln.rfa.title),
        Col("requester", "#country+code", lambda ln: ln.rfa.requester.code),
        Col("status", "#status", lambda ln: ln.rfa.status),
        Col("created_at", "#date+created", lambda ln: ln.rfa.created_at),
        Col("line", "#meta+line", lambda ln: ln.position),
        *_item_cols(lambda ln: ln.item),
        Col("quantity", "#item+num+requested", lambda ln: ln.quantity),
        Col("unit", "#item+unit", lambda ln: ln.unit),
        Col("specification", "#item+spec", lambda ln: ln.specification),
        Col("priority", "#meta+priority", lambda ln: ln.priority),
        Col("needed_by", "#date+needed", lambda ln: ln.needed_by),
        Col("delivery_airport", "#loc+code+icao", lambda ln: ln.delivery_airport),
        Col("delivery_place", "#loc+name", lambda ln: ln.delivery_place),
        Col("delivery_lat", "#geo+lat", lambda ln: ln.delivery_lat),
        Col("delivery_lon", "#geo+lon", lambda ln: ln.delivery_lon),
        Col("transport_needed", "#meta+transport", lambda ln: ln.transport_needed),
    ]
    return cols, lines.iterator(chunk_size=2000)


def offers_table(
    actor: Any, crisis: Crisis | None, offers: QuerySet[Any] | None = None
) -> tuple[list[Col], Iterator[Any]]:
    """Offer lines in the offers import format, with donor, decision and status; only
    those of ``offers`` when given (a page's filtered list, which may span crises)."""
    lines = offer_lines_visible_to(actor)
    if crisis is not None:
        lines = lines.filter(offer__crisis=crisis)
    if offers is not None:
        lines = lines.filter(offer__in=offers.values("pk"))
    lines = lines.select_related(
        "offer__donor", "offer__rfa__requester", "request_line", "item"
    ).order_by("offer_id", "id")
    cols = [
        Col("offer", "#meta+offer", lambda ol: ol.offer.reference),
        Col("donor", "#org+code", lambda ol: ol.offer.donor.code),
        Col("donor_name", "#org+name", lambda ol: ol.offer.donor.name_en),
        Col("rfa", "#meta+rfa", lambda ol: ol.offer.rfa.reference if ol.offer.rfa else ""),
        Col(
            "requester",
            "#country+code",
            lambda ol: ol.offer.rfa.requester.code if ol.offer.rfa else "",
        ),
        Col("line", "#meta+line", lambda ol: ol.request_line.position if ol.request_line else None),
        *_item_cols(lambda ol: ol.item),
        Col("quantity", "#item+num+offered", lambda ol: ol.quantity),
        Col("accepted", "#item+num+accepted", lambda ol: ol.accepted),
        Col("declined", "#item+num+declined", lambda ol: ol.declined),
        Col("status", "#status", lambda ol: ol.status),
        Col("available_from", "#date+available", lambda ol: ol.offer.available_from),
        Col("notes", "#meta+notes", lambda ol: ol.notes),
    ]
    return cols, lines.iterator(chunk_size=2000)


def deliveries_table(
    actor: Any, crisis: Crisis | None, dispatches: QuerySet[Any] | None = None
) -> tuple[list[Col], Iterator[Any]]:
    """Dispatches and what was received of each; only ``dispatches`` when given."""
    moves = dispatches_visible_to(actor)
    if crisis is not None:
        moves = moves.filter(offer_line__offer__crisis=crisis)
    if dispatches is not None:
        moves = moves.filter(pk__in=dispatches.values("pk"))
    moves = moves.select_related(
        "offer_line__offer__donor",
        "offer_line__offer__rfa__requester",
        "offer_line__item",
        "receipt",
    ).order_by("dispatched_at", "id")

    def receipt(d: Dispatch) -> Any:
        return getattr(d, "receipt", None)

    cols = [
        Col("offer", "#meta+offer", lambda d: d.offer_line.offer.reference),
        Col("donor", "#org+code", lambda d: d.offer_line.offer.donor.code),
        Col(
            "rfa",
            "#meta+rfa",
            lambda d: d.offer_line.offer.rfa.reference if d.offer_line.offer.rfa else "",
        ),
        Col(
            "requester",
            "#country+code",
            lambda d: d.offer_line.offer.rfa.requester.code if d.offer_line.offer.rfa else "",
        ),
        *_item_cols(lambda d: d.offer_line.item),
        Col("dispatched", "#item+num+dispatched", lambda d: d.quantity),
        Col(
            "delivered",
            "#item+num+delivered",
            lambda d: receipt(d).quantity if receipt(d) else None,
        ),
        Col("mode", "#meta+mode", lambda d: d.mode),
        Col("transport_reference", "#meta+transport+ref", lambda d: d.transport_reference),
        Col("carrier", "#org+carrier", lambda d: d.carrier),
        Col("expected_at", "#date+expected", lambda d: d.expected_at),
        Col("dispatched_at", "#date+dispatched", lambda d: d.dispatched_at),
        Col(
            "received_at",
            "#date+received",
            lambda d: receipt(d).received_at if receipt(d) else None,
        ),
        Col("status", "#status", lambda d: "received" if receipt(d) else "in_transit"),
        Col(
            "note",
            "#meta+notes",
            lambda d: "; ".join(x for x in (d.note, receipt(d).note if receipt(d) else "") if x),
        ),
    ]
    return cols, moves.iterator(chunk_size=2000)


BUILDERS = {
    "picture": picture_table,
    "rfas": rfas_table,
    "offers": offers_table,
    "deliveries": deliveries_table,
}


def export(actor: Any, crisis: Crisis, table: str, fmt: str) -> bytes:
    """The ``table`` of ``crisis`` as ``fmt`` (csv, hxl or xlsx)."""
    cols, rows = BUILDERS[table](actor, crisis)
    return write_columns(fmt, cols, rows, table)


def write_columns(fmt: str, cols: list[Col], rows: Iterable[Any], sheet: str) -> bytes:
    """Rows written through their columns as ``fmt`` (csv, hxl or xlsx)."""
    return write_table(
        fmt,
        [c.header for c in cols],
        [c.tag for c in cols],
        ([c.get(r) for c in cols] for r in rows),
        sheet=sheet,
    )
