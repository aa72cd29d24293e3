"""How a message becomes an HTTP request: one ``prepare`` function per destination
scheme (``webhook:12`` → the webhooks app's), registered by the app that owns the
scheme in its ``AppConfig.ready``. The outbox imports no such app: it only knows the
scheme, so partner centres can add theirs later without touching it.

``prepare`` runs at each attempt, not when the message is written, because what it
adds (a signature over the send time, the current secrets) must be fresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aidbridge.outbox.models import OutboxMessage


@dataclass(frozen=True)
class Outgoing:
    url: str
    headers: dict[str, str]
    body: bytes


class DestinationGone(Exception):
    """The destination no longer exists (a deleted subscription): cancel the message."""


class CannotPrepare(Exception):
    """The message cannot be sent now (e.g. no secret after a restore); retried later."""


Prepare = Callable[["OutboxMessage"], Outgoing]

_TRANSPORTS: dict[str, Prepare] = {}


def register(scheme: str, prepare: Prepare) -> None:
    _TRANSPORTS[scheme] = prepare


def scheme_of(destination: str) -> str:
    return destination.split(":", 1)[0]


def prepare(message: OutboxMessage) -> Outgoing:
    try:
        transport = _TRANSPORTS[scheme_of(message.destination)]
    except KeyError:
        raise CannotPrepare(f"no transport for {message.destination!r}") from None
    return transport(message)
