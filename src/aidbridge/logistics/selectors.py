"""Reading dispatches and receipts; who sees which.

Dispatches and receipts follow their offer line, and so their offer
(``offers.selectors.offer_visibility``). The history of a request or an offer spans
its offers and movements, so both are read here, at the top of the chain, rather than in
``requests`` or ``offers`` (which would then import the apps that import them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from aidbridge.audit.models import AuditEntry
from aidbridge.audit.selectors import entries_visible_to
from aidbridge.core.errors import NotFound
from aidbridge.crises.models import Crisis
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.selectors import offer_visibility
from aidbridge.requests.models import RequestForAssistance, RequestLine, not_in_picture


def dispatches_visible_to(actor: Any) -> QuerySet[Dispatch]:
    """Dispatches follow their offer line (and so its offer)."""
    return Dispatch.objects.filter(offer_visibility(actor, "offer_line__offer__"))


def receipts_visible_to(actor: Any) -> QuerySet[Receipt]:
    return Receipt.objects.filter(offer_visibility(actor, "dispatch__offer_line__offer__"))


def deliveries_since(actor: Any, crisis: Crisis, since: datetime) -> int:
    """The receipts of ``crisis`` received at or after ``since`` that ``actor`` may see
    (``receipts_visible_to``): the dashboards' "deliveries this week".

    Counted from the crisis's receipts in date order (one index range, no join), less
    those ``actor`` may not see. Every reader sees a receipt of standing stock or of a
    request in the picture (``offer_visibility``), so only receipts on requests never
    circulated can be hidden: they are looked for from those requests (none through the
    services, where offers answer circulated requests only) and checked by the rule.
    """
    received = Receipt.objects.filter(crisis=crisis, received_at__gte=since)
    # The offers hidden from ``actor`` are found from the requests never circulated
    # (their index on crisis and circulation), their receipts from those offers: the
    # cost follows those requests, not the crisis's receipts. (The offer's own crisis too:
    # only receipts counted above may be taken off.)
    hidden_offers = (
        Offer.objects.filter(not_in_picture("rfa__"), rfa__crisis=crisis, crisis=crisis)
        .exclude(offer_visibility(actor))
        .values("pk")
    )
    hidden = Receipt.objects.filter(
        dispatch__offer_line__offer__in=hidden_offers, received_at__gte=since
    ).count()
    return received.count() - hidden


def dispatches_with_parties(actor: Any) -> QuerySet[Dispatch]:
    """The dispatches ``actor`` may see, with what the API shows of each."""
    return dispatches_visible_to(actor).select_related(
        "offer_line__offer__crisis",
        "offer_line__offer__donor",
        "offer_line__item",
        "offer_line__request_line__rfa__requester",
        "reported_by",
        "receipt__confirmed_by",
    )


def dispatch_detail(actor: Any, dispatch_id: int) -> Dispatch:
    found = dispatches_with_parties(actor).filter(pk=dispatch_id).first()
    if found is None:
        raise NotFound(
            gettext("no dispatch %(dispatch_id)s") % {"dispatch_id": dispatch_id},
            field="dispatch_id",
        )
    return found


def dispatches_filtered(
    actor: Any,
    *,
    crisis: str | None = None,
    donor: str | None = None,
    requester: str | None = None,
    offer: int | None = None,
    offer_line: int | None = None,
    item: str | None = None,
    mode: str | None = None,
    received: bool | None = None,
) -> QuerySet[Dispatch]:
    """The dispatches ``actor`` may see, narrowed by the API's list filters."""
    rows = dispatches_with_parties(actor)
    if crisis:
        rows = rows.filter(offer_line__offer__crisis__code=crisis)
    if donor:
        rows = rows.filter(offer_line__offer__donor__code__iexact=donor)
    if requester:
        rows = rows.filter(offer_line__request_line__rfa__requester__code__iexact=requester)
    if offer is not None:
        rows = rows.filter(offer_line__offer_id=offer)
    if offer_line is not None:
        rows = rows.filter(offer_line_id=offer_line)
    if item:
        rows = rows.filter(offer_line__item__code__iexact=item)
    if mode:
        rows = rows.filter(mode=mode)
    if received is not None:
        rows = rows.filter(receipt__isnull=not received)
    return rows


def offer_history(actor: Any, offer: Offer) -> QuerySet[AuditEntry]:
    """Everything that happened to an offer, its lines, their dispatches and receipts,
    as far as ``actor`` may see (``audit.selectors.entries_visible_to``)."""
    line_ids = list(OfferLine.objects.filter(offer=offer).values_list("pk", flat=True))
    dispatch_ids = list(
        Dispatch.objects.filter(offer_line_id__in=line_ids).values_list("pk", flat=True)
    )
    receipt_ids = Receipt.objects.filter(dispatch_id__in=dispatch_ids).values_list("pk", flat=True)
    types = ContentType.objects.get_for_models(Offer, OfferLine, Dispatch, Receipt)
    about = (
        Q(target_type=types[Offer], target_id=offer.pk)
        | Q(target_type=types[OfferLine], target_id__in=line_ids)
        | Q(target_type=types[Dispatch], target_id__in=dispatch_ids)
        | Q(target_type=types[Receipt], target_id__in=list(receipt_ids))
    )
    return (
        entries_visible_to(actor)
        .filter(about)
        .select_related("actor", "actor_party", "target_type")
    )


def rfa_history(actor: Any, rfa: RequestForAssistance) -> QuerySet[AuditEntry]:
    """Everything that happened to the request, its lines (removed ones too), the offers
    made against it, their lines, dispatches and receipts: what ``actor`` may see of
    it, oldest first. The API's ``/rfas/{id}/history`` and the request page both read this.
    """
    types = ContentType.objects.get_for_models(
        RequestForAssistance, RequestLine, Offer, OfferLine, Dispatch, Receipt
    )
    line_ids = set(rfa.lines.values_list("pk", flat=True))
    removed = AuditEntry.objects.filter(
        target_type=types[RequestForAssistance], target_id=rfa.pk, action="rfa.line_remove"
    ).values_list("changes", flat=True)
    line_ids |= {c["line_id"][0] for c in removed if "line_id" in c}
    dispatch_ids = Dispatch.objects.filter(offer_line__request_line__rfa=rfa).values("pk")
    about = (
        Q(target_type=types[RequestForAssistance], target_id=rfa.pk)
        | Q(target_type=types[RequestLine], target_id__in=line_ids)
        | Q(target_type=types[Offer], target_id__in=Offer.objects.filter(rfa=rfa).values("pk"))
        | Q(
            target_type=types[OfferLine],
            target_id__in=OfferLine.objects.filter(request_line__rfa=rfa).values("pk"),
        )
        | Q(target_type=types[Dispatch], target_id__in=dispatch_ids)
        | Q(
            target_type=types[Receipt],
            target_id__in=Receipt.objects.filter(dispatch__in=dispatch_ids).values("pk"),
        )
    )
    return (
        entries_visible_to(actor)
        .filter(about)
        .select_related("actor", "actor_party", "target_type")
        .order_by("at", "pk")
    )


def offers_of_dispatches(ids: list[int]) -> dict[int, int]:
    """Each dispatch's offer (a dispatch is shown on its offer's page)."""
    return dict(Dispatch.objects.filter(pk__in=ids).values_list("pk", "offer_line__offer_id"))
