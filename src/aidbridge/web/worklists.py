"""What waits for the user: one list per kind of work, each object in it because its
app's allowed-actions rule (``<app>/actions.py``, ``requests.selectors``) lets this
user act on it now. Nothing here decides a role or a status: each query only narrows
the candidates cheaply (the user's own nation's objects, the statuses the rule's
transition starts from), and the rule decides. The dashboard shows them for one
crisis, the inbox counts them over every crisis."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from aidbridge.accounts.permissions import profile_of
from aidbridge.airlift.actions import plan_run_actions, sortie_actions
from aidbridge.airlift.models import AirliftPlanRun, Sortie
from aidbridge.airlift.selectors import plan_runs_visible_to, sorties_visible_to
from aidbridge.core.actions import Rules
from aidbridge.crises.models import Crisis
from aidbridge.ledger.sums import with_movement
from aidbridge.logistics.actions import dispatch_actions
from aidbridge.logistics.models import Receipt
from aidbridge.logistics.selectors import dispatches_visible_to
from aidbridge.offers.actions import offer_actions, offer_line_rules
from aidbridge.offers.models import OfferLine
from aidbridge.offers.selectors import (
    offer_lines_visible_to,
    offers_visible_to,
)
from aidbridge.requests.actions import available_actions, may_ever
from aidbridge.requests.models import RequestForAssistance, RequestLine
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
# queryset would load them all) and looks at no more than SCAN of them. The first page
# holds just what the list shows (the rule usually allows what the query narrowed to),
# the next ones twice as many each time.
SCAN = 500


def _kept(rows: Iterable[T], may: Callable[[T], bool], limit: int) -> list[T]:
    out: list[T] = []
    for row in _bounded(rows, limit):
        if may(row):
            out.append(row)
            if len(out) == limit:
                break
    return out


def _bounded(rows: Iterable[T], first: int) -> Iterable[T]:
    if not isinstance(rows, QuerySet):
        yield from rows
        return
    start, size = 0, max(first, 1)
    while start < SCAN:
        page = list(rows[start : min(start + size, SCAN)])
        yield from page
        if len(page) < size:
            return
        start, size = start + size, size * 2


def _with_line_counts(rfas: list[Any]) -> list[Any]:
    """``line_count`` on each request kept: counted for the page only (one query)."""
    if rfas:
        counts = dict(
            RequestLine.objects.filter(rfa__in=[rfa.pk for rfa in rfas])
            .values_list("rfa")
            .annotate(n=Count("pk"))
            .values_list("rfa", "n")
        )
        for rfa in rfas:
            rfa.line_count = counts.get(rfa.pk, 0)
    return rfas


def _in(rows: QuerySet[Any], crisis: Crisis | None, path: str) -> QuerySet[Any]:
    return rows if crisis is None else rows.filter(**{path: crisis})


def worklists(actor: Any, crisis: Crisis | None = None, limit: int = 20) -> dict[str, list[Any]]:
    """The non-empty lists of work for ``actor`` (in one crisis, or all), each capped."""
    party = profile_of(actor).party
    lists: dict[str, list[Any]] = {}

    rfas = _in(rfas_visible_to(actor), crisis, "crisis").filter(
        status__in=TRANSITIONS["circulate"].sources
    )
    to_validate: list[Any] = []
    # A role that never circulates reads no request to be told so, request by request.
    if may_ever(actor, "circulate"):
        to_validate = _kept(
            # No line count here: counting groups every candidate before the first page.
            rfas.select_related("requester", "crisis").order_by("submitted_at", "pk"),
            lambda rfa: "circulate" in available_actions(actor, rfa, asking="circulate"),
            limit,
        )
    lists["to_validate"] = _with_line_counts(to_validate)

    # Offer lines on the user's nation's requests with something left undecided. Only a
    # nation with requests here has any: asked first (one probe of the requester index),
    # so that for every other user the planner never walks the crisis's offers in order
    # looking for lines on requests that do not exist.
    undecided = _in(offer_lines_visible_to(actor), crisis, "offer__crisis").filter(
        request_line__rfa__requester=party, quantity__gt=F("accepted") + F("declined")
    )
    lists["to_decide"] = []
    if _in(RequestForAssistance.objects.filter(requester=party), crisis, "crisis").exists():
        lists["to_decide"] = _kept(
            undecided.select_related("offer", "request_line__rfa")
            .prefetch_related("item", "offer__donor", "request_line__rfa__requester")
            .order_by("offer__created_at", "pk"),
            # One rule asked, not the whole set: "accept_over" reads the need's figures.
            lambda line: may(offer_line_rules(actor, line), "decline"),
            limit,
        )

    # From the few proposed lines (a partial index), not from the donor's every offer.
    proposed = _in(offers_visible_to(actor), crisis, "crisis").filter(
        donor=party,
        pk__in=OfferLine.objects.filter(status=OfferLine.Status.PROPOSED).values("offer_id"),
    )
    lists["to_confirm_proposal"] = _kept(
        proposed.select_related("rfa__requester", "donor")
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
            own_lines.select_related("offer").prefetch_related(
                "item", "offer__donor", "request_line__rfa__requester"
            )
        )
        .filter(Q(left_to_dispatch__gt=0))
        # Oldest offer first, in the order of the donor's offers index: the figures are
        # worked out for the lines walked until the page is full, not for every line.
        .order_by("offer__created_at", "offer_id", "pk"),
        lambda line: may(offer_line_rules(actor, line, dispatched=line.dispatched), "dispatch"),
        limit,
    )

    # The dispatch's own copies of its crisis and requesting nation: the nation's
    # dispatches in date order from one index, so the first page is found without
    # reading the crisis. No receipt, as NOT EXISTS: as a left join the planner guesses
    # one row left and sorts every candidate instead of walking the index and stopping.
    arriving = _in(dispatches_visible_to(actor), crisis, "crisis").filter(
        ~Exists(Receipt.objects.filter(dispatch=OuterRef("pk"))), requester=party
    )
    lists["to_confirm"] = _kept(
        # The joins the filter makes anyway; the rest a page at a time (fewer joins to
        # plan). The receipt too: the rule asks whether there is one (none, by the filter).
        arriving.select_related("offer_line__offer", "offer_line__request_line__rfa")
        .prefetch_related(
            "receipt",
            "offer_line__item",
            "offer_line__offer__donor",
            "offer_line__request_line__rfa__requester",
        )
        .order_by("dispatched_at", "pk"),
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
