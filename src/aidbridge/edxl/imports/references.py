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

from aidbridge.edxl.imports.messages import Message
from aidbridge.edxl.models import ReceivedMessage

Elements = dict[str, dict[str, int]]


def own_elements(message_id: str) -> Elements | None:
    """The elements of a message aidbridge wrote, from its id (none known yet)."""
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
