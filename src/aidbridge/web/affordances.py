"""Which buttons a page shows. Display only: a button left out is a convenience, a
button shown is no promise. The services decide every action again (forged requests
are refused there), so these hints never need to be exact, only never misleading."""

from __future__ import annotations

from typing import Any

from aidbridge.accounts.models import CENTRE_ROLES, Profile, Role
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.selectors import available_actions

Status = RequestForAssistance.Status


def rfa_affordances(actor: Any, profile: Profile, rfa: RequestForAssistance) -> dict[str, Any]:
    """The request's own buttons come from ``requests.selectors.available_actions``;
    the offer-side ones from the role, the nation and the request's status."""
    centre = profile.role in CENTRE_ROLES
    poc = profile.role == Role.NATIONAL_POC
    own = poc and profile.party_id == rfa.requester_id
    circulated = rfa.status == Status.CIRCULATED
    actions = set(available_actions(actor, rfa))
    return {
        **{name: name in actions for name in ("edit", "submit", "withdraw")},
        **{name: name in actions for name in ("circulate", "return", "close")},
        "offer": poc and not own and circulated,
        "decide": own and circulated,
        "dispatch_party": profile.party_id if poc else None,
        "dispatch_any": centre,
        "confirm": own,
    }
