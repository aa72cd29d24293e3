"""What a user may do now with sitreps: draft one for a crisis, edit a draft's text,
publish it. The rules, once, for the pages and the services (see ``core.actions``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.permissions import centre_refusal, head_of_centre_refusal, profile_of
from aidbridge.core.actions import Refusal, Rules, allowed, require
from aidbridge.core.errors import Conflict
from aidbridge.crises.models import Crisis
from aidbridge.sitreps.models import Sitrep


def draft_refusal(actor: Any, crisis: Crisis, *, correction: bool = False) -> Refusal:
    """The centre drafts the next sitrep of an active crisis (a correction at any time)."""
    refusal: Refusal = centre_refusal(profile_of(actor), "draft a sitrep")
    if refusal is None and crisis.status != Crisis.Status.ACTIVE and not correction:
        refusal = Conflict(
            gettext("crisis %(code)s is closed") % {"code": crisis.code}, field="crisis"
        )
    return refusal


def sitrep_rules(actor: Any, sitrep: Sitrep) -> Rules:
    """The duty officer edits a draft's text; the head of centre publishes it."""
    profile = profile_of(actor)

    def draft() -> Refusal:
        if not sitrep.is_published:
            return None
        return Conflict(
            gettext("%(sitrep)s is published and cannot be changed; draft a correction instead")
            % {"sitrep": sitrep},
            code="published",
        )

    return {
        "edit": lambda: centre_refusal(profile, gettext_noop("edit a sitrep")) or draft(),
        "publish": lambda: (
            head_of_centre_refusal(profile, gettext_noop("approve and publish a sitrep")) or draft()
        ),
    }


def sitrep_actions(actor: Any, sitrep: Sitrep) -> set[str]:
    return allowed(sitrep_rules(actor, sitrep))


def require_sitrep_action(actor: Any, sitrep: Sitrep, action: str) -> None:
    require(sitrep_rules(actor, sitrep), action)
