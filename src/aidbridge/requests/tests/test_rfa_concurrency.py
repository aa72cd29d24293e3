"""Real concurrent transactions on PostgreSQL: two duty officers circulating at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from aidbridge.core.errors import Conflict
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.services import circulate_request, create_rfa, submit_rfa

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real threads"
    ),
    pytest.mark.django_db(transaction=True),
]


def _race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same instant; results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the outcome is what the test inspects
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _submitted(users: dict[str, Any], crisis: Any, who: str) -> RequestForAssistance:
    rfa = create_rfa(
        users[who],
        crisis=crisis,
        title=f"Ventilators for {who}",
        lines=[{"item": "VENT-ICU", "quantity": 10, "delivery_airport": "LIRF"}],
    )
    return submit_rfa(users[who], rfa)


def test_the_same_request_circulated_twice_at_once_is_circulated_once(users, items, crisis):
    rfa = _submitted(users, crisis, "ita")
    outcomes = _race(
        lambda: circulate_request(users["duty"], rfa),
        lambda: circulate_request(users["head"], rfa),
    )
    done = [o for o in outcomes if isinstance(o, RequestForAssistance)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(done), len(refused)) == (1, 1), outcomes
    stored = RequestForAssistance.objects.get(pk=rfa.pk)
    assert stored.reference == done[0].reference


def test_requests_circulated_at_once_get_distinct_references(users, items, crisis) -> None:
    rfas = [_submitted(users, crisis, who) for who in ("ita", "esp", "cze", "tur")]
    officers = ["duty", "head", "duty", "head"]
    outcomes = _race(
        *[
            (lambda r=rfa, o=officer: circulate_request(users[o], r))
            for rfa, officer in zip(rfas, officers, strict=True)
        ]
    )
    assert all(isinstance(o, RequestForAssistance) for o in outcomes), outcomes
    references = sorted(o.reference for o in outcomes)
    assert len(set(references)) == 4
    assert [r[-4:] for r in references] == ["0001", "0002", "0003", "0004"]
