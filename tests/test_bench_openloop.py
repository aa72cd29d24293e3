"""bench/load.py's open loop: its schedule and its latency accounting (not its timings)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import itertools

from _openloop import Sent, schedule, summary


def test_even_arrivals_are_the_rate_spread_over_the_clients() -> None:
    plan = schedule(rate=100, clients=32, seconds=2, seed=1, arrivals="even")
    assert len(plan) == 32
    merged = sorted(t for times in plan for t in times)
    assert len(merged) == 200
    gaps = {round(b - a, 9) for a, b in itertools.pairwise(merged)}
    assert gaps == {0.01}
    # Each client's own requests are clients/rate apart.
    assert plan[5][:2] == pytest.approx([0.05, 0.37])


def test_poisson_arrivals_are_seeded_ascending_and_within_the_cell() -> None:
    plan = schedule(rate=150, clients=32, seconds=20, seed=15)
    assert plan == schedule(rate=150, clients=32, seconds=20, seed=15)
    assert plan != schedule(rate=150, clients=32, seconds=20, seed=16)
    for times in plan:
        assert times == sorted(times) and all(0 < t < 20 for t in times)
    # 3,000 due on average: a Poisson count within four standard deviations (±219).
    assert 2780 < sum(len(times) for times in plan) < 3220
    with pytest.raises(ValueError):
        schedule(rate=1, clients=1, seconds=1, seed=1, arrivals="burst")


def test_latency_counts_from_the_due_time_not_the_send() -> None:
    # The second request fell due while the first was still waiting: sent 0.4 s late,
    # answered 0.1 s after sending, it took 0.5 s for the person who asked.
    sent = [
        Sent(due=0.0, sent=0.0, answered=0.5, ok=True),
        Sent(due=0.1, sent=0.5, answered=0.6, ok=True),
        Sent(due=0.2, sent=0.6, answered=0.7, ok=False),
    ]
    result = summary(sent, seconds=1)
    assert result["requests"] == 3 and result["errors"] == 1
    assert result["p50"] == pytest.approx(500) and result["p99"] == pytest.approx(500)
    assert result["lag_p95"] == pytest.approx(400)
    assert result["rps"] == pytest.approx(2) and result["due_rps"] == pytest.approx(3)
    # A backlog answered past the cell's end stretches the span the rate is taken over.
    late = summary([*sent, Sent(due=0.9, sent=0.9, answered=4.0, ok=True)], seconds=1)
    assert late["rps"] == pytest.approx(3 / 4)
