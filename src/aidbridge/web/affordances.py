"""The actions a page offers, gathered from the apps' rules (``<app>.actions`` and
``requests.actions.available_actions``); nothing is decided here. Templates ask
``"accept" in ol.actions`` and show a button or form only for an action in the set,
so every button shown works and none the services would refuse is shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aidbridge.allocations.actions import start_refusal
from aidbridge.core.actions import Refusal
from aidbridge.crises.models import Crisis
from aidbridge.intake.actions import read_refusal
from aidbridge.logistics.actions import dispatch_actions
from aidbridge.offers.actions import offer_line_actions, rfa_offer_refusal, standing_offer_refusal
from aidbridge.offers.models import OfferLine
from aidbridge.requests.actions import available_actions, create_refusal
from aidbridge.requests.models import RequestForAssistance
from aidbridge.sitreps.actions import draft_refusal


def crisis_actions(actor: Any, crisis: Crisis) -> set[str]:
    """What the actor may start in ``crisis``: a request, a standing offer, an import
    (needs are drafted requests, offers are offers), an allocation run, a sitrep, a
    request read from a pasted message."""
    refusals = {
        "create_rfa": create_refusal(actor, crisis),
        "offer_standing": standing_offer_refusal(actor, crisis),
        "import_needs": import_refusal(actor, crisis, "needs"),
        "import_offers": import_refusal(actor, crisis, "offers"),
        "allocate": start_refusal(actor, crisis),
        "draft_sitrep": draft_refusal(actor, crisis),
        "read_message": read_refusal(actor, crisis),
    }
    return {name for name, refusal in refusals.items() if refusal is None}


def import_refusal(actor: Any, crisis: Crisis, kind: str) -> Refusal:
    """Importing needs drafts requests; importing offers makes offers."""
    if kind == "needs":
        return create_refusal(actor, crisis)
    return standing_offer_refusal(actor, crisis)


def rfa_actions(actor: Any, rfa: RequestForAssistance) -> set[str]:
    """The request's own actions, and ``offer`` when the actor's nation may offer."""
    actions = set(available_actions(actor, rfa))
    if rfa_offer_refusal(actor, rfa) is None:
        actions.add("offer")
    return actions


def attach_line_actions(
    actor: Any,
    lines: Iterable[OfferLine],
    *,
    need_accepted: int | None = None,
    dispatches: bool = False,
) -> None:
    """``actions`` on each offer line and, with ``dispatches`` (prefetched), on each of
    its dispatches. ``need_accepted``: what the page shows as accepted on the need."""
    for line in lines:
        line.actions = offer_line_actions(actor, line, need_accepted=need_accepted)  # type: ignore[attr-defined]
        for dispatch in line.dispatches.all() if dispatches else ():
            dispatch.actions = dispatch_actions(actor, dispatch)  # type: ignore[attr-defined]
