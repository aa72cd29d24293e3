"""One function per mapped audit action: the entry (and its objects) as an RM message.

The README's EDXL table is this module, read from the EDXL-RM 1.0 definitions:
RequestResource asks for resources; ResponseToRequestResource is a supplier's answer
(Accept when it fills the line, Provisional with the reason when it fills part of it);
OfferUnsolicitedResource offers resources nobody asked for; RequisitionResource is the
requester's order of offered resources; CommitResource the supplier's commitment;
ReleaseResource gives resources no longer wanted back (a decline, a closed request);
RequestReturn is the owner asking its resources back (a withdrawn offer);
ReportResourceDeploymentStatus reports movement (dispatch, arrival).
"""

from __future__ import annotations

from typing import Any

from aidbridge.audit.models import AuditEntry
from aidbridge.edxl import ids
from aidbridge.edxl.flow import (
    CIRCULATED,
    RFA,
    Context,
    base_message,
    delivery_place,
    item_part,
    offer_line_element,
    origin_place,
    party_contact,
    request_line_element,
    requester_contact,
)
from aidbridge.edxl.parts import Message, ResourcePart, Response, Schedule
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import Offer, OfferLine


def _delta(entry: AuditEntry, name: str) -> int:
    before, after = entry.changes.get(name, [0, 0])
    return int(after or 0) - int(before or 0)


def circulated(entry: AuditEntry, rfa: RFA, ctx: Context) -> Message:
    """The centre circulates a request to every national point of contact."""
    parts = []
    for line in rfa.lines.all():
        special = "Transport also needed" if line.transport_needed else ""
        parts.append(
            item_part(
                line,
                request_line_element(line),
                quantity=ctx.requested.get(line.pk, line.quantity),
                description=line.specification,
                priority=line.priority,
                special=special,
                schedules=(Schedule("RequestedArrival", line.needed_by, delivery_place(line)),),
            )
        )
    description = f"{rfa.reference}: {rfa.title}"
    if rfa.entry_notes:
        description += f". Entry and customs: {rfa.entry_notes}"
    return base_message(
        entry,
        ctx,
        "RequestResource",
        originating_id=ids.message_id(entry.pk),
        preceding_id=None,
        description=description,
        contacts=(ctx.sender(), requester_contact(rfa)),
        resources=tuple(parts),
        sender_code=ctx.centre_code,
        recipient_role="national_poc",
        distribution_type="Request",
    )


def closed(entry: AuditEntry, rfa: RFA, ctx: Context) -> Message | None:
    """A circulated request closed or withdrawn: its lines are released."""
    if entry.from_state != CIRCULATED:
        return None  # never circulated: nobody outside was asked
    origin = ctx.chain.rfa_message(rfa.pk)
    if origin is None:
        return None
    status = "Withdrawn" if entry.action == "rfa.withdraw" else "Closed"
    parts = tuple(
        item_part(line, request_line_element(line), status=status) for line in rfa.lines.all()
    )
    closure = entry.changes.get("closure", [None, ""])[1] or status.lower()
    text = f"{rfa.reference} {status.lower()} ({closure})"
    return base_message(
        entry,
        ctx,
        "ReleaseResource",
        originating_id=origin,
        preceding_id=origin,
        description=f"{text}: {entry.reason}" if entry.reason else text,
        contacts=(requester_contact(rfa),),
        resources=parts,
        sender_code=rfa.requester.code,
        recipient_role="national_poc",
        distribution_type="Cancel" if entry.action == "rfa.withdraw" else "Update",
    )


def _offer_part(
    line: OfferLine, offer: Offer, ctx: Context, status: str, kind: str
) -> ResourcePart:
    need = line.request_line
    response = None
    if need is not None:
        requested = ctx.requested.get(need.pk, need.quantity)
        if kind == "Accept" and line.quantity < requested:
            response = Response(
                request_line_element(need),
                "Provisional",
                f"offers {line.quantity} of the {requested} requested",
            )
        else:
            response = Response(request_line_element(need), kind)
    begin = origin_place(offer)
    schedules: tuple[Schedule, ...] = ()
    if offer.available_from is not None or begin is not None:
        schedules = (Schedule("BeginAvailable", offer.available_from, begin),)
    return item_part(
        line,
        offer_line_element(line),
        quantity=line.quantity,
        description=line.notes,
        response=response,
        responsible=party_contact(offer.donor, "Owner"),
        status=status,
        schedules=schedules,
    )


