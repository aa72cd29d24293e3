"""What a user may do now with a dispatch: confirm its receipt. The rule, once, for
the pages and the service (see ``core.actions``). Reporting a dispatch is an action
on the offer line (``offers.actions``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.models import CENTRE_ROLES, Role
from aidbridge.accounts.permissions import poc_of_refusal, profile_of
from aidbridge.core.actions import Refusal, Rules, allowed, require
from aidbridge.core.errors import Conflict
from aidbridge.logistics.models import Dispatch, Receipt


def _received(dispatch: Dispatch) -> bool:
    try:
        return dispatch.receipt is not None
    except Receipt.DoesNotExist:
        return False


def dispatch_rules(actor: Any, dispatch: Dispatch, *, by_airlift: bool = False) -> Rules:
    """The requesting nation confirms what arrived, once per dispatch. ``by_airlift``:
    patients handed over on landing by a MEDEVAC sortie's medical crew, whose arrival
    the centre or the airlift coordinator records (``airlift.services.sorties``, which
    checked the sortie): there is no cargo to count, the count aboard is known."""
    profile = profile_of(actor)

    def confirm_receipt() -> Refusal:
        need = dispatch.offer_line.request_line
        if need is None:
            return Conflict(
                gettext("this dispatch answers no request: there is no receipt to confirm")
            )
        refusal: Refusal = None
        if not (by_airlift and profile.role in (*CENTRE_ROLES, Role.AIRLIFT_COORDINATOR)):
            refusal = poc_of_refusal(profile, need.rfa.requester, gettext_noop("confirm a receipt"))
        if refusal is None and _received(dispatch):
            refusal = Conflict(
                gettext("the receipt of dispatch %(pk)s is already confirmed") % {"pk": dispatch.pk}
            )
        return refusal

    return {"confirm_receipt": confirm_receipt}


def dispatch_actions(actor: Any, dispatch: Dispatch) -> set[str]:
    return allowed(dispatch_rules(actor, dispatch))


def require_dispatch_action(
    actor: Any, dispatch: Dispatch, action: str, *, by_airlift: bool = False
) -> None:
    require(dispatch_rules(actor, dispatch, by_airlift=by_airlift), action)
