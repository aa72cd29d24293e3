"""Reads that only the pages need: the dashboard's "needs your action" lists, its key
figures and the latest changes, and a request's lines with their progress.

Who may see which request is decided by ``requests.selectors.rfas_visible_to``; every
query here starts from it or from the actor's own party, never from a rule of its own.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.utils import timezone

from aidbridge.accounts.models import CENTRE_ROLES, Role
from aidbridge.accounts.permissions import profile_of
from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.ledger.crisis import crisis_figures
from aidbridge.ledger.sums import with_movement
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance, RequestLine
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
    overall = crisis_figures(crisis).overall
    week_ago = timezone.now() - timedelta(days=7)
    deliveries = Receipt.objects.filter(
        dispatch__offer_line__offer__crisis=crisis, received_at__gte=week_ago
    ).count()
    return {
        "open_rfas": open_rfas,
        "overall": overall,
        "delivered_week": deliveries,
        "offers": Offer.objects.filter(crisis=crisis).count(),
    }


def latest_changes(actor: Any, crisis: Crisis, limit: int = 10) -> list[AuditEntry]:
    """The newest audit entries of the crisis that this user may see.

    Entries about requests follow the request's visibility (a nation's drafts stay its
    own); entries about offers, dispatches and receipts are part of the crisis picture.
    """
    rfa_types = ContentType.objects.get_for_models(RequestForAssistance, RequestLine)
    entries = AuditEntry.objects.filter(crisis=crisis)
    if profile_of(actor).role not in CENTRE_ROLES:
        visible = rfas_visible_to(actor).filter(crisis=crisis)
        hidden_rfa = Q(target_type=rfa_types[RequestForAssistance]) & ~Q(
            target_id__in=visible.values("pk")
        )
        hidden_line = Q(target_type=rfa_types[RequestLine]) & ~Q(
            target_id__in=RequestLine.objects.filter(rfa__in=visible.values("pk")).values("pk")
        )
        entries = entries.exclude(hidden_rfa | hidden_line)
    return list(entries.select_related("actor", "actor_party").order_by("-at", "-pk")[:limit])


def rfa_history(rfa: RequestForAssistance) -> QuerySet[AuditEntry]:
    """The request's own history, its lines', and that of the offers made against it."""
    types = ContentType.objects.get_for_models(
        RequestForAssistance, RequestLine, Offer, OfferLine, Dispatch, Receipt
    )
    line_ids = RequestLine.objects.filter(rfa=rfa).values("pk")
    offer_line_ids = OfferLine.objects.filter(request_line__rfa=rfa).values("pk")
    dispatch_ids = Dispatch.objects.filter(offer_line__request_line__rfa=rfa).values("pk")
    about = (
        Q(target_type=types[RequestForAssistance], target_id=rfa.pk)
        | Q(target_type=types[RequestLine], target_id__in=line_ids)
        | Q(target_type=types[Offer], target_id__in=Offer.objects.filter(rfa=rfa).values("pk"))
        | Q(target_type=types[OfferLine], target_id__in=offer_line_ids)
        | Q(target_type=types[Dispatch], target_id__in=dispatch_ids)
        | Q(
            target_type=types[Receipt],
            target_id__in=Receipt.objects.filter(dispatch__in=dispatch_ids).values("pk"),
        )
    )
    return AuditEntry.objects.filter(about).select_related("actor", "actor_party")
