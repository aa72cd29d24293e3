"""Offers of assistance: making (``offers.making``, exported here), withdrawing,
accepting and declining them.

An offer line's quantities and status change only through ``transitions.transition``,
so every change writes its audit entry and the status always follows the quantities.
Acceptance takes a row lock on the request line: two POCs accepting for the same need
at the same moment are serialised, and the second sees the first's acceptance. Every
action first locks the request (or, for standing stock, the crisis) whose status allows
it, in the order of ``core.locks``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from aidbridge.audit.services import record
from aidbridge.catalogue.units import with_unit
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.core.locks import lock_offer_lines
from aidbridge.core.quantities import whole_quantity
from aidbridge.ledger.sums import line_figures
from aidbridge.notifications.services import centre_staff, local_name, notify, pocs_of
from aidbridge.offers.actions import (
    require_offer_action,
    require_offer_line_action,
)
from aidbridge.offers.making import make_offer, make_unsolicited_offer, offer_link
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.transitions import locked_line, transition
from aidbridge.requests.locks import lock_rfa
from aidbridge.requests.models import RequestLine

Status = OfferLine.Status
# The one entry point of the offers' writes (callers use ``offer_services.make_offer``).
__all__ = [
    "accept_offer_line",
    "decline_offer_line",
    "make_offer",
    "make_unsolicited_offer",
    "withdraw_offer",
    "withdraw_offer_line",
]


# --- decisions on offer lines -------------------------------------------------------


def _need_of(line: OfferLine) -> RequestLine:
    """The request line an offer line answers; unsolicited lines are not decided on."""
    if line.request_line is None:
        raise Conflict(
            gettext(
                "an unsolicited offer is not accepted or declined directly: the centre "
                "draws on it for a request"
            ),
            field="line",
        )
    return line.request_line


def _decided_quantity(quantity: Any, pending: int, field: str = "quantity") -> int:
    if quantity is None:
        return pending
    quantity = whole_quantity(quantity, field)
    if quantity > pending:
        raise ValidationFailed(
            gettext("only %(pending)s of this offer line await a decision") % {"pending": pending},
            field=field,
        )
    return quantity


def accept_offer_line(
    actor: Any,
    line: OfferLine,
    quantity: int | None = None,
    *,
    over_acceptance_reason: str = "",
    by_centre_plan: bool = False,
) -> OfferLine:
    """The requesting nation accepts ``quantity`` (default: all still pending) of a line.

    ``by_centre_plan``: the centre accepts it as part of a plan it reviewed (a patient
    transfer matching, ``hospitals.matching``); the offer-line rules say when it may.

    Accepting beyond the request line's outstanding need (requested - accepted) is
    refused unless ``over_acceptance_reason`` says why; the reason is then kept and shown.
    """
    line = OfferLine.objects.select_related("request_line__rfa__requester").get(pk=line.pk)
    need = _need_of(line)
    over_reason = (over_acceptance_reason or "").strip()
    with transaction.atomic():
        # The request's lock orders this acceptance against closing it (core.locks).
        lock_rfa(need.rfa_id)
        # Serialises every acceptance for this need; the sum below then sees them all.
        requested = (
            RequestLine.objects.select_for_update(no_key=True)
            .values_list("quantity", flat=True)
            .get(pk=need.pk)
        )
        line = locked_line(line)
        # The ledger's figures of the need.
        figures = line_figures([need])[need.pk]
        accepted_before = figures.accepted
        require_offer_line_action(
            actor, line, "accept", need_accepted=accepted_before, by_centre_plan=by_centre_plan
        )
        quantity = _decided_quantity(quantity, line.pending)
        outstanding = figures.outstanding
        over = quantity - outstanding if quantity > outstanding else 0
        if over and not over_reason:
            raise ValidationFailed(
                gettext(
                    "accepting %(quantity)s exceeds the outstanding need of "
                    "%(outstanding)s (requested %(requested)s, already accepted "
                    "%(accepted_before)s); give over_acceptance_reason to accept more on "
                    "purpose"
                )
                % {
                    "quantity": quantity,
                    "outstanding": outstanding,
                    "requested": requested,
                    "accepted_before": accepted_before,
                },
                field="quantity",
                code="over_acceptance",
            )
        transition(
            actor,
            line,
            "accept",
            accept=quantity,
            over_accepted=over,
            reason=over_reason if over else "",
            extra={"request_line_accepted": [accepted_before, accepted_before + quantity]},
        )
        notify(
            pocs_of(line.offer.donor),
            kind="offer.accepted",
            subject=lambda: (
                _("%(ref)s: %(n)s %(item)s accepted")
                % {"ref": line.offer.reference, "n": quantity, "item": line.item.code}
            ),
            body=lambda: (
                _("%(requester)s accepted %(n)s of the %(offered)s %(item)s offered in %(ref)s.")
                % {
                    "requester": local_name(_need_of(line).rfa.requester),
                    "n": quantity,
                    "offered": line.quantity,
                    "item": local_name(line.item),
                    "ref": line.offer.reference,
                }
                + (
                    "\n"
                    + _("Accepted beyond the need by %(n)s: %(reason)s")
                    % {"n": over, "reason": over_reason}
                    if over
                    else ""
                )
            ),
            link=offer_link(line.offer),
            crisis=line.offer.crisis,
            exclude=actor,
        )
    return line


def decline_offer_line(
    actor: Any, line: OfferLine, reason: str, quantity: int | None = None
) -> OfferLine:
    """The requesting nation declines ``quantity`` (default: all still pending), saying why."""
    line = OfferLine.objects.select_related("request_line__rfa__requester").get(pk=line.pk)
    reason = (reason or "").strip()
    with transaction.atomic():
        lock_rfa(_need_of(line).rfa_id)
        line = locked_line(line)
        require_offer_line_action(actor, line, "decline")
        if not reason:
            raise ValidationFailed(gettext("say why the offer is declined"), field="reason")
        quantity = _decided_quantity(quantity, line.pending)
        transition(actor, line, "decline", decline=quantity, reason=reason)
        notify(
            pocs_of(line.offer.donor),
            kind="offer.declined",
            subject=lambda: (
                _("%(ref)s: %(n)s %(item)s declined")
                % {"ref": line.offer.reference, "n": quantity, "item": line.item.code}
            ),
            body=lambda: (
                _(
                    "%(requester)s declined %(n)s of the %(offered)s %(item)s offered in %(ref)s: "
                    "%(reason)s"
                )
                % {
                    "requester": local_name(_need_of(line).rfa.requester),
                    "n": quantity,
                    "offered": line.quantity,
                    "item": local_name(line.item),
                    "ref": line.offer.reference,
                    "reason": reason,
                }
            ),
            link=offer_link(line.offer),
            crisis=line.offer.crisis,
            exclude=actor,
        )
    return line


def _withdraw(actor: Any, line: OfferLine, reason: str) -> None:
    require_offer_line_action(actor, line, "withdraw")
    transition(actor, line, "withdraw", withdraw=True, reason=reason)
    _withdraw_unconfirmed_draws(actor, [line], reason)


def _withdraw_unconfirmed_draws(actor: Any, standing: list[OfferLine], reason: str) -> None:
    """Standing stock taken back takes back the proposals drawn from it that its donor
    has not confirmed: confirming one would promise stock that is no longer there.

    The drawn lines are younger than the standing ones (already locked), so locking them
    now keeps the ascending order of ``core.locks``; ``confirm_proposed_offer`` locks the
    same rows, so a confirmation comes wholly before or is refused.
    """
    ids = [ln.pk for ln in standing if ln.request_line_id is None]
    if not ids:
        return
    drawn = lock_offer_lines(OfferLine.objects.filter(drawn_from__in=ids, status=Status.PROPOSED))
    why = reason or "standing offer withdrawn"
    for ln in drawn:
        transition(actor, ln, "withdraw", withdraw=True, reason=why)
    if drawn:
        notify(
            centre_staff(),
            kind="offer.withdrawn",
            subject=lambda: (
                ngettext(
                    "%(donor)s withdrew standing stock: %(n)s unconfirmed proposal line "
                    "withdrawn with it",
                    "%(donor)s withdrew standing stock: %(n)s unconfirmed proposal lines "
                    "withdrawn with it",
                    len(drawn),
                )
                % {"donor": drawn[0].offer.donor.code, "n": len(drawn)}
            ),
            body="\n".join(f"- {ln.offer.reference}: {ln.quantity} {ln.item.code}" for ln in drawn),
            crisis=drawn[0].offer.crisis,
            exclude=actor,
        )


def _tell_requester_of_withdrawal(
    actor: Any, offer: Offer, what: Callable[[], str], reason: str
) -> None:
    """``what`` words what was withdrawn in the recipient's language."""
    recipients = pocs_of(offer.rfa.requester) if offer.rfa is not None else centre_staff()
    notify(
        recipients,
        kind="offer.withdrawn",
        subject=lambda: (
            _("%(ref)s: %(donor)s withdrew %(what)s")
            % {"ref": offer.reference, "donor": offer.donor.code, "what": what()}
        ),
        body=lambda: (
            _("%(donor)s withdrew %(what)s of %(ref)s.")
            % {"donor": local_name(offer.donor), "what": what(), "ref": offer.reference}
            + ("\n" + _("Reason: %(reason)s") % {"reason": reason} if reason else "")
        ),
        link=offer_link(offer),
        crisis=offer.crisis,
        exclude=actor,
    )


