"""What a user may do now with an offer, an offer line, a request (offer against it)
or a crisis (standing offer): the rules, once, for the pages and the services.

See ``core.actions``: each ``*_rules`` maps every action to a check returning ``None``
(allowed) or the refusal the service raises, role first (403), then state and
quantities left (409).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.models import CENTRE_ROLES, Profile, Role
from aidbridge.accounts.permissions import poc_of_refusal, poc_refusal, profile_of
from aidbridge.core.actions import Refusal, Rules, allowed, first, require
from aidbridge.core.errors import Conflict, NotAllowed, NotFound
from aidbridge.crises.models import Crisis
from aidbridge.ledger.sums import line_figures, movement_of
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance, RequestLine

Status = OfferLine.Status
RfaStatus = RequestForAssistance.Status


# --- making offers --------------------------------------------------------------------


def rfa_offer_refusal(actor: Any, rfa: RequestForAssistance) -> Refusal:
    """May the actor's nation offer against ``rfa`` now?"""
    profile = profile_of(actor)
    refusal = poc_refusal(profile, gettext_noop("offer assistance"))
    if refusal is not None:
        return refusal
    if rfa.status != RfaStatus.CIRCULATED:
        if rfa.status == RfaStatus.CLOSED:
            return Conflict(
                gettext("%(rfa)s is closed: it takes no more offers") % {"rfa": rfa}, field="rfa"
            )
        if rfa.requester_id != profile.party_id:
            return NotFound(gettext("no such request for assistance"), field="rfa")
        return Conflict(gettext("offers are made against circulated requests only"), field="rfa")
    if rfa.requester_id == profile.party_id:
        return NotAllowed(
            gettext("%(code)s cannot offer against its own request") % {"code": profile.party.code},
            field="rfa",
        )
    return None


def standing_offer_refusal(actor: Any, crisis: Crisis) -> Refusal:
    """May the actor's nation offer standing stock to ``crisis`` now?"""
    refusal: Refusal = poc_refusal(profile_of(actor), "offer assistance")
    if refusal is None and crisis.status != Crisis.Status.ACTIVE:
        refusal = Conflict(
            gettext("the crisis %(code)s is closed") % {"code": crisis.code}, field="crisis"
        )
    return refusal


# --- a whole offer --------------------------------------------------------------------


def offer_rules(actor: Any, offer: Offer, lines: Sequence[OfferLine] | None = None) -> Rules:
    """Withdraw the offer; confirm or decline the centre's proposal drawn from it.

    ``lines``: the offer's lines as the caller read them (locked, in a service).
    """
    profile = profile_of(actor)
    read = list(offer.lines.all()) if lines is None else list(lines)

    def donor(what: str) -> Refusal:
        return poc_of_refusal(profile, offer.donor, what)

    def nothing_accepted() -> Refusal:
        accepted = sum(ln.accepted for ln in read)
        if not accepted:
            return None
        return Conflict(
            gettext(
                "%(accepted)s of %(offer)s are already accepted: the offer cannot be "
                "withdrawn (withdraw its other lines one by one)"
            )
            % {"accepted": accepted, "offer": offer},
            field="offer",
        )

    def something_live() -> Refusal:
        if any(ln.status != Status.WITHDRAWN and ln.pending > 0 for ln in read):
            return None
        return Conflict(
            gettext("%(offer)s has nothing left to withdraw") % {"offer": offer}, field="offer"
        )

    def proposed() -> Refusal:
        if any(ln.status == Status.PROPOSED for ln in read):
            return None
        return Conflict(
            gettext("%(offer)s has no line awaiting the donor's confirmation") % {"offer": offer},
            field="offer",
        )

    def circulated() -> Refusal:
        rfa = offer.rfa
        if rfa is not None and rfa.status == RfaStatus.CIRCULATED:
            return None
        return Conflict(
            gettext("%(rfa)s is no longer circulated: decline the proposal") % {"rfa": rfa},
            field="offer",
        )

    return {
        "withdraw": lambda: first(
            lambda: donor("withdraw this offer"), nothing_accepted, something_live
        ),
        "confirm_proposal": lambda: first(
            lambda: donor("confirm this proposed offer"), proposed, circulated
        ),
        "decline_proposal": lambda: first(lambda: donor("decline this proposed offer"), proposed),
    }


def offer_actions(actor: Any, offer: Offer) -> set[str]:
    return allowed(offer_rules(actor, offer))


def require_offer_action(
    actor: Any, offer: Offer, action: str, lines: Sequence[OfferLine] | None = None
) -> None:
    require(offer_rules(actor, offer, lines), action)


# --- one offer line -------------------------------------------------------------------


def dispatched_quantity(line: OfferLine) -> int:
    """What was dispatched of the line (the ledger's figure): the page's annotation when
    it was read through ``ledger.sums.with_movement``, else one query."""
    value = getattr(line, "dispatched", None)
    if isinstance(value, int):
        return value
    return movement_of(line.pk).dispatched


def accepted_on_need(request_line_id: int) -> int:
    """What is accepted so far against a request line (the ledger's figure)."""
    figures = line_figures(RequestLine.objects.filter(pk=request_line_id))
    return figures[request_line_id].accepted if request_line_id in figures else 0


