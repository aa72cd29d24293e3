"""Who may act on the airlift: the centre and the airlift coordinator plan and track
sorties; only the centre approves a plan (it commits other nations' aid to flights)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.models import CENTRE_ROLES, Profile, Role
from aidbridge.accounts.permissions import profile_of, require_centre
from aidbridge.core.errors import NotAllowed

AIRLIFT_ROLES = CENTRE_ROLES | {Role.AIRLIFT_COORDINATOR}


def can_airlift(actor: Any) -> bool:
    try:
        return profile_of(actor).role in AIRLIFT_ROLES
    except NotAllowed:
        return False


def airlift_staff_refusal(profile: Profile, action: str) -> NotAllowed | None:
    if profile.role not in AIRLIFT_ROLES:
        return NotAllowed(
            gettext("only the centre or the airlift coordinator may %(action)s")
            % {"action": gettext(action)}
        )
    return None


def require_airlift_staff(actor: Any, action: str) -> Profile:
    profile = profile_of(actor)
    refusal = airlift_staff_refusal(profile, action)
    if refusal is not None:
        raise refusal
    return profile


def require_approver(actor: Any) -> Profile:
    return require_centre(actor, gettext_noop("approve an airlift plan"))
