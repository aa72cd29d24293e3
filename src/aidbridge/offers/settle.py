"""Settling the offer lines a closing request or crisis leaves behind.

When a request is closed or withdrawn, or a crisis closed, nothing can be accepted on it
any more; offer lines still awaiting a decision would otherwise stay "open" for ever,
count as awaiting decision in the picture and answer 409 to whoever tries to decide
them. So the closing action settles them in its own transaction, each through
``transitions.transition`` (one audit entry per line):

- an open line's pending units are **declined**, with the closing reason;
- a proposal drawn from standing stock that its donor has not confirmed is
  **withdrawn**, which gives its units back to the standing line (see
  ``proposals.drawn_quantities``);
- a standing (unsolicited) line still open is **withdrawn**: the stock is no longer
  at the crisis's disposal. Withdrawn rather than declined, because units of it may be
  drawn into confirmed offers; a withdrawn standing line leaves the standing-stock
  figures altogether, where declining its pending units would drive "available" below
  zero;
- accepted units stay accepted: the aid may still be dispatched and received.

Each donor is told, in its POCs' own language; the e-mails leave after the commit.
The caller holds the lock on the closing parent (see ``core.locks``). ``requests`` and
``crises`` sit below this app and may not import it: they send ``requests.signals.ended``
and ``crises.signals.closed`` inside their transaction, which ``connect`` (called from
``OffersConfig.ready``) hands to ``settle_offer_lines``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import F, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from aidbridge.core.locks import lock_offer_lines
from aidbridge.crises import signals as crisis_signals
from aidbridge.crises.models import Crisis
from aidbridge.ledger.maintained import batched
from aidbridge.notifications.services import notify, pocs_of
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.transitions import transition
from aidbridge.requests import signals as rfa_signals
from aidbridge.requests.models import RequestForAssistance

Status = OfferLine.Status


def unsettled(lines: QuerySet[OfferLine]) -> QuerySet[OfferLine]:
    """Of ``lines``, those a close must settle: open with units pending, or proposed."""
    return lines.filter(status__in=(Status.OPEN, Status.PROPOSED)).exclude(
        status=Status.OPEN, quantity__lte=F("accepted") + F("declined")
    )


def settle_offer_lines(actor: Any, lines: QuerySet[OfferLine], reason: str) -> list[OfferLine]:
    """Decline the pending units of ``lines`` and withdraw their unconfirmed proposals.

    Returns the lines settled. ``reason`` is stored on each line and in its audit entry,
    in the words of the close ("request closed (fulfilled): ...").
    """
    settled: list[tuple[OfferLine, int]] = []
    # One refresh of the maintained figures at the end, in their lock order.
    with batched():
        for line in lock_offer_lines(unsettled(lines)):
            if line.status == Status.PROPOSED or line.request_line_id is None:
                transition(actor, line, "withdraw", withdraw=True, reason=reason)
                settled.append((line, 0))
            else:
                pending = line.pending
                transition(actor, line, "decline", decline=pending, reason=reason)
                settled.append((line, pending))
    _tell_donors(actor, settled, reason)
    return [line for line, _declined in settled]


def connect() -> None:
    """Settle what a closing request or crisis leaves, in its transaction."""
    rfa_signals.ended.connect(_request_ended, dispatch_uid="offers.settle.request")
    crisis_signals.closed.connect(_crisis_closed, dispatch_uid="offers.settle.crisis")


def _request_ended(
    sender: Any, *, actor: Any, rfa: RequestForAssistance, reason: str, **kwargs: Any
) -> None:
    settle_offer_lines(actor, OfferLine.objects.filter(request_line__rfa=rfa), reason)


def _crisis_closed(sender: Any, *, actor: Any, crisis: Crisis, reason: str, **kwargs: Any) -> None:
    settle_offer_lines(actor, OfferLine.objects.filter(offer__crisis=crisis), reason)


def _tell_donors(actor: Any, settled: list[tuple[OfferLine, int]], reason: str) -> None:
    """One notification per offer to its donor's POCs, each in the reader's language."""
    by_offer: dict[int, list[tuple[OfferLine, int]]] = defaultdict(list)
    for line, declined in settled:
        by_offer[line.offer_id].append((line, declined))
    for entries in by_offer.values():
        offer = entries[0][0].offer
        readers: dict[str, list[Any]] = defaultdict(list)
        for user in pocs_of(offer.donor).select_related("profile"):
            readers[getattr(getattr(user, "profile", None), "language", "en")].append(user)
        for language, users in readers.items():
            with translation.override(language):
                subject, body = _texts(offer, entries, reason)
            notify(
                users,
                kind="offer.settled",
                subject=subject[:200],
                body=body,
                link=f"/api/v1/offers/{offer.pk}",
                crisis=offer.crisis,
                exclude=actor,
            )


def _texts(offer: Offer, entries: list[tuple[OfferLine, int]], reason: str) -> tuple[str, str]:
    rows = []
    for line, declined in entries:
        if declined:
            rows.append(
                _("- %(quantity)s %(item)s declined")
                % {"quantity": declined, "item": line.item.code}
            )
        elif line.request_line_id is None:
            rows.append(
                _("- standing stock of %(quantity)s %(item)s withdrawn")
                % {"quantity": line.quantity, "item": line.item.code}
            )
        else:
            rows.append(
                _("- proposal of %(quantity)s %(item)s withdrawn")
                % {"quantity": line.quantity, "item": line.item.code}
            )
    subject = _("%(offer)s: no longer awaiting a decision") % {"offer": offer.reference}
    body = (
        _("What was still pending in %(offer)s was settled: %(reason)s")
        % {"offer": offer.reference, "reason": reason}
        + "\n"
        + "\n".join(rows)
    )
    return subject, body
