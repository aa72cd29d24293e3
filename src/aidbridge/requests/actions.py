"""What a user may do now about requests of a crisis: draft one. The rule, once, for
the pages and the service (see ``core.actions``). What may be done with one request
is ``requests.selectors.available_actions``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.permissions import poc_refusal, profile_of
from aidbridge.core.actions import Refusal
from aidbridge.core.errors import Conflict, NotAllowed
from aidbridge.crises.models import Crisis


def create_refusal(actor: Any, crisis: Crisis) -> Refusal:
    """A national POC drafts for an active nation in an active crisis."""
    profile = profile_of(actor)
    refusal: Refusal = poc_refusal(profile, gettext_noop("draft a request for assistance"))
    if refusal is None and not profile.party.active:
        refusal = NotAllowed(
            gettext("%(code)s is inactive and cannot request assistance")
            % {"code": profile.party.code}
        )
    if refusal is None and crisis.status != Crisis.Status.ACTIVE:
        refusal = Conflict(
            gettext("crisis %(code)s is closed") % {"code": crisis.code}, field="crisis"
        )
    return refusal
