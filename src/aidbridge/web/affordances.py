"""Which buttons a page shows. Display only: a button left out is a convenience, a
button shown is no promise. The services decide every action again (forged requests
are refused there), so these hints never need to be exact, only never misleading."""

from __future__ import annotations

from typing import Any

from aidbridge.accounts.models import CENTRE_ROLES, Profile, Role
from aidbridge.requests.models import RequestForAssistance

Status = RequestForAssistance.Status


def rfa_affordances(profile: Profile, rfa: RequestForAssistance) -> dict[str, Any]:
    centre = profile.role in CENTRE_ROLES
    poc = profile.role == Role.NATIONAL_POC
    own = poc and profile.party_id == rfa.requester_id
    circulated = rfa.status == Status.CIRCULATED
    return {
        "edit": own and rfa.is_editable,
        "submit": own and rfa.is_editable,
        "withdraw": own and rfa.status != Status.CLOSED,
        "circulate": centre and rfa.status == Status.SUBMITTED,
        "return": centre and rfa.status == Status.SUBMITTED,
        "close": centre and circulated,
        "offer": poc and not own and circulated,
        "decide": own and circulated,
        "dispatch_party": profile.party_id if poc else None,
        "dispatch_any": centre,
        "confirm": own,
    }
