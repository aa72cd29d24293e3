"""Signing a webhook delivery, Standard Webhooks style (``standardwebhooks``).

Headers: ``webhook-id`` (the outbox message id, the same on every retry: receivers
drop a second delivery by it), ``webhook-timestamp`` (the send time, Unix seconds;
receivers refuse one more than 5 minutes off, so it is signed at each attempt, not when
the event was written), ``webhook-signature`` (``v1,<base64 HMAC-SHA256 of
"id.timestamp.body">``; after a rotation, one signature per valid secret, separated by
a space, so the receiver may hold either secret during the grace period).
"""

from __future__ import annotations

import base64
import secrets

from django.utils import timezone
from standardwebhooks import Webhook

from aidbridge.outbox.models import OutboxMessage
from aidbridge.outbox.transports import CannotPrepare, DestinationGone, Outgoing
from aidbridge.webhooks.models import Subscription

SCHEME = "webhook"
USER_AGENT = "aidbridge-webhooks/1"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def prepare(message: OutboxMessage) -> Outgoing:
    pk = message.destination.removeprefix(SCHEME + ":")
    sub = Subscription.objects.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if sub is None or sub.deleted_at is not None:
        raise DestinationGone("the webhook subscription was deleted")
    if not sub.secret:
        raise CannotPrepare("the subscription has no secret (restored without secrets): rotate it")
    now = timezone.now()
    keys = [sub.secret]
    if sub.previous_secret and sub.previous_valid_until and sub.previous_valid_until > now:
        keys.append(sub.previous_secret)
    signatures = [Webhook(key).sign(message.message_id, now, message.payload) for key in keys]
    headers = {
        "Content-Type": message.content_type,
        "User-Agent": USER_AGENT,
        "webhook-id": message.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
    return Outgoing(sub.url, headers, message.payload.encode())
