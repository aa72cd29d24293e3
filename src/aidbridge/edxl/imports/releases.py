"""Giving back: ``ReleaseResource`` -> the requester declines offered units, or
withdraws its request; ``RequestReturn`` -> the donor withdraws an offer line.

What the released message is about decides: offer lines (a decline, ``ResponseType``
Decline with the reason) or request lines (the request released as a whole). Closing a
request is the receiving centre's own decision, so only a withdrawal by the requesting
nation (``DeploymentStatus`` Withdrawn) is imported.
"""

from __future__ import annotations

from functools import partial

from aidbridge.edxl.imports.context import (
    Context,
    Outcome,
    Problems,
    require_acting_for,
    service,
)
from aidbridge.edxl.imports.errors import MessageRefused
from aidbridge.edxl.imports.messages import Message
from aidbridge.edxl.imports.offers import offer_lines_answered, unknown_request
from aidbridge.edxl.imports.references import Elements, answered, pick
from aidbridge.edxl.imports.resolve import REQUESTER_ROLES, RESPONDER_ROLES, quantity_of
from aidbridge.offers.models import OfferLine
from aidbridge.offers.services import decline_offer_line, withdraw_offer_line
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.selectors import lines_visible_to
from aidbridge.requests.services import withdraw_rfa


def release(ctx: Context, message: Message) -> Outcome:
    answered_id, elements = answered(message)
    if elements is None:
        raise unknown_request(message, answered_id)
    if any("offer_line" in v for v in elements.values()):
        return _declines(ctx, message, elements, answered_id)
    return _withdraw_request(ctx, message, elements, answered_id)


def _declines(ctx: Context, message: Message, elements: Elements, answered_id: str) -> Outcome:
    problems = Problems()
    party = problems.check(
        "unknown_party", ctx.parties.acting(message, REQUESTER_ROLES, ctx.sender_id)
    )
    pairs = offer_lines_answered(ctx, message, elements, answered_id, problems)
    quantities = [problems.check("invalid_content", quantity_of(i, ln.item)) for i, ln in pairs]
    problems.raise_any()
    assert party is not None and pairs
    require_acting_for(ctx.actor, party, message)

    outcome = Outcome(party, pairs[0][1].offer.crisis)
    for (info, line), quantity in zip(pairs, quantities, strict=True):
        if _settled_by_close(line):
            # The sender's close declined what still awaited a decision, and so did
            # closing the request here: the decline is already recorded.
            outcome.elements[info.element_id] = {"offer_line": line.pk}
            continue
        reason = info.response_reason or info.description or message.description
        service([info], message, partial(decline_offer_line, ctx.actor, line, reason, quantity))
        outcome.created.append(
            {
                "kind": "decline",
                "offer": line.offer.reference,
                "offer_line": line.pk,
                "quantity": quantity,
            }
        )
        outcome.elements[info.element_id] = {"offer_line": line.pk}
    return outcome


def _settled_by_close(line: OfferLine) -> bool:
    need = line.request_line
    return (
        need is not None
        and need.rfa.status == RequestForAssistance.Status.CLOSED
        and line.pending == 0
    )


def _withdraw_request(
    ctx: Context, message: Message, elements: Elements, answered_id: str
) -> Outcome:
    problems = Problems()
    party = problems.check(
        "unknown_party", ctx.parties.acting(message, REQUESTER_ROLES, ctx.sender_id)
    )
    problems.raise_any()
    assert party is not None
    if not any(info.deployment_status == "Withdrawn" for info in message.resources):
        raise MessageRefused.one(
            "not_imported",
            "a ReleaseResource closing a request is not imported: closing a request is the "
            "receiving centre's decision; only a withdrawal by the requesting nation "
            "(DeploymentStatus Withdrawn) is",
            message.path,
        )
    ids = pick(elements, "", "request_line")
    lines = list(lines_visible_to(ctx.actor).filter(pk__in=ids).select_related("rfa__crisis"))
    if not lines or len({ln.rfa_id for ln in lines}) != 1:
        raise unknown_request(message, answered_id)
    require_acting_for(ctx.actor, party, message)

    rfa = lines[0].rfa
    reason = message.description or "withdrawn by the requesting nation's system"
    service(message.resources, message, partial(withdraw_rfa, ctx.actor, rfa, reason))
    return Outcome(
        party,
        rfa.crisis,
        created=[{"kind": "withdrawal", "rfa": rfa.pk, "reference": rfa.reference}],
    )


def request_return(ctx: Context, message: Message) -> Outcome:
    """The donor takes back offered units nobody accepted yet."""
    answered_id, elements = answered(message)
    if elements is None:
        raise unknown_request(message, answered_id)
    problems = Problems()
    party = problems.check(
        "unknown_party", ctx.parties.acting(message, RESPONDER_ROLES, ctx.sender_id)
    )
    pairs = offer_lines_answered(ctx, message, elements, answered_id, problems)
    problems.raise_any()
    assert party is not None and pairs
    require_acting_for(ctx.actor, party, message)

    outcome = Outcome(party, pairs[0][1].offer.crisis)
    for info, line in pairs:
        reason = info.description or message.description
        service([info], message, partial(withdraw_offer_line, ctx.actor, line, reason))
        outcome.created.append(
            {"kind": "withdrawal", "offer": line.offer.reference, "offer_line": line.pk}
        )
        outcome.elements[info.element_id] = {"offer_line": line.pk}
    return outcome
