"""The airlift's work on the dashboards: the centre approves a finished plan (the
coordinator is told who approves), then the airlift staff report the sorties."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aidbridge.airlift import services
from aidbridge.airlift.tests.test_allowed_actions import _plan


def _page(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user)
    return client.get(url).text


def test_plans_to_approve_and_sorties_to_report(users, crisis, airlift_state, c17) -> None:
    dashboard = f"/crises/{crisis.code}/"
    run = _plan(users, crisis)
    link = f'href="/crises/{crisis.code}/airlift/?plan={run.pk}"'
    for role in ("duty", "head"):
        page = _page(users[role], dashboard)
        assert "<h3>Airlift plans to approve</h3>" in page and link in page, role
    for role in ("airlift", "ita", "ocha"):
        assert "Airlift plans to approve" not in _page(users[role], dashboard), role
    plan_page = f"/crises/{crisis.code}/airlift/?plan={run.pk}"
    coordinator = _page(users["airlift"], plan_page)
    assert "This plan awaits approval by the centre" in coordinator
    assert "Approve the plan" not in coordinator
    assert "awaits approval" not in _page(users["duty"], plan_page)  # it approves

    (flight,) = services.approve_airlift_plan(users["duty"], run)
    assert "awaits approval" not in _page(users["airlift"], plan_page)
    for role in ("airlift", "duty"):
        page = _page(users[role], dashboard)
        assert "Airlift plans to approve" not in page
        assert "<h3>Sorties to report</h3>" in page and flight.reference in page, role
    assert "Sorties to report" not in _page(users["ita"], dashboard)
    services.arrive(users["airlift"], services.depart(users["airlift"], flight))
    assert "Sorties to report" not in _page(users["airlift"], dashboard)
