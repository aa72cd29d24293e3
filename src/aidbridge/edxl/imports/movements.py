"""``ReportResourceDeploymentStatus`` -> a dispatch or a receipt.

What the report is about decides which: a report answering an offer or an acceptance
(its elements are offer lines) is the donor's dispatch; one answering a dispatch report
(its elements are dispatches) is the requester's confirmed receipt. Both go through
``logistics.services`` (the same quantity, date and role rules as the API).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from aidbridge.edxl.imports.context import (
    Context,
    Outcome,
    Problems,
    require_acting_for,
    service,
)
from aidbridge.edxl.imports.errors import MessageRefused, Problem
from aidbridge.edxl.imports.messages import Message, ResourceInfo
from aidbridge.edxl.imports.offers import offer_lines_answered, one_object, unknown_request
from aidbridge.edxl.imports.references import answered, pick
from aidbridge.edxl.imports.resolve import REQUESTER_ROLES, RESPONDER_ROLES, quantity_of
from aidbridge.interop.items import normalise
from aidbridge.logistics.models import Dispatch
from aidbridge.logistics.selectors import dispatches_visible_to
from aidbridge.logistics.services import confirm_receipt, dispatch_offer_line

DEFAULT_MODE = Dispatch.Mode.DONOR


def _when(info: ResourceInfo, *kinds: str) -> datetime | None:
    for schedule in info.schedules:
        if schedule.kind in kinds and schedule.at is not None:
            return schedule.at
    return None


def _mode(info: ResourceInfo) -> str | Problem:
    """``ModeOfTransportation`` as one of aidbridge's modes (code or English label);
    without one, the label opening the description ("Road: ...", as aidbridge writes
    it), else the donor's own transport."""
    modes = {normalise(v): v for v in Dispatch.Mode.values} | {
        normalise(str(label)): v for v, label in Dispatch.Mode.choices
    }
    if not info.mode:
        opening = normalise(info.description.split(":")[0])
        return modes.get(opening, DEFAULT_MODE)
    wanted = normalise(info.mode)
    if wanted in modes:
        return modes[wanted]
    return Problem(
        f"unknown mode of transportation {info.mode!r}; aidbridge knows: "
        + ", ".join(Dispatch.Mode.values),
        info.path,
    )


def deployment_status(ctx: Context, message: Message) -> Outcome:
    answered_id, elements = answered(message)
    if elements is None:
        raise unknown_request(message, answered_id)
    if any("dispatch" in v for v in elements.values()):
        return _receipts(ctx, message, elements, answered_id)
    return _dispatches(ctx, message, elements, answered_id)


def _dispatches(
    ctx: Context, message: Message, elements: dict[str, dict[str, int]], answered_id: str
) -> Outcome:
    problems = Problems()
    party = problems.check(
        "unknown_party", ctx.parties.acting(message, RESPONDER_ROLES, ctx.sender_id)
    )
    pairs = offer_lines_answered(ctx, message, elements, answered_id, problems)
    quantities = [problems.check("invalid_content", quantity_of(i, ln.item)) for i, ln in pairs]
    modes = [problems.check("invalid_content", _mode(i)) for i, _ in pairs]
    problems.raise_any()
    assert party is not None and pairs
    require_acting_for(ctx.actor, party, message)

    outcome = Outcome(party, pairs[0][1].offer.crisis)
    for index, ((info, line), quantity, mode) in enumerate(
        zip(pairs, quantities, modes, strict=True)
    ):
        assert quantity is not None and mode is not None
        dispatch = service(
            [info],
            message,
            partial(
                dispatch_offer_line,
                ctx.actor,
                line,
                quantity=quantity,
                mode=mode,
                dispatched_at=_when(info, "ActualDeparture"),
                expected_at=_when(info, "EstimatedArrival"),
                transport_reference=(info.order_id or info.resource_id)[:100],
                note=info.description,
                # The acceptance recorded here carries the time its message was
                # imported, not the time the requester decided: the sender's
                # ActualDeparture is not checked against it (as for the demo's story
                # told after the fact). The future and the receipt's order still are.
                replayed=True,
            ),
        )
        outcome.created.append(
            {
                "kind": "dispatch",
                "id": dispatch.pk,
                "offer": line.offer.reference,
                "offer_line": line.pk,
                "quantity": quantity,
            }
        )
        outcome.elements[info.element_id or str(index)] = {"dispatch": dispatch.pk}
    return outcome


def _receipts(
    ctx: Context, message: Message, elements: dict[str, dict[str, int]], answered_id: str
) -> Outcome:
    problems = Problems()
    party = problems.check(
        "unknown_party", ctx.parties.acting(message, REQUESTER_ROLES, ctx.sender_id)
    )
    visible = dispatches_visible_to(ctx.actor).select_related(
        "offer_line__item", "offer_line__offer"
    )
    found: list[tuple[ResourceInfo, Dispatch, int]] = []
    for info in message.resources:
        element = info.preceding_element_id or info.element_id
        ids = pick(elements, element, "dispatch") or (
            pick(elements, "", "dispatch") if len(elements) == 1 else []
        )
        dispatch_id = problems.check("unknown_request", one_object(ids, info, "dispatch", element))
        if dispatch_id is None:
            continue
        dispatch = visible.filter(pk=dispatch_id).first()
        if dispatch is None:
            raise unknown_request(message, answered_id)
        quantity = problems.check(
            "invalid_content", quantity_of(info, dispatch.offer_line.item, allow_zero=True)
        )
        if quantity is not None:
            found.append((info, dispatch, quantity))
    problems.raise_any()
    assert party is not None
    if not found:
        raise MessageRefused.one("invalid_content", "the report names no resource", message.path)
    require_acting_for(ctx.actor, party, message)

    outcome = Outcome(party, found[0][1].offer_line.offer.crisis)
    for index, (info, dispatch, quantity) in enumerate(found):
        receipt = service(
            [info],
            message,
            partial(
                confirm_receipt,
                ctx.actor,
                dispatch,
                quantity=quantity,
                received_at=_when(info, "ActualArrival"),
                note=info.description or info.response_reason,
            ),
        )
        outcome.created.append(
            {"kind": "receipt", "id": receipt.pk, "dispatch": dispatch.pk, "quantity": quantity}
        )
        outcome.elements[info.element_id or str(index)] = {
            "receipt": receipt.pk,
            "dispatch": dispatch.pk,
        }
    return outcome
