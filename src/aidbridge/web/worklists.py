"""What waits for the user: one list per kind of work, each object in it because its
app's allowed-actions rule (``<app>/actions.py``, ``requests.selectors``) lets this
user act on it now. Nothing here decides a role or a status: each query only narrows
the candidates cheaply (the user's own nation's objects, the statuses the rule's
transition starts from), and the rule decides. The dashboard shows them for one
crisis, the inbox counts them over every crisis."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Count, F, Q, QuerySet

from aidbridge.accounts.permissions import profile_of
from aidbridge.airlift.actions import plan_run_actions, sortie_actions
from aidbridge.airlift.models import AirliftPlanRun, Sortie
from aidbridge.airlift.selectors import plan_runs_visible_to, sorties_visible_to
from aidbridge.core.actions import Rules
from aidbridge.crises.models import Crisis
from aidbridge.ledger.sums import with_movement
from aidbridge.logistics.actions import dispatch_actions
from aidbridge.logistics.selectors import dispatches_visible_to
from aidbridge.offers.actions import offer_actions, offer_line_rules
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.selectors import (
    offer_lines_visible_to,
    offers_visible_to,
)
from aidbridge.requests.actions import available_actions
from aidbridge.requests.selectors import rfas_visible_to
from aidbridge.requests.transitions import TRANSITIONS
from aidbridge.sitreps.actions import sitrep_actions
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.selectors import visible_sitreps

T = TypeVar("T")

# The lists, in the order they are shown; the template names each one.
KINDS = (
    "to_validate",
    "to_decide",
    "to_confirm_proposal",
    "to_dispatch",
    "to_confirm",
    "to_publish",
    "to_approve",
    "to_report",
)


def may(rules: Rules, action: str) -> bool:
    """Whether the rule allows ``action`` now (only that check is run)."""
    return rules[action]() is None


# A list reads its candidates page by page (a crisis may hold thousands: iterating a
# queryset would load them all) and looks at no more than SCAN of them.
PAGE, SCAN = 50, 500


def _kept(rows: Iterable[T], may: Callable[[T], bool], limit: int) -> list[T]:
    out: list[T] = []
    for row in _bounded(rows):
        if may(row):
            out.append(row)
            if len(out) == limit:
                break
    return out


def _bounded(rows: Iterable[T]) -> Iterable[T]:
    if not isinstance(rows, QuerySet):
        yield from rows
        return
    for start in range(0, SCAN, PAGE):
        page = list(rows[start : start + PAGE])
        yield from page
        if len(page) < PAGE:
            return


def _in(rows: QuerySet[Any], crisis: Crisis | None, path: str) -> QuerySet[Any]:
    return rows if crisis is None else rows.filter(**{path: crisis})


def worklists(actor: Any, crisis: Crisis | None = None, limit: int = 20) -> dict[str, list[Any]]:
    """The non-empty lists of work for ``actor`` (in one crisis, or all), each capped."""
    party = profile_of(actor).party
    lists: dict[str, list[Any]] = {}

    rfas = _in(rfas_visible_to(actor), crisis, "crisis").filter(
        status__in=TRANSITIONS["circulate"].sources
    )
    lists["to_validate"] = _kept(
        rfas.select_related("requester", "crisis")
        .annotate(line_count=Count("lines"))
        .order_by("submitted_at", "pk"),
        lambda rfa: "circulate" in available_actions(actor, rfa, asking="circulate"),
        limit,
    )

    # Offer lines on the user's nation's requests with something left undecided.
    undecided = _in(offer_lines_visible_to(actor), crisis, "offer__crisis").filter(
        request_line__rfa__requester=party, quantity__gt=F("accepted") + F("declined")
    )
    lists["to_decide"] = _kept(
        undecided.select_related("item", "offer__donor", "request_line__rfa__requester").order_by(
            "offer__created_at", "pk"
        ),
        # One rule asked, not the whole set: "accept_over" reads the need's figures.
        lambda line: may(offer_line_rules(actor, line), "decline"),
        limit,
    )

    proposed = _in(offers_visible_to(actor), crisis, "crisis").filter(
        donor=party, lines__status=OfferLine.Status.PROPOSED
    )
    lists["to_confirm_proposal"] = _kept(
        Offer.objects.filter(pk__in=proposed.values("pk"))
        .select_related("rfa__requester", "donor")
        .prefetch_related("lines")
        .order_by("created_at", "pk"),
        lambda offer: bool(offer_actions(actor, offer) & {"confirm_proposal", "decline_proposal"}),
        limit,
    )

    own_lines = _in(offer_lines_visible_to(actor), crisis, "offer__crisis").filter(
        offer__donor=party
    )
    lists["to_dispatch"] = _kept(
        with_movement(
            own_lines.select_related("item", "offer__donor", "request_line__rfa__requester")
        )
        .filter(Q(left_to_dispatch__gt=0))
        .order_by("pk"),
        lambda line: may(offer_line_rules(actor, line, dispatched=line.dispatched), "dispatch"),
        limit,
    )

    arriving = _in(
        dispatches_visible_to(actor), crisis, "offer_line__request_line__rfa__crisis"
    ).filter(offer_line__request_line__rfa__requester=party, receipt__isnull=True)
    lists["to_confirm"] = _kept(
        # The receipt too: the rule asks whether there is one (none, by the filter).
        arriving.select_related(
            "receipt",
            "offer_line__item",
            "offer_line__offer__donor",
            "offer_line__request_line__rfa__requester",
        ).order_by("dispatched_at", "pk"),
        lambda d: "confirm_receipt" in dispatch_actions(actor, d),
        limit,
    )

    drafts = visible_sitreps(actor, crisis).filter(status=Sitrep.Status.DRAFT)
    lists["to_publish"] = _kept(
        drafts.select_related("crisis").order_by("pk"),
        lambda s: "publish" in sitrep_actions(actor, s),
        limit,
    )

    finished = _in(plan_runs_visible_to(actor), crisis, "crisis").filter(
        status=AirliftPlanRun.Status.DONE, approved_at__isnull=True
    )
    lists["to_approve"] = _kept(
        finished.select_related("crisis").order_by("-pk"),
        lambda run: "approve" in plan_run_actions(actor, run),
        limit,
    )

    flying = _in(sorties_visible_to(actor), crisis, "crisis").filter(
        ~Q(status=Sortie.Status.ARRIVED)
    )
    lists["to_report"] = _kept(
        flying.select_related("crisis", "aircraft").order_by("pk"),
        lambda sortie: bool(sortie_actions(actor, sortie)),
        limit,
    )
    return {kind: lists[kind] for kind in KINDS if lists[kind]}
