"""Allocation-run actions per role and state are what the services accept and what
the run page offers: the centre starts runs and turns a finished proposal into offers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aidbridge.allocations import services
from aidbridge.allocations.actions import run_rules, start_refusal
from aidbridge.allocations.models import AllocationRun, ProposedLine
from aidbridge.core.tests.allowed import action_targets, calls, check_rules_against_services
from aidbridge.runs.tests.helpers import committed

ROLES = ["duty", "head", "ita", "deu", "airlift", "ocha"]


def _run(state: str, users: dict[str, Any], crisis: Any) -> AllocationRun:
    with committed():
        run = services.request_allocation(users["duty"], crisis)
    run.refresh_from_db()
    assert run.status == AllocationRun.Status.DONE
    if state == "failed":
        AllocationRun.objects.filter(pk=run.pk).update(status=AllocationRun.Status.FAILED)
    return AllocationRun.objects.get(pk=run.pk)


def test_starting_a_run_is_what_the_service_accepts(api, users, crisis, house) -> None:
    seen = {}
    for role in ROLES:
        rules = {"allocate": lambda user=users[role]: start_refusal(user, crisis)}
        requests: dict[str, tuple[str, str, Any]] = {
            "allocate": ("post", f"/crises/{crisis.code}/allocation-runs", {})
        }
        seen[role] = check_rules_against_services(rules, calls(api(role), requests))
    assert {role: actions for role, actions in seen.items() if actions} == {
        "duty": {"allocate"},
        "head": {"allocate"},
    }


@pytest.mark.parametrize("state", ["done", "failed"])
def test_run_actions_are_what_the_service_accepts(state, api, users, crisis, house) -> None:
    run = _run(state, users, crisis)
    chosen = [ProposedLine.objects.filter(run=run).values_list("pk", flat=True)[0]]
    seen = {}
    for role in ROLES:
        requests: dict[str, tuple[str, str, Any]] = {
            "propose": ("post", f"/allocation-runs/{run.pk}/offers", {"proposals": chosen}),
            "restart": ("post", f"/allocation-runs/{run.pk}/restart", {}),
            "cancel": ("post", f"/allocation-runs/{run.pk}/cancel", {}),
        }
        fresh = AllocationRun.objects.get(pk=run.pk)
        seen[role] = check_rules_against_services(
            run_rules(users[role], fresh), calls(api(role), requests)
        )
    mine = {"propose"} if state == "done" else {"restart"}
    expected = {"duty": mine, "head": mine}
    assert {role: actions for role, actions in seen.items() if actions} == expected


@pytest.mark.parametrize("state", ["done", "failed"])
def test_the_run_page_shows_exactly_the_allowed_actions(state, users, crisis, house) -> None:
    run = _run(state, users, crisis)
    start = f"/crises/{crisis.code}/allocation/"
    propose = {f"/allocation-runs/{run.pk}/offers/"} if state == "done" else set()
    restart = {f"/allocation-runs/{run.pk}/restart/"} if state == "failed" else set()
    for role in ROLES:
        client = Client()
        client.force_login(users[role])
        page = client.get(f"/allocation-runs/{run.pk}/")
        if role in ("duty", "head"):
            assert action_targets(page.text) == {start, *propose, *restart}, role
            assert ('name="proposal"' in page.text) == (state == "done")
        else:
            assert page.status_code == 403, role
