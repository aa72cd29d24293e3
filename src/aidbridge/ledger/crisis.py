"""A whole crisis at once: every level's figures in a constant number of queries.

The per-line figures come from ``sums`` and are rolled up to request, nation, item and
crisis; donors' figures are grouped in the database by donor and item with the same
expressions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, FloatField, Sum

from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.ledger.figures import DonorFigures, Figures
from aidbridge.ledger.readings import cell_figures, donor_cell_figures, donor_offer_counts
from aidbridge.ledger.sums import (
    COUNTED_OFFER,
    DRAWN,
    MOVEMENT_SUMS,
    NOT_WITHDRAWN,
    OFFER_SUMS,
    PLEDGED,
    LineKey,
    fill,
    line_sums,
    per_line,
    pictured_rfas,
    total,
)
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestLine, in_picture


def accepted_flows(crisis: Crisis) -> list[dict[str, Any]]:
    """Tonnes accepted from each donor to each requesting nation, and how many offer
    lines carry them, sorted by donor and nation codes (one query)."""
    rows = (
        OfferLine.objects.filter(
            in_picture("request_line__rfa__"),
            request_line__rfa__crisis=crisis,
            accepted__gt=0,
        )
        .values("offer__donor__code", "request_line__rfa__requester__code")
        .annotate(
            kg=Sum(F("accepted") * F("item__unit_weight_kg"), output_field=FloatField()),
            lines=Count("pk"),
        )
        .order_by("offer__donor__code", "request_line__rfa__requester__code")
    )
    return [
        {
            "donor": row["offer__donor__code"],
            "nation": row["request_line__rfa__requester__code"],
            "tonnes": float(row["kg"] or 0) / 1000,
            "lines": row["lines"],
        }
        for row in rows
    ]


@dataclass
class CrisisFigures:
    """Every figure of a crisis, at every level, keyed by ids (names in ``parties`` and
    ``items``)."""

    lines: dict[int, Figures]
    keys: dict[int, LineKey]
    nation_items: dict[tuple[int, int], Figures]
    donor_items: dict[tuple[int, int], DonorFigures]
    donors: dict[int, DonorFigures]
    parties: dict[int, Party]
    items: dict[int, Item]

    @property
    def overall(self) -> Figures:
        return total(self.lines.values())

    def _roll(self, key: Any) -> dict[Any, Figures]:
        out: dict[Any, Figures] = defaultdict(Figures)
        for pk, f in self.lines.items():
            out[key(self.keys[pk])].add(f)
        return out

    @property
    def by_request(self) -> dict[int, Figures]:
        return self._roll(lambda k: k.rfa)

    @property
    def by_nation(self) -> list[tuple[Party, Figures]]:
        rolled = self._roll(lambda k: k.nation)
        return sorted(((self.parties[k], f) for k, f in rolled.items()), key=lambda p: p[0].code)

    @property
    def by_item(self) -> list[tuple[Item, Figures]]:
        rolled = self._roll(lambda k: k.item)
        return sorted(((self.items[k], f) for k, f in rolled.items()), key=lambda p: p[0].code)

    @property
    def by_donor(self) -> list[tuple[Party, DonorFigures]]:
        return sorted(
            ((self.parties[k], f) for k, f in self.donors.items()), key=lambda p: p[0].code
        )


@dataclass
class CrisisSummary:
    """A crisis's figures per requesting nation and item, and per donor: every total the
    picture and the dashboards show, without the lines themselves (see ``crisis_summary``).
    """

    nation_items: dict[tuple[int, int], Figures]
    donor_items: dict[tuple[int, int], DonorFigures]
    donors: dict[int, DonorFigures]
    parties: dict[int, Party]
    items: dict[int, Item]

    @property
    def overall(self) -> Figures:
        return total(self.nation_items.values())

    def _roll(self, side: int) -> dict[int, Figures]:
        out: dict[int, Figures] = defaultdict(Figures)
        for key, f in self.nation_items.items():
            out[key[side]].add(f)
        return out

    @property
    def by_nation(self) -> list[tuple[Party, Figures]]:
        rolled = self._roll(0)
        return sorted(((self.parties[k], f) for k, f in rolled.items()), key=lambda p: p[0].code)

    @property
    def by_item(self) -> list[tuple[Item, Figures]]:
        rolled = self._roll(1)
        return sorted(((self.items[k], f) for k, f in rolled.items()), key=lambda p: p[0].code)

    @property
    def by_donor(self) -> list[tuple[Party, DonorFigures]]:
        return sorted(
            ((self.parties[k], f) for k, f in self.donors.items()), key=lambda p: p[0].code
        )


def donor_figures(
    crisis: Crisis,
) -> tuple[dict[tuple[int, int], DonorFigures], dict[int, DonorFigures]]:
    """Donors' figures per donor and item, and per donor (five queries)."""
    donor_items: dict[tuple[int, int], DonorFigures] = defaultdict(DonorFigures)
    answers = OfferLine.objects.filter(
        in_picture("request_line__rfa__"), request_line__rfa__crisis=crisis
    )
    for row in answers.values("offer__donor_id", "item_id").annotate(**OFFER_SUMS).order_by():
        fill(donor_items[(row["offer__donor_id"], row["item_id"])], row)
    moved = (
        Dispatch.objects.filter(offer_line__in=answers)
        .values("offer_line__offer__donor_id", "offer_line__item_id")
        .annotate(**MOVEMENT_SUMS)
        .order_by()
    )
    for m in moved:
        fill(donor_items[(m["offer_line__offer__donor_id"], m["offer_line__item_id"])], m)
    standing = OfferLine.objects.filter(offer__crisis=crisis, request_line__isnull=True).filter(
        NOT_WITHDRAWN
    )
    for row in (
        standing.values("offer__donor_id", "item_id").annotate(sum_pledged=PLEDGED).order_by()
    ):
        fill(donor_items[(row["offer__donor_id"], row["item_id"])], row)
    drawn = (
        OfferLine.objects.filter(drawn_from__in=standing.order_by().values("pk"))
        .filter(NOT_WITHDRAWN)
        .values("drawn_from__offer__donor_id", "drawn_from__item_id")
        .annotate(sum_drawn=DRAWN)
        .order_by()
    )
    for d in drawn:
        fill(donor_items[(d["drawn_from__offer__donor_id"], d["drawn_from__item_id"])], d)
    donors: dict[int, DonorFigures] = defaultdict(DonorFigures)
    for (donor, _item), cell in donor_items.items():
        cell.available = cell.pledged - cell.drawn
        donors[donor].add(cell)
    count_offers(crisis, donors)
    return dict(donor_items), dict(donors)


