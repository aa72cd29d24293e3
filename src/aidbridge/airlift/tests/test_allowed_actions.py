"""Airlift actions per role and state are what the services accept and what the plan
page offers: the centre and the coordinator plan and track sorties; the centre approves."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aidbridge.airlift import services
from aidbridge.airlift.actions import plan_refusal, plan_run_rules, sortie_rules
from aidbridge.airlift.models import AirliftPlanRun, Sortie
from aidbridge.core.tests.allowed import action_targets, calls, check_rules_against_services
from aidbridge.runs.tests.helpers import committed

ROLES = ["duty", "head", "airlift", "ita", "tur", "ocha"]
STAFF = {"duty", "head", "airlift"}


def _plan(users: dict[str, Any], crisis: Any) -> AirliftPlanRun:
    with committed():
        run = services.request_airlift_plan(users["airlift"], crisis, time_limit_s=1)
    run.refresh_from_db()
    assert run.status == AirliftPlanRun.Status.DONE
    return run


def _sortie(state: str, users: dict[str, Any], crisis: Any) -> Sortie:
    (flight,) = services.approve_airlift_plan(users["duty"], _plan(users, crisis))
    if state in ("departed", "arrived"):
        flight = services.depart(users["airlift"], flight)
    if state == "arrived":
        flight = services.arrive(users["airlift"], flight)
    return flight


def _only(seen: dict[str, set[str]]) -> dict[str, set[str]]:
    return {role: actions for role, actions in seen.items() if actions}


def test_planning_is_what_the_service_accepts(api, users, crisis, airlift_state, c17) -> None:
    seen = {}
    for role in ROLES:
        rules = {"plan": lambda user=users[role]: plan_refusal(user, crisis)}
        requests: dict[str, tuple[str, str, Any]] = {
            "plan": ("post", f"/crises/{crisis.code}/airlift-plans", {"time_limit_s": 1})
        }
        seen[role] = check_rules_against_services(rules, calls(api(role), requests))
    assert _only(seen) == {role: {"plan"} for role in STAFF}


@pytest.mark.parametrize("approved", [False, True])
def test_approval_is_what_the_service_accepts(
    approved, api, users, crisis, airlift_state, c17
) -> None:
    run = _plan(users, crisis)
    if approved:
        services.approve_airlift_plan(users["duty"], run)
    seen = {}
    for role in ROLES:
        fresh = AirliftPlanRun.objects.get(pk=run.pk)
        requests: dict[str, tuple[str, str, Any]] = {
            "approve": ("post", f"/airlift-plans/{run.pk}/approve", {}),
            "restart": ("post", f"/airlift-plans/{run.pk}/restart", {}),
            "cancel": ("post", f"/airlift-plans/{run.pk}/cancel", {}),
        }
        seen[role] = check_rules_against_services(
            plan_run_rules(users[role], fresh), calls(api(role), requests)
        )
    assert _only(seen) == ({} if approved else {"duty": {"approve"}, "head": {"approve"}})


@pytest.mark.parametrize("state", ["planned", "departed", "arrived"])
def test_sortie_actions_are_what_the_service_accepts(
    state, api, users, crisis, airlift_state, c17
) -> None:
    flight = _sortie(state, users, crisis)
    seen = {}
    for role in ROLES:
        fresh = Sortie.objects.get(pk=flight.pk)
        requests: dict[str, tuple[str, str, Any]] = {
            "depart": ("post", f"/sorties/{flight.pk}/depart", {}),
            "arrive": ("post", f"/sorties/{flight.pk}/arrive", {}),
        }
        seen[role] = check_rules_against_services(
            sortie_rules(users[role], fresh), calls(api(role), requests)
        )
    expected = {"planned": {"depart"}, "departed": {"arrive"}, "arrived": set()}[state]
    assert _only(seen) == ({role: expected for role in STAFF} if expected else {})


def test_the_plan_page_shows_exactly_the_allowed_actions(users, crisis, airlift_state, c17) -> None:
    page_url = f"/crises/{crisis.code}/airlift/"
    start = f"/crises/{crisis.code}/airlift/plan/"

    def targets(role: str, query: str = "") -> set[str]:
        client = Client()
        client.force_login(users[role])
        return action_targets(client.get(page_url + query).text)

    run = _plan(users, crisis)
    approve = f"/airlift/plans/{run.pk}/approve/"
    expected = {
        "duty": {start, approve},
        "head": {start, approve},
        "airlift": {start},  # the coordinator plans but does not approve
    }
    for role in ROLES:
        assert targets(role) == expected.get(role, set()), role
    (flight,) = services.approve_airlift_plan(users["duty"], run)
    for role in ROLES:
        shown = targets(role, f"?plan={run.pk}") - {start}
        assert shown == ({f"/airlift/sorties/{flight.pk}/depart/"} if role in STAFF else set())
    services.depart(users["airlift"], flight)
    for role in ROLES:
        shown = targets(role, f"?plan={run.pk}") - {start}
        assert shown == ({f"/airlift/sorties/{flight.pk}/arrive/"} if role in STAFF else set())
