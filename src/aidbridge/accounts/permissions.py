"""Who may do what. The service layer calls these; the API and pages inherit them.

The rules follow the role table of docs/domain.md: the centre sees and coordinates
everything; a national POC acts only for their own nation and sees their nation's
drafts plus everything circulated; observers only read what is circulated.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from aidbridge.accounts.models import CENTRE_ROLES, Profile, Role
from aidbridge.core.errors import NotAllowed
from aidbridge.parties.models import Party


def profile_of(actor: Any) -> Profile:
    """The actor's profile; an anonymous, inactive or unprofiled user may do nothing."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise NotAllowed(gettext("sign in first"))
    try:
        return actor.profile
    except Profile.DoesNotExist:
        raise NotAllowed(gettext("this account has no role in aidbridge")) from None


def is_centre(actor: Any) -> bool:
    try:
        return profile_of(actor).role in CENTRE_ROLES
    except NotAllowed:
        return False


# The refusals below say why a profile may not act, or None; ``require_*`` raise them.
# Allowed-action rules (``<app>.actions``) use the refusals so pages and services agree.


def centre_refusal(profile: Profile, action: str) -> NotAllowed | None:
    if profile.role not in CENTRE_ROLES:
        return NotAllowed(
            gettext("only the coordination centre may %(action)s") % {"action": gettext(action)}
        )
    return None


def head_of_centre_refusal(profile: Profile, action: str) -> NotAllowed | None:
    if profile.role != Role.CENTRE_HEAD:
        return NotAllowed(
            gettext("only the head of centre may %(action)s") % {"action": gettext(action)}
        )
    return None


def poc_refusal(profile: Profile, action: str) -> NotAllowed | None:
    if profile.role != Role.NATIONAL_POC:
        return NotAllowed(
            gettext("only a national point of contact may %(action)s") % {"action": gettext(action)}
        )
    return None


def poc_of_refusal(profile: Profile, party: Party, action: str) -> NotAllowed | None:
    """Refused unless the profile is a national POC of ``party`` (its own nation)."""
    refusal = poc_refusal(profile, action)
    if refusal is None and profile.party_id != party.pk:
        refusal = NotAllowed(
            gettext("a point of contact of %(code)s cannot %(action)s for %(code2)s")
            % {"code": profile.party.code, "action": gettext(action), "code2": party.code}
        )
    return refusal


def _raise(refusal: NotAllowed | None) -> None:
    if refusal is not None:
        raise refusal


def require_centre(actor: Any, action: str) -> Profile:
    profile = profile_of(actor)
    _raise(centre_refusal(profile, action))
    return profile


def require_head_of_centre(actor: Any, action: str) -> Profile:
    profile = profile_of(actor)
    _raise(head_of_centre_refusal(profile, action))
    return profile


def require_poc_of(actor: Any, party: Party, action: str) -> Profile:
    """The actor must be a national POC of ``party`` (acting for their own nation)."""
    profile = profile_of(actor)
    _raise(poc_of_refusal(profile, party, action))
    return profile


def require_poc_or_centre(actor: Any, party: Party, action: str) -> Profile:
    """The centre may act on any party's behalf; a POC only for their own."""
    profile = profile_of(actor)
    if profile.role in CENTRE_ROLES:
        return profile
    return require_poc_of(actor, party, action)
