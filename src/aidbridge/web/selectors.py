"""Reads that only the pages need: the dashboard's "needs your action" lists, its key
figures and the latest changes, and a request's lines with their progress.

Who may see what is decided by each entity's selector (``requests.selectors``,
``offers.selectors``, ``audit.selectors``); every query here starts from one of them or
from the actor's own party, never from a rule of its own.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.utils import timezone

from aidbridge.accounts.models import CENTRE_ROLES, Role
from aidbridge.accounts.permissions import profile_of
from aidbridge.audit.models import AuditEntry
from aidbridge.audit.selectors import entries_visible_to
from aidbridge.crises.models import Crisis
from aidbridge.ledger.crisis import crisis_summary
from aidbridge.ledger.sums import with_movement
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.selectors import offers_visible_to, receipts_visible_to
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.selectors import rfas_visible_to

Status = RequestForAssistance.Status


def offer_lines_with_movement() -> QuerySet[OfferLine]:
    """Offer lines with the ledger's movement figures and "left to dispatch"."""
    return with_movement(OfferLine.objects.select_related("item", "offer__donor"))


def needs_action(actor: Any, crisis: Crisis, limit: int = 20) -> dict[str, Any]:
    """What waits for this user's role in this crisis, each list capped at ``limit``.

    Centre: submitted requests to validate. A national POC: offers on their nation's
    requests awaiting a decision, offers the centre proposed from their standing stock
    awaiting their confirmation, accepted aid of their nation not yet dispatched, and
    dispatches to their nation not yet confirmed as received.
    """
    profile = profile_of(actor)
    out: dict[str, Any] = {}
    if profile.role in CENTRE_ROLES:
        out["to_validate"] = list(
            rfas_visible_to(actor)
            .filter(crisis=crisis, status=Status.SUBMITTED)
            .select_related("requester")
            .annotate(line_count=Count("lines"))
            .order_by("submitted_at", "pk")[:limit]
        )
    if profile.role == Role.NATIONAL_POC:
        party = profile.party
        out["to_decide"] = list(
            OfferLine.objects.filter(
                status=OfferLine.Status.OPEN,
                request_line__rfa__crisis=crisis,
                request_line__rfa__requester=party,
                request_line__rfa__status=Status.CIRCULATED,
            )
            .select_related("item", "offer__donor", "request_line__rfa")
            .order_by("offer__created_at", "pk")[:limit]
        )
        out["to_confirm_proposal"] = list(
            Offer.objects.filter(
                crisis=crisis, donor=party, lines__status=OfferLine.Status.PROPOSED
            )
            .select_related("rfa__requester")
            .distinct()
            .order_by("created_at", "pk")[:limit]
        )
        out["to_dispatch"] = list(
            offer_lines_with_movement()
            .filter(offer__crisis=crisis, offer__donor=party)
            .filter(Q(left_to_dispatch__gt=0))
            .select_related("request_line__rfa__requester")
            .order_by("pk")[:limit]
        )
        out["to_confirm"] = list(
            Dispatch.objects.filter(
                offer_line__request_line__rfa__crisis=crisis,
                offer_line__request_line__rfa__requester=party,
                receipt__isnull=True,
            )
            .select_related(
                "offer_line__item", "offer_line__offer__donor", "offer_line__request_line__rfa"
            )
            .order_by("dispatched_at", "pk")[:limit]
        )
    return out


def key_figures(actor: Any, crisis: Crisis) -> dict[str, Any]:
    """Open requests the user can see, the picture's coverage, the last week's receipts."""
    visible = rfas_visible_to(actor).filter(crisis=crisis)
    open_rfas = visible.filter(status__in=[Status.SUBMITTED, Status.CIRCULATED]).count()
    overall = crisis_summary(crisis).overall
    week_ago = timezone.now() - timedelta(days=7)
    deliveries = (
        receipts_visible_to(actor)
        .filter(dispatch__offer_line__offer__crisis=crisis, received_at__gte=week_ago)
        .count()
    )
    return {
        "open_rfas": open_rfas,
        "overall": overall,
        "delivered_week": deliveries,
        "offers": offers_visible_to(actor).filter(crisis=crisis).count(),
    }


def latest_changes(actor: Any, crisis: Crisis, limit: int = 10) -> list[AuditEntry]:
    """The newest audit entries of the crisis that this user may see: an entry follows
    its target (``audit.selectors.entries_visible_to``), so a nation's live drafts stay
    its own, even from the centre."""
    entries = entries_visible_to(actor).filter(crisis=crisis)
    return list(entries.select_related("actor", "actor_party").order_by("-at", "-pk")[:limit])
