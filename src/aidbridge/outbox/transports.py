"""How a message becomes an HTTP request: one ``prepare`` function per destination
scheme (``webhook:12`` → the webhooks app's), registered by the app that owns the
scheme in its ``AppConfig.ready``. The outbox imports no such app: it only knows the
scheme, so partner centres can add theirs later without touching it.

``prepare`` runs at each attempt, not when the message is written, because what it
adds (a signature over the send time, the current secrets) must be fresh.

A scheme may also register ``on_refused``: called when the receiver refuses a message
(a 4xx answer) inside the transaction that records the attempt, with the status and
the start of the answer's body, so the app can audit the refusal (partner centres do:
a refusal is audited on both sides). Its failure rolls the record back, like any
failure in that transaction; the message is then tried again after its lease.
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
# (message, HTTP status, the start of the answer's body)
OnRefused = Callable[["OutboxMessage", int, str], None]

_TRANSPORTS: dict[str, Prepare] = {}
_ON_REFUSED: dict[str, OnRefused] = {}


def register(scheme: str, prepare: Prepare, *, on_refused: OnRefused | None = None) -> None:
    _TRANSPORTS[scheme] = prepare
    if on_refused is not None:
        _ON_REFUSED[scheme] = on_refused


def scheme_of(destination: str) -> str:
    return destination.split(":", 1)[0]


def prepare(message: OutboxMessage) -> Outgoing:
    try:
        transport = _TRANSPORTS[scheme_of(message.destination)]
    except KeyError:
        raise CannotPrepare(f"no transport for {message.destination!r}") from None
    return transport(message)


def refused(message: OutboxMessage, status_code: int, body: str) -> None:
    """Tell the scheme's app that the receiver refused ``message`` (4xx)."""
    hook = _ON_REFUSED.get(scheme_of(message.destination))
    if hook is not None:
        hook(message, status_code, body)
