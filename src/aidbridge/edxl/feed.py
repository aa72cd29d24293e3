"""The crisis feed: every message aidbridge would send, in order, from a cursor.

The cursor is an audit entry id: the feed gives the mapped entries after it, and the
next cursor. Ids are handed out when an entry is written but become visible when its
transaction commits, so a short transaction can commit an id above one still in flight;
a client that had moved its cursor past the higher id would never see the lower one.
The feed therefore stops before a gap in the ids whose next entry is younger than
``AIDBRIDGE_EDXL_FEED_SETTLE_SECONDS`` (a gap older than that is a rolled-back
transaction's id and is skipped). Nothing is lost and nothing repeated, at the price of
messages showing up a few seconds late when a write is still under way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from lxml import etree

from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.edxl import export
from aidbridge.edxl.parts import Message

DEFAULT_LIMIT = 200
MAX_LIMIT = 1000


def settle_seconds() -> float:
    return float(getattr(settings, "AIDBRIDGE_EDXL_FEED_SETTLE_SECONDS", 30))


def settled_horizon(since: int, upto: int | None = None) -> int:
    """The highest entry id such that every id in ``(since, horizon]`` is committed or
    will never be (``upto`` bounds the scan)."""
    rows = AuditEntry.objects.filter(pk__gt=since)
    if upto is not None:
        rows = rows.filter(pk__lte=upto)
    cutoff = timezone.now() - timedelta(seconds=settle_seconds())
    horizon = since
    for pk, at in rows.order_by("pk").values_list("pk", "at").iterator(chunk_size=2000):
        if pk != horizon + 1 and at > cutoff:
            break  # a missing id just before a fresh entry: possibly still in flight
        horizon = pk
    return horizon


@dataclass
class FeedPage:
    since: int
    cursor: int  # give it back as ``since`` to resume exactly here
    more: bool  # another page is ready now
    items: list[tuple[Message, etree._Element]]


def feed(actor: Any, crisis: Crisis, since: int = 0, limit: int = DEFAULT_LIMIT) -> FeedPage:
    """One page of the crisis's messages that ``actor`` may see, after cursor ``since``."""
    candidates = list(export.visible_entries(actor, crisis).filter(pk__gt=since)[:limit])
    full = len(candidates) == limit
    horizon = settled_horizon(since, candidates[-1].pk if full else None)
    entries = [e for e in candidates if e.pk <= horizon]
    ctx = export.context(crisis)
    found = export.messages(entries, ctx)
    items = [(m, export.single_envelope(m, crisis)) for m in found]
    more = full and bool(candidates) and horizon == candidates[-1].pk
    return FeedPage(since=since, cursor=horizon, more=more, items=items)
