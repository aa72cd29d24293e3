"""Drafting or submitting a request while the centre closes the crisis (PostgreSQL).

The crisis row lock orders them: a request is drafted before the close, or refused.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aidbridge.core.errors import Conflict
from aidbridge.core.tests.threads import (
    assert_nothing_after,
    first_holds,
    in_threads,
    postgres_only,
)
from aidbridge.crises.models import Crisis
from aidbridge.crises.services import close_crisis, create_crisis
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.services import create_rfa, submit_rfa

pytestmark = postgres_only


def _crisis(users: dict[str, Any], n: int) -> Crisis:
    return create_crisis(
        users["duty"],
        code=f"flood-{n}",
        name_en=f"Floods {n}",
        name_fr=f"Inondations {n}",
        started_on=date(2024, 5, 1),
    )


def _draft(users: dict[str, Any], crisis: Crisis) -> Any:
    return lambda: create_rfa(
        users["ita"],
        crisis=crisis,
        title="Pumps",
        lines=[{"item": "VENT-ICU", "quantity": 5, "delivery_airport": "LIRF"}],
    )


def _close(users: dict[str, Any], crisis: Crisis) -> Any:
    return lambda: close_crisis(users["duty"], crisis, reason="Waters receded")


def _consistent(crisis: Crisis) -> None:
    crisis.refresh_from_db()
    if crisis.status == Crisis.Status.CLOSED:
        assert_nothing_after("crisis.close", crisis.pk, ["rfa.create", "rfa.submit"], crisis=crisis)
        assert not crisis.rfas.exclude(status__in=("draft", "closed")).exists()


def test_create_request_against_crisis_close(users, items) -> None:
    crisis = _crisis(users, 1)
    closed, refused = first_holds(_close(users, crisis), _draft(users, crisis))
    assert isinstance(closed, Crisis) and isinstance(refused, Conflict), refused
    assert not crisis.rfas.exists()
    _consistent(crisis)

    crisis = _crisis(users, 2)
    drafted, closed = first_holds(_draft(users, crisis), _close(users, crisis))
    # Drafted before the close (a draft does not hold the close up; it stays the nation's).
    assert isinstance(drafted, RequestForAssistance) and isinstance(closed, Crisis)
    _consistent(crisis)

    for n in range(3, 6):
        crisis = _crisis(users, n)
        outcomes = in_threads(_close(users, crisis), _draft(users, crisis))
        assert isinstance(outcomes[0], Crisis), outcomes[0]
        assert isinstance(outcomes[1], (RequestForAssistance, Conflict)), outcomes[1]
        _consistent(crisis)


def test_submit_against_crisis_close(users, items) -> None:
    """A submitted request holds the close up; the close never lets one in behind it."""
    crisis = _crisis(users, 1)
    draft = _draft(users, crisis)()
    submitted, refused = first_holds(lambda: submit_rfa(users["ita"], draft), _close(users, crisis))
    assert isinstance(submitted, RequestForAssistance)
    assert isinstance(refused, Conflict) and "still open" in refused.message
    crisis.refresh_from_db()
    assert crisis.status == "active"

    crisis = _crisis(users, 2)
    draft = _draft(users, crisis)()
    closed, refused = first_holds(_close(users, crisis), lambda: submit_rfa(users["ita"], draft))
    assert isinstance(closed, Crisis) and isinstance(refused, Conflict), refused
    assert RequestForAssistance.objects.get(pk=draft.pk).status == "draft"
    _consistent(crisis)
