"""Offers the centre draws from standing stock for a request, which the donor confirms.

A nation's standing (unsolicited) offer is stock it put at the crisis's disposal; the
centre may propose to draw on it for a circulated request (e.g. from an allocation
run). The drawn line is ``proposed`` and references the standing line (``drawn_from``)
until the donor confirms it, so nobody commits a nation's aid but the nation itself;
only then is it open for the requester to accept through the normal flow. A proposed
or open drawn line reserves its units of the standing line: the same stock is never
promised twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from aidbridge.accounts.permissions import require_centre
from aidbridge.audit.services import record
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.core.locks import lock_offer_lines
from aidbridge.core.quantities import whole_quantity
from aidbridge.core.references import next_reference
from aidbridge.ledger.maintained import offer_made, touch_offer_lines
from aidbridge.ledger.sums import standing_stock
from aidbridge.notifications.services import centre_staff, local_name, notify, pocs_of
from aidbridge.offers.actions import require_offer_action
from aidbridge.offers.making import REFERENCE_PREFIX, lines_summary, offer_link
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.transitions import transition
from aidbridge.requests.locks import lock_rfa, lock_rfas
from aidbridge.requests.models import RequestForAssistance, RequestLine

Status = OfferLine.Status


def standing_lines() -> QuerySet[OfferLine]:
    """Lines of unsolicited offers that may still be drawn on (not withdrawn)."""
    return OfferLine.objects.filter(request_line__isnull=True, status=Status.OPEN)


def available_quantities(standing: QuerySet[OfferLine]) -> dict[int, int]:
    """Units of each standing line still free to draw on: the ledger's "available".

    A drawn line gives its units back when the donor declines the proposal or
    withdraws it (withdrawn), or when the requester declines them (``declined``).
    """
    return {pk: stock.available for pk, stock in standing_stock(standing).items()}


@dataclass(frozen=True)
class Draw:
    """Propose ``quantity`` units of standing line ``standing`` for request line ``need``."""

    standing: int
    need: int
    quantity: int


def propose_drawn_offers(actor: Any, draws: Sequence[Draw], *, note: str = "") -> list[OfferLine]:
    """The centre proposes offers drawn from standing stock; one offer per donor and RFA.

    Returns the created lines in the order of ``draws``. Refused as a whole (nothing
    written) when a standing line has fewer units free than drawn, or a request is no
    longer circulated. Call inside the caller's transaction if more must be atomic.
    """
    require_centre(actor, gettext_noop("propose offers drawn from standing stock"))
    if not draws:
        raise ValidationFailed(gettext("select at least one line to propose"), field="proposals")
    with transaction.atomic():
        needs = RequestLine.objects.select_related("rfa__requester", "rfa__crisis", "item").in_bulk(
            {d.need for d in draws}
        )
        # The requests first (core.locks): closing one waits for this proposal, which it
        # then settles, or this proposal sees it closed.
        rfas = lock_rfas(need.rfa_id for need in needs.values())
        # Locks serialise two centre officers drawing on the same stock at once.
        ids = sorted({d.standing for d in draws})
        standing = {ln.pk: ln for ln in lock_offer_lines(OfferLine.objects.filter(pk__in=ids))}
        free = available_quantities(standing_lines().filter(pk__in=ids))
        wanted: dict[int, int] = defaultdict(int)
        for i, d in enumerate(draws):
            wanted[d.standing] += whole_quantity(d.quantity, f"proposals.{i}.quantity")
        for pk in ids:
            line = standing.get(pk)
            if line is None or line.request_line_id is not None:
                raise ValidationFailed(
                    gettext("offer line %(pk)s is not standing stock") % {"pk": pk},
                    field="proposals",
                )
            if pk not in free:
                raise Conflict(
                    gettext("standing offer line %(line)s was withdrawn or used up")
                    % {"line": line},
                    field="proposals",
                )
            if wanted[pk] > free[pk]:
                raise Conflict(
                    gettext(
                        "standing offer line %(line)s (%(code)s, %(code2)s) has %(value)s "
                        "units left, %(value2)s were selected"
                    )
                    % {
                        "line": line,
                        "code": line.offer.donor.code,
                        "code2": line.item.code,
                        "value": free[pk],
                        "value2": wanted[pk],
                    },
                    field="proposals",
                    code="stock_drawn",
                )
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, d in enumerate(draws):
            need = needs.get(d.need)
            if need is None:
                raise ValidationFailed(
                    gettext("no request line %(need)s") % {"need": d.need}, field="proposals"
                )
            rfa = rfas[need.rfa_id]
            if rfa.status != RequestForAssistance.Status.CIRCULATED:
                raise Conflict(
                    gettext("%(rfa)s is %(status)s: it takes no offers")
                    % {"rfa": rfa, "status": rfa.status}
                )
            source = standing[d.standing]
            if source.offer.crisis_id != need.rfa.crisis_id:
                raise ValidationFailed(
                    gettext("%(source)s and %(need)s belong to different crises")
                    % {"source": source, "need": need},
                    field="proposals",
                )
            groups[(source.offer.donor_id, need.rfa_id)].append(i)
        created: dict[int, OfferLine] = {}
        for indexes in groups.values():
            first = draws[indexes[0]]
            created.update(_propose(actor, standing, needs[first.need].rfa, draws, indexes))
        for indexes in groups.values():
            offer = created[indexes[0]].offer
            notify(
                pocs_of(offer.donor),
                kind="offer.proposed",
                subject=partial(_proposed_subject, offer),
                body=partial(_proposed_body, offer, note),
                link=offer_link(offer),
                crisis=offer.crisis,
            )
    return [created[i] for i in range(len(draws))]


def _proposed_subject(offer: Any) -> str:
    return _("%(ref)s: the centre proposes to draw on your standing offer") % {
        "ref": offer.reference
    }


def _proposed_body(offer: Any, note: str) -> str:
    text = _("Please confirm or decline, for %(rfa)s:") % {"rfa": offer.rfa}
    return f"{text}\n{lines_summary(offer)}" + (f"\n{note}" if note else "")


def _propose(
    actor: Any,
    standing: dict[int, OfferLine],
    rfa: RequestForAssistance,
    draws: Sequence[Draw],
    indexes: list[int],
) -> dict[int, OfferLine]:
    standing_offer = standing[draws[indexes[0]].standing].offer
    offer = Offer.objects.create(
        crisis=standing_offer.crisis,
        donor=standing_offer.donor,
        rfa=rfa,
        reference=next_reference(REFERENCE_PREFIX, timezone.now().year),
        available_from=standing_offer.available_from,
        origin_airport=standing_offer.origin_airport,
        origin_place=standing_offer.origin_place,
        origin_lat=standing_offer.origin_lat,
        origin_lon=standing_offer.origin_lon,
        own_transport=standing_offer.own_transport,
        conditions=standing_offer.conditions,
        created_by=actor,
    )
    lines: dict[int, OfferLine] = {}
    for i in indexes:
        d = draws[i]
        from_line = standing[d.standing]
        lines[i] = OfferLine.objects.create(
            offer=offer,
            request_line_id=d.need,
            drawn_from=from_line,
            item=from_line.item,
            quantity=d.quantity,
            status=Status.PROPOSED,
            notes=f"Drawn from {from_line.offer.reference}",
        )
    touch_offer_lines(lines.values())
    offer_made(offer)
    record(
        actor,
        "offer.propose",
        offer,
        crisis=offer.crisis,
        to_state=Status.PROPOSED,
        changes={
            "lines": [
                None,
                [
                    {
                        "line": ln.pk,
                        "request_line": ln.request_line_id,
                        "drawn_from": ln.drawn_from_id,
                        "item": ln.item.code,
                        "quantity": ln.quantity,
                    }
                    for ln in lines.values()
                ],
            ]
        },
    )
    for ln in lines.values():
        record(
            actor,
            "offer_line.propose",
            ln,
            crisis=offer.crisis,
            to_state=Status.PROPOSED,
            changes={"quantity": [None, ln.quantity], "drawn_from": [None, ln.drawn_from_id]},
        )
    return lines


def _proposed_lines(offer: Offer) -> list[OfferLine]:
    """The offer's proposed lines, locked (none: the action rules refuse)."""
    return lock_offer_lines(OfferLine.objects.filter(offer=offer, status=Status.PROPOSED))