def offered(entry: AuditEntry, offer: Offer, ctx: Context) -> Message | None:
    """A donor's offer: an answer to a request, or standing stock nobody asked for."""
    donor = party_contact(offer.donor, "RespondingOrg")
    description = f"{offer.reference}" + (f": {offer.conditions}" if offer.conditions else "")
    if offer.rfa_id is None:
        lines = [ln for ln in offer.lines.all()]
        return base_message(
            entry,
            ctx,
            "OfferUnsolicitedResource",
            originating_id=ids.message_id(entry.pk),
            preceding_id=None,
            description=description,
            contacts=(donor,),
            resources=tuple(_offer_part(ln, offer, ctx, "Available", "Accept") for ln in lines),
            sender_code=offer.donor.code,
            recipients=(ctx.centre_code,),
            distribution_type="Report",
        )
    origin = ctx.chain.rfa_message(offer.rfa_id)
    if origin is None:
        return None
    assert offer.rfa is not None
    if entry.action == "offer.confirm":
        # The donor stands by what the centre drew from its standing stock for the
        # request: a commitment of those resources.
        kind, status, dtype = "CommitResource", "Committed", "Response"
    else:
        kind, status, dtype = "ResponseToRequestResource", "Offered", "Response"
    return base_message(
        entry,
        ctx,
        kind,
        originating_id=origin,
        preceding_id=origin,
        description=description,
        contacts=(donor,),
        resources=tuple(_offer_part(ln, offer, ctx, status, "Accept") for ln in offer.lines.all()),
        sender_code=offer.donor.code,
        recipients=(offer.rfa.requester.code, ctx.centre_code),
        distribution_type=dtype,
    )


def _line_origin(line: OfferLine, ctx: Context) -> str | None:
    offer = line.offer
    if offer.rfa_id is not None:
        return ctx.chain.rfa_message(offer.rfa_id)
    return ctx.chain.offer_message(offer.pk)


def decided(entry: AuditEntry, line: OfferLine, ctx: Context) -> Message | None:
    """The requester accepts (RequisitionResource) or declines (ReleaseResource)."""
    need = line.request_line
    origin = _line_origin(line, ctx)
    offer_message = ctx.chain.offer_message(line.offer_id)
    if need is None or origin is None or offer_message is None:
        return None
    rfa = need.rfa
    common: dict[str, Any] = dict(
        originating_id=origin,
        preceding_id=offer_message,
        contacts=(requester_contact(rfa),),
        sender_code=rfa.requester.code,
        recipients=(line.offer.donor.code, ctx.centre_code),
    )
    if entry.action == "offer_line.accept":
        over = int(entry.changes.get("over_accepted") or 0)
        part = item_part(
            line,
            offer_line_element(line),
            quantity=_delta(entry, "accepted"),
            description=line.notes,
            responsible=party_contact(line.offer.donor, "Owner"),
            restrictions=f"accepted {over} beyond the need: {entry.reason}" if over else "",
            schedules=(Schedule("RequestedArrival", need.needed_by, delivery_place(need)),),
        )
        return base_message(
            entry,
            ctx,
            "RequisitionResource",
            description=f"{rfa.reference}: {line.offer.reference} accepted",
            funding=f"Assistance in kind from {line.offer.donor.name_en}",
            resources=(part,),
            distribution_type="Request",
            **common,
        )
    part = item_part(
        line,
        offer_line_element(line),
        quantity=_delta(entry, "declined"),
        response=Response(offer_line_element(line), "Decline", entry.reason),
        responsible=party_contact(line.offer.donor, "Owner"),
        status="Declined",
    )
    return base_message(
        entry,
        ctx,
        "ReleaseResource",
        description=f"{rfa.reference}: {line.offer.reference} declined",
        resources=(part,),
        distribution_type="Response",
        **common,
    )


