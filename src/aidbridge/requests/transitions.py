"""Every change of an RFA's status, in one place.

The table says from which states each action may start, where it leads and which
timestamp it sets; :func:`transition` enforces it, stamps the time and writes the
audit entry in the caller's transaction. Services decide *who* may act; this module
decides *when* an action is possible, so no code path can skip a rule.

    draft ──submit──▶ submitted ──circulate──▶ circulated ──close──▶ closed
      ▲                   │                                    ▲
      └──(edit)─ returned ◀──return──┘          withdraw (requester) from any open state

    submitted ──escalate──▶ closed (merged into a circulated request, which stays
                            circulated: ``ESCALATION_TARGETS``)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from aidbridge.audit.services import record
from aidbridge.core.errors import Conflict
from aidbridge.ledger.maintained import touch_request
from aidbridge.requests.models import RequestForAssistance

Status = RequestForAssistance.Status


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    stamp: str | None = None  # the timestamp field this transition sets


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED, "submitted_at"
    ),
    "circulate": Transition(frozenset({Status.SUBMITTED}), Status.CIRCULATED, "circulated_at"),
    "return": Transition(frozenset({Status.SUBMITTED}), Status.RETURNED),
    "withdraw": Transition(
        frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.CIRCULATED}),
        Status.CLOSED,
        "closed_at",
    ),
    "close": Transition(
        frozenset({Status.SUBMITTED, Status.RETURNED, Status.CIRCULATED}),
        Status.CLOSED,
        "closed_at",
    ),
    # Circulated as an escalation of an open request: its lines are merged there and it
    # ends closed (``merged``), keeping its own record (``requests.escalation``).
    "escalate": Transition(frozenset({Status.SUBMITTED}), Status.CLOSED, "closed_at"),
}
# The states a request may be in to take an escalation: it is the one circulated, the
# escalation's increases reach the donors through it.
ESCALATION_TARGETS = frozenset({Status.CIRCULATED})


def allowed_actions(rfa: RequestForAssistance) -> list[str]:
    """Actions the RFA's status allows (who may take them is the services' business)."""
    return [name for name, t in TRANSITIONS.items() if rfa.status in t.sources]


def check_allowed(rfa: RequestForAssistance, action: str) -> Transition:
    """The rule for ``action``, or a 409 if the RFA's status does not allow it."""
    rule = TRANSITIONS[action]
    if rfa.status not in rule.sources:
        raise Conflict(
            gettext("cannot %(action)s a request that is %(value)s")
            % {"action": action, "value": rfa.get_status_display().lower()},
            field="status",
            code="invalid_transition",
        )
    return rule


def transition(
    actor: Any,
    rfa: RequestForAssistance,
    action: str,
    *,
    reason: str = "",
    set_fields: dict[str, Any] | None = None,
) -> RequestForAssistance:
    """Move ``rfa`` (locked by the caller) through ``action`` and record it.

    ``set_fields`` are other fields that change with the status (the reference on
    circulation, the closure kind); they are saved and audited with it.
    """
    rule = check_allowed(rfa, action)
    old = rfa.status
    now = timezone.now()
    changes: dict[str, list[Any]] = {"status": [old, rule.target]}
    rfa.status = rule.target
    fields = ["status", "updated_at"]
    if rule.stamp:
        setattr(rfa, rule.stamp, now)
        fields.append(rule.stamp)
    for name, value in (set_fields or {}).items():
        changes[name] = [getattr(rfa, name), value]
        setattr(rfa, name, value)
        fields.append(name)
    if reason or action in ("return", "withdraw", "close", "escalate"):
        rfa.status_reason = reason
        fields.append("status_reason")
    rfa.save(update_fields=fields)
    touch_request(rfa)
    record(
        actor,
        f"rfa.{action}",
        rfa,
        crisis=rfa.crisis,
        from_state=old,
        to_state=rule.target,
        changes=changes,
        reason=reason,
    )
    return rfa
