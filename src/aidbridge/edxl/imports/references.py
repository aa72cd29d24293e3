"""What an earlier message, named by its MessageID, stands for here.

A message that answers another names it (``PrecedingMessageID``, else
``OriginatingMessageID``) and names the element it answers
(``PrecedingResourceInfoElementID``). The earlier message is either one aidbridge
imported (``ReceivedMessage``, whose ``elements`` say what each element made) or one
aidbridge itself wrote (``edxl.ids``, its own message ids). Whatever it points at must
also be visible to the importing account (the selectors): a message about a request
the importer may not see is refused exactly like one about a request that does not
exist, so a refusal reveals nothing.
"""

from __future__ import annotations

from typing import Any

from aidbridge.audit.models import AuditEntry
from aidbridge.edxl import flow, ids
from aidbridge.edxl.imports.messages import Message
from aidbridge.edxl.models import ReceivedMessage
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import OfferLine
from aidbridge.requests.models import RequestLine

Elements = dict[str, dict[str, int]]


def own_elements(message_id: str) -> Elements | None:
    """The elements of a message aidbridge wrote: its id names the audit entry of the
    step (``edxl.ids``); the elements are named as ``edxl.flow`` names them."""
    entry_id = ids.entry_of(message_id)
    entry = AuditEntry.objects.filter(pk=entry_id).first() if entry_id else None
    if entry is None:
        return None
    if entry.action == "rfa.circulate":
        lines = RequestLine.objects.filter(rfa_id=entry.target_id).select_related("rfa")
        return {flow.request_line_element(ln): {"request_line": ln.pk} for ln in lines}
    if entry.action in ("offer.create", "offer.confirm"):
        offer_lines = OfferLine.objects.filter(offer_id=entry.target_id).select_related("offer")
        return {flow.offer_line_element(ln): {"offer_line": ln.pk} for ln in offer_lines}
    if entry.action == "offer_line.accept":
        offer_lines = OfferLine.objects.filter(pk=entry.target_id).select_related("offer")
        return {flow.offer_line_element(ln): {"offer_line": ln.pk} for ln in offer_lines}
    if entry.action == "dispatch.create":
        dispatch = (
            Dispatch.objects.filter(pk=entry.target_id).select_related("offer_line__offer").first()
        )
        if dispatch is None:
            return None
        line = dispatch.offer_line
        element = ids.dispatch_element(line.offer.reference, line.pk, dispatch.pk)
        return {element: {"dispatch": dispatch.pk}}
    return None


def elements_of(message_id: str) -> Elements | None:
    """What the message ``message_id`` made or meant here, element by element."""
    if not message_id:
        return None
    received = ReceivedMessage.objects.filter(message_id=message_id).first()
    if received is not None:
        return {k: dict(v) for k, v in received.elements.items()}
    return own_elements(message_id)


def answered(message: Message) -> tuple[str, Elements | None]:
    """The id of the message this one answers and its elements (None: unknown here)."""
    for message_id in (message.preceding_id, message.originating_id):
        if message_id and message_id != message.message_id:
            found = elements_of(message_id)
            if found is not None:
                return message_id, found
    return message.preceding_id or message.originating_id, None


def pick(elements: Elements, element_id: str, kind: str) -> list[int]:
    """The ids of ``kind`` (request_line, offer_line, dispatch) that ``element_id``
    names, or, without an element id, every one the message made."""
    if element_id:
        found = elements.get(element_id, {}).get(kind)
        return [found] if found is not None else []
    return [v[kind] for v in elements.values() if kind in v]


def first(values: dict[Any, Any]) -> Any:
    return next(iter(values.values()))