def withdrawn(entry: AuditEntry, line: OfferLine, ctx: Context) -> Message | None:
    """The donor takes back offered units it still owns: RequestReturn."""
    if entry.from_state == OfferLine.Status.PROPOSED:
        return None  # an unconfirmed proposal was never sent to anyone
    origin = _line_origin(line, ctx)
    offer_message = ctx.chain.offer_message(line.offer_id)
    if origin is None or offer_message is None:
        return None
    offer = line.offer
    recipients = [ctx.centre_code]
    if line.request_line is not None:
        recipients.insert(0, line.request_line.rfa.requester.code)
    part = item_part(
        line,
        offer_line_element(line),
        quantity=max(line.quantity - line.accepted - line.declined, 0) or None,
        responsible=party_contact(offer.donor, "Owner"),
        status="Withdrawn",
        description=entry.reason,
    )
    return base_message(
        entry,
        ctx,
        "RequestReturn",
        originating_id=origin,
        preceding_id=offer_message,
        description=f"{offer.reference} withdrawn" + (f": {entry.reason}" if entry.reason else ""),
        contacts=(party_contact(offer.donor, "Owner"),),
        resources=(part,),
        sender_code=offer.donor.code,
        recipients=tuple(recipients),
        distribution_type="Request",
    )


def dispatched(entry: AuditEntry, dispatch: Dispatch, ctx: Context) -> Message | None:
    line = dispatch.offer_line
    need = line.request_line
    origin = _line_origin(line, ctx)
    if need is None or origin is None:
        return None
    schedules = [Schedule("ActualDeparture", dispatch.dispatched_at, origin_place(line.offer))]
    if dispatch.expected_at is not None:
        schedules.append(Schedule("EstimatedArrival", dispatch.expected_at, delivery_place(need)))
    part = item_part(
        line,
        ids.dispatch_element(line.offer.reference, line.pk, dispatch.pk),
        quantity=dispatch.quantity,
        description=f"{dispatch.get_mode_display()}"
        + (f": {dispatch.note}" if dispatch.note else ""),
        responsible=party_contact(line.offer.donor, "Owner"),
        status="Dispatched",
        order_id=dispatch.transport_reference,
        schedules=tuple(schedules),
    )
    return base_message(
        entry,
        ctx,
        "ReportResourceDeploymentStatus",
        originating_id=origin,
        preceding_id=ctx.chain.last_accept_before(line.pk, entry.pk)
        or ctx.chain.offer_message(line.offer_id),
        description=f"{need.rfa.reference}: {dispatch.quantity} {line.item.code} dispatched",
        contacts=(party_contact(line.offer.donor, "RespondingOrg"),),
        resources=(part,),
        sender_code=line.offer.donor.code,
        recipients=(need.rfa.requester.code, ctx.centre_code),
        distribution_type="Report",
    )


def received(entry: AuditEntry, receipt: Receipt, ctx: Context) -> Message | None:
    dispatch = receipt.dispatch
    line = dispatch.offer_line
    need = line.request_line
    origin = _line_origin(line, ctx)
    if need is None or origin is None:
        return None
    short = dispatch.quantity - receipt.quantity
    text = f"received {receipt.quantity} of {dispatch.quantity} dispatched"
    if short:
        text += f"; {short} short: {receipt.note}"
    preceding = ctx.chain.dispatch.get(dispatch.pk)
    part = item_part(
        line,
        ids.dispatch_element(line.offer.reference, line.pk, dispatch.pk),
        quantity=receipt.quantity,
        description=text,
        responsible=party_contact(line.offer.donor, "Owner"),
        status="DeliveredShort" if short else "Delivered",
        order_id=dispatch.transport_reference,
        schedules=(Schedule("ActualArrival", receipt.received_at, delivery_place(need)),),
    )
    return base_message(
        entry,
        ctx,
        "ReportResourceDeploymentStatus",
        originating_id=origin,
        preceding_id=ids.message_id(preceding) if preceding is not None else origin,
        description=f"{need.rfa.reference}: {text}",
        contacts=(requester_contact(need.rfa),),
        resources=(part,),
        sender_code=need.rfa.requester.code,
        recipients=(line.offer.donor.code, ctx.centre_code),
        distribution_type="Report",
    )
