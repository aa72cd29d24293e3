"""Offers of assistance: making, withdrawing, accepting and declining them.

An offer line's quantities and status change only through ``transitions.transition``,
so every change writes its audit entry and the status always follows the quantities.
Acceptance takes a row lock on the request line: two POCs accepting for the same need
at the same moment are serialised, and the second sees the first's acceptance. Every
action first locks the request (or, for standing stock, the crisis) whose status allows
it, in the order of ``core.locks``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from aidbridge.accounts.permissions import profile_of
from aidbridge.audit.services import record
from aidbridge.catalogue.units import with_unit
from aidbridge.core.actions import refuse
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.core.locks import lock_offer_lines
from aidbridge.core.quantities import whole_quantity
from aidbridge.core.references import next_reference
from aidbridge.crises.locks import lock_crisis
from aidbridge.crises.models import Crisis
from aidbridge.ledger.maintained import touch_offer_lines
from aidbridge.ledger.sums import line_figures
from aidbridge.notifications import matching
from aidbridge.notifications.services import centre_staff, local_name, notify, pocs_of
from aidbridge.offers import inputs
from aidbridge.offers.actions import (
    require_offer_action,
    require_offer_line_action,
    rfa_offer_refusal,
    standing_offer_refusal,
)
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.transitions import locked_line, transition
from aidbridge.parties.models import Party
from aidbridge.requests.locks import lock_rfa
from aidbridge.requests.models import RequestForAssistance, RequestLine

REFERENCE_PREFIX = "OFR"
Status = OfferLine.Status
RfaStatus = RequestForAssistance.Status


def _offer_link(offer: Offer) -> str:
    return f"/api/v1/offers/{offer.pk}"


def _create_offer(
    actor: Any,
    *,
    donor: Party,
    crisis: Crisis,
    rfa: RequestForAssistance | None,
    lines: list[inputs.LineInput],
    origin: inputs.Origin,
    own_transport: bool,
    conditions: str,
) -> Offer:
    offer = Offer.objects.create(
        crisis=crisis,
        donor=donor,
        rfa=rfa,
        reference=next_reference(REFERENCE_PREFIX, timezone.now().year),
        available_from=origin.available_from,
        origin_airport=origin.airport,
        origin_place=origin.place,
        origin_lat=origin.lat,
        origin_lon=origin.lon,
        own_transport=bool(own_transport),
        conditions=(conditions or "").strip(),
        created_by=actor,
    )
    created = [
        OfferLine.objects.create(
            offer=offer,
            request_line=ln.request_line,
            item=ln.item,
            quantity=ln.quantity,
            notes=ln.notes,
        )
        for ln in lines
    ]
    touch_offer_lines(created)
    summary = [
        {
            "line": ln.pk,
            "request_line": ln.request_line_id,
            "item": ln.item.code,
            "quantity": ln.quantity,
        }
        for ln in created
    ]
    record(
        actor,
        "offer.create",
        offer,
        crisis=crisis,
        to_state="open",
        changes={"lines": [None, summary]},
    )
    for ln in created:
        record(
            actor,
            "offer_line.create",
            ln,
            crisis=crisis,
            to_state=Status.OPEN,
            changes={"quantity": [None, ln.quantity]},
        )
    return offer


def _lines_summary(offer: Offer) -> str:
    """One row per line, in the active language (units and names exist in both)."""
    return "\n".join(
        f"- {with_unit(ln.quantity, ln.item.unit)} {local_name(ln.item)} ({ln.item.code})"
        for ln in offer.lines.select_related("item")
    )


def make_offer(
    actor: Any,
    *,
    rfa: RequestForAssistance,
    lines: Iterable[Mapping[str, Any]],
    available_from: date | None = None,
    origin_airport: str = "",
    origin_place: str = "",
    origin_lat: float | None = None,
    origin_lon: float | None = None,
    own_transport: bool = False,
    conditions: str = "",
) -> Offer:
    """The actor's nation offers quantities against lines of a circulated RFA.

    ``lines`` is a list of ``{"request_line": RequestLine or id, "quantity": int,
    "notes": str}``. The offered quantity may exceed the request: offers compete, and
    only what the requester accepts covers the need.
    """
    refuse(rfa_offer_refusal(actor, rfa))  # before reading the input; again under the lock
    donor = profile_of(actor).party
    origin = inputs.origin(available_from, origin_airport, origin_place, origin_lat, origin_lon)
    with transaction.atomic():
        # The request's status is read under its lock, which closing it also takes: an
        # offer either comes before the close (and is settled by it) or is refused.
        rfa = lock_rfa(rfa.pk)
        refuse(rfa_offer_refusal(actor, rfa))
        chosen = inputs.lines_against(rfa, lines)
        offer = _create_offer(
            actor,
            donor=donor,
            crisis=rfa.crisis,
            rfa=rfa,
            lines=chosen,
            origin=origin,
            own_transport=own_transport,
            conditions=conditions,
        )
        notify(
            pocs_of(rfa.requester),
            kind="offer.new",
            subject=lambda: (
                _("%(ref)s: %(donor)s offers assistance against %(rfa)s")
                % {"ref": offer.reference, "donor": donor.code, "rfa": rfa}
            ),
            body=lambda: (
                _("%(donor)s offers against %(rfa)s (%(title)s):")
                % {"donor": local_name(donor), "rfa": rfa, "title": rfa.title}
                + f"\n{_lines_summary(offer)}"
            ),
            link=_offer_link(offer),
            crisis=rfa.crisis,
            exclude=actor,
        )
    return offer


def make_unsolicited_offer(
    actor: Any,
    *,
    crisis: Crisis,
    lines: Iterable[Mapping[str, Any]],
    available_from: date | None = None,
    origin_airport: str = "",
    origin_place: str = "",
    origin_lat: float | None = None,
    origin_lon: float | None = None,
    own_transport: bool = False,
    conditions: str = "",
) -> Offer:
    """Standing stock the actor's nation makes available to the crisis as a whole.

    ``lines`` is a list of ``{"item": Item or catalogue code, "quantity": int,
    "notes": str}``. The centre is told, so it can match the stock to needs.
    """
    refuse(standing_offer_refusal(actor, crisis))  # before reading the input; again locked
    donor = profile_of(actor).party
    origin = inputs.origin(available_from, origin_airport, origin_place, origin_lat, origin_lon)
    with transaction.atomic():
        crisis = lock_crisis(crisis.pk)  # closing the crisis settles standing stock
        refuse(standing_offer_refusal(actor, crisis))
        chosen = inputs.catalogue_lines(lines)
        offer = _create_offer(
            actor,
            donor=donor,
            crisis=crisis,
            rfa=None,
            lines=chosen,
            origin=origin,
            own_transport=own_transport,
            conditions=conditions,
        )
        notify(
            centre_staff(),
            kind="offer.unsolicited",
            subject=lambda: (
                _("%(ref)s: %(donor)s offers standing stock for %(crisis)s")
                % {"ref": offer.reference, "donor": donor.code, "crisis": crisis.code}
            ),
            body=lambda: (
                _("%(donor)s makes available for %(crisis)s:")
                % {"donor": local_name(donor), "crisis": local_name(crisis)}
                + f"\n{_lines_summary(offer)}"
            ),
            link=_offer_link(offer),
            crisis=crisis,
            exclude=actor,
        )
        # After the commit: a match is advice, its failure must not undo the offer.
        transaction.on_commit(partial(matching.stock_posted, offer.pk), robust=True)
    return offer


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
        figures = line_figures(RequestLine.objects.filter(pk=need.pk))[need.pk]
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
            link=_offer_link(line.offer),
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
            link=_offer_link(line.offer),
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
        link=_offer_link(offer),
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
