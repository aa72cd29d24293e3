"""Real concurrent transactions on PostgreSQL: two duty officers circulating at once."""

from __future__ import annotations

from typing import Any

from aidbridge.core.errors import Conflict
from aidbridge.core.tests.threads import in_threads, postgres_only
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.services import circulate_request, create_rfa, submit_rfa

pytestmark = postgres_only


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
    outcomes = in_threads(
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
    outcomes = in_threads(
        *[
            (lambda r=rfa, o=officer: circulate_request(users[o], r))
            for rfa, officer in zip(rfas, officers, strict=True)
        ]
    )
    assert all(isinstance(o, RequestForAssistance) for o in outcomes), outcomes
    references = sorted(o.reference for o in outcomes)
    assert len(set(references)) == 4
    assert [r[-4:] for r in references] == ["0001", "0002", "0003", "0004"]
