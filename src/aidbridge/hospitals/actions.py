"""Who may keep a hospital's record and report its beds: the centre, or a national point
of contact of the hospital's own nation. Everyone with a role reads. The rule, once, for
the pages and the services (see ``core.actions``)."""

from __future__ import annotations

from typing import Any

from aidbridge.accounts.models import CENTRE_ROLES
from aidbridge.accounts.permissions import poc_of_refusal, profile_of
from aidbridge.core.actions import Refusal
from aidbridge.parties.models import Party


def manage_refusal(actor: Any, nation: Party, action: str) -> Refusal:
    profile = profile_of(actor)
    if profile.role in CENTRE_ROLES:
        return None
    return poc_of_refusal(profile, nation, action)


def can_manage(actor: Any, nation: Party) -> bool:
    try:
        return manage_refusal(actor, nation, "report beds") is None
    except Exception:  # not signed in, no profile: reads nothing either
        return False
