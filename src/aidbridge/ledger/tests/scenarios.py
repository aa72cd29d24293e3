"""Small crises built through the real services, for the ledger's tests."""

from __future__ import annotations

from typing import Any

from aidbridge.logistics.models import Dispatch
from aidbridge.logistics.services import confirm_receipt, dispatch_offer_line
from aidbridge.offers import services as offers
from aidbridge.offers.models import OfferLine
from aidbridge.requests.models import RequestForAssistance


def offer(donor: Any, rfa: RequestForAssistance, position: int, quantity: int) -> OfferLine:
    """``donor`` (a POC) offers ``quantity`` against line ``position`` of ``rfa``."""
    line = rfa.lines.get(position=position)
    made = offers.make_offer(donor, rfa=rfa, lines=[{"request_line": line, "quantity": quantity}])
    return made.lines.get()


def accept(requester: Any, line: OfferLine, quantity: int, reason: str = "") -> OfferLine:
    return offers.accept_offer_line(requester, line, quantity, over_acceptance_reason=reason)


def decline(requester: Any, line: OfferLine, quantity: int) -> OfferLine:
    return offers.decline_offer_line(requester, line, "Not the model we use", quantity)


def dispatch(donor: Any, line: OfferLine, quantity: int) -> Dispatch:
    return dispatch_offer_line(donor, line, quantity=quantity, mode=Dispatch.Mode.ROAD)


def receive(requester: Any, sent: Dispatch, quantity: int) -> None:
    note = "" if quantity == sent.quantity else "Some broke in transit"
    confirm_receipt(requester, sent, quantity=quantity, note=note)
