"""What a user may do now about requests of a crisis: draft one. The rule, once, for
the pages and the service (see ``core.actions``). What may be done with one request
is :func:`available_actions`, here too (it reads the links, which read the selectors)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.models import Profile, Role
from aidbridge.accounts.permissions import poc_refusal, profile_of
from aidbridge.core.actions import Refusal
from aidbridge.core.errors import Conflict, NotAllowed
from aidbridge.crises.models import Crisis
from aidbridge.requests.links import candidate_links
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.transitions import ESCALATION_TARGETS, allowed_actions


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


# What only the requesting nation does with its request; the centre does the rest
# (escalating only when there is a request to escalate: the link rule says which).
OWN_ACTIONS = frozenset({"submit", "withdraw"})


def _role_allows(profile: Profile, action: str) -> bool:
    """The role half of :func:`available_actions`: whether anyone of this role may take
    ``action`` on some request."""
    if action in OWN_ACTIONS:
        return profile.role == Role.NATIONAL_POC
    return profile.is_centre


def may_ever(actor: Any, action: str) -> bool:
    """Whether the actor's role lets it take ``action`` on any request at all: a page
    need not read requests to ask :func:`available_actions` about an action that no
    request would allow (the centre's circulation, asked by a nation's worklist)."""
    return _role_allows(profile_of(actor), action)


def available_actions(
    actor: Any, rfa: RequestForAssistance, asking: str | None = None
) -> list[str]:
    """What the actor may do with the RFA now: the status allows it and so does the role.

    Mirrors the services' checks so pages and clients can offer only what will work.
    ``asking``: the caller only wants to know about that action, so the costly check of
    another (the escalation's link rule reads the nation's recent requests) is skipped.
    """
    profile = profile_of(actor)
    own = profile.role == Role.NATIONAL_POC and profile.party_id == rfa.requester_id
    actions = [
        action
        for action in allowed_actions(rfa)
        if _role_allows(profile, action) and (own or action not in OWN_ACTIONS)
    ]
    if asking not in (None, "escalate") and "escalate" in actions:
        actions.remove("escalate")  # not asked: left out rather than worked out
    elif "escalate" in actions and not escalation_targets(actor, rfa):
        actions.remove("escalate")
    return ["edit", *actions] if own and rfa.is_editable else actions


def escalation_targets(actor: Any, rfa: RequestForAssistance) -> list[RequestForAssistance]:
    """The requests ``rfa`` may be circulated as an escalation of: those it is linked
    to (``requests.links``) that are circulated, as far as ``actor`` sees."""
    return [
        link.rfa for link in candidate_links(actor, rfa) if link.rfa.status in ESCALATION_TARGETS
    ]
