"""A crisis's coverage over time: the share of requested units accepted and delivered,
day by day, dated by the business events themselves.

Units differ from item to item (masks, ventilators, patients) and cannot be added, so
each circulated request line weighs the same: at the end of each day, the accepted share
is the mean over the lines circulated so far of ``min(accepted, requested) / requested``
(``line_share``), and likewise for delivered units. It is the rule of the sitrep's
coverage chart, and on the last day it gives the ledger's figures of today.

The days come from the events: a line joins the picture on its request's circulation,
units are accepted on the requester's acceptance decision (the ``offer_line.accept``
entries of the audit trail, the only record of when a decision was taken) and delivered
on the receipt's date (``MOVEMENT_SUMS``, the ledger's own expression, grouped by day).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.ledger.readings import line_values
from aidbridge.ledger.sums import MOVEMENT_SUMS, pictured_rfas
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import OfferLine
from aidbridge.requests.models import RequestLine

ACCEPT = "offer_line.accept"


def line_share(part: int, requested: int) -> float:
    """What ``part`` units cover of a line asking for ``requested`` (0 to 1): units
    beyond the need cover nothing more."""
    return min(part, requested) / requested if requested else 0.0


@dataclass(frozen=True)
class CoveragePoint:
    """The picture at the end of ``day``."""

    day: date
    lines: int  # request lines circulated so far
    accepted: float  # mean share of their requested units accepted (0 to 1)
    delivered: float  # mean share of their requested units delivered (0 to 1)


@dataclass
class _Line:
    requested: int
    circulated: date
    accepted: defaultdict[date, int]
    delivered: defaultdict[date, int]


def _day_in(zone: Any, moment: Any) -> date:
    """``timezone.localdate`` with the zone looked up once, not once per line."""
    return moment.astimezone(zone).date() if timezone.is_aware(moment) else moment.date()


def _acceptances(
    lines: dict[int, _Line], scope: QuerySet[RequestLine], final: dict[int, int]
) -> None:
    """Date each line's accepted units by the decisions that accepted them.

    A decision is an audit entry ``[before, after]`` on one offer line. Units the trail
    does not account for (an offer line written before it had one) are dated at their
    offer's creation, the earliest they can have been accepted, so that the last day
    always shows the ledger's figure.
    """
    zone = timezone.get_current_timezone()
    answers = OfferLine.objects.filter(request_line__in=scope.values("pk")).order_by()
    offer_lines = {
        row["pk"]: row for row in answers.values("pk", "request_line_id", "offer__created_at")
    }
    if not offer_lines:
        return
    dated: dict[int, int] = defaultdict(int)
    entries = AuditEntry.objects.filter(
        action=ACCEPT,
        target_type=ContentType.objects.get_for_model(OfferLine),
        target_id__in=answers.values("pk"),
    ).values_list("target_id", "at", "changes")
    for target, at, changes in entries:
        before, after = changes.get("accepted", [0, 0])
        line = offer_lines[target]["request_line_id"]
        lines[line].accepted[_day_in(zone, at)] += after - before
        dated[line] += after - before
    first_offered: dict[int, Any] = {}
    for row in offer_lines.values():
        line, at = row["request_line_id"], row["offer__created_at"]
        first_offered[line] = min(at, first_offered.get(line, at))
    for line, at in first_offered.items():
        missing = final.get(line, 0) - dated[line]
        if missing:
            lines[line].accepted[max(_day_in(zone, at), lines[line].circulated)] += missing


def coverage_over_time(crisis: Crisis) -> list[CoveragePoint]:
    """One point per day on which the picture of ``crisis`` changed (a circulation, an
    acceptance, a receipt), in order (a few queries whatever the size of the crisis)."""
    scope = RequestLine.objects.filter(rfa__in=pictured_rfas(crisis)).order_by()
    zone = timezone.get_current_timezone()
    # Each request's day once (its lines share it), not each line's.
    circulated = {
        pk: _day_in(zone, at) for pk, at in pictured_rfas(crisis).values_list("pk", "circulated_at")
    }
    rows = scope.values_list("pk", "quantity", "rfa_id")
    lines = {
        pk: _Line(qty, circulated[rfa], defaultdict(int), defaultdict(int)) for pk, qty, rfa in rows
    }
    if not lines:
        return []
    # Each line's accepted units today: the ledger's per-line figures as maintained in
    # each change's transaction (``readings.line_values``), not recomputed here.
    _acceptances(lines, scope, line_values(crisis, "accepted"))
    received = (
        Dispatch.objects.filter(
            offer_line__request_line__in=scope.values("pk"), receipt__isnull=False
        )
        .annotate(day=TruncDate("receipt__received_at"))
        .values("offer_line__request_line_id", "day")
        .annotate(sum_delivered=MOVEMENT_SUMS["sum_delivered"])
        .order_by()
    )
    for row in received:
        lines[row["offer_line__request_line_id"]].delivered[row["day"]] = row["sum_delivered"]
    return _sweep(lines)


def _sweep(lines: dict[int, _Line]) -> list[CoveragePoint]:
    """Walk the days in order, keeping each line's units so far and the sums of the
    counted lines' shares: one pass over the events, whatever the number of days."""
    joining: dict[date, list[int]] = defaultdict(list)
    changes: dict[date, list[tuple[str, int, int]]] = defaultdict(list)
    for pk, ln in lines.items():
        joining[ln.circulated].append(pk)
        for kind in ("accepted", "delivered"):
            for day, units in getattr(ln, kind).items():
                changes[day].append((kind, pk, units))
    so_far: dict[str, defaultdict[int, int]] = {
        "accepted": defaultdict(int),
        "delivered": defaultdict(int),
    }
    shares = {"accepted": 0.0, "delivered": 0.0}
    counted: set[int] = set()
    points = []
    for day in sorted(set(joining) | set(changes)):
        for kind, pk, units in changes.get(day, ()):
            before = so_far[kind][pk]
            so_far[kind][pk] = before + units
            if pk in counted:
                requested = lines[pk].requested
                shares[kind] += line_share(before + units, requested) - line_share(
                    before, requested
                )
        for pk in joining.get(day, ()):
            counted.add(pk)
            for kind in shares:
                shares[kind] += line_share(so_far[kind][pk], lines[pk].requested)
        n = len(counted)
        points.append(
            CoveragePoint(
                day,
                n,
                shares["accepted"] / n if n else 0.0,
                shares["delivered"] / n if n else 0.0,
            )
        )
    return points
