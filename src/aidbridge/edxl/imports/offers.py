"""Offers and acceptances: ``ResponseToRequestResource`` and ``OfferUnsolicitedResource``
-> an offer; ``RequisitionResource`` -> the requester's acceptance of offer lines.

Each goes through the offer services (``make_offer``, ``make_unsolicited_offer``,
``accept_offer_line``), so the role rules, the request's state, the over-acceptance
rule and the audit trail are the same as through the API.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from aidbridge.edxl.imports.context import (
    Context,
    Outcome,
    Problems,
    require_acting_for,
    service,
)
from aidbridge.edxl.imports.errors import MessageRefused, Problem
from aidbridge.edxl.imports.messages import Message, ResourceInfo
from aidbridge.edxl.imports.references import Elements, answered, pick
from aidbridge.edxl.imports.resolve import (
    REQUESTER_ROLES,
    RESPONDER_ROLES,
    crisis_of,
    quantity_of,
)
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.selectors import offer_lines_visible_to
from aidbridge.offers.services import accept_offer_line, make_offer, make_unsolicited_offer
from aidbridge.requests.models import RequestLine
from aidbridge.requests.selectors import lines_visible_to


def unknown_request(message: Message, message_id: str) -> MessageRefused:
    what = f"message {message_id!r}" if message_id else "no earlier message"
    return MessageRefused.one(
        "unknown_request",
        f"this {message.kind} answers {what}, which aidbridge does not know: no request, "
        "offer or dispatch here came from it (PrecedingMessageID / OriginatingMessageID)",
        f"{message.path}/PrecedingMessageID[1]"
        if message.preceding_id
        else f"{message.path}/OriginatingMessageID[1]",
    )


def _available_from(info: ResourceInfo) -> date | None:
    for schedule in info.schedules:
        if schedule.kind in ("BeginAvailable", "Committed") and schedule.at is not None:
            return schedule.at.date()
    return None


def one_object(ids: list[int], info: ResourceInfo, what: str, element: str) -> int | Problem:
    if len(ids) == 1:
        return ids[0]
    if not ids:
        return Problem(
            f"the answered message has no {what} {element!r} known here "
            "(PrecedingResourceInfoElementID)",
            info.path,
        )
    return Problem(
        f"the answered message has {len(ids)} {what}s: name the one this answers "
        "(ResponseInformation/PrecedingResourceInfoElementID)",
        info.path,
    )


def _offer_outcome(
    ctx: Context, message: Message, offer: Offer, infos: list[ResourceInfo]
) -> Outcome:
    made = list(offer.lines.order_by("pk"))
    return Outcome(
        offer.donor,
        offer.crisis,
        created=[
            {
                "kind": "offer",
                "id": offer.pk,
                "reference": offer.reference,
                "rfa": offer.rfa.reference if offer.rfa else None,
                "lines": [ln.pk for ln in made],
            }
        ],
        elements={
            info.element_id: {"offer_line": line.pk} for info, line in zip(infos, made, strict=True)
        },
    )


def response_to_request(ctx: Context, message: Message) -> Outcome:
    """An offer against the lines of the request the message answers; a line the
    responder declines (``ResponseType`` Decline) offers nothing."""
    problems = Problems()
    party = problems.check(
        "unknown_party", ctx.parties.acting(message, RESPONDER_ROLES, ctx.sender_id)
    )
    answered_id, elements = answered(message)
    if elements is None:
        raise unknown_request(message, answered_id)
    visible = lines_visible_to(ctx.actor)
    offered: list[ResourceInfo] = []
    specs: list[dict[str, Any]] = []
    needs: list[RequestLine] = []
    for info in message.resources:
        if info.response_type == "Decline":
            continue
        line_id = problems.check(
            "unknown_request",
            one_object(
                pick(elements, info.preceding_element_id, "request_line"),
                info,
                "request line",
                info.preceding_element_id,
            ),
        )
        need = visible.select_related("item", "rfa").filter(pk=line_id).first() if line_id else None
        if line_id is not None and need is None:
            raise unknown_request(message, answered_id)
        item = None
        if info.value or info.name:
            item = problems.check("unknown_item", ctx.items.of(info))
            if item is not None and need is not None and item.pk != need.item_id:
                problems.add(
                    "invalid_content",
                    Problem(
                        f"line {need.position} of the request asks for {need.item.code}, "
                        f"not {item.code}",
                        info.resource_path or info.path,
                    ),
                )
        quantity = problems.check(
            "invalid_content", quantity_of(info, item or (need.item if need else None))
        )
        if need is None or quantity is None:
            continue
        offered.append(info)
        needs.append(need)
        notes = info.description or info.response_reason
        specs.append({"request_line": need, "quantity": quantity, "notes": notes})
    problems.raise_any()
    assert party is not None
    require_acting_for(ctx.actor, party, message)
    if not specs:  # every line declined: acknowledged, nothing to offer
        answered_lines = visible.filter(pk__in=pick(elements, "", "request_line"))
        first = answered_lines.select_related("rfa__crisis").first()
        if first is None:
            raise unknown_request(message, answered_id)
        return Outcome(party, first.rfa.crisis)
    rfas = {n.rfa_id for n in needs}
    if len(rfas) > 1:
        raise MessageRefused.one(
            "invalid_content",
            "one response answers one request; this one names several",
            message.path,
        )

    offer = service(
        offered,
        message,
        lambda: make_offer(
            ctx.actor,
            rfa=needs[0].rfa,
            lines=specs,
            available_from=next((d for d in map(_available_from, offered) if d), None),
            conditions=message.description,
        ),
    )
    return _offer_outcome(ctx, message, offer, offered)


def offer_unsolicited(ctx: Context, message: Message) -> Outcome:
    """Standing stock of the offering nation, for the crisis the message names."""
    problems = Problems()
    party = problems.check(
        "unknown_party", ctx.parties.acting(message, RESPONDER_ROLES, ctx.sender_id)
    )
    crisis = problems.check("unknown_crisis", crisis_of(message, ctx.envelope_incidents))
    specs: list[dict[str, Any]] = []
    for info in message.resources:
        item = problems.check("unknown_item", ctx.items.of(info))
        quantity = problems.check("invalid_content", quantity_of(info, item))
        if item is not None and quantity is not None:
            specs.append({"item": item, "quantity": quantity, "notes": info.description})
    problems.raise_any()
    assert party is not None and crisis is not None
    require_acting_for(ctx.actor, party, message)

    offer = service(
        message.resources,
        message,
        lambda: make_unsolicited_offer(
            ctx.actor,
            crisis=crisis,
            lines=specs,
            available_from=next((d for d in map(_available_from, message.resources) if d), None),
            conditions=message.description,
        ),
    )
    return _offer_outcome(ctx, message, offer, message.resources)


def offer_lines_answered(
    ctx: Context, message: Message, elements: Elements, answered_id: str, problems: Problems
) -> list[tuple[ResourceInfo, OfferLine]]:
    """The offer line each resource of ``message`` is about: the element of the same
    ``ResourceInfoElementID`` (or the one its ResponseInformation names) in the answered
    message, else the only one of the same item."""
    visible = offer_lines_visible_to(ctx.actor).select_related("item", "offer")
    found: list[tuple[ResourceInfo, OfferLine]] = []
    for info in message.resources:
        element = info.preceding_element_id or info.element_id
        ids = pick(elements, element, "offer_line")
        if not ids:
            ids = pick(elements, "", "offer_line")
            if len(ids) > 1:
                item = ctx.items.of(info) if (info.value or info.name) else None
                if item is not None and not isinstance(item, Problem):
                    ids = [ln.pk for ln in OfferLine.objects.filter(pk__in=ids, item=item)]
        line_id = problems.check("unknown_request", one_object(ids, info, "offer line", element))
        if line_id is None:
            continue
        line = visible.filter(pk=line_id).first()
        if line is None:
            raise unknown_request(message, answered_id)
        found.append((info, line))
    return found


def requisition(ctx: Context, message: Message) -> Outcome:
    """The requester accepts what the answered offer's lines offer (each its quantity;
    beyond the outstanding need only with a reason: ``AssignmentInformation/
    Restrictions``, else ``Resource/Description``)."""
    problems = Problems()
    party = problems.check(
        "unknown_party", ctx.parties.acting(message, REQUESTER_ROLES, ctx.sender_id)
    )
    answered_id, elements = answered(message)
    if elements is None:
        raise unknown_request(message, answered_id)
    pairs = offer_lines_answered(ctx, message, elements, answered_id, problems)
    quantities = [problems.check("invalid_content", quantity_of(i, ln.item)) for i, ln in pairs]
    problems.raise_any()
    assert party is not None and pairs
    require_acting_for(ctx.actor, party, message)

    outcome = Outcome(party, pairs[0][1].offer.crisis)
    for index, ((info, line), quantity) in enumerate(zip(pairs, quantities, strict=True)):
        service(
            [info],
            message,
            partial(
                accept_offer_line,
                ctx.actor,
                line,
                quantity,
                over_acceptance_reason=info.restrictions or info.description,
            ),
        )
        outcome.created.append(
            {
                "kind": "acceptance",
                "offer": line.offer.reference,
                "offer_line": line.pk,
                "quantity": quantity,
            }
        )
        outcome.elements[info.element_id or str(index)] = {"offer_line": line.pk}
    return outcome
