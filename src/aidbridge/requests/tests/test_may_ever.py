"""``may_ever``: the role half of a request's allowed actions, which a page asks before
reading requests one by one. Never narrower than the rule itself: whenever any request
lets a user take an action, ``may_ever`` says the user's role may."""

from __future__ import annotations

from typing import Any

from aidbridge.requests import services
from aidbridge.requests.actions import available_actions, may_ever
from aidbridge.requests.models import RequestForAssistance


def _request(users: dict[str, Any], crisis: Any, nation: str, title: str) -> Any:
    return services.create_rfa(
        users[nation],
        crisis=crisis,
        title=title,
        lines=[{"item": "VENT-ICU", "quantity": 10, "delivery_airport": "LIRF"}],
    )


def test_may_ever_is_never_narrower_than_the_rule(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    _request(users, crisis, "ita", "A draft")
    submitted = services.submit_rfa(users["ita"], _request(users, crisis, "ita", "Submitted"))
    returned = services.submit_rfa(users["esp"], _request(users, crisis, "esp", "Returned"))
    services.return_rfa(users["duty"], returned, "say which hospital")
    services.circulate_request(
        users["duty"], services.submit_rfa(users["ita"], _request(users, crisis, "ita", "Out"))
    )
    assert submitted.status == RequestForAssistance.Status.SUBMITTED

    taken: dict[str, set[str]] = {who: set() for who in users}
    for rfa in RequestForAssistance.objects.filter(crisis=crisis):
        for who, user in users.items():
            taken[who] |= set(available_actions(user, rfa))
    for who, user in users.items():
        for action in taken[who] - {"edit"}:
            assert may_ever(user, action), (who, action)
    # Each action is taken by someone, and refused in advance to the others' roles.
    assert taken["duty"] >= {"circulate", "return", "close"}
    assert taken["ita"] >= {"submit", "withdraw"}
    for who in ("ita", "deu", "airlift", "ocha"):
        assert not may_ever(users[who], "circulate"), who
    for who in ("duty", "airlift", "ocha"):
        assert not may_ever(users[who], "submit"), who
