"""The requests' row locks, in the one order of ``core/locks.py`` (ascending id)."""

from __future__ import annotations

from collections.abc import Iterable

from aidbridge.requests.models import RequestForAssistance


def lock_rfa(pk: int) -> RequestForAssistance:
    """The request, locked (its crisis and requester read along, not locked)."""
    return (
        RequestForAssistance.objects.select_for_update(no_key=True, of=("self",))
        .select_related("crisis", "requester")
        .get(pk=pk)
    )


def lock_rfas(pks: Iterable[int]) -> dict[int, RequestForAssistance]:
    """Several requests, locked in ascending id (the order every service uses)."""
    rows = (
        RequestForAssistance.objects.select_for_update(no_key=True, of=("self",))
        .select_related("crisis", "requester")
        .filter(pk__in=set(pks))
        .order_by("pk")
    )
    return {rfa.pk: rfa for rfa in rows}
