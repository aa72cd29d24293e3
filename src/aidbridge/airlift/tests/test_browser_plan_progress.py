"""The airlift page on the demo while a plan runs: it refreshes itself (htmx polling,
no reload) until the plan is there, then shows the schedule's times and the cost in the
reader's format, not the planner's ISO stamps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from aidbridge.airlift.models import AirliftPlanRun
from aidbridge.airlift.services import request_airlift_plan
from aidbridge.airlift.tasks import plan_airlift_run
from aidbridge.crises.models import Crisis
from aidbridge.demo.loader import load_demo
from aidbridge.demo.scenario import CRISIS_CODE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_follows_a_running_plan_and_formats_its_result(
    open_page: Callable[..., Any], settings: Any
) -> None:
    load_demo()
    airlift = get_user_model().objects.get(username="airlift")
    # Queued and left there (no worker): as a real run looks before a worker takes it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    run = request_airlift_plan(airlift, Crisis.objects.get(code=CRISIS_CODE), time_limit_s=2.0)
    assert run.status == AirliftPlanRun.Status.QUEUED

    page = open_page(airlift)
    page.goto(f"/crises/{CRISIS_CODE}/airlift/?plan={run.pk}")
    status = page.locator("#plan-section .status")
    expect(status).to_have_attribute("data-status", "queued")
    page.evaluate("window.notReloaded = true")

    plan_airlift_run.call(run.pk)  # the worker's half, as the worker runs it

    expect(status).to_have_attribute("data-status", "done", timeout=15_000)
    assert page.evaluate("window.notReloaded === true")  # swapped in place
    times = page.locator("table.schedule time").all_inner_texts()
    assert times and all("T" not in t and "Z" not in t and " 2020 " in t for t in times), times
    cost = page.locator("#plan-section .figure", has_text="Cost").locator("dd").inner_text()
    assert cost.startswith("€") and "," in cost, cost  # "€23,493", not "23493"
    hours = page.locator("#plan-section .figure", has_text="Flight time").locator("dd").inner_text()
    assert " h " in hours and hours.endswith(" min"), hours
    # Once done, nothing polls any more.
    assert page.locator("[hx-trigger^='every']").count() == 0
    assert not page.console_errors
