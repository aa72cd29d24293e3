"""A first visitor can run both planners on the demo and get something to approve:
the allocation run places standing stock (the NATO stockpile's ventilators, Türkiye's
standing offer) on open needs, and the airlift plan flies accepted aid that waits for
transport. Both through the services and the task path the tests use (inline)."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.airlift.selectors import schedule
from aidbridge.airlift.services import request_airlift_plan
from aidbridge.allocations.models import ProposedLine
from aidbridge.allocations.services import request_allocation
from aidbridge.crises.models import Crisis
from aidbridge.demo.loader import load_demo
from aidbridge.demo.scenario import CRISIS_CODE
from aidbridge.runs.models import RunStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(django_user_model: Any) -> tuple[Crisis, Any]:
    load_demo()
    users = {
        u.username: u for u in django_user_model.objects.filter(username__in=["duty", "airlift"])
    }
    return Crisis.objects.get(code=CRISIS_CODE), users


def test_the_allocation_run_places_standing_stock_on_open_needs(demo: tuple[Crisis, Any]) -> None:
    crisis, users = demo
    run = request_allocation(users["duty"], crisis)
    assert run.status == RunStatus.DONE, run.error
    proposed = list(
        ProposedLine.objects.filter(run=run).select_related(
            "supply__offer__donor", "need__rfa__requester", "need__item"
        )
    )
    assert proposed, run.output
    placed = {
        (p.supply.offer.donor.code, p.need.item.code, p.need.rfa.requester.code) for p in proposed
    }
    # The stockpile's ventilators go to the second-wave requests; Türkiye's stock too.
    assert {("USA", "VENT-ICU", "CZE"), ("USA", "VENT-ICU", "MKD")} <= placed
    assert any(donor == "TUR" for donor, _, _ in placed)
    assert sum(p.quantity for p in proposed if p.supply.offer.donor.code == "USA") == 180


def test_the_airlift_plan_flies_accepted_aid_waiting_for_transport(
    demo: tuple[Crisis, Any],
) -> None:
    crisis, users = demo
    run = request_airlift_plan(users["airlift"], crisis, time_limit_s=2.0)
    assert run.status == RunStatus.DONE, run.error
    assert run.input["consignments"], run.skipped
    flown = [
        c for aircraft in schedule(run) for s in aircraft["sorties"] for c in s["consignments"]
    ]
    assert flown, run.output
    # US protective suits from Ramstein to Milan Malpensa are among them.
    by_id = {c["id"]: c for c in run.input["consignments"]}
    assert any((by_id[c]["origin"], by_id[c]["destination"]) == ("ETAR", "LIMC") for c in flown)
