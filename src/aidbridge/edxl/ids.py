"""Stable identifiers: message ids, distribution ids, resource element ids, value lists.

A message id is derived from the audit entry that caused the message (the feed is the
crisis's audit trail mapped to messages), so exporting the same step twice, today or
next year, gives the same id, and a receiver recognises a message it already has.
The centre's code (``AIDBRIDGE_CENTRE_CODE``) keeps two aidbridge centres' ids apart.
"""

from __future__ import annotations

from typing import Final

from django.conf import settings

# aidbridge's value lists, published at /api/v1/edxl/value-lists/<name> (see api.py).
CATALOGUE_URN: Final = "urn:aidbridge:catalogue:1"
UNITS_URN: Final = "urn:aidbridge:units:1"
PRIORITY_URN: Final = "urn:aidbridge:priority:1"
DEPLOYMENT_STATUS_URN: Final = "urn:aidbridge:deployment-status:1"
# Envelope value lists: the crisis keyword, the parties (explicit addresses), roles.
CRISIS_URN: Final = "urn:aidbridge:crisis"
PARTY_SCHEME: Final = "urn:aidbridge:party"
ROLE_URN: Final = "urn:aidbridge:role"

VALUE_LISTS: Final = {
    "catalogue": CATALOGUE_URN,
    "units": UNITS_URN,
    "priority": PRIORITY_URN,
    "deployment-status": DEPLOYMENT_STATUS_URN,
}


def centre() -> str:
    return str(settings.AIDBRIDGE_CENTRE_CODE)


def message_id(entry_id: int) -> str:
    """The message caused by audit entry ``entry_id``."""
    return f"urn:aidbridge:{centre()}:message:{entry_id}"


def distribution_id(entry_id: int) -> str:
    """The envelope carrying the message of audit entry ``entry_id``."""
    return f"urn:aidbridge:{centre()}:distribution:{entry_id}"


def entry_of(message_or_distribution_id: str) -> int | None:
    """The audit entry id a message or distribution id of this centre names, or None."""
    head, _, tail = message_or_distribution_id.rpartition(":")
    if head not in (
        f"urn:aidbridge:{centre()}:message",
        f"urn:aidbridge:{centre()}:distribution",
    ):
        return None
    return int(tail) if tail.isdigit() else None


def sender_id(party_code: str) -> str:
    """DE senderID in the recommended ``actor@domain`` form."""
    return f"{party_code}@{centre().lower()}.aidbridge"


def request_line_element(reference: str, position: int) -> str:
    """A request line as a ResourceInfoElementID: ``RFA-2020-0007/1``."""
    return f"{reference}/{position}"


def offer_line_element(offer_reference: str, line_id: int) -> str:
    return f"{offer_reference}/L{line_id}"


def dispatch_element(offer_reference: str, line_id: int, dispatch_id: int) -> str:
    return f"{offer_reference}/L{line_id}/D{dispatch_id}"
