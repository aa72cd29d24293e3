"""Circulating a repeated request as an escalation of the open request it repeats.

A nation's second request for the same need usually says "worse than before". Before
circulating it, the centre may merge it into the open (circulated) request it repeats
(``requests.links`` finds those): each of its lines either raises the earlier line of
the same item and the same delivery point, by the increase the centre was shown
("+200", "needed 5 days earlier"), or, when no such line exists (a substitute, another
place), is added to the earlier request as a new line. Offers already made stay on the
lines they were made against. The second request ends closed as ``merged``, with a
reference and its own lines and history, out of the picture: its need is counted once,
in the earlier request's lines.

The lines' changes are written as every line change is (``rfa_line.update`` /
``rfa_line.add`` entries, see ``requests.services``), with the escalation as reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.permissions import require_centre
from aidbridge.audit.services import record
from aidbridge.core.changes import jsonable
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.core.references import next_reference
from aidbridge.ledger.maintained import touch_request
from aidbridge.requests import notices
from aidbridge.requests.actions import escalation_targets
from aidbridge.requests.lines import MAX_LINES
from aidbridge.requests.locks import lock_rfas
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.services import LINE_AUDIT_FIELDS, check_complete
from aidbridge.requests.transitions import ESCALATION_TARGETS, check_allowed, transition

RFA = RequestForAssistance
# What a new line copies from the escalating line it comes from.
COPIED = tuple(name for name in LINE_AUDIT_FIELDS if name != "item")


@dataclass(frozen=True)
class Merge:
    """One line of the escalating request and what becomes of it in the earlier one."""

    line: RequestLine
    into: RequestLine | None  # None: added as a new line


def plan_merge(lines: list[RequestLine], earlier: list[RequestLine]) -> list[Merge]:
    """Pair each line with the first unused earlier line of the same item delivered to
    the same point; the others become new lines. A substitute or another place is
    another need, never folded into a line that asks for something else."""
    used: set[int] = set()
    plan = []
    for line in lines:
        into = next(
            (
                e
                for e in earlier
                if e.pk not in used
                and e.item_id == line.item_id
                and (e.delivery_lat, e.delivery_lon) == (line.delivery_lat, line.delivery_lon)
            ),
            None,
        )
        if into is not None:
            used.add(into.pk)
        plan.append(Merge(line, into))
    return plan


def raised(line: RequestLine, into: RequestLine) -> dict[str, Any]:
    """The earlier line's new values: the increase the centre was shown (never less),
    the earlier needed-by date, the higher priority (1 is the highest)."""
    values: dict[str, Any] = {"quantity": max(into.quantity, line.quantity)}
    dates = [d for d in (into.needed_by, line.needed_by) if d is not None]
    values["needed_by"] = min(dates) if dates else None
    values["priority"] = min(into.priority, line.priority)
    return values


def _snapshot(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: jsonable(values[name]) for name in LINE_AUDIT_FIELDS if name in values}


Entry = tuple[bool, RequestLine, dict[str, Any]]  # added?, line, changes


def _merge_lines(rfa: RFA, target: RFA) -> list[Entry]:
    """Raise or add the target's lines; the audit entries they call for, to be written
    once the escalation's reference is known."""
    lines = list(rfa.lines.select_related("item").order_by("position"))
    earlier = list(target.lines.order_by("position"))
    plan = plan_merge(lines, earlier)
    entries: list[Entry] = []
    position = max((e.position for e in earlier), default=0)
    added = []
    for merge in plan:
        if merge.into is None:
            position += 1
            values = {"item": merge.line.item} | {n: getattr(merge.line, n) for n in COPIED}
            added.append((RequestLine(rfa=target, position=position, **values), _snapshot(values)))
            continue
        into, values = merge.into, raised(merge.line, merge.into)
        diff = {
            name: [jsonable(getattr(into, name)), jsonable(value)]
            for name, value in values.items()
            if getattr(into, name) != value
        }
        if diff:
            for name, value in values.items():
                setattr(into, name, value)
            into.save(update_fields=list(values))
        # Written even when nothing rose: the line's history says it took the repeat.
        entries.append((False, into, diff))
    if position > MAX_LINES:
        raise ValidationFailed(
            gettext(
                "%(request)s would hold %(n)s lines, more than %(max)s: circulate this request"
                " separately"
            )
            % {"request": target, "n": position, "max": MAX_LINES},
            field="into",
        )
    if added:
        RequestLine.objects.bulk_create([line for line, _ in added])
        entries += [
            (True, line, {k: [None, v] for k, v in snapshot.items()}) for line, snapshot in added
        ]
    return entries


@transaction.atomic
def circulate_as_escalation(actor: Any, rfa: RFA, into: RFA) -> RFA:
    """Merge the submitted request ``rfa`` into the circulated request ``into`` that it
    repeats, as increases; ``rfa`` ends closed (merged). Returns ``into``."""
    require_centre(actor, gettext_noop("circulate a request as an escalation"))
    if rfa.pk == into.pk:
        raise ValidationFailed(gettext("a request cannot escalate itself"), field="into")
    # Both rows locked, in ascending id (``core.locks``): two escalations, or an
    # escalation and a closing or an acceptance, queue up in one order (no deadlock)
    # and each reads what the one before committed.
    locked = lock_rfas((rfa.pk, into.pk))
    rfa, target = locked[rfa.pk], locked[into.pk]
    check_allowed(rfa, "escalate")
    check_complete(rfa)
    if target.status not in ESCALATION_TARGETS:
        raise Conflict(
            gettext("%(request)s is %(status)s: only a circulated request can take an escalation")
            % {"request": target, "status": target.get_status_display().lower()},
            field="into",
            code="invalid_transition",
        )
    # The link rule, once: same nation and crisis, open, recent, an item in common.
    if target not in escalation_targets(actor, rfa):
        raise ValidationFailed(
            gettext(
                "%(request)s is not an open request this one repeats (same nation and crisis, "
                "recent, the same item or a substitute)"
            )
            % {"request": target},
            field="into",
        )
    entries = _merge_lines(rfa, target)
    touch_request(target)
    target.save(update_fields=["updated_at"])
    # The reference is taken last: the sequence is a leaf of the lock order.
    reference = next_reference("RFA", timezone.now().year)
    why = f"escalation: {reference} merged into {target.reference}"
    for added, line, changes in entries:
        if added:
            record(actor, "rfa_line.add", line, crisis=target.crisis, changes=changes, reason=why)
        else:
            record(
                actor, "rfa_line.update", line, crisis=target.crisis, changes=changes, reason=why
            )
    transition(
        actor,
        rfa,
        "escalate",
        reason=f"merged into {target.reference}",
        set_fields={
            "reference": reference,
            "closure": RFA.Closure.MERGED,
            "merged_into_id": target.pk,
        },
    )
    record(
        actor,
        "rfa.escalated",
        target,
        crisis=target.crisis,
        # No state change: it stays circulated, its lines grew (entries above).
        changes={"escalated_by": [None, reference]},
        reason=why,
    )
    notices.closed(actor, rfa)
    notices.escalated(actor, target)
    return target
