"""From matching to a MEDEVAC plan in a real browser, in English and in French: the
duty officer accepts the proposed transfers, the airlift coordinator sees them waiting
for a MEDEVAC aircraft and starts a plan, and the schedule flies them only on the
MEDEVAC-fitted aircraft (cargo aircraft carry none)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from aidbridge.accounts.models import Profile
from aidbridge.airlift import services as airlift
from aidbridge.hospitals.models import ProposedTransfer
from aidbridge.hospitals.tests.matching_fixtures import scene

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "transfers": "Transfers",
        "start": "Start a new transfer matching run",
        "accept": "Accept the proposed transfers",
        "accepted": "7 patient transfers accepted",
        "airlift": "Airlift",
        "plan": "Start a plan",
        "medevac": "only an aircraft fitted for MEDEVAC flies them",
    },
    "fr": {
        "transfers": "Transferts",
        "start": "Lancer un nouvel appariement des transferts",
        "accept": "Accepter les transferts proposés",
        "accepted": "7 transferts de patients acceptés",
        "airlift": "Transport aérien",
        "plan": "Lancer un plan",
        "medevac": "seul un aéronef équipé pour l\u2019évacuation sanitaire (MEDEVAC) les "
        "transporte",
    },
}


def _fleet(actor: Any) -> None:
    """A cargo C-17 at Pápa and the A310 MedEvac at Cologne/Bonn, spring 2020."""
    window = {
        "available_from": datetime(2020, 3, 1, tzinfo=UTC),
        "available_until": datetime(2020, 4, 10, tzinfo=UTC),
    }
    airlift.create_aircraft_type(
        actor, code="C-17A", payload_kg=77_500, pallets=18, cruise_kmh=830, range_km=4_400,
        size="heavy", cost_per_hour=24_000,
    )  # fmt: skip
    airlift.create_aircraft_type(
        actor, code="A310-MEDEVAC", payload_kg=30_000, pallets=6, cruise_kmh=850,
        range_km=6_000, size="medium", cost_per_hour=18_000,
    )  # fmt: skip
    airlift.create_aircraft(
        actor, tail="SAC-01", type="C-17A", operator="SAC", base="LHPA", **window
    )
    airlift.create_aircraft(
        actor, tail="10+27", type="A310-MEDEVAC", operator="DEU", base="EDDK",
        capabilities=["medevac"], **window,
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_matching_to_a_medevac_plan(
    open_page: Callable[..., Any],
    users: dict[str, Any],
    crisis: Any,
    pat_icu: Any,
    hospitals: dict[str, Any],
    lang: str,
) -> None:
    words = WORDS[lang]
    pat_icu.transport_weight_kg, pat_icu.transport_volume_m3 = Decimal(450), Decimal(10)
    pat_icu.save()
    scene(users, crisis, hospitals)
    _fleet(users["airlift"])
    Profile.objects.filter(user__in=[users["duty"], users["airlift"]]).update(language=lang)
    locale = "fr-FR" if lang == "fr" else "en-GB"

    page = open_page(user=users["duty"], locale=locale)
    page.goto(f"/crises/{crisis.code}/")
    page.get_by_role("link", name=words["transfers"], exact=True).click()
    page.get_by_role("button", name=words["start"]).click()
    page.get_by_role("button", name=words["accept"]).click()
    page.get_by_text(words["accepted"]).wait_for()
    flights = {str(t.pk) for t in ProposedTransfer.objects.filter(mode="air")}
    assert flights

    page = open_page(user=users["airlift"], locale=locale)
    page.goto(f"/crises/{crisis.code}/")
    page.get_by_role("link", name=words["airlift"], exact=True).click()
    waiting = page.get_by_test_id("medevac-awaiting")
    assert words["medevac"] in waiting.inner_text()
    page.locator("#time-limit").fill("2")
    page.get_by_role("button", name=words["plan"]).click()
    page.locator("#plan-section .status[data-status='done']").wait_for(timeout=20_000)

    medevac = page.locator("table.schedule[data-aircraft='10+27']").inner_text()
    cargo = page.locator("table.schedule[data-aircraft='SAC-01']")
    flown = {key for key in flights if f"/T{key}" in medevac}
    assert flown, medevac
    if cargo.count():
        assert not any(f"/T{key}" in cargo.inner_text() for key in flights)
    assert page.console_errors == []
