"""Coverage over time (``ledger.timeline``): at each day of a small story, the share of
requested units accepted and delivered is what the story says, and its last day is the
ledger's figures of today."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.ledger.sums import line_figures
from aidbridge.ledger.tests.timeline_story import EXPECTED, tell
from aidbridge.ledger.timeline import coverage_over_time, line_share
from aidbridge.requests.models import RequestLine

pytestmark = pytest.mark.django_db


def test_each_day_shows_the_shares_the_story_gives(
    crisis: Any, parties: Any, users: Any, items: Any
) -> None:
    tell(crisis, parties, users, items)
    points = coverage_over_time(crisis)
    assert [p.day for p in points] == sorted(EXPECTED)
    for p in points:
        lines, accepted, delivered = EXPECTED[p.day]
        assert p.lines == lines, p.day
        assert p.accepted == pytest.approx(accepted), p.day
        assert p.delivered == pytest.approx(delivered), p.day


def test_the_last_day_is_the_ledgers_figures_of_today(
    crisis: Any, parties: Any, users: Any, items: Any
) -> None:
    tell(crisis, parties, users, items)
    figures = line_figures(RequestLine.objects.filter(rfa__crisis=crisis)).values()
    last = coverage_over_time(crisis)[-1]
    assert last.accepted == pytest.approx(
        sum(line_share(f.accepted, f.requested) for f in figures) / len(figures)
    )
    assert last.delivered == pytest.approx(
        sum(line_share(f.delivered, f.requested) for f in figures) / len(figures)
    )


def test_a_crisis_without_circulated_requests_has_no_points(crisis: Any) -> None:
    assert coverage_over_time(crisis) == []


def test_the_replay_clock_gives_the_real_time_back(crisis: Any) -> None:
    from django.utils import timezone

    from aidbridge.demo.clock import replay_clock
    from aidbridge.ledger.tests.timeline_story import on

    real = timezone.now
    with pytest.raises(RuntimeError), replay_clock() as clock:
        clock.set(on(3, 10))
        assert timezone.now() == on(3, 10)
        raise RuntimeError("a failed step")
    assert timezone.now is real and timezone.now().year > 2020


def test_the_queries_do_not_grow_with_the_crisis(
    crisis: Any, parties: Any, users: Any, items: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aidbridge.ledger.tests.scenarios import accept, dispatch, offer, receive
    from aidbridge.offers.tests.factories import circulated_rfa

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            coverage_over_time(crisis)
        return len(seen)

    tell(crisis, parties, users, items)
    small = queries()
    for n in range(3):
        rfa = circulated_rfa(
            crisis, parties["CZE"], users["cze"], [(items["VENT-ICU"], 10)], title=f"More {n}"
        )
        line = accept(users["cze"], offer(users["deu"], rfa, 1, 10), 10)
        receive(users["cze"], dispatch(users["deu"], line, 10), 10)
    assert queries() == small
