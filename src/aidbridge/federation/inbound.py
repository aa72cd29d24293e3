"""Receiving a partner's message: check who sent it, that it is fresh and untouched,
apply it once.

Refusals are 4xx with the API's error shape and a ``code`` naming why
(``unknown_centre``, ``bad_signature``, ``stale_timestamp``, ``bad_message``,
``conflict``: applying it clashed with a row here, so nothing of it is kept); each is
audited, as is each message applied. A message id seen before is answered 200 with
``"replay": true`` and changes nothing, so the sender's retries are harmless; only a
message id, never anything else, is taken as seen.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from aidbridge.audit.services import record
from aidbridge.core.errors import DomainError
from aidbridge.federation import apply, commands, signing
from aidbridge.federation.messages import COMMAND, SNAPSHOT
from aidbridge.federation.models import InboundMessage, Partner, PartnerKey


@dataclass
class Refused(Exception):
    status: int
    code: str
    detail: str


@dataclass
class Answer:
    status: int
    body: dict[str, Any]


def _header(headers: Any, name: str) -> str:
    return str(headers.get(name, "") or "")


def authenticate(headers: Any, body: bytes) -> tuple[Partner, str]:
    """The sending partner and the message id, or ``Refused``."""
    code = _header(headers, signing.CENTRE)
    message_id = _header(headers, signing.MESSAGE_ID)
    timestamp = _header(headers, signing.TIMESTAMP)
    sent = _header(headers, signing.SIGNATURE)
    if not (code and message_id and timestamp and sent):
        raise Refused(400, "bad_message", "the four X-Aidbridge headers are required")
    if len(message_id) > 60:
        raise Refused(400, "bad_message", "the message id is longer than 60 characters")
    partner = Partner.objects.filter(code=code, active=True).first()
    if partner is None:
        raise Refused(403, "unknown_centre", f"no active partner centre {code[:20]!r}")
    if not timestamp.isdigit():
        raise Refused(400, "bad_message", "the timestamp is not Unix seconds")
    window = float(settings.AIDBRIDGE_FEDERATION_WINDOW_S)
    if abs(timezone.now().timestamp() - int(timestamp)) > window:
        raise Refused(401, "stale_timestamp", f"the timestamp is more than {window:.0f} s off")
    keys = signing.valid_keys(partner, PartnerKey.Purpose.VERIFY)
    if not any(
        hmac.compare_digest(signing.signature(key, message_id, timestamp, body), sent)
        for key in keys
    ):
        raise Refused(401, "bad_signature", "the signature matches no valid key of the sender")
    return partner, message_id


def receive(headers: Any, body: bytes) -> Answer:
    try:
        partner, message_id = authenticate(headers, body)
    except Refused as first:
        _audit_refusal(headers, first)
        return Answer(first.status, _error(first))
    try:
        message = json.loads(body)
        kind = message["kind"]
        assert isinstance(message, dict) and kind in (SNAPSHOT, COMMAND)
    except (ValueError, KeyError, TypeError, AssertionError):
        shape = Refused(400, "bad_message", "the body is not a federation message")
        _audit_refusal(headers, shape)
        return Answer(400, _error(shape))
    replay = Answer(200, {"message_id": message_id, "replay": True})
    try:
        with transaction.atomic():
            seen = InboundMessage.objects.filter(partner=partner, message_id=message_id)
            if seen.exists():
                return replay
            try:
                # Its own savepoint: only a clash on the message id means the same
                # message, delivered twice at once. A clash while applying it is a
                # failure the sender must see and retry, never an acknowledgement.
                with transaction.atomic():
                    InboundMessage.objects.create(
                        message_id=message_id,
                        partner=partner,
                        kind=kind,
                        received_at=timezone.now(),
                    )
            except IntegrityError:
                return replay
            outcome = _apply(partner, kind, message)
            InboundMessage.objects.filter(partner=partner, message_id=message_id).update(
                outcome=outcome[:300]
            )
    except IntegrityError as clash:
        conflict = Refused(
            409, "conflict", f"the message clashes with a row here, nothing applied: {clash}"[:300]
        )
        _audit_refusal(headers, conflict)
        return Answer(409, _error(conflict))
    except Refused as refused:
        _audit_refusal(headers, refused)
        return Answer(refused.status, _error(refused))
    except DomainError as wrong:  # a message we cannot apply: tell the sender why
        unusable = Refused(422, "bad_message", str(wrong))
        _audit_refusal(headers, unusable)
        return Answer(422, _error(unusable))
    return Answer(200, {"message_id": message_id, "replay": False, "outcome": outcome})


def _apply(partner: Partner, kind: str, message: dict[str, Any]) -> str:
    if kind == SNAPSHOT:
        if not partner.receives_from:
            raise Refused(403, "not_shared", "we do not receive requests from this centre")
        return apply.apply_snapshot(partner, message)
    return commands.apply(partner, message)


def _error(refused: Refused) -> dict[str, Any]:
    return {"detail": refused.detail, "code": refused.code, "errors": []}


def _audit_refusal(headers: Any, refused: Refused) -> None:
    code = _header(headers, signing.CENTRE)[:20]
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        return  # nothing of ours to hang it on; the server log has the request
    with transaction.atomic():
        record(
            None,
            "federation.refused",
            partner,
            to_state=refused.code,
            changes={"message_id": [None, _header(headers, signing.MESSAGE_ID)[:60]]},
            reason=refused.detail,
        )