def withdraw_offer_line(actor: Any, line: OfferLine, reason: str = "") -> OfferLine:
    """The donor takes back one line, as long as nothing of it is accepted."""
    line = OfferLine.objects.select_related("offer__donor").get(pk=line.pk)
    reason = (reason or "").strip()
    with transaction.atomic():
        line = locked_line(line)
        _withdraw(actor, line, reason)
        _tell_requester_of_withdrawal(
            actor,
            line.offer,
            lambda: f"{with_unit(line.quantity, line.item.unit)} {local_name(line.item)}",
            reason,
        )
    return line


def withdraw_offer(actor: Any, offer: Offer, reason: str = "") -> Offer:
    """The donor takes back a whole offer, as long as nothing of it is accepted."""
    offer = Offer.objects.select_related("donor", "crisis", "rfa__requester").get(pk=offer.pk)
    reason = (reason or "").strip()
    with transaction.atomic():
        lines = list(
            OfferLine.objects.select_for_update(no_key=True, of=("self",))
            .select_related("offer__crisis", "offer__donor", "item")
            .filter(offer=offer)
            .order_by("pk")
        )
        require_offer_action(actor, offer, "withdraw", lines)
        live = [ln for ln in lines if ln.status != Status.WITHDRAWN and ln.pending > 0]
        for ln in live:
            transition(actor, ln, "withdraw", withdraw=True, reason=reason)
        _withdraw_unconfirmed_draws(actor, live, reason)
        record(
            actor, "offer.withdraw", offer, crisis=offer.crisis, to_state="withdrawn", reason=reason
        )
        _tell_requester_of_withdrawal(actor, offer, lambda: _("the offer"), reason)
    return offer
