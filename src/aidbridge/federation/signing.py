"""Signing what we send to a partner centre, and checking what it sends us.

Headers: ``X-Aidbridge-Centre`` (the sender's code), ``X-Aidbridge-Message-Id`` (the
outbox message id, the same on every retry), ``X-Aidbridge-Timestamp`` (Unix seconds,
signed at each attempt) and ``X-Aidbridge-Signature`` (``v1=<hex HMAC-SHA256 of
"<message id>.<timestamp>." + body>`` with our newest valid signing key for that
partner). The receiver tries each of its valid verification keys for the sender, so a
key is rotated without downtime: the partner adds the new key to its verification
keys, we switch to signing with it, the old one lapses at its ``not_after``.

The timestamp window (``AIDBRIDGE_FEDERATION_WINDOW_S``, 600 s by default) is wider
than a replay window usually is so that two centres whose clocks are 5 minutes apart
still talk; the message id, recorded for good, refuses a replay inside it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from aidbridge.audit.services import record
from aidbridge.federation import ids, snapshot
from aidbridge.federation.messages import SNAPSHOT, dumps
from aidbridge.federation.models import Partner, PartnerKey
from aidbridge.outbox.models import OutboxMessage
from aidbridge.outbox.transports import CannotPrepare, DestinationGone, Outgoing

SCHEME = "partner"
PATH = "/api/v1/federation/messages"
USER_AGENT = "aidbridge-federation/1"
CENTRE = "X-Aidbridge-Centre"
MESSAGE_ID = "X-Aidbridge-Message-Id"
TIMESTAMP = "X-Aidbridge-Timestamp"
SIGNATURE = "X-Aidbridge-Signature"


def new_secret() -> str:
    return "fedsec_" + secrets.token_urlsafe(32)


def signature(secret: str, message_id: str, timestamp: str, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def valid_keys(partner: Partner, purpose: str) -> list[str]:
    now = timezone.now()
    rows = partner.keys.filter(purpose=purpose).filter(
        Q(not_after__isnull=True) | Q(not_after__gt=now)
    )
    return list(rows.order_by("-created_at", "-id").values_list("secret", flat=True))


def now_seconds() -> int:
    # The skew setting exists for the tests of two centres whose clocks differ.
    skew = timedelta(seconds=float(getattr(settings, "AIDBRIDGE_FEDERATION_CLOCK_SKEW_S", 0)))
    return int((timezone.now() + skew).timestamp())


def signed_headers(partner: Partner, message_id: str, body: bytes) -> dict[str, str]:
    keys = valid_keys(partner, PartnerKey.Purpose.SIGN)
    if not keys:
        raise CannotPrepare(f"no valid signing key for partner {partner.code}")
    timestamp = str(now_seconds())
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        CENTRE: ids.own_code(),
        MESSAGE_ID: message_id,
        TIMESTAMP: timestamp,
        SIGNATURE: signature(keys[0], message_id, timestamp, body),
    }


def _partner(message: OutboxMessage) -> Partner | None:
    pk = message.destination.removeprefix(SCHEME + ":")
    return Partner.objects.filter(pk=int(pk) if pk.isdigit() else 0).first()


def prepare(message: OutboxMessage) -> Outgoing:
    partner = _partner(message)
    if partner is None:
        raise DestinationGone("the partner centre was removed")
    if not partner.active:
        raise CannotPrepare(f"partner {partner.code} is suspended")
    if message.event_type == "federation.snapshot":
        # The request as it stands now (its latest version), not as it was queued.
        rfa_pk = int(json.loads(message.payload)["rfa"])
        body = snapshot.build(rfa_pk)
        assert body["kind"] == SNAPSHOT
        payload = dumps(body).encode()
    else:
        payload = message.payload.encode()
    headers = signed_headers(partner, message.message_id, payload)
    return Outgoing(partner.base_url.rstrip("/") + PATH, headers, payload)


def refused(message: OutboxMessage, status_code: int, body: str) -> None:
    """The partner refused what we sent (a 4xx): audited here as at the partner, with
    its error code (``bad_signature``, ``stale_timestamp``, ...), in the transaction
    that records the attempt (``outbox.transports.refused``)."""
    partner = _partner(message)
    if partner is None:
        return
    try:
        answer = json.loads(body)
        code, detail = str(answer.get("code") or ""), str(answer.get("detail") or "")
    except (ValueError, AttributeError):  # not the API's error shape (a proxy's page)
        code, detail = "", body
    record(
        None,
        "federation.delivery_refused",
        partner,
        to_state=code[:30],
        changes={
            "message_id": [None, message.message_id],
            "http_status": [None, status_code],
        },
        reason=detail[:300],
    )
