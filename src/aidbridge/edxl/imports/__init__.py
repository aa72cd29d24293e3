"""Importing EDXL-RM 1.0 messages (bare, or in an EDXL-DE 1.0 envelope) from other systems.

The order is fixed: read safely (``edxl.imports.reading``: no DTD, no entities, no network; the
right namespaces), validate every message against its schema (``edxl.schemas``, whose
error paths are returned as they are), then map each message to aidbridge's own
services, all in one transaction: a document goes in whole or not at all. A message
seen before (same ``MessageID``; an envelope of the same ``distributionID``) is
acknowledged and changes nothing.

Who acts: the importing account, which must belong to the party whose action the
message is (its requester for a request, an acceptance or a receipt; its responding
organisation for an offer or a dispatch): see ``context.require_acting_for``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from aidbridge.edxl import ids, schemas
from aidbridge.edxl.imports.context import Context, Outcome
from aidbridge.edxl.imports.errors import MessageRefused, Problem
from aidbridge.edxl.imports.messages import Message, read_message
from aidbridge.edxl.imports.movements import deployment_status
from aidbridge.edxl.imports.needs import request_resource
from aidbridge.edxl.imports.offers import offer_unsolicited, requisition, response_to_request
from aidbridge.edxl.imports.reading import Document, read
from aidbridge.edxl.imports.releases import release, request_return
from aidbridge.edxl.imports.resolve import Items, Parties
from aidbridge.edxl.models import ReceivedMessage

HANDLERS: dict[str, Callable[[Context, Message], Outcome]] = {
    "RequestResource": request_resource,
    "ResponseToRequestResource": response_to_request,
    "OfferUnsolicitedResource": offer_unsolicited,
    "RequisitionResource": requisition,
    "ReportResourceDeploymentStatus": deployment_status,
    # A supplier's commitment against a request's lines is an offer against them.
    "CommitResource": response_to_request,
    "ReleaseResource": release,
    "RequestReturn": request_return,
}


@dataclass
class ImportResult:
    """What a document did: per message, what it created, or that it was seen before."""

    distribution_id: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def replay(self) -> bool:
        return all(m["replay"] for m in self.messages)

    def as_dict(self) -> dict[str, Any]:
        return {
            "distribution_id": self.distribution_id or None,
            "replay": self.replay,
            "messages": self.messages,
        }


def _answer(received: ReceivedMessage, *, replay: bool) -> dict[str, Any]:
    return {
        "message_id": received.message_id,
        "message_type": received.message_type,
        "sender": received.sender.code,
        "crisis": received.crisis.code,
        "outcome": received.outcome,
        "replay": replay,
        "created": received.created,
    }


def validate(document: Document) -> None:
    """Refused with every schema error, each at the schema's own path."""
    errors = schemas.validate(document.root)
    if errors:
        raise MessageRefused(
            "schema_invalid",
            [Problem(f"{e.reason} ({e.schema})", e.path) for e in errors],
        )


def _seen(document: Document, messages: list[Message]) -> list[ReceivedMessage] | None:
    """The earlier import of this very document, or None if any of it is new."""
    if document.distribution_id:
        earlier = list(
            ReceivedMessage.objects.filter(
                distribution_id=document.distribution_id, envelope_sender=document.sender_id
            ).select_related("sender", "crisis")
        )
        if earlier:
            return earlier
    ids = [m.message_id for m in messages]
    earlier = list(
        ReceivedMessage.objects.filter(message_id__in=ids).select_related("sender", "crisis")
    )
    return earlier if len(earlier) == len(set(ids)) else None


def import_document(actor: Any, data: bytes) -> ImportResult:
    """Import every message of ``data``, or none (MessageRefused saying why)."""
    document = read(data)
    validate(document)
    messages = [read_message(m.element) for m in document.messages]
    result = ImportResult(document.distribution_id)
    earlier = _seen(document, messages)
    if earlier is not None:
        result.messages = [_answer(r, replay=True) for r in earlier]
        return result
    ctx = Context(
        actor,
        Parties(),
        Items(ids.CATALOGUE_URN),
        sender_id=document.sender_id,
        envelope_incidents=document.incident_ids,
    )
    try:
        with transaction.atomic():
            for message in messages:
                seen = (
                    ReceivedMessage.objects.filter(message_id=message.message_id)
                    .select_related("sender", "crisis")
                    .first()
                )
                if seen is not None:  # sent before in another envelope: acknowledged
                    result.messages.append(_answer(seen, replay=True))
                    continue
                outcome = HANDLERS[message.kind](ctx, message)
                received = ReceivedMessage.objects.create(
                    message_id=message.message_id,
                    distribution_id=document.distribution_id,
                    envelope_sender=document.sender_id,
                    message_type=message.kind,
                    sender=outcome.sender,
                    crisis=outcome.crisis,
                    imported_by=actor,
                    outcome=ReceivedMessage.Outcome.CREATED
                    if outcome.created
                    else ReceivedMessage.Outcome.NOTHING,
                    created=outcome.created,
                    elements=outcome.elements,
                )
                result.messages.append(_answer(received, replay=False))
    except IntegrityError:
        # The same message imported at the same moment by another request: that one
        # won, and this one changed nothing (its transaction is rolled back).
        earlier = _seen(document, messages)
        if earlier is None:
            raise
        result.messages = [_answer(r, replay=True) for r in earlier]
    return result
