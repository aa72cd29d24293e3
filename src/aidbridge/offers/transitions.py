"""The offer line's state machine: the one place its quantities and status change.

Status follows from the quantities (open while something awaits a decision; accepted
or declined once nothing does), except a withdrawal, which is final, and a proposal
drawn from standing stock by the centre, which stays proposed until its donor confirms
(then it is open) or declines it (then it is withdrawn). Each change
writes its audit entry in the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from aidbridge.audit.services import record
from aidbridge.ledger.maintained import touch_offer_lines
from aidbridge.offers.models import OfferLine

Status = OfferLine.Status


def _status_after(line: OfferLine) -> str:
    """An offer line's status follows from its quantities (withdrawal, proposal aside)."""
    if line.status in (Status.WITHDRAWN, Status.PROPOSED):
        return line.status
    if line.quantity - line.accepted - line.declined > 0:
        return Status.OPEN
    return Status.ACCEPTED if line.accepted > 0 else Status.DECLINED


def transition(
    actor: Any,
    line: OfferLine,
    action: str,
    *,
    accept: int = 0,
    decline: int = 0,
    withdraw: bool = False,
    confirm: bool = False,
    over_accepted: int = 0,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> OfferLine:
    """The one place an offer line's quantities and status change, with its audit entry.

    The caller holds the row lock on ``line`` (and, for acceptance, on its request line).
    ``confirm`` turns a proposed line into an open one (the donor stands by it).
    ``over_accepted`` is how far an acceptance goes beyond the need; ``reason`` then says
    why, and is kept on the line so the over-acceptance is shown wherever the line is.
    """
    before = (line.status, line.accepted, line.declined)
    line.accepted += accept
    line.declined += decline
    if confirm and line.status == Status.PROPOSED:
        line.status = Status.OPEN
    if withdraw:
        line.status = Status.WITHDRAWN
    line.status = _status_after(line)
    fields = ["status", "accepted", "declined"]
    if decline:
        line.decline_reason = reason
        fields.append("decline_reason")
    if over_accepted:
        line.over_acceptance_reason = reason
        fields.append("over_acceptance_reason")
    line.save(update_fields=fields)
    touch_offer_lines([line])
    changes: dict[str, Any] = {}
    if line.accepted != before[1]:
        changes["accepted"] = [before[1], line.accepted]
    if line.declined != before[2]:
        changes["declined"] = [before[2], line.declined]
    if over_accepted:
        changes["over_accepted"] = over_accepted
    if accept or decline:
        # The line as it stands after the decision, so its history says what happened
        # ("declined 10 of 30; 20 accepted"), not only where its status went.
        changes["line"] = {
            "offered": line.quantity,
            "accepted": line.accepted,
            "declined": line.declined,
        }
    changes.update(extra or {})
    record(
        actor,
        f"offer_line.{action}",
        line,
        crisis=line.offer.crisis,
        from_state=before[0],
        to_state=line.status,
        changes=changes,
        reason=reason,
    )
    return line


def locked_line(line: OfferLine) -> OfferLine:
    """Re-read the offer line under a row lock (only its own row, not the joined ones)."""
    return (
        OfferLine.objects.select_for_update(no_key=True, of=("self",))
        .select_related(
            "offer__crisis", "offer__donor", "offer__rfa", "item", "request_line__rfa__requester"
        )
        .get(pk=line.pk)
    )