def count_offers(crisis: Crisis, donors: dict[int, DonorFigures]) -> None:
    """Each donor's offers in the picture (or standing), one query."""
    offers = (
        Offer.objects.filter(crisis=crisis)
        .filter(COUNTED_OFFER)
        .values("donor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for n in offers:
        donors[n["donor_id"]].offers = n["n"]


def nation_item_figures(crisis: Crisis) -> dict[tuple[int, int], Figures]:
    """Figures per (requesting nation, item) of ``crisis``, added up in the database
    (three queries returning one row per cell, not per line).

    The same expressions as ``per_line`` (``sums``), grouped by the line's nation and
    item instead of by line: outstanding and over-accepted units are still taken line by
    line inside the sum, so a surplus on one line never hides a shortfall on another.
    """
    lines = RequestLine.objects.filter(rfa__in=pictured_rfas(crisis))
    cells: dict[tuple[int, int], Figures] = defaultdict(Figures)
    own = lines.values("rfa__requester_id", "item_id").annotate(**line_sums()).order_by()
    for row in own:
        fill(cells[(row["rfa__requester_id"], row["item_id"])], row)
    ids = lines.order_by().values("pk")
    nation, item = "request_line__rfa__requester_id", "request_line__item_id"
    offered = (
        OfferLine.objects.filter(request_line__in=ids)
        .values(nation, item)
        .annotate(**OFFER_SUMS)
        .order_by()
    )
    for o in offered:
        fill(cells[(o[nation], o[item])], o)
    moved = (
        Dispatch.objects.filter(offer_line__request_line__in=ids)
        .values(f"offer_line__{nation}", f"offer_line__{item}")
        .annotate(**MOVEMENT_SUMS)
        .order_by()
    )
    for m in moved:
        fill(cells[(m[f"offer_line__{nation}"], m[f"offer_line__{item}"])], m)
    return dict(cells)


def crisis_summary(crisis: Crisis) -> CrisisSummary:
    """Every total of ``crisis`` (overall, per nation, item and donor): what the picture
    and the dashboards need. The request side reads the maintained cells (``maintained``,
    a cache of ``nation_item_figures`` kept in each change's transaction), so its cost
    does not grow with the crisis."""
    cells = cell_figures(crisis)
    donor_items = donor_cell_figures(crisis)
    donors: dict[int, DonorFigures] = defaultdict(DonorFigures)
    for (donor, _item), cell in donor_items.items():
        donors[donor].add(cell)
    for donor, n in donor_offer_counts(crisis).items():
        donors[donor].offers = n
    party_ids = {nation for nation, _item in cells} | set(donors)
    item_ids = {item for _nation, item in cells} | {item for _d, item in donor_items}
    return CrisisSummary(
        nation_items=cells,
        donor_items=donor_items,
        donors=dict(donors),
        parties=Party.objects.in_bulk(party_ids),
        items=Item.objects.in_bulk(item_ids),
    )


def crisis_figures(crisis: Crisis) -> CrisisFigures:
    """Every figure of ``crisis``, down to each line, in ten queries whatever its size."""
    lines, keys = per_line(RequestLine.objects.filter(rfa__in=pictured_rfas(crisis)))
    cells: dict[tuple[int, int], Figures] = defaultdict(Figures)
    for pk, f in lines.items():
        cells[(keys[pk].nation, keys[pk].item)].add(f)
    donor_items, donors = donor_figures(crisis)
    party_ids = {k.nation for k in keys.values()} | set(donors)
    item_ids = {k.item for k in keys.values()} | {item for _d, item in donor_items}
    return CrisisFigures(
        lines=lines,
        keys=keys,
        nation_items=dict(cells),
        donor_items=donor_items,
        donors=donors,
        parties=Party.objects.in_bulk(party_ids),
        items=Item.objects.in_bulk(item_ids),
    )
