"""The demo's clock: the 2020 story is replayed with each step at its 2020 time.

The project reads the time in one place, Django's ``timezone.now`` (the audit trail,
``auto_now_add`` columns, references, sitrep date-time groups, the event-date checks of
dispatches and receipts). While the demo loads, :func:`replay_clock` puts a settable
clock there; each step of the story sets it to when the step happened, so the audit
trail, the requests' circulation and the acceptances read March 2020, in the order the
story happened. The real clock is back as soon as the load ends (or fails).

Demo only: the load runs before the server starts, in one thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone


class Clock:
    """What ``timezone.now`` answers during the replay: the moment set, or the real
    time while none is set."""

    def __init__(self, real: Callable[[], datetime]):
        self._real = real
        self.moment: datetime | None = None

    def set(self, moment: datetime) -> None:
        if timezone.is_naive(moment):
            raise ValueError(f"the replay clock needs an aware time, not {moment}")
        self.moment = moment

    def now(self) -> datetime:
        return self.moment if self.moment is not None else self._real()


@contextmanager
def replay_clock() -> Iterator[Clock]:
    """Within the block, ``timezone.now()`` answers the clock's moment."""
    real = timezone.now
    clock = Clock(real)
    timezone.now = clock.now
    try:
        yield clock
    finally:
        timezone.now = real
