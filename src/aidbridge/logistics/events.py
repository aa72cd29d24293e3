"""When a dispatch or a receipt happened: the one rule for their event dates.

A dispatch or receipt is often entered after the fact (the next morning, from a
waybill), so the client may say when it happened; the default is now. Figures over
time (the sitreps' deliveries per day) read these dates, never when the row was written.

- Not in the future: at most ``CLOCK_SKEW`` ahead of the server's clock, so a client
  whose clock runs a little fast is not refused.
- A dispatch not before its offer line was first accepted (the audit trail's first
  ``offer_line.accept`` entry; the offer's creation when a line has none).
- A receipt not before its dispatch.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext

from aidbridge.audit.models import AuditEntry
from aidbridge.core.errors import ValidationFailed
from aidbridge.offers.models import OfferLine

CLOCK_SKEW = timedelta(minutes=5)

DISPATCHED_AT_HELP = (
    "When the aid left (default: now). Not in the future (5 minutes of clock skew are "
    "tolerated), not before the offer line was accepted; with a time zone (UTC: Z)."
)
RECEIVED_AT_HELP = (
    "When the aid arrived (default: now). Not in the future (5 minutes of clock skew are "
    "tolerated), not before the dispatch; with a time zone (UTC: Z)."
)


def moment(value: Any, field: str) -> datetime | None:
    """A client's date and time, which must say its time zone; None stays None."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise ValidationFailed(gettext("must be a date and time"), field=field)
    if timezone.is_naive(value):
        raise ValidationFailed(gettext("give the time zone (UTC: a trailing Z)"), field=field)
    return value


def event_date(value: Any, field: str) -> datetime:
    """When an event happened: ``value`` (default now), refused if in the future."""
    at = moment(value, field)
    now = timezone.now()
    if at is None:
        return now
    if at > now + CLOCK_SKEW:
        raise ValidationFailed(
            gettext("cannot be in the future (now is %(now)sZ)")
            % {"now": format(now, "%Y-%m-%d %H:%M")},
            field=field,
        )
    return at


def first_accepted_at(line: OfferLine) -> datetime | None:
    """When ``line`` was first accepted, from the audit trail (None if never)."""
    entry = (
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(OfferLine),
            target_id=line.pk,
            action="offer_line.accept",
        )
        .order_by("at", "pk")
        .values_list("at", flat=True)
        .first()
    )
    if entry is not None:
        return entry
    return line.offer.created_at if line.accepted else None


def require_not_before(at: datetime, earliest: datetime | None, what: str, field: str) -> None:
    if earliest is not None and at < earliest:
        raise ValidationFailed(
            gettext("cannot be before %(what)s (%(earliest)sZ)")
            % {"what": what, "earliest": format(earliest, "%Y-%m-%d %H:%M")},
            field=field,
        )
