"""The dashboard's bounded reads show what the plain rules show, for every role: the
latest changes (newest entries checked a page at a time, ``audit.selectors
.visible_among``) are the newest of ``entries_visible_to``; the offers figure (the
donors' maintained counts plus the offers on requests not circulated) is the count of
``offers_visible_to``. The crisis has one request in each state (``visibility_world``)."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.audit.selectors import entries_visible_to, visible_among
from aidbridge.catalogue.models import Item
from aidbridge.offers.selectors import offers_visible_to
from aidbridge.requests.services import create_rfa, update_rfa
from aidbridge.requests.tests.visibility_world import build_world
from aidbridge.web.selectors import key_figures, latest_changes


@pytest.fixture
def world(users: dict[str, Any], items: dict[str, Item], crisis: Any) -> Any:
    built = build_world(users, items, crisis)
    # Turkey's draft loses a line: entries about a row that is gone, seen by whoever sees
    # the draft (the extra rule of ``audit.visibility``), i.e. Turkey alone.
    lines = [
        {"item": code, "quantity": 5, "delivery_airport": "LTBA"}
        for code in ("MASK-SURG", "VENT-ICU")
    ]
    draft = create_rfa(users["tur"], crisis=crisis, title="Two lines", lines=lines)
    built.removed_line = draft.lines.get(position=2).pk  # type: ignore[attr-defined]
    update_rfa(users["tur"], draft, lines=lines[:1])
    return built


def test_latest_changes_are_the_newest_visible_entries(users, crisis, world) -> None:
    every = list(AuditEntry.objects.all())
    gone = AuditEntry.objects.get(action="rfa_line.add", target_id=world.removed_line)
    assert gone in latest_changes(users["tur"], crisis)
    assert gone not in latest_changes(users["duty"], crisis)
    for who, user in users.items():
        rule = entries_visible_to(user)
        assert visible_among(user, every) == [e for e in every if rule.filter(pk=e.pk).exists()]
        newest = rule.filter(crisis=crisis).order_by("-at", "-pk")
        for limit in (1, 3, 10, 200):
            assert latest_changes(user, crisis, limit) == list(newest[:limit]), (who, limit)


def test_the_offers_figure_is_the_visible_offers(users, crisis, world) -> None:
    for who, user in users.items():
        shown = key_figures(user, crisis)["offers"]
        assert shown == offers_visible_to(user).filter(crisis=crisis).count(), who
