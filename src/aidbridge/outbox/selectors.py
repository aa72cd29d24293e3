"""Reading the outbox, for the centre's page (the centre alone sees it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from aidbridge.accounts.permissions import is_centre
from aidbridge.core.errors import NotAllowed, NotFound
from aidbridge.outbox.models import OutboxMessage

OPEN = (OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILING)


def require_centre(actor: Any) -> None:
    if not is_centre(actor):
        raise NotAllowed("only the centre sees the outbox")


def counts(actor: Any) -> dict[str, int]:
    require_centre(actor)
    rows = OutboxMessage.objects.order_by().values("status").annotate(n=Count("pk"))
    out = {status: 0 for status in OutboxMessage.Status.values}
    out.update({row["status"]: row["n"] for row in rows})
    return out


def messages(actor: Any, status: str) -> QuerySet[OutboxMessage]:
    """Messages of one status, newest first; open ones say whether an earlier message
    of their key holds them back (``held``)."""
    require_centre(actor)
    earlier_open = OutboxMessage.objects.filter(
        destination=OuterRef("destination"),
        ordering_key=OuterRef("ordering_key"),
        id__lt=OuterRef("id"),
        status__in=OPEN,
    )
    return (
        OutboxMessage.objects.filter(status=status)
        .annotate(held=Exists(earlier_open))
        .order_by("-id")
    )


def message(actor: Any, pk: int) -> OutboxMessage:
    require_centre(actor)
    found = OutboxMessage.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound("no such message")
    return found
