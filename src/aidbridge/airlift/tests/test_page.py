"""The airlift planning page: start a plan, read the schedule and the map, approve,
mark the sortie departed and arrived; in a real browser, with the page's CSP."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aidbridge.airlift.models import AirliftPlanRun, Sortie
from aidbridge.logistics.models import Dispatch
from aidbridge.runs.tests.helpers import committed

PAGE = "/crises/covid-19-2020/airlift/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_flow_through_forms(users, airlift_state, c17) -> None:
    coordinator, duty = _client(users["airlift"]), _client(users["duty"])
    page = coordinator.get(PAGE)
    assert page.status_code == 200
    assert "2 consignments await a flight." in page.text
    assert "gives no origin airport" in page.text  # Czechia's line, with its reason
    with committed():
        started = coordinator.post(PAGE + "plan/", {"time_limit_s": "1"})
    run = AirliftPlanRun.objects.get()
    assert started["Location"] == f"{PAGE}?plan={run.pk}"
    body = coordinator.get(started["Location"]).text
    assert 'data-aircraft="SAC-01"' in body and "<svg" in body
    assert "data-from='LTAC' data-to='LIRF'" in body  # the loaded leg on the map
    assert "Approve the plan" not in body  # the coordinator does not approve
    approved = duty.post(f"/airlift/plans/{run.pk}/approve/", follow=True)
    assert "Plan approved: 1 sortie." in approved.text
    flight = Sortie.objects.get()
    assert "Mark departed" in approved.text
    departed = coordinator.post(f"/airlift/sorties/{flight.pk}/depart/", follow=True)
    assert f"Sortie {flight.reference} departed." in departed.text
    assert Dispatch.objects.filter(mode="airlift").count() == 2
    again = coordinator.post(f"/airlift/sorties/{flight.pk}/depart/", follow=True)
    assert "it cannot become departed" in again.text
    coordinator.post(f"/airlift/sorties/{flight.pk}/arrive/")
    assert Sortie.objects.get().status == "arrived"


def test_observers_read_but_cannot_act(users, airlift_state, c17) -> None:
    observer = _client(users["ocha"])
    page = observer.get(PAGE)
    assert page.status_code == 200 and "Start a plan" not in page.text
    assert observer.post(PAGE + "plan/", {"time_limit_s": "1"}).status_code == 403
    assert not AirliftPlanRun.objects.exists()


def test_the_page_in_french(users, airlift_state, c17) -> None:
    client = _client(users["airlift"])
    client.post("/language/", {"language": "fr"})
    page = client.get(PAGE)
    assert "Planification du pont aérien" in page.text
    assert "Lancer un plan" in page.text


@pytest.mark.django_db(transaction=True)
def test_in_the_browser_without_csp_errors(open_page, users, airlift_state, c17) -> None:
    page = open_page(users["duty"])
    page.goto(PAGE)
    page.get_by_label("Solver time limit (seconds)").fill("1")
    page.get_by_role("button", name="Start a plan").click()
    page.get_by_role("button", name="Approve the plan").click()
    page.get_by_role("button", name="Mark departed").click()
    page.get_by_role("button", name="Mark arrived").click()
    assert page.locator("tr[data-sortie] td").nth(4).inner_text() == "Arrived"
    assert page.locator("svg.leg-map line.leg").count() == 3
    assert page.console_errors == []