def confirm_proposed_offer(actor: Any, offer: Offer) -> Offer:
    """The donor stands by the centre's proposal: its lines are open to the requester."""
    offer = Offer.objects.select_related("donor", "crisis", "rfa__requester").get(pk=offer.pk)
    with transaction.atomic():
        # Locked in the order of core.locks: the request (closing it settles proposals),
        # then the standing lines drawn on (older) and the proposed lines (withdrawing
        # the standing stock withdraws its unconfirmed proposals).
        rfa = lock_rfa(offer.rfa_id) if offer.rfa_id is not None else None
        offer.rfa = rfa  # the rules read the request as locked
        sources = OfferLine.objects.filter(
            pk__in=OfferLine.objects.filter(offer=offer, status=Status.PROPOSED).values(
                "drawn_from"
            )
        )
        locked = lock_offer_lines(
            sources | OfferLine.objects.filter(offer=offer, status=Status.PROPOSED)
        )
        lines = [ln for ln in locked if ln.offer_id == offer.pk]
        require_offer_action(actor, offer, "confirm_proposal", lines)
        assert rfa is not None  # the rule refuses a proposal on no circulated request
        gone = [ln for ln in locked if ln.offer_id != offer.pk and ln.status == Status.WITHDRAWN]
        if gone:
            raise Conflict(
                gettext("the standing offer line %(value)s was withdrawn: decline the proposal")
                % {"value": gone[0]},
                field="offer",
            )
        for ln in lines:
            transition(actor, ln, "confirm", confirm=True)
        record(
            actor,
            "offer.confirm",
            offer,
            crisis=offer.crisis,
            from_state="proposed",
            to_state="open",
        )
        notify(
            pocs_of(rfa.requester),
            kind="offer.new",
            subject=lambda: (
                _("%(ref)s: %(donor)s offers assistance against %(rfa)s")
                % {"ref": offer.reference, "donor": offer.donor.code, "rfa": rfa}
            ),
            body=lambda: (
                _("%(donor)s offers against %(rfa)s (%(title)s):")
                % {"donor": local_name(offer.donor), "rfa": rfa, "title": rfa.title}
                + f"\n{lines_summary(offer)}"
            ),
            link=offer_link(offer),
            crisis=offer.crisis,
            exclude=actor,
        )
    return offer


