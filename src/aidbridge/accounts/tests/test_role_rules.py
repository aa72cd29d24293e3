"""Role administration as a matrix: every actor role by every target role, for create
and deactivate, through the real API. The expected outcome is the rule written out here,
independently of ``accounts.actions``: the centre manages users, no one creates or
deactivates a role above their own, everyone else manages no one."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from aidbridge.accounts.models import Role
from aidbridge.accounts.services import create_user, deactivate_user
from aidbridge.audit.models import AuditEntry
from aidbridge.core.errors import Conflict

# Lowest first, as the issue states it: head of centre highest among users.
ORDER = ["observer", "national_poc", "airlift_coordinator", "centre_officer", "centre_head"]
MANAGERS = {"centre_officer", "centre_head"}
# The fixture user acting in each role, and their party.
ACTORS = {
    "observer": ("ocha", "UN-OCHA"),
    "national_poc": ("ita", "ITA"),
    "airlift_coordinator": ("airlift", "EADRCC"),
    "centre_officer": ("duty", "EADRCC"),
    "centre_head": ("head", "EADRCC"),
}
# Where a user of each role may belong.
PARTY_OF = {
    "observer": "UN-OCHA",
    "national_poc": "ESP",
    "airlift_coordinator": "EADRCC",
    "centre_officer": "EADRCC",
    "centre_head": "EADRCC",
}
MATRIX = [(actor, target) for actor in ORDER for target in ORDER]


def may_manage(actor_role: str, target_role: str) -> bool:
    return actor_role in MANAGERS and ORDER.index(target_role) <= ORDER.index(actor_role)


def refusal_status(actor_role: str, target_party: str) -> int:
    """403, except that outside the centre a user of another party is not even known."""
    if actor_role not in MANAGERS and ACTORS[actor_role][1] != target_party:
        return 404
    return 403


def assert_error_shape(response: Any) -> None:
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}, body
    assert body["detail"]


@pytest.mark.parametrize(("actor_role", "target_role"), MATRIX)
def test_create_follows_the_role_order(api, users, actor_role, target_role) -> None:
    before = get_user_model().objects.count()
    response = api(ACTORS[actor_role][0]).post(
        "/users",
        {"username": "newcomer", "party": PARTY_OF[target_role], "role": target_role},
    )
    if may_manage(actor_role, target_role):
        assert response.status_code == 201, response.json()
        assert response.json()["role"] == target_role
        assert AuditEntry.objects.filter(action="user.create").count() == 1
    else:
        assert response.status_code == 403, response.json()
        assert_error_shape(response)
        assert get_user_model().objects.count() == before
        assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("actor_role", "target_role"), MATRIX)
def test_deactivate_follows_the_role_order(api, users, make_user, actor_role, target_role) -> None:
    # A second head exists in ``users``, so the last-head rule is not what decides here.
    target = make_user("target", PARTY_OF[target_role], target_role)
    response = api(ACTORS[actor_role][0]).post("/users/target/deactivate", {"reason": "left"})
    target.refresh_from_db()
    if may_manage(actor_role, target_role):
        assert response.status_code == 200, response.json()
        assert response.json()["is_active"] is False
        assert not target.is_active
        assert AuditEntry.objects.filter(action="user.deactivate").count() == 1
    else:
        expected = refusal_status(actor_role, PARTY_OF[target_role])
        assert response.status_code == expected, response.json()
        assert_error_shape(response)
        assert target.is_active
        assert not AuditEntry.objects.exists()


def test_the_last_active_head_of_centre_cannot_be_deactivated(api, users) -> None:
    second = api("head").post(
        "/users", {"username": "head-2", "party": "EADRCC", "role": "centre_head"}
    )
    assert second.status_code == 201
    # With two heads, one may stand the other down; then the one left is the last.
    assert api("head").post("/users/head-2/deactivate", {}).status_code == 200
    for refused in (
        api("head").post("/users/head/deactivate", {}),  # themself: 409 as well
        api("duty").post("/users/head/deactivate", {}),  # above the duty officer: 403
    ):
        assert refused.status_code in (403, 409)
        assert_error_shape(refused)
    with pytest.raises(Conflict, match="last active head"):
        deactivate_user(None, users["head"])  # not even the operator
    users["head"].refresh_from_db()
    assert users["head"].is_active
    assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "user.create",
        "user.deactivate",
    ]


def test_a_minted_head_cannot_slip_past_the_head_to_publish(api, users) -> None:
    """The finding: the duty officer made a head of centre, who could then publish."""
    response = api("duty").post(
        "/users",
        {
            "username": "shadow-head",
            "party": "EADRCC",
            "role": "centre_head",
            "password": "a-Long-enough-passphrase-2020",
        },
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "role"
    assert not get_user_model().objects.filter(username="shadow-head").exists()


def test_the_operator_may_create_any_role(parties) -> None:
    for role in ORDER:
        user = create_user(None, username=f"op-{role}", email="", party=PARTY_OF[role], role=role)
        assert user.profile.role == Role(role)
