"""Webhook events, made in one place: from the audit entries.

Every business action writes its audit entry through ``audit.services.record`` inside
the transaction of its change; ``on_recorded`` listens there (the ``recorded`` signal)
and, for the actions in ``EVENTS``, writes one outbox message per subscription that
wants the event and whose account may see the entry's object. The event is thus
committed with its change or not at all, and no service needed editing.

Visibility is the audit trail's own rule (``audit.selectors.entries_visible_to``: an
entry is visible exactly when its target is), asked as the subscriber's account, at
the time of the event.

Body (Standard Webhooks' ``type``/``timestamp``/``data``)::

    {"type": "offer.accepted", "timestamp": "2020-03-24T10:00:00.000000Z",
     "data": {"crisis": "covid-19-2020", "audit_entry": 812,
              "object": {"type": "offer_line", "id": 44, "reference": "OFF-2020-0012/1"},
              "request": {"id": 7, "reference": "RFA-2020-0007"},
              "request_lines": [{"id": 19, "position": 1, "item": "VENT-ICU",
                                 "figures": {"requested": 150, "offered": 80, ...}}]}}

The figures are the ledger's (``aidbridge.ledger.sums.line_figures``) as they stand in
the transaction, after the change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType

from aidbridge.audit.models import AuditEntry
from aidbridge.audit.selectors import entry_visible_to
from aidbridge.core.errors import NotAllowed
from aidbridge.ledger.sums import line_figures
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import OfferLine
from aidbridge.outbox.services import enqueue
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.webhooks.models import EventType, Subscription

# audit action → event type. Only these actions make events.
EVENTS: dict[str, str] = {
    "rfa.circulate": EventType.REQUEST_CIRCULATED,
    "rfa.withdraw": EventType.REQUEST_WITHDRAWN,
    "rfa.close": EventType.REQUEST_CLOSED,
    "offer_line.create": EventType.OFFER_MADE,
    "offer_line.confirm": EventType.OFFER_CONFIRMED,
    "offer_line.accept": EventType.OFFER_ACCEPTED,
    "offer_line.decline": EventType.OFFER_DECLINED,
    "offer_line.withdraw": EventType.OFFER_WITHDRAWN,
    "dispatch.create": EventType.AID_DISPATCHED,
    "dispatch.arrival": EventType.AID_ARRIVED,
    "receipt.confirm": EventType.AID_RECEIVED,
    "sitrep.publish": EventType.SITREP_PUBLISHED,
}


def on_recorded(sender: Any, entries: list[AuditEntry], target: Any = None, **kwargs: Any) -> None:
    """The ``audit.services.recorded`` listener (``target``: the one entry's object)."""
    wanted = [e for e in entries if e.action in EVENTS and e.pk is not None]
    if not wanted:  # most actions: no query at all
        return
    subscriptions = list(
        Subscription.objects.filter(deleted_at__isnull=True, account__is_active=True)
        .select_related("account__profile")
        .order_by("id")
    )
    if not subscriptions:
        return
    for entry in wanted:
        emit(entry, subscriptions, target if len(entries) == 1 else None)


def emit(entry: AuditEntry, subscriptions: Iterable[Subscription], target: Any = None) -> int:
    """Write the entry's event for each subscription that wants it and may see it."""

    event_type = EVENTS[entry.action]
    body: str | None = None
    key = ""
    written = 0
    for sub in subscriptions:
        if event_type not in sub.event_types or not _may_see(sub.account, entry):
            continue
        if body is None:
            data, key = _data(entry, target)
            body = json.dumps(
                {"type": event_type, "timestamp": _iso(entry), "data": data},
                separators=(",", ":"),
                ensure_ascii=False,
            )
        enqueue(sub.destination, key, body, event_type=event_type)
        written += 1
    return written


def _may_see(account: Any, entry: AuditEntry) -> bool:

    try:
        return entry_visible_to(account, entry)
    except NotAllowed:  # an account without a role sees nothing
        return False


def _iso(entry: AuditEntry) -> str:
    return entry.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _data(entry: AuditEntry, target: Any = None) -> tuple[dict[str, Any], str]:
    """The event's data and its ordering key (the request, else the crisis)."""
    content_type = ContentType.objects.get_for_id(entry.target_type_id)
    if target is None or target.pk != entry.target_id:
        target = content_type.get_object_for_this_type(pk=entry.target_id)
    model = content_type.model
    # The crisis object the audit service was given is on the entry already: no query.
    crisis = entry.crisis.code if entry.crisis_id is not None and entry.crisis else None
    rfa, lines = _request_of(target)
    data: dict[str, Any] = {
        "crisis": crisis,
        "audit_entry": entry.pk,
        "object": {
            "type": _object_type(model),
            "id": entry.target_id,
            "reference": entry.target_repr,
        },
        "request": {"id": rfa.pk, "reference": rfa.reference} if rfa is not None else None,
        "request_lines": lines,
    }
    key = f"rfa:{rfa.pk}" if rfa is not None else f"crisis:{entry.crisis_id}"
    return data, key


_TYPES = {
    "requestforassistance": "request",
    "requestline": "request_line",
    "offerline": "offer_line",
    "dispatch": "dispatch",
    "receipt": "receipt",
    "sitrep": "sitrep",
}


def _object_type(model: str) -> str:
    return _TYPES.get(model, model)


def _request_of(target: Any) -> tuple[Any, list[dict[str, Any]]]:
    """The request the target belongs to, and the figures of its affected lines."""

    if isinstance(target, RequestForAssistance):
        lines = RequestLine.objects.filter(rfa=target)
    else:
        offer_line = None
        if isinstance(target, OfferLine):
            offer_line = target
        elif isinstance(target, Dispatch):
            offer_line = target.offer_line
        elif isinstance(target, Receipt):
            offer_line = target.dispatch.offer_line
        if offer_line is None or offer_line.request_line_id is None:
            return None, []
        lines = RequestLine.objects.filter(pk=offer_line.request_line_id)
    lines = lines.select_related("rfa", "item").order_by("position")
    figures = line_figures(lines)
    rows = list(lines)
    out = [
        {
            "id": line.pk,
            "position": line.position,
            "item": line.item.code,
            "figures": figures[line.pk].as_dict() if line.pk in figures else None,
        }
        for line in rows
    ]
    rfa = rows[0].rfa if rows else (target if isinstance(target, RequestForAssistance) else None)
    return rfa, out
