"""The duty officer, working in French, starts a transfer matching run on the transfers
page and accepts it in a real browser: the task runs when the request commits, the
proposal shows each hospital and the reason of each shortfall in French, and accepting
turns the plan into accepted bed offers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aidbridge.accounts.models import Profile
from aidbridge.hospitals.tests.matching_fixtures import scene
from aidbridge.offers.models import OfferLine

pytestmark = pytest.mark.browser


def test_starting_and_accepting_a_matching_in_french(
    open_page: Callable[..., Any],
    users: dict[str, Any],
    crisis: Any,
    pat_icu: Any,
    hospitals: dict[str, Any],
) -> None:
    s = scene(users, crisis, hospitals)
    Profile.objects.filter(user=users["duty"]).update(language="fr")
    page = open_page(user=users["duty"], locale="fr-FR")
    page.goto(f"/crises/{crisis.code}/")
    page.get_by_role("link", name="Transferts", exact=True).click()
    page.get_by_text("Aucun appariement des transferts pour cette crise").wait_for()
    page.get_by_role("button", name="Lancer un nouvel appariement des transferts").click()

    page.get_by_text("lancé.").wait_for()
    assert page.get_by_test_id("run-status").inner_text() == "Terminé"
    proposal = page.get_by_test_id("matching-proposal")
    assert f"3 patients vers {hospitals['dresden'].name} (DEU)" in proposal.inner_text()
    reasons = page.get_by_test_id("reason")
    assert reasons.count() == 2  # Italy short of 1, France short of 2
    assert all("lit" in reasons.nth(i).inner_text() for i in range(reasons.count()))

    page.get_by_role("button", name="Accepter les transferts proposés").click()
    page.get_by_text("7 transferts de patients acceptés").wait_for()
    page.get_by_test_id("run-accepted").wait_for()
    assert page.get_by_role("button", name="Accepter les transferts proposés").count() == 0
    assert OfferLine.objects.get(pk=s["to_ita"].pk).accepted == 5
    assert OfferLine.objects.get(pk=s["to_fra"].pk).accepted == 2
    assert page.console_errors == []
