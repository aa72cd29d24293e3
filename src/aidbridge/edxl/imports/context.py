"""What every message handler shares: the importing account, the look-ups, the problems
found so far, and the one way a service's refusal becomes the message's refusal."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction

from aidbridge.accounts.permissions import profile_of
from aidbridge.core.errors import DomainError
from aidbridge.crises.models import Crisis
from aidbridge.edxl.imports.errors import MessageRefused, Problem
from aidbridge.edxl.imports.messages import Message, ResourceInfo
from aidbridge.edxl.imports.resolve import Items, Parties
from aidbridge.parties.models import Party

T = TypeVar("T")
_LINE_FIELD = re.compile(r"^lines\.(\d+)(?:\.\w+)?$")


@dataclass
class Outcome:
    """What one message did here (``ReceivedMessage`` keeps it)."""

    sender: Party
    crisis: Crisis
    created: list[dict[str, Any]] = field(default_factory=list)
    elements: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Context:
    actor: Any
    parties: Parties
    items: Items
    sender_id: str = ""  # the envelope's senderID
    envelope_incidents: list[str] = field(default_factory=list)


class Problems:
    """Problems of one message, gathered so the sender learns them all at once; the
    refusal's code is the first problem's kind."""

    def __init__(self) -> None:
        self.found: list[tuple[str, Problem]] = []

    def add(self, code: str, problem: Problem) -> None:
        self.found.append((code, problem))

    def check(self, code: str, value: T | Problem) -> T | None:
        if isinstance(value, Problem):
            self.add(code, value)
            return None
        return value

    def raise_any(self) -> None:
        if self.found:
            raise MessageRefused(self.found[0][0], [p for _, p in self.found])


def require_acting_for(actor: Any, party: Party, message: Message) -> None:
    """The importing account acts for the message's party, or the message is refused:
    a nation's messages come in through an account of that nation, never another's."""
    try:
        profile = profile_of(actor)
    except DomainError as exc:
        raise MessageRefused.one("forbidden", exc.message, status=403) from None
    if profile.party_id != party.pk:
        raise MessageRefused.one(
            "forbidden",
            f"this {message.kind} is {party.code}'s; an account of {profile.party.code} "
            f"cannot import it (import a nation's messages with an account of that nation)",
            message.path,
            status=403,
        )


def service(resources: list[ResourceInfo], message: Message, call: Callable[[], T]) -> T:
    """Run a service (in a savepoint); its refusal becomes the message's, pinned to the
    resource a ``lines.N.field`` names (or the one resource acted on), else to the
    message."""
    try:
        with transaction.atomic():
            return call()
    except DomainError as exc:
        path = message.path
        match = _LINE_FIELD.match(exc.field or "")
        if match and int(match.group(1)) < len(resources):
            path = resources[int(match.group(1))].path
        elif len(resources) == 1:  # a service acting on one resource (accept, dispatch)
            path = resources[0].path
        raise MessageRefused(exc.code, [Problem(exc.message, path)], status=exc.status) from None
