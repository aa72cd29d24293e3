"""The sitrep actions per role and state are what the services accept, and exactly
what the pages offer (the duty officer drafts and edits; the head of centre publishes)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aidbridge.core.tests.allowed import action_targets, calls, check_rules_against_services
from aidbridge.crises.models import Crisis
from aidbridge.sitreps import services
from aidbridge.sitreps.actions import draft_refusal, sitrep_rules
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.selectors import visible_sitreps

ROLES = ["duty", "head", "ita", "airlift", "ocha"]


def _sitrep(state: str, users: dict[str, Any], crisis: Crisis) -> Sitrep:
    sitrep = services.draft_sitrep(users["duty"], crisis)
    sitrep = services.update_sitrep_text(users["duty"], sitrep, general_situation="Calm.")
    if state == "published":
        sitrep = services.publish_sitrep(users["head"], sitrep)
    return sitrep


@pytest.mark.parametrize("state", ["draft", "published"])
def test_sitrep_actions_are_what_the_services_accept(state, api, users, crisis) -> None:
    sitrep = _sitrep(state, users, crisis)
    seen = {}
    for role in ROLES:
        fresh = Sitrep.objects.get(pk=sitrep.pk)
        requests: dict[str, tuple[str, str, Any]] = {
            "edit": ("patch", f"/sitreps/{sitrep.pk}", {"general_situation": "Edited."}),
            "publish": ("post", f"/sitreps/{sitrep.pk}/publish", {}),
        }
        unseen = not visible_sitreps(users[role]).filter(pk=sitrep.pk).exists()
        seen[role] = check_rules_against_services(
            sitrep_rules(users[role], fresh), calls(api(role), requests), unseen=unseen
        )
    expected = {"duty": {"edit"}, "head": {"edit", "publish"}} if state == "draft" else {}
    assert {role: actions for role, actions in seen.items() if actions} == expected


@pytest.mark.parametrize("status", [Crisis.Status.ACTIVE, Crisis.Status.CLOSED])
def test_drafting_is_what_the_service_accepts(status, api, users, crisis) -> None:
    Crisis.objects.filter(pk=crisis.pk).update(status=status)
    crisis.refresh_from_db()
    seen = {}
    for role in ROLES:
        rules = {"draft": lambda user=users[role]: draft_refusal(user, crisis)}
        requests: dict[str, tuple[str, str, Any]] = {
            "draft": ("post", f"/crises/{crisis.code}/sitreps", {})
        }
        seen[role] = check_rules_against_services(rules, calls(api(role), requests))
    expected = {"duty": {"draft"}, "head": {"draft"}} if status == Crisis.Status.ACTIVE else {}
    assert {role: actions for role, actions in seen.items() if actions} == expected


def _page(user: Any, url: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url)


def test_the_sitrep_pages_show_exactly_the_allowed_actions(users, crisis) -> None:
    draft = _sitrep("draft", users, crisis)
    published = _sitrep("published", users, crisis)
    listing = f"/crises/{crisis.code}/sitreps/"
    make = f"/crises/{crisis.code}/sitreps/draft/"
    edit, publish = f"/sitreps/{draft.pk}/edit/", f"/sitreps/{draft.pk}/publish/"
    expected = {
        "duty": {make, edit},
        "head": {make, edit, publish},
        "ita": set(),
        "airlift": set(),
        "ocha": set(),
    }
    for role in ROLES:
        assert action_targets(_page(users[role], listing).text) == expected[role], role
    # The draft's own page: the duty officer saves, the head of centre also publishes.
    assert action_targets(_page(users["duty"], edit).text) == {edit}
    assert action_targets(_page(users["head"], edit).text) == {edit, publish}
    # A published sitrep is read, never edited.
    assert _page(users["duty"], f"/sitreps/{published.pk}/edit/").status_code == 302
