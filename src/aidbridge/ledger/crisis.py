"""A whole crisis at once: every level's figures in a constant number of queries.

The per-line figures come from ``sums`` and are rolled up to request, nation, item and
crisis; donors' figures are grouped in the database by donor and item with the same
expressions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, FloatField, Q, Sum

from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.ledger.figures import DonorFigures, Figures
from aidbridge.ledger.sums import (
    DRAWN,
    MOVEMENT_SUMS,
    NOT_WITHDRAWN,
    OFFER_SUMS,
    PLEDGED,
    LineKey,
    fill,
    per_line,
    pictured_rfas,
    total,
)
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestLine
from aidbridge.requests.selectors import in_picture


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


def crisis_figures(crisis: Crisis) -> CrisisFigures:
    """Every figure of ``crisis`` in ten queries, whatever its size."""
    lines, keys = per_line(RequestLine.objects.filter(rfa__in=pictured_rfas(crisis)))
    cells: dict[tuple[int, int], Figures] = defaultdict(Figures)
    for pk, f in lines.items():
        cells[(keys[pk].nation, keys[pk].item)].add(f)

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
    offers = (
        Offer.objects.filter(crisis=crisis)
        .filter(Q(rfa__isnull=True) | in_picture("rfa__"))
        .values("donor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for n in offers:
        donors[n["donor_id"]].offers = n["n"]
    party_ids = {k.nation for k in keys.values()} | set(donors)
    item_ids = {k.item for k in keys.values()} | {item for _d, item in donor_items}
    return CrisisFigures(
        lines=lines,
        keys=keys,
        nation_items=dict(cells),
        donor_items=dict(donor_items),
        donors=dict(donors),
        parties=Party.objects.in_bulk(party_ids),
        items=Item.objects.in_bulk(item_ids),
    )