def decline_proposed_offer(actor: Any, offer: Offer, reason: str = "") -> Offer:
    """The donor does not stand by the proposal: its units go back to the standing offer."""
    offer = Offer.objects.select_related("donor", "crisis", "rfa").get(pk=offer.pk)
    reason = (reason or "").strip()
    with transaction.atomic():
        lines = _proposed_lines(offer)
        require_offer_action(actor, offer, "decline_proposal", lines)
        for ln in lines:
            transition(actor, ln, "decline_proposal", withdraw=True, reason=reason)
        record(
            actor,
            "offer.decline_proposal",
            offer,
            crisis=offer.crisis,
            from_state="proposed",
            to_state="withdrawn",
            reason=reason,
        )
        notify(
            centre_staff(),
            kind="offer.proposal_declined",
            subject=lambda: (
                _("%(ref)s: %(donor)s declined the proposed offer")
                % {"ref": offer.reference, "donor": offer.donor.code}
            ),
            body=lambda: (
                _("%(donor)s declined the offer proposed against %(rfa)s.")
                % {"donor": local_name(offer.donor), "rfa": offer.rfa}
                + ("\n" + _("Reason: %(reason)s") % {"reason": reason} if reason else "")
            ),
            link=offer_link(offer),
            crisis=offer.crisis,
            exclude=actor,
        )
    return offer
