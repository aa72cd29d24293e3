"""Concurrent acceptances and dispatches on lines of one cell keep the maintained figures
equal to the definitions (PostgreSQL, real threads: each writer locks the line figures it
refreshes and increments the cells, so no delta is lost and none counted twice)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from aidbridge.core.tests.threads import in_threads, postgres_only
from aidbridge.ledger.readings import cell_figures, donor_offer_counts
from aidbridge.ledger.recompute import recompute
from aidbridge.offers.tests.factories import circulated_rfa

from .scenarios import accept, dispatch, offer

pytestmark = postgres_only


@pytest.mark.parametrize("step", ["accept", "dispatch"])
def test_concurrent_changes_of_one_cell_keep_it_exact(
    step: str, crisis, parties, users, items
) -> None:
    # Two lines of one request (one cell: Italy's ventilators) and two lines of another,
    # answered by four donors: four writers touch the same cell and two the same line.
    first = circulated_rfa(
        crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 100), (items["VENT-ICU"], 80)]
    )
    second = circulated_rfa(crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 50)])
    answers = [
        offer(users["deu"], first, 1, 40),
        offer(users["esp"], first, 1, 30),
        offer(users["cze"], first, 2, 60),
        offer(users["tur"], second, 1, 50),
    ]
    donors = ["deu", "esp", "cze", "tur"]
    jobs: list[Callable[[], Any]]
    if step == "dispatch":
        answers = [accept(users["ita"], line, line.quantity) for line in answers]
        jobs = [
            partial(dispatch, users[who], line, line.quantity - 5)
            for who, line in zip(donors, answers, strict=True)
        ]
    else:
        jobs = [partial(accept, users["ita"], line, line.quantity) for line in answers]
    for outcome in in_threads(*jobs):
        assert not isinstance(outcome, Exception), outcome
    assert recompute(crisis) == []
    cell = cell_figures(crisis)[(parties["ITA"].pk, items["VENT-ICU"].pk)]
    assert cell.accepted == 180
    assert cell.dispatched == (160 if step == "dispatch" else 0)


def test_concurrent_offers_of_one_donor_are_all_counted(crisis, parties, users, items) -> None:
    # Four offers of Germany at once: four writers increment one (crisis, donor) row.
    rfa = circulated_rfa(
        crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 100), (items["MASK-SURG"], 80)]
    )
    jobs = [partial(offer, users["deu"], rfa, 1 + i % 2, 10 + i) for i in range(4)]
    for outcome in in_threads(*jobs):
        assert not isinstance(outcome, Exception), outcome
    assert donor_offer_counts(crisis) == {parties["DEU"].pk: 4}
    assert recompute(crisis) == []