def _pending_refusal(line: OfferLine) -> Refusal:
    if line.status == Status.WITHDRAWN:
        return Conflict(
            gettext("offer line %(line)s was withdrawn by %(donor)s")
            % {"line": line, "donor": line.offer.donor},
            field="line",
        )
    if line.status == Status.PROPOSED:
        return Conflict(
            gettext(
                "offer line %(line)s is a proposal of the centre that %(donor)s has "
                "not confirmed yet"
            )
            % {"line": line, "donor": line.offer.donor},
            field="line",
            code="not_confirmed",
        )
    if line.pending == 0:
        return Conflict(
            gettext("offer line %(line)s has nothing left to decide (%(status)s)")
            % {"line": line, "status": line.status},
            field="line",
        )
    return None


def _decision_refusal(
    profile: Profile, line: OfferLine, what: str, done: str, *, centre: bool = False
) -> Refusal:
    """Accept or decline: the requesting nation, on a circulated request, while pending."""
    need = line.request_line
    if need is None:
        return Conflict(
            gettext(
                "an unsolicited offer is not accepted or declined directly: the centre "
                "draws on it for a request"
            ),
            field="line",
        )
    rfa = need.rfa
    refusal: Refusal = None if centre else poc_of_refusal(profile, rfa.requester, what)
    if refusal is None and rfa.status != RfaStatus.CIRCULATED:
        refusal = Conflict(
            gettext("%(rfa)s is %(status)s: offers on it can no longer be %(done)s")
            % {"rfa": rfa, "status": rfa.get_status_display(), "done": gettext(done)}
        )
    return refusal or _pending_refusal(line)


def _withdraw_refusal(profile: Profile, line: OfferLine) -> Refusal:
    refusal = poc_of_refusal(profile, line.offer.donor, gettext_noop("withdraw this offer"))
    if refusal is not None:
        return refusal
    if line.status == Status.WITHDRAWN:
        return Conflict(
            gettext("offer line %(line)s is already withdrawn") % {"line": line}, field="line"
        )
    if line.status == Status.PROPOSED:
        return Conflict(
            gettext("offer line %(line)s is a proposal awaiting confirmation: decline the proposal")
            % {"line": line},
            field="line",
        )
    if line.accepted > 0:
        return Conflict(
            gettext(
                "%(accepted)s of offer line %(line)s are already accepted: it cannot be withdrawn"
            )
            % {"accepted": line.accepted, "line": line},
            field="line",
        )
    if line.pending == 0:
        return Conflict(
            gettext("offer line %(line)s was declined: nothing is left to withdraw")
            % {"line": line},
            field="line",
        )
    return None


def offer_line_rules(
    actor: Any,
    line: OfferLine,
    *,
    dispatched: int | None = None,
    need_accepted: int | None = None,
    by_airlift: bool = False,
    by_centre_plan: bool = False,
) -> Rules:
    """Accept, decline, withdraw, dispatch; and ``accept_over``: accepting all that is
    pending would go beyond the need, so the requester must say why.

    ``dispatched`` and ``need_accepted`` are the figures the caller already has (the
    service under its locks, the page from its figures); read here when not given.
    """
    profile = profile_of(actor)

    def accept() -> Refusal:
        if by_centre_plan and profile.role in CENTRE_ROLES:
            # The centre accepting a transfer matching it reviewed (hospitals): the
            # request must still be open and the line undecided, like any acceptance.
            return _decision_refusal(
                profile, line, gettext_noop("accept offers"), gettext_noop("accepted"), centre=True
            )
        return _decision_refusal(
            profile, line, gettext_noop("accept offers"), gettext_noop("accepted")
        )

    def beyond_need() -> Refusal:
        need = line.request_line
        assert need is not None  # accept() refuses unsolicited lines first
        so_far = accepted_on_need(need.pk) if need_accepted is None else need_accepted
        if line.pending > max(need.quantity - so_far, 0):
            return None
        return Conflict(
            gettext("accepting all of offer line %(line)s stays within the need") % {"line": line}
        )

    def dispatch() -> Refusal:
        """The donor's POC or the centre (the airlift coordinator through a sortie),
        while something accepted is left to dispatch."""
        centre = profile.role in CENTRE_ROLES
        if not (centre or (by_airlift and profile.role == Role.AIRLIFT_COORDINATOR)):
            refusal = poc_of_refusal(profile, line.offer.donor, gettext_noop("report a dispatch"))
            if refusal is not None:
                return refusal
        sent = dispatched_quantity(line) if dispatched is None else dispatched
        if line.accepted - sent > 0:
            return None
        return Conflict(
            gettext(
                "nothing of offer line %(line)s is accepted and not yet dispatched "
                "(accepted %(accepted)s, dispatched %(sent)s)"
            )
            % {"line": line, "accepted": line.accepted, "sent": sent},
            field="line",
        )

    return {
        "accept": accept,
        "accept_over": lambda: first(accept, beyond_need),
        "decline": lambda: _decision_refusal(
            profile, line, gettext_noop("decline offers"), gettext_noop("declined")
        ),
        "withdraw": lambda: _withdraw_refusal(profile, line),
        "dispatch": dispatch,
    }


def offer_line_actions(actor: Any, line: OfferLine, **figures: Any) -> set[str]:
    return allowed(offer_line_rules(actor, line, **figures))


def require_offer_line_action(actor: Any, line: OfferLine, action: str, **figures: Any) -> None:
    require(offer_line_rules(actor, line, **figures), action)
