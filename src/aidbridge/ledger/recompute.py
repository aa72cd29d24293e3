"""The check that the maintained figures are the definitions: recompute from scratch.

Each maintained row is compared with its figures recomputed from the definitions, and
each cell with the crisis-wide grouping of the definitions themselves
(``crisis.nation_item_figures`` and ``crisis.donor_figures``): the decomposition into
rows cannot drift from the rule without this saying so. ``fix`` rewrites them all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from aidbridge.crises.models import Crisis
from aidbridge.ledger.crisis import count_offers, donor_figures, nation_item_figures
from aidbridge.ledger.figures import DonorFigures
from aidbridge.ledger.maintained import (
    DONOR,
    REQUEST,
    Cell,
    Fresh,
    Kind,
    offer_line_figures,
    request_line_figures,
)
from aidbridge.ledger.models import DonorOffers, OfferCount
from aidbridge.ledger.readings import donor_offer_counts
from aidbridge.ledger.sums import COUNTED_OFFER, pictured_rfas
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestLine


@dataclass
class Difference:
    what: str  # "request line 12", "donor cell 3/7"
    figure: str
    stored: int
    defined: int


def recompute(crisis: Crisis, *, fix: bool = False) -> list[Difference]:
    """Compare ``crisis``'s maintained figures with the definitions computed from
    scratch; with ``fix``, rewrite them to the definitions (in one transaction)."""
    lines = RequestLine.objects.filter(rfa__in=pictured_rfas(crisis)).values("pk")
    answers = OfferLine.objects.filter(
        Q(request_line__rfa__crisis=crisis) | Q(offer__crisis=crisis)
    ).values("pk")
    requests = _check(
        REQUEST,
        crisis,
        request_line_figures(lines),  # type: ignore[arg-type]
        {(crisis.pk, *k): asdict(f) for k, f in nation_item_figures(crisis).items()},
    )
    donors = _check(
        DONOR,
        crisis,
        offer_line_figures(answers),  # type: ignore[arg-type]
        {(crisis.pk, *k): asdict(f) for k, f in donor_figures(crisis)[0].items()},
    )
    counted = _check_offers(crisis)
    diffs = requests[0] + donors[0] + counted[0]
    if fix and diffs:
        with transaction.atomic():
            DonorOffers.objects.filter(crisis=crisis).delete()
            DonorOffers.objects.bulk_create(
                DonorOffers(crisis=crisis, donor_id=donor, offers=n)
                for donor, n in counted[1].items()
            )
            OfferCount.objects.filter(crisis=crisis).delete()
            OfferCount.objects.bulk_create(
                (
                    OfferCount(pk=pk, crisis=crisis, donor_id=donor, counted=True)
                    for pk, donor in counted[2].items()
                ),
                batch_size=1000,
            )
            for kind, (_diffs, fresh, cells) in ((REQUEST, requests), (DONOR, donors)):
                kind.row.objects.filter(crisis=crisis).delete()
                kind.cell.objects.filter(crisis=crisis).delete()
                kind.row.objects.bulk_create(
                    [kind.new_row(pk, *f) for pk, f in fresh.items()], batch_size=1000
                )
                kind.cell.objects.bulk_create(
                    kind.cell(
                        crisis_id=k[0],
                        item_id=k[2],
                        **{f"{kind.party}_id": k[1]},
                        **{n: v.get(n, 0) for n in kind.names},
                    )
                    for k, v in cells.items()
                )
    return diffs


def _check_offers(crisis: Crisis) -> tuple[list[Difference], dict[int, int], dict[int, int]]:
    """Each donor's maintained ``offers`` against the count of ``crisis.count_offers``,
    and each offer's ``OfferCount`` against ``COUNTED_OFFER``."""
    donors: dict[int, DonorFigures] = defaultdict(DonorFigures)
    count_offers(crisis, donors)
    defined = {donor: f.offers for donor, f in donors.items() if f.offers}
    stored = donor_offer_counts(crisis)
    diffs = [
        Difference(f"donor {donor}", "offers", stored.get(donor, 0), defined.get(donor, 0))
        for donor in sorted(set(stored) | set(defined))
        if stored.get(donor, 0) != defined.get(donor, 0)
    ]
    counted = dict(Offer.objects.filter(COUNTED_OFFER, crisis=crisis).values_list("pk", "donor_id"))
    rows = set(OfferCount.objects.filter(crisis=crisis, counted=True).values_list("pk", flat=True))
    for pk in sorted(rows ^ set(counted)):
        diffs.append(Difference(f"offer {pk}", "counted", int(pk in rows), int(pk in counted)))
    return diffs, defined, counted


def _check(
    kind: Kind, crisis: Crisis, fresh: Fresh, defined: dict[Cell, dict[str, Any]]
) -> tuple[list[Difference], Fresh, dict[Cell, dict[str, Any]]]:
    label = "request" if kind is REQUEST else "donor"
    diffs: list[Difference] = []
    stored = {row.pk: row for row in kind.row.objects.filter(crisis=crisis)}
    summed: dict[Cell, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pk in sorted(set(fresh) | set(stored)):
        row, new = stored.get(pk), fresh.get(pk)
        if new is not None:
            for name, value in new[1].items():
                summed[new[0]][name] += value
        what = f"{label} line {pk}"
        _compare(diffs, kind, what, kind.values(row) if row else {}, new[1] if new else {})
        if row is not None and new is not None and kind.key(row) != new[0]:
            diffs.append(Difference(what, "cell", 0, 1))
    cells = {kind.key(c): c for c in kind.cell.objects.filter(crisis=crisis)}
    for key in sorted(set(cells) | set(defined) | set(summed)):
        what = f"{label} cell {key[1]}/{key[2]}"
        cell = kind.values(cells[key]) if key in cells else {}
        rule = defined.get(key, {})
        _compare(diffs, kind, what, cell, rule)
        # The rows must add up to the rule too (else a fix would not hold).
        _compare(diffs, kind, what + " (rows)", dict(summed.get(key, {})), rule)
    return diffs, fresh, defined


def _compare(
    diffs: list[Difference], kind: Kind, what: str, stored: dict[str, Any], defined: dict[str, Any]
) -> None:
    for name in kind.names:
        s, d = stored.get(name, 0) or 0, defined.get(name, 0) or 0
        if s != d:
            diffs.append(Difference(what, name, s, d))
