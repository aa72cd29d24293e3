"""The crisis fingerprint (``readings.fingerprint``), written as one SQL statement, is
the cells' sums as the ORM adds them up, and moves with each change of a figure."""

from __future__ import annotations

from typing import Any

from django.db import models

from aidbridge.crises.models import Crisis
from aidbridge.ledger.maintained import DONOR_NAMES, LINE_NAMES
from aidbridge.ledger.models import CellFigures, DonorCellFigures
from aidbridge.ledger.readings import fingerprint
from aidbridge.offers.tests.factories import offer_against


def _by_the_orm(crisis: Crisis) -> str:
    lines = CellFigures.objects.filter(crisis=crisis).aggregate(
        *(models.Sum(n) for n in LINE_NAMES)
    )
    donors = DonorCellFigures.objects.filter(crisis=crisis).aggregate(
        *(models.Sum(n) for n in DONOR_NAMES)
    )
    stamp = f"{crisis.pk}:{crisis.created_at.timestamp()}:"
    return stamp + ",".join(str(v or 0) for v in [*lines.values(), *donors.values()])


def test_the_fingerprint_is_the_cells_sums_and_moves_with_each_figure(api, crisis, ita_rfa) -> None:
    seen = [fingerprint(crisis)]
    assert seen[-1] == _by_the_orm(crisis)
    line = offer_against(api("deu"), ita_rfa, 100)["lines"][0]
    seen.append(fingerprint(crisis))
    assert api("ita").post(f"/offer-lines/{line['id']}/accept", {"quantity": 60}).status_code == 200
    seen.append(fingerprint(crisis))
    sent = api("deu").post(
        f"/offer-lines/{line['id']}/dispatches", {"quantity": 50, "mode": "airlift"}
    )
    assert sent.status_code == 201, sent.json()
    seen.append(fingerprint(crisis))
    assert seen[-1] == _by_the_orm(crisis)
    assert len(set(seen)) == len(seen)


def test_a_crisis_without_figures_has_a_fingerprint_of_zeros(crisis: Any) -> None:
    assert fingerprint(crisis) == _by_the_orm(crisis)
    assert fingerprint(crisis).endswith(",".join(["0"] * (len(LINE_NAMES) + len(DONOR_NAMES))))
