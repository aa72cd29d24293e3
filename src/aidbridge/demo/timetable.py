"""The demo's steps in the order they happened in 2020, each at its own time.

A story (a request, its offers, decisions, dispatches and receipts) is scheduled as
steps; the steps of every story are then played in time order, the clock set to each
step's time (``demo.clock``), so the audit trail interleaves the stories as they
happened and each sitrep sees what had happened by its date.

Where the scenario gives no time, one follows from the story (``Times``): a request is
drafted an hour before it is sent and circulated three hours after; an offer is made
the day before its goods are available (never before the request circulated); its lines
are decided a day later, or an hour before their first dispatch; a closure or a
withdrawal comes a day after the last event of its request.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from aidbridge.demo import scenario as sc
from aidbridge.demo.clock import Clock

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(order=True)
class Step:
    when: datetime
    order: int
    act: Callable[[], object] = field(compare=False)


class Timetable:
    """Steps to play, earliest first (in scheduling order for the same time)."""

    def __init__(self) -> None:
        self._steps: list[Step] = []
        self._count = 0

    def add(self, when: datetime, act: Callable[[], object]) -> None:
        self._count += 1
        heapq.heappush(self._steps, Step(when, self._count, act))

    def play_until(self, clock: Clock, until: datetime | None = None) -> None:
        """Play every step up to ``until`` (all of them without it), each at its time."""
        while self._steps and (until is None or self._steps[0].when <= until):
            step = heapq.heappop(self._steps)
            clock.set(step.when)
            step.act()


def _morning_before(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC) - DAY


@dataclass(frozen=True)
class OfferTimes:
    made: datetime
    decided: datetime


@dataclass(frozen=True)
class Times:
    """When each step of one request's story happens."""

    drafted: datetime
    sent: datetime
    circulated: datetime
    offers: tuple[OfferTimes, ...]
    ended: datetime

    @classmethod
    def of(cls, spec: sc.Rfa) -> Times:
        if spec.sent is None:
            raise ValueError(f"the demo request {spec.title!r} says not when it was sent")
        circulated = spec.sent + 3 * HOUR
        offers, last = [], circulated
        for offer in spec.offers:
            made = offer.made or (
                max(_morning_before(offer.available_from), circulated + HOUR)
                if offer.available_from
                else circulated + DAY
            )
            decided = made + DAY
            dispatched = [d.at for ol in offer.lines for d in ol.dispatches]
            if dispatched:
                decided = min(decided, min(dispatched) - HOUR)
            if not made > circulated or not decided > made:
                raise ValueError(
                    f"{spec.title!r}: {offer.donor}'s offer ({made}) must follow the "
                    f"circulation ({circulated}) and precede its decisions ({decided})"
                )
            received = [d.receipt.at for ol in offer.lines for d in ol.dispatches if d.receipt]
            last = max([last, decided, *dispatched, *received])
            offers.append(OfferTimes(made, decided))
        return cls(
            drafted=spec.sent - HOUR,
            sent=spec.sent,
            circulated=circulated,
            offers=tuple(offers),
            ended=spec.ended or last + DAY,
        )
